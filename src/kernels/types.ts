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

  /**
   * One Adam/AdamW update over n elements, in place on p, m, v (PyTorch semantics):
   *   g' = g[i] + l2·p[i];  m = β1·m + (1−β1)·g';  v = β2·v + (1−β2)·g'²;
   *   p[i] = decay·p[i] − stepSize·m / (√v · invSqrtBc2 + eps)
   * with stepSize = lr / (1−β1^t), invSqrtBc2 = 1/√(1−β2^t), decay = 1 − lr·wd for AdamW (else 1).
   * Reference: Kingma & Ba 2015, "Adam"; Loshchilov & Hutter 2019, "Decoupled weight decay" (AdamW).
   */
  adamStep(n: number, p: FloatArray, g: FloatArray, m: FloatArray, v: FloatArray,
    beta1: number, beta2: number, eps: number, stepSize: number, invSqrtBc2: number, l2: number, decay: number): void;

  // ---- Fused recurrent-cell pointwise math (owned by nn/; rows are batch entries, time-major callers). ----

  /**
   * LSTM pointwise forward for one time step. Gate order i, f, g, o (column blocks of width H).
   * G: B×4H preactivations [a_i | a_f | a_g | a_o], overwritten IN PLACE with the activations
   *    [i=σ(a_i) | f=σ(a_f) | g=tanh(a_g) | o=σ(a_o)].
   * cPrev: B×H; c: B×H out (c = f⊙cPrev + i⊙g); tc: B×H out (tanh c); h: B×H out (h = o⊙tanh c).
   */
  lstmCellForward(B: number, H: number, G: FloatArray, cPrev: FloatArray, c: FloatArray, tc: FloatArray, h: FloatArray): void;
  /**
   * LSTM pointwise backward for one time step (inverse of lstmCellForward; G holds the activations).
   * dh: B×H, total gradient w.r.t. h_t. dc: B×H, IN: gradient w.r.t. c_t from step t+1; OUT (overwritten):
   * gradient w.r.t. c_{t−1}. dG: B×4H, OVERWRITTEN with the gradient w.r.t. the preactivations [a_i|a_f|a_g|a_o].
   */
  lstmCellBackward(B: number, H: number, G: FloatArray, cPrev: FloatArray, tc: FloatArray,
    dh: FloatArray, dc: FloatArray, dG: FloatArray): void;
  /**
   * GRU (Cho et al. 2014) forward, stage 1. G: B×3H with column blocks z, r, h; the z and r blocks hold
   * preactivations and are overwritten with σ(·). rh: B×H out, rh = r⊙hPrev (the reset is applied before U_h).
   */
  gruGatesForward(B: number, H: number, G: FloatArray, hPrev: FloatArray, rh: FloatArray): void;
  /**
   * GRU forward, stage 2. The h block of G (B×3H) holds the candidate preactivation, overwritten with
   * ĥ = tanh(·); h: B×H out, h = (1−z)⊙hPrev + z⊙ĥ.
   */
  gruOutputForward(B: number, H: number, G: FloatArray, hPrev: FloatArray, h: FloatArray): void;
  /**
   * GRU backward, stage 1 (inverse of gruOutputForward). dh: B×H total gradient w.r.t. h_t.
   * Writes (overwrites) the z and h blocks of dG (B×3H) with the gradients w.r.t. the z and candidate
   * preactivations, and dhPrev (B×H) with dh⊙(1−z).
   */
  gruOutputBackward(B: number, H: number, G: FloatArray, hPrev: FloatArray, dh: FloatArray, dG: FloatArray, dhPrev: FloatArray): void;
  /**
   * GRU backward, stage 2 (inverse of gruGatesForward). drh: B×H gradient w.r.t. rh = r⊙hPrev.
   * Writes (overwrites) the r block of dG with drh⊙hPrev⊙r(1−r); dhPrev += drh⊙r.
   */
  gruGatesBackward(B: number, H: number, G: FloatArray, hPrev: FloatArray, drh: FloatArray, dG: FloatArray, dhPrev: FloatArray): void;

  // ---- Matrix-vector products and row scoring (owned by embeddings/: similarity search over word vectors). ----

  /**
   * y = alpha·op(A)·x + beta·y, row-major A (M×N, row stride lda), BLAS sgemv semantics.
   * trans = false: op(A) = A, x has N entries, y has M entries (one dot product per row: scoring all rows
   * of an embedding matrix against a query). trans = true: op(A) = Aᵀ, x has M entries, y has N entries.
   * beta = 0 overwrites y (NaNs in y are not propagated).
   */
  sgemv(trans: boolean, M: number, N: number, alpha: number, A: FloatArray, lda: number,
    x: FloatArray, beta: number, y: FloatArray): void;
}
