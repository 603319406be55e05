/**
 * Layout of the control slot one GEMM/GEMV worker thread shares with the main thread (int32 words in the
 * shared WASM memory; float parameters are read through a Float32Array view of the same words).
 * Used by `pool-node.ts` (main side) and `worker.ts` (worker side). Browser-safe (no imports).
 */
export const SLOT = {
  /** Job sequence number: the main thread increments it (Atomics.notify) to post a job. */
  seq: 0,
  /** The worker stores the sequence number of the job it finished here (Atomics.notify). */
  done: 1,
  /** 1 once the worker has instantiated the module and is waiting for jobs. */
  ready: 2,
  /** Operation: OP.* below. */
  op: 3,
  transA: 4, transB: 5, M: 6, N: 7, K: 8,
  /** float32 */ alpha: 9,
  /** byte pointer (uint32) */ A: 10,
  lda: 11,
  /** byte pointer (uint32) */ B: 12,
  ldb: 13,
  /** float32 */ beta: 14,
  /** byte pointer (uint32) */ C: 15,
  ldc: 16,
  /** byte pointer (uint32): this worker's GEMM workspace */ ws: 17,
  /**
   * Who computes the posted job: CLAIM.posted until someone takes it with compareExchange — the worker
   * (CLAIM.worker) or, if the worker has not woken up by the time the main thread finished its own slice,
   * the main thread itself (CLAIM.main). Parameters are read only after a successful claim.
   */
  claim: 18,
  /** Slot size in int32 words (64 bytes: one cache line per worker, no false sharing). */
  words: 16 * 2,
} as const;

export const OP = {
  /** sgemm with the plain SIMD module */
  sgemmSimd: 0,
  /** sgemm with the relaxed SIMD module */
  sgemmRelaxed: 1,
  /** y = alpha·A·x + beta·y (no transpose) over a block of rows, plain SIMD module: A, lda, B = x, C = y */
  sgemvSimd: 2,
  /** the same with the relaxed SIMD module */
  sgemvRelaxed: 3,
  /** leave the loop and end the thread */
  exit: -1,
} as const;

export const CLAIM = { posted: 0, worker: 1, main: 2 } as const;

/** Busy-wait iterations (Atomics.load) before falling back to Atomics.wait. */
export const SPIN = 20000;
