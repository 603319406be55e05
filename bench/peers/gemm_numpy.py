# numpy/OpenBLAS peer for bench/gemm.bench.ts: GFLOP/s of float32 matmul for the given shapes and
# layouts (NN = A·B, TN = Aᵀ·B, NT = A·Bᵀ, transposes as views so OpenBLAS sgemm gets trans flags).
# Threads are fixed by OPENBLAS_NUM_THREADS in this process's environment (set by the caller).
# Usage: python3 gemm_numpy.py '<json: {"shapes": [[M,K,N],...], "layouts": [...], "min_time": s, "batches": n}>'
import json
import sys
import time

import numpy as np

cfg = json.loads(sys.argv[1])
rng = np.random.default_rng(1)
out = []
for (M, K, N) in cfg["shapes"]:
    for layout in cfg["layouts"]:
        a = rng.uniform(-1, 1, (K, M) if layout == "TN" else (M, K)).astype(np.float32)
        b = rng.uniform(-1, 1, (N, K) if layout == "NT" else (K, N)).astype(np.float32)
        c = np.empty((M, N), dtype=np.float32)
        opa = a.T if layout == "TN" else a
        opb = b.T if layout == "NT" else b

        def run():
            np.matmul(opa, opb, out=c)

        run()
        # Calibrate the repetitions per batch, then keep the best batch.
        reps, t = 1, 0.0
        while True:
            t0 = time.perf_counter()
            for _ in range(reps):
                run()
            t = time.perf_counter() - t0
            if t >= cfg["min_time"] / cfg["batches"] or reps > 1 << 20:
                break
            reps *= 2
        best = t / reps
        for _ in range(cfg["batches"] - 1):
            t0 = time.perf_counter()
            for _ in range(reps):
                run()
            best = min(best, (time.perf_counter() - t0) / reps)
        out.append({"M": M, "K": K, "N": N, "layout": layout, "seconds": best, "gflops": 2.0 * M * N * K / best / 1e9})
print(json.dumps({"numpy": np.__version__, "results": out}))
