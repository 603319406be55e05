// Word-vector similarity search (owned by src/embeddings/): score every row of an embedding matrix against
// one query vector — the matrix-vector product behind mostSimilar / analogy queries over 400k×300 matrices.
// Memory-bound, so: one pass over A, four independent f32x4 accumulators per row, x stays in L1.
// Same memory rule as the other files here: no `new`, no arrays, no static mutable data.
import { dotRow } from './simd';

/**
 * y[i] = alpha·(A[i,:]·x) + beta·y[i] for i < M (row-major A, row stride lda floats; beta = 0 overwrites y).
 * BLAS sgemv, no transpose — the semantics of KernelBackend.sgemv(false, …).
 */
export function vecSgemvN(M: i32, N: i32, alpha: f32, A: usize, lda: i32, x: usize, beta: f32, y: usize): void {
  const rowBytes = <usize>lda << 2;
  for (let i = 0; i < M; i++) {
    const r = dotRow(N, A + <usize>i * rowBytes, x);
    const yo = y + (<usize>i << 2);
    store<f32>(yo, beta == 0 ? alpha * r : alpha * r + beta * load<f32>(yo));
  }
}
