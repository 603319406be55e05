// Shared timing helper of the kernel benchmarks (gemm, fma-peak): best per-call seconds of `run`, found by
// doubling the repetitions until one batch takes minTime / batches seconds, then taking the best of `batches`
// batches (the first call is a warm-up). Not a test: timings are never asserted.

/** Best seconds per call of `run` over `batches` batches of adaptively many calls (≈ minTime seconds in all). */
export function timeIt(run: () => void, minTime: number, batches: number): number {
  run();
  let reps = 1, t = 0;
  for (;;) {
    const t0 = performance.now();
    for (let i = 0; i < reps; i++) run();
    t = (performance.now() - t0) / 1000;
    if (t >= minTime / batches || reps > 1 << 20) break;
    reps *= 2;
  }
  let best = t / reps;
  for (let b = 1; b < batches; b++) {
    const t0 = performance.now();
    for (let i = 0; i < reps; i++) run();
    best = Math.min(best, (performance.now() - t0) / 1000 / reps);
  }
  return best;
}
