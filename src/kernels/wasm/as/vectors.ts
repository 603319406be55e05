// Word-vector similarity search (owned by src/embeddings/): score every row of an embedding matrix against
// one query vector — the matrix-vector product behind mostSimilar / analogy queries over 400k×300 matrices.
// Memory-bound, so: one pass over A, four independent f32x4 accumulators per row, x stays in L1.
// Same memory rule as the other files here: no `new`, no arrays, no static mutable data.
import { madd } from './simd';

/**
 * y[i] = alpha·(A[i,:]·x) + beta·y[i] for i < M (row-major A, row stride lda floats; beta = 0 overwrites y).
 * BLAS sgemv, no transpose — the semantics of KernelBackend.sgemv(false, …).
 */
export function vecSgemvN(M: i32, N: i32, alpha: f32, A: usize, lda: i32, x: usize, beta: f32, y: usize): void {
  const rowBytes = <usize>lda << 2;
  for (let i = 0; i < M; i++) {
    const a = A + <usize>i * rowBytes;
    let s0 = f32x4.splat(0), s1 = s0, s2 = s0, s3 = s0;
    let p = 0;
    for (; p + 16 <= N; p += 16) {
      const o = <usize>p << 2;
      s0 = madd(v128.load(a + o), v128.load(x + o), s0);
      s1 = madd(v128.load(a + o, 16), v128.load(x + o, 16), s1);
      s2 = madd(v128.load(a + o, 32), v128.load(x + o, 32), s2);
      s3 = madd(v128.load(a + o, 48), v128.load(x + o, 48), s3);
    }
    for (; p + 4 <= N; p += 4) {
      const o = <usize>p << 2;
      s0 = madd(v128.load(a + o), v128.load(x + o), s0);
    }
    const s = f32x4.add(f32x4.add(s0, s1), f32x4.add(s2, s3));
    let r: f32 = f32x4.extract_lane(s, 0) + f32x4.extract_lane(s, 1) + f32x4.extract_lane(s, 2) + f32x4.extract_lane(s, 3);
    for (; p < N; p++) {
      const o = <usize>p << 2;
      r += load<f32>(a + o) * load<f32>(x + o);
    }
    const yo = y + (<usize>i << 2);
    store<f32>(yo, beta == 0 ? alpha * r : alpha * r + beta * load<f32>(yo));
  }
}
