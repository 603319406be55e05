/**
 * GEMM worker thread (Node worker_threads): instantiates the kernel modules on the shared WASM memory
 * and runs the slices of large sgemm (and sgemv) calls that `pool-node.ts` posts into its control slot.
 * Waits by spinning briefly (sub-microsecond hand-off when calls come back to back) and then sleeping
 * in Atomics.wait (so an idle or oversubscribed machine is not burnt by spinning).
 * Started from `worker.ts` under tsx and from `worker.js` in dist/ (chosen by the pool).
 */
import { workerData } from 'node:worker_threads';
import { CLAIM, OP, SLOT, SPIN } from './pool-protocol.ts';

interface GemmExports {
  sgemm(transA: number, transB: number, M: number, N: number, K: number, alpha: number, A: number, lda: number,
    B: number, ldb: number, beta: number, C: number, ldc: number, ws: number): void;
  sgemv(trans: number, M: number, N: number, alpha: number, A: number, lda: number, x: number, beta: number, y: number): void;
}

const data = workerData as { memory: WebAssembly.Memory; simd: WebAssembly.Module; relaxed: WebAssembly.Module | null; slot: number };
const imports = { env: { memory: data.memory, abort: () => { throw new Error('wasm abort'); } } };
const simd = new WebAssembly.Instance(data.simd, imports).exports as unknown as GemmExports;
const relaxed = data.relaxed ? new WebAssembly.Instance(data.relaxed, imports).exports as unknown as GemmExports : simd;
const ctl = new Int32Array(data.memory.buffer, data.slot, SLOT.words);
const f32 = new Float32Array(data.memory.buffer, data.slot, SLOT.words);

let seen = Atomics.load(ctl, SLOT.seq);
Atomics.store(ctl, SLOT.ready, 1);
for (;;) {
  let s = Atomics.load(ctl, SLOT.seq);
  for (let spins = 0; s === seen; s = Atomics.load(ctl, SLOT.seq)) {
    if (++spins > SPIN) Atomics.wait(ctl, SLOT.seq, seen);
  }
  seen = s;
  if (ctl[SLOT.op] === OP.exit) break;
  // Take the job unless the main thread already did (it steals jobs a sleeping worker has not started).
  if (Atomics.compareExchange(ctl, SLOT.claim, CLAIM.posted, CLAIM.worker) === CLAIM.posted) {
    const op = ctl[SLOT.op];
    const x = op === OP.sgemmRelaxed || op === OP.sgemvRelaxed ? relaxed : simd;
    try {
      if (op === OP.sgemvSimd || op === OP.sgemvRelaxed) {
        x.sgemv(0, ctl[SLOT.M], ctl[SLOT.N], f32[SLOT.alpha], ctl[SLOT.A] >>> 0, ctl[SLOT.lda], ctl[SLOT.B] >>> 0, f32[SLOT.beta], ctl[SLOT.C] >>> 0);
      } else x.sgemm(ctl[SLOT.transA], ctl[SLOT.transB], ctl[SLOT.M], ctl[SLOT.N], ctl[SLOT.K], f32[SLOT.alpha],
        ctl[SLOT.A] >>> 0, ctl[SLOT.lda], ctl[SLOT.B] >>> 0, ctl[SLOT.ldb], f32[SLOT.beta], ctl[SLOT.C] >>> 0, ctl[SLOT.ldc],
        ctl[SLOT.ws] >>> 0);
    } catch {
      // A trap would otherwise leave the main thread waiting forever (bounds are validated before posting).
    }
  }
  // Only now is the job (if this worker took it) complete; `done` may briefly hold an older sequence number
  // when a newer job was posted meanwhile — the loop comes straight back for it.
  Atomics.store(ctl, SLOT.done, s);
  Atomics.notify(ctl, SLOT.done);
}
