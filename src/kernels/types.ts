/**
 * The kernel contract: every hot numeric loop in wordloom goes through a `KernelBackend`.
 *
 * Conventions (BLAS-like, row-major):
 * - Arrays are `Float32Array` (fast path) or `Float64Array` (used by float64 gradient checks; always
 *   computed by the reference backend). Pass views (`subarray`) to address a part of a buffer.
 * - Matrices are row-major with a leading dimension (row stride) argument.
 * - Backward-style kernels accumulate (`+=`) into their outputs unless the name says otherwise.
 *
 * Backends: `reference` (plain TS, ground truth for tests, fallback) and `wasm-simd` /
 * `wasm-relaxed-simd` (AssemblyScript, built by `npm run build:wasm`).
 */

export type FloatArray = Float32Array | Float64Array;

export interface KernelBackend {
  /** Backend name, e.g. "reference", "wasm-simd", "wasm-relaxed-simd". */
  readonly name: string;

  /**
   * C = alpha·op(A)·op(B) + beta·C, row-major.
   * op(A) is M×K (A is M×K, or K×M when transA); op(B) is K×N (B is K×N, or N×K when transB); C is M×N.
   * beta = 0 overwrites C (NaNs in C are not propagated), beta = 1 accumulates.
   */
  sgemm(transA: boolean, transB: boolean, M: number, N: number, K: number, alpha: number,
    A: FloatArray, lda: number, B: FloatArray, ldb: number, beta: number, C: FloatArray, ldc: number): void;

  /** Σ x[i]·y[i] for i < n. */
  dot(n: number, x: FloatArray, y: FloatArray): number;
  /** y[i] += a·x[i] for i < n. */
  axpy(n: number, a: number, x: FloatArray, y: FloatArray): void;
  /** x[i] *= a for i < n. */
  scale(n: number, a: number, x: FloatArray): void;

  /** out[i] = σ(x[i]) (out may alias x). */
  sigmoid(n: number, x: FloatArray, out: FloatArray): void;
  /** out[i] = tanh(x[i]) (out may alias x). */
  tanh(n: number, x: FloatArray, out: FloatArray): void;
  /** dx[i] += dy[i]·y[i]·(1−y[i]) where y = σ(x). */
  sigmoidBackward(n: number, y: FloatArray, dy: FloatArray, dx: FloatArray): void;
  /** dx[i] += dy[i]·(1−y[i]²) where y = tanh(x). */
  tanhBackward(n: number, y: FloatArray, dy: FloatArray, dx: FloatArray): void;

  /**
   * Row-wise bias add: X[r, :] += b for r < rows (X is rows×n, row stride n).
   */
  addBias(rows: number, n: number, b: FloatArray, X: FloatArray): void;
  /** db[j] += Σ_r dX[r, j] (column sums; dX is rows×n). */
  biasBackward(rows: number, n: number, dX: FloatArray, db: FloatArray): void;

  /**
   * Allocate a zeroed float32 buffer in the backend's fast memory (the WASM heap for WASM backends),
   * so kernels can use it without copying. Plain `new Float32Array(n)` works too, but may be copied.
   */
  alloc(n: number): Float32Array;
  /** Return a buffer from alloc() to the backend (optional to call; no-op for reference). */
  free(a: Float32Array): void;
}
