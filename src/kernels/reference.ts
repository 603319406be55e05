/**
 * Reference kernels in plain TypeScript: the ground truth the WASM backends are tested against,
 * the fallback where WebAssembly SIMD is missing, and the float64 path of gradient checks.
 * Written for clarity first, with cache-friendly loop orders.
 */
import type { FloatArray, KernelBackend } from './types.ts';

function sgemm(transA: boolean, transB: boolean, M: number, N: number, K: number, alpha: number,
  A: FloatArray, lda: number, B: FloatArray, ldb: number, beta: number, C: FloatArray, ldc: number): void {
  // Scale / clear C first.
  for (let i = 0; i < M; i++) {
    const ci = i * ldc;
    if (beta === 0) for (let j = 0; j < N; j++) C[ci + j] = 0;
    else if (beta !== 1) for (let j = 0; j < N; j++) C[ci + j] *= beta;
  }
  if (alpha === 0 || K === 0) return;
  if (!transB) {
    // C[i,:] += alpha·a(i,p)·B[p,:]  (i-p-j order: B and C rows are contiguous)
    for (let i = 0; i < M; i++) {
      const ci = i * ldc;
      for (let p = 0; p < K; p++) {
        const a = alpha * (transA ? A[p * lda + i] : A[i * lda + p]);
        if (a === 0) continue;
        const bp = p * ldb;
        for (let j = 0; j < N; j++) C[ci + j] += a * B[bp + j];
      }
    }
  } else {
    // C[i,j] += alpha·Σ_p a(i,p)·B[j,p]  (dot products over contiguous rows of B)
    for (let i = 0; i < M; i++) {
      const ci = i * ldc;
      for (let j = 0; j < N; j++) {
        const bj = j * ldb;
        let s = 0;
        if (transA) for (let p = 0; p < K; p++) s += A[p * lda + i] * B[bj + p];
        else { const ai = i * lda; for (let p = 0; p < K; p++) s += A[ai + p] * B[bj + p]; }
        C[ci + j] += alpha * s;
      }
    }
  }
}

export const referenceKernels: KernelBackend = {
  name: 'reference',
  sgemm,
  dot(n, x, y) {
    let s = 0;
    for (let i = 0; i < n; i++) s += x[i] * y[i];
    return s;
  },
  axpy(n, a, x, y) {
    for (let i = 0; i < n; i++) y[i] += a * x[i];
  },
  scale(n, a, x) {
    for (let i = 0; i < n; i++) x[i] *= a;
  },
  sigmoid(n, x, out) {
    for (let i = 0; i < n; i++) out[i] = 1 / (1 + Math.exp(-x[i]));
  },
  tanh(n, x, out) {
    for (let i = 0; i < n; i++) out[i] = Math.tanh(x[i]);
  },
  sigmoidBackward(n, y, dy, dx) {
    for (let i = 0; i < n; i++) dx[i] += dy[i] * y[i] * (1 - y[i]);
  },
  tanhBackward(n, y, dy, dx) {
    for (let i = 0; i < n; i++) dx[i] += dy[i] * (1 - y[i] * y[i]);
  },
  addBias(rows, n, b, X) {
    for (let r = 0; r < rows; r++) { const o = r * n; for (let j = 0; j < n; j++) X[o + j] += b[j]; }
  },
  biasBackward(rows, n, dX, db) {
    for (let r = 0; r < rows; r++) { const o = r * n; for (let j = 0; j < n; j++) db[j] += dX[o + j]; }
  },
  alloc(n) {
    return new Float32Array(n);
  },
  free() {},
};
