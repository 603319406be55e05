// SGEMM for wordloom: C = alpha·op(A)·op(B) + beta·C, row-major, all four transpose combinations,
// arbitrary sizes and leading dimensions (in elements). Pointers are byte offsets in linear memory.
//
// Structure (GotoBLAS / BLIS): the K dimension is split into blocks of ≤ KC, N into blocks of ≤ NC.
// For each (jc, pc) block, B is packed into NR-wide column micro-panels (kc×NR, contiguous), then for
// each MC-row block A is packed into MR-tall row micro-panels (kc×MR, contiguous); a register-blocked
// MR×NR micro-kernel multiplies one A micro-panel by one B micro-panel, keeping the whole C tile in
// SIMD registers. Packing zero-pads edge panels, so the micro-kernel always runs full tiles; edge tiles
// go through a small scratch tile and are merged into C with scalar code. Packing handles the
// transposes (with 4×4 SIMD transposes where the source is strided), so the micro-kernel is the same
// for every layout. Products with fewer than 4 rows (inference with batch 1) skip packing B
// (gemmSmallM below).
//
// Micro-kernels (measured on Node 20 / V8 11.3, Zen 5, kc = 256 with the panels in L1; the single-thread
// 128-bit FMA peak there is 67 GFLOP/s, bench/fma-peak.bench.ts):
//   relaxed build: 6×8 (12 accumulators + 2 B vectors + 1 broadcast = 15 of V8's 15 allocatable XMM
//     registers) 64 GFLOP/s = 96% of peak; 4×8 59 GFLOP/s = 88% (8 accumulators cannot hide the 4-cycle
//     FMA latency at 2 FMAs per cycle).
//   plain SIMD build: 5×8 (mul + add needs a temporary register, so 6×8 spills and drops to 33 GFLOP/s)
//     57 GFLOP/s; 4×8 50 GFLOP/s.
// MR is the tall tile of the build; the last row panel of a product, when it has ≤ 4 rows, is packed 4 wide and
// runs the 4×8 kernel (M = 64 → ten 6-row tiles + one 4-row tile, no wasted rows). Every tile computes each C
// element with the same FMA sequence, so results do not depend on the tiling (threads stay bit-identical).
//
// Reference: K. Goto and R. van de Geijn, "Anatomy of high-performance matrix multiplication",
// ACM TOMS 34(3), 2008; F. Van Zee and R. van de Geijn, "BLIS: A framework for rapidly instantiating
// BLAS functionality", ACM TOMS 41(3), 2015.
import { madd } from './simd';

const NR: i32 = 8;
const MR: i32 = ASC_FEATURE_RELAXED_SIMD ? 6 : 5;
/** Products with at most this many rows read a non-transposed B in place instead of packing it (measured: in place
 * is 3–11% faster up to M = 256 on the bench shapes, packing wins for M = 6400). */
const DIRECT_B_MAX_M: i32 = 256;
/** Products with fewer rows than this skip packing (gemmSmallM). */
const SMALL_M: i32 = 4;
const KC: i32 = 256;
const MC: i32 = MR * 20; // A block: MC×KC floats (≤ 120 KB) stays in L2
const NC: i32 = 2048;

/** Rows of the (full) micro-kernel tile in this build. */
export function gemmMR(): i32 {
  return MR;
}

/** Bytes of workspace one sgemm call (one thread) needs: packed B block, packed A block, one tile. */
export function gemmWorkspaceBytes(): i32 {
  return (KC * NC + MC * KC + MR * NR) * 4 + 64;
}

// Register discipline of the micro-kernels (V8 11.3, x64: 15 allocatable XMM registers). The accumulators start
// from C (or zero when overwriting) and the epilogue only stores them: any floating-point work after the loop
// (e.g. multiplying by alpha, or adding the old C) made V8 hoist the loop's broadcast loads and spill four of
// the 6×8 kernel's accumulators, halving its speed. So alpha is folded into the packed A panel (BLIS does the
// same), and a float alpha parameter never lives across the loop.

// @ts-ignore: decorator
@inline function acc0(c: usize, off: usize, overwrite: bool): v128 {
  return overwrite ? f32x4.splat(0) : v128.load(c + off);
}

/**
 * 4×8 micro-kernel: C[0..4, 0..8] = (overwrite ? 0 : C) + Apanel(kc×4) · Bpanel(kc×8); ldcb in bytes; the B
 * panel's rows of 8 floats are bs bytes apart (32 when packed, the row stride of B when read in place).
 * 8 accumulators + 2 B vectors + 1 broadcast A value. Kept as a separate (not inlined) function so V8's
 * register allocator sees only this loop.
 */
function kernel4x8(kc: i32, a: usize, b: usize, bs: usize, c: usize, ldcb: usize, overwrite: bool): void {
  const r1 = c + ldcb, r2 = r1 + ldcb, r3 = r2 + ldcb;
  let c00 = acc0(c, 0, overwrite), c01 = acc0(c, 16, overwrite), c10 = acc0(r1, 0, overwrite), c11 = acc0(r1, 16, overwrite);
  let c20 = acc0(r2, 0, overwrite), c21 = acc0(r2, 16, overwrite), c30 = acc0(r3, 0, overwrite), c31 = acc0(r3, 16, overwrite);
  for (let p = 0; p < kc; p++) {
    const b0 = v128.load(b);
    const b1 = v128.load(b, 16);
    let av = v128.load32_splat(a);
    c00 = madd(av, b0, c00); c01 = madd(av, b1, c01);
    av = v128.load32_splat(a, 4);
    c10 = madd(av, b0, c10); c11 = madd(av, b1, c11);
    av = v128.load32_splat(a, 8);
    c20 = madd(av, b0, c20); c21 = madd(av, b1, c21);
    av = v128.load32_splat(a, 12);
    c30 = madd(av, b0, c30); c31 = madd(av, b1, c31);
    a += 16;
    b += bs;
  }
  v128.store(c, c00); v128.store(c, c01, 16);
  v128.store(r1, c10); v128.store(r1, c11, 16);
  v128.store(r2, c20); v128.store(r2, c21, 16);
  v128.store(r3, c30); v128.store(r3, c31, 16);
}

/** 5×8 micro-kernel (plain SIMD build): 10 accumulators. Same contract as kernel4x8 with a kc×5 A panel. */
function kernel5x8(kc: i32, a: usize, b: usize, bs: usize, c: usize, ldcb: usize, overwrite: bool): void {
  const r1 = c + ldcb, r2 = r1 + ldcb, r3 = r2 + ldcb, r4 = r3 + ldcb;
  let c00 = acc0(c, 0, overwrite), c01 = acc0(c, 16, overwrite), c10 = acc0(r1, 0, overwrite), c11 = acc0(r1, 16, overwrite);
  let c20 = acc0(r2, 0, overwrite), c21 = acc0(r2, 16, overwrite), c30 = acc0(r3, 0, overwrite), c31 = acc0(r3, 16, overwrite);
  let c40 = acc0(r4, 0, overwrite), c41 = acc0(r4, 16, overwrite);
  for (let p = 0; p < kc; p++) {
    const b0 = v128.load(b);
    const b1 = v128.load(b, 16);
    let av = v128.load32_splat(a);
    c00 = madd(av, b0, c00); c01 = madd(av, b1, c01);
    av = v128.load32_splat(a, 4);
    c10 = madd(av, b0, c10); c11 = madd(av, b1, c11);
    av = v128.load32_splat(a, 8);
    c20 = madd(av, b0, c20); c21 = madd(av, b1, c21);
    av = v128.load32_splat(a, 12);
    c30 = madd(av, b0, c30); c31 = madd(av, b1, c31);
    av = v128.load32_splat(a, 16);
    c40 = madd(av, b0, c40); c41 = madd(av, b1, c41);
    a += 20;
    b += bs;
  }
  v128.store(c, c00); v128.store(c, c01, 16);
  v128.store(r1, c10); v128.store(r1, c11, 16);
  v128.store(r2, c20); v128.store(r2, c21, 16);
  v128.store(r3, c30); v128.store(r3, c31, 16);
  v128.store(r4, c40); v128.store(r4, c41, 16);
}

/** 6×8 micro-kernel (relaxed build): 12 accumulators. Same contract as kernel4x8 with a kc×6 A panel. */
function kernel6x8(kc: i32, a: usize, b: usize, bs: usize, c: usize, ldcb: usize, overwrite: bool): void {
  const r1 = c + ldcb, r2 = r1 + ldcb, r3 = r2 + ldcb, r4 = r3 + ldcb, r5 = r4 + ldcb;
  let c00 = acc0(c, 0, overwrite), c01 = acc0(c, 16, overwrite), c10 = acc0(r1, 0, overwrite), c11 = acc0(r1, 16, overwrite);
  let c20 = acc0(r2, 0, overwrite), c21 = acc0(r2, 16, overwrite), c30 = acc0(r3, 0, overwrite), c31 = acc0(r3, 16, overwrite);
  let c40 = acc0(r4, 0, overwrite), c41 = acc0(r4, 16, overwrite), c50 = acc0(r5, 0, overwrite), c51 = acc0(r5, 16, overwrite);
  for (let p = 0; p < kc; p++) {
    const b0 = v128.load(b);
    const b1 = v128.load(b, 16);
    let av = v128.load32_splat(a);
    c00 = madd(av, b0, c00); c01 = madd(av, b1, c01);
    av = v128.load32_splat(a, 4);
    c10 = madd(av, b0, c10); c11 = madd(av, b1, c11);
    av = v128.load32_splat(a, 8);
    c20 = madd(av, b0, c20); c21 = madd(av, b1, c21);
    av = v128.load32_splat(a, 12);
    c30 = madd(av, b0, c30); c31 = madd(av, b1, c31);
    av = v128.load32_splat(a, 16);
    c40 = madd(av, b0, c40); c41 = madd(av, b1, c41);
    av = v128.load32_splat(a, 20);
    c50 = madd(av, b0, c50); c51 = madd(av, b1, c51);
    a += 24;
    b += bs;
  }
  v128.store(c, c00); v128.store(c, c01, 16);
  v128.store(r1, c10); v128.store(r1, c11, 16);
  v128.store(r2, c20); v128.store(r2, c21, 16);
  v128.store(r3, c30); v128.store(r3, c31, 16);
  v128.store(r4, c40); v128.store(r4, c41, 16);
  v128.store(r5, c50); v128.store(r5, c51, 16);
}

/** Micro-kernel for an A panel of width w (4 or MR). */
// @ts-ignore: decorator
@inline function micro(w: i32, kc: i32, a: usize, b: usize, bs: usize, c: usize, ldcb: usize, overwrite: bool): void {
  if (w == 4) kernel4x8(kc, a, b, bs, c, ldcb, overwrite);
  else if (MR == 6) kernel6x8(kc, a, b, bs, c, ldcb, overwrite);
  else kernel5x8(kc, a, b, bs, c, ldcb, overwrite);
}

/** Width of the packed A panel for a row panel with mr valid rows: MR, or 4 for a last panel of ≤ 4 rows. */
// @ts-ignore: decorator
@inline function panelWidth(mr: i32): i32 {
  return mr <= 4 ? 4 : MR;
}

/**
 * Pack rows [i0, i0+mc) × cols [p0, p0+kc) of op(A) into row micro-panels at dst: panel ir (a multiple of MR)
 * starts at dst + ir·kc floats and holds kc groups of w = panelWidth(rows) values (rows beyond M are zero).
 */
function packA(transA: i32, A: usize, lda: i32, i0: i32, p0: i32, mc: i32, kc: i32, dst: usize, alpha: f32): void {
  packARaw(transA, A, lda, i0, p0, mc, kc, dst);
  if (alpha == 1) return;
  // alpha·op(A): the micro-kernels only accumulate (see the note above kernel4x8). Panels are MR·kc floats
  // apart; the last one may be 4 wide — scaling a few floats of unused space beyond it is harmless.
  const n = <usize>(((mc + MR - 1) / MR) * MR) * <usize>kc;
  const va = f32x4.splat(alpha);
  for (let i: usize = 0; i < n; i += 4) { const o = dst + (i << 2); v128.store(o, f32x4.mul(va, v128.load(o))); }
}

function packARaw(transA: i32, A: usize, lda: i32, i0: i32, p0: i32, mc: i32, kc: i32, dst: usize): void {
  const ldab = <usize>lda << 2;
  for (let ir = 0; ir < mc; ir += MR) {
    const mr = min(MR, mc - ir);
    const w = panelWidth(mr);
    const wb = <usize>w << 2;
    const d = dst + ((<usize>ir * <usize>kc) << 2);
    if (transA) {
      // op(A)(i, p) = A[p·lda + i]: each p contributes w contiguous values.
      let src = A + ((<usize>p0 * <usize>lda + <usize>(i0 + ir)) << 2);
      if (mr == w) {
        for (let p = 0; p < kc; p++) {
          const o = d + <usize>p * wb;
          v128.store(o, v128.load(src));
          for (let r = 4; r < w; r++) store<f32>(o + (<usize>r << 2), load<f32>(src + (<usize>r << 2)));
          src += ldab;
        }
      } else {
        for (let p = 0; p < kc; p++) {
          const o = d + <usize>p * wb;
          for (let r = 0; r < w; r++) store<f32>(o + (<usize>r << 2), r < mr ? load<f32>(src + (<usize>r << 2)) : 0);
          src += ldab;
        }
      }
    } else {
      // op(A)(i, p) = A[i·lda + p]: rows are contiguous in p; transpose 4 rows × 4 p's at a time (rows 4.. scalar).
      const s0 = A + ((<usize>(i0 + ir) * <usize>lda + <usize>p0) << 2);
      if (mr == w) {
        const s1 = s0 + ldab, s2 = s1 + ldab, s3 = s2 + ldab;
        let p = 0;
        for (; p + 4 <= kc; p += 4) {
          const po = <usize>p << 2;
          const r0 = v128.load(s0 + po), r1 = v128.load(s1 + po), r2 = v128.load(s2 + po), r3 = v128.load(s3 + po);
          const t0 = f32x4.shuffle(r0, r1, 0, 4, 1, 5), t1 = f32x4.shuffle(r0, r1, 2, 6, 3, 7);
          const t2 = f32x4.shuffle(r2, r3, 0, 4, 1, 5), t3 = f32x4.shuffle(r2, r3, 2, 6, 3, 7);
          const o = d + <usize>p * wb;
          v128.store(o, f32x4.shuffle(t0, t2, 0, 1, 4, 5));
          v128.store(o + wb, f32x4.shuffle(t0, t2, 2, 3, 6, 7));
          v128.store(o + 2 * wb, f32x4.shuffle(t1, t3, 0, 1, 4, 5));
          v128.store(o + 3 * wb, f32x4.shuffle(t1, t3, 2, 3, 6, 7));
          for (let r = 4; r < w; r++) {
            const x = v128.load(s0 + <usize>r * ldab + po), ro = o + (<usize>r << 2);
            store<f32>(ro, f32x4.extract_lane(x, 0));
            store<f32>(ro + wb, f32x4.extract_lane(x, 1));
            store<f32>(ro + 2 * wb, f32x4.extract_lane(x, 2));
            store<f32>(ro + 3 * wb, f32x4.extract_lane(x, 3));
          }
        }
        for (; p < kc; p++) {
          const o = d + <usize>p * wb;
          const po = <usize>p << 2;
          for (let r = 0; r < w; r++) store<f32>(o + (<usize>r << 2), load<f32>(s0 + <usize>r * ldab + po));
        }
      } else {
        for (let p = 0; p < kc; p++) {
          const o = d + <usize>p * wb;
          const po = <usize>p << 2;
          for (let r = 0; r < w; r++) store<f32>(o + (<usize>r << 2), r < mr ? load<f32>(s0 + <usize>r * ldab + po) : 0);
        }
      }
    }
  }
}

/** Pack rows [p0, p0+kc) × cols [j0, j0+nc) of op(B) into NR-column micro-panels at dst. */
function packB(transB: i32, B: usize, ldb: i32, p0: i32, j0: i32, kc: i32, nc: i32, dst: usize): void {
  const ldbb = <usize>ldb << 2;
  for (let jr = 0; jr < nc; jr += NR) {
    const nr = min(NR, nc - jr);
    const d = dst + ((<usize>jr * <usize>kc) << 2);
    if (!transB) {
      // op(B)(p, j) = B[p·ldb + j]: copy 8 contiguous values per p.
      let src = B + ((<usize>p0 * <usize>ldb + <usize>(j0 + jr)) << 2);
      if (nr == NR) {
        for (let p = 0; p < kc; p++) {
          const o = d + (<usize>p << 5);
          v128.store(o, v128.load(src));
          v128.store(o, v128.load(src, 16), 16);
          src += ldbb;
        }
      } else {
        for (let p = 0; p < kc; p++) {
          const o = d + (<usize>p << 5);
          for (let j = 0; j < NR; j++) store<f32>(o + (<usize>j << 2), j < nr ? load<f32>(src + (<usize>j << 2)) : 0);
          src += ldbb;
        }
      }
    } else {
      // op(B)(p, j) = B[j·ldb + p]: 8 rows of B, contiguous in p; two 4×4 transposes per 4 p's.
      const s0 = B + ((<usize>(j0 + jr) * <usize>ldb + <usize>p0) << 2);
      if (nr == NR) {
        const s1 = s0 + ldbb, s2 = s1 + ldbb, s3 = s2 + ldbb, s4 = s3 + ldbb, s5 = s4 + ldbb, s6 = s5 + ldbb, s7 = s6 + ldbb;
        let p = 0;
        for (; p + 4 <= kc; p += 4) {
          const po = <usize>p << 2;
          const o = d + (<usize>p << 5);
          let r0 = v128.load(s0 + po), r1 = v128.load(s1 + po), r2 = v128.load(s2 + po), r3 = v128.load(s3 + po);
          let t0 = f32x4.shuffle(r0, r1, 0, 4, 1, 5), t1 = f32x4.shuffle(r0, r1, 2, 6, 3, 7);
          let t2 = f32x4.shuffle(r2, r3, 0, 4, 1, 5), t3 = f32x4.shuffle(r2, r3, 2, 6, 3, 7);
          v128.store(o, f32x4.shuffle(t0, t2, 0, 1, 4, 5));
          v128.store(o, f32x4.shuffle(t0, t2, 2, 3, 6, 7), 32);
          v128.store(o, f32x4.shuffle(t1, t3, 0, 1, 4, 5), 64);
          v128.store(o, f32x4.shuffle(t1, t3, 2, 3, 6, 7), 96);
          r0 = v128.load(s4 + po); r1 = v128.load(s5 + po); r2 = v128.load(s6 + po); r3 = v128.load(s7 + po);
          t0 = f32x4.shuffle(r0, r1, 0, 4, 1, 5); t1 = f32x4.shuffle(r0, r1, 2, 6, 3, 7);
          t2 = f32x4.shuffle(r2, r3, 0, 4, 1, 5); t3 = f32x4.shuffle(r2, r3, 2, 6, 3, 7);
          v128.store(o, f32x4.shuffle(t0, t2, 0, 1, 4, 5), 16);
          v128.store(o, f32x4.shuffle(t0, t2, 2, 3, 6, 7), 48);
          v128.store(o, f32x4.shuffle(t1, t3, 0, 1, 4, 5), 80);
          v128.store(o, f32x4.shuffle(t1, t3, 2, 3, 6, 7), 112);
        }
        for (; p < kc; p++) {
          const o = d + (<usize>p << 5);
          const po = <usize>p << 2;
          for (let j = 0; j < NR; j++) store<f32>(o + (<usize>j << 2), load<f32>(s0 + <usize>j * ldbb + po));
        }
      } else {
        for (let p = 0; p < kc; p++) {
          const o = d + (<usize>p << 5);
          const po = <usize>p << 2;
          for (let j = 0; j < NR; j++) store<f32>(o + (<usize>j << 2), j < nr ? load<f32>(s0 + <usize>j * ldbb + po) : 0);
        }
      }
    }
  }
}

/** C (M×N, row stride ldc) *= beta; beta = 0 writes zeros (no NaN propagation). */
export function scaleMatrix(M: i32, N: i32, beta: f32, C: usize, ldc: i32): void {
  const ldcb = <usize>ldc << 2;
  const vb = f32x4.splat(beta);
  for (let i = 0; i < M; i++) {
    const row = C + <usize>i * ldcb;
    let j = 0;
    if (beta == 0) {
      for (; j + 4 <= N; j += 4) v128.store(row + (<usize>j << 2), f32x4.splat(0));
      for (; j < N; j++) store<f32>(row + (<usize>j << 2), 0);
    } else {
      for (; j + 4 <= N; j += 4) { const o = row + (<usize>j << 2); v128.store(o, f32x4.mul(v128.load(o), vb)); }
      for (; j < N; j++) { const o = row + (<usize>j << 2); store<f32>(o, load<f32>(o) * beta); }
    }
  }
}

/**
 * Few-row product (M < SMALL_M = 4, e.g. inference with batch 1): no B packing, since B would be used by fewer than
 * 4 rows. op(A) rows are first copied to the workspace (row i contiguous, K floats); then
 * !transB: each C row is accumulated 16 columns at a time while streaming down the rows of B;
 * transB: each C element is a SIMD dot product of an A row with a (contiguous) row of B.
 */
function gemmSmallM(transA: i32, transB: i32, M: i32, N: i32, K: i32, alpha: f32, A: usize, lda: i32,
  B: usize, ldb: i32, beta: f32, C: usize, ldc: i32, ws: usize): void {
  const ar = (ws + 63) & ~(<usize>63);
  const kb = <usize>K << 2, ldab = <usize>lda << 2, ldbb = <usize>ldb << 2, ldcb = <usize>ldc << 2;
  for (let i = 0; i < M; i++) {
    const dst = ar + <usize>i * kb;
    if (transA) {
      for (let p = 0; p < K; p++) store<f32>(dst + (<usize>p << 2), load<f32>(A + <usize>p * ldab + (<usize>i << 2)));
    } else {
      memory.copy(dst, A + <usize>i * ldab, kb);
    }
  }
  const va = f32x4.splat(alpha), vb = f32x4.splat(beta);
  for (let i = 0; i < M; i++) {
    const arow = ar + <usize>i * kb;
    const crow = C + <usize>i * ldcb;
    if (!transB) {
      let j = 0;
      for (; j + 16 <= N; j += 16) {
        let a0 = f32x4.splat(0), a1 = a0, a2 = a0, a3 = a0;
        let bp = B + (<usize>j << 2);
        for (let p = 0; p < K; p++) {
          const av = v128.load32_splat(arow + (<usize>p << 2));
          a0 = madd(av, v128.load(bp), a0);
          a1 = madd(av, v128.load(bp, 16), a1);
          a2 = madd(av, v128.load(bp, 32), a2);
          a3 = madd(av, v128.load(bp, 48), a3);
          bp += ldbb;
        }
        const o = crow + (<usize>j << 2);
        if (beta == 0) {
          v128.store(o, f32x4.mul(va, a0)); v128.store(o, f32x4.mul(va, a1), 16);
          v128.store(o, f32x4.mul(va, a2), 32); v128.store(o, f32x4.mul(va, a3), 48);
        } else {
          v128.store(o, madd(va, a0, f32x4.mul(vb, v128.load(o))));
          v128.store(o, madd(va, a1, f32x4.mul(vb, v128.load(o, 16))), 16);
          v128.store(o, madd(va, a2, f32x4.mul(vb, v128.load(o, 32))), 32);
          v128.store(o, madd(va, a3, f32x4.mul(vb, v128.load(o, 48))), 48);
        }
      }
      for (; j + 4 <= N; j += 4) {
        let a0 = f32x4.splat(0);
        let bp = B + (<usize>j << 2);
        for (let p = 0; p < K; p++) {
          a0 = madd(v128.load32_splat(arow + (<usize>p << 2)), v128.load(bp), a0);
          bp += ldbb;
        }
        const o = crow + (<usize>j << 2);
        v128.store(o, beta == 0 ? f32x4.mul(va, a0) : madd(va, a0, f32x4.mul(vb, v128.load(o))));
      }
      for (; j < N; j++) {
        let acc: f32 = 0;
        let bp = B + (<usize>j << 2);
        for (let p = 0; p < K; p++) {
          acc += load<f32>(arow + (<usize>p << 2)) * load<f32>(bp);
          bp += ldbb;
        }
        const o = crow + (<usize>j << 2);
        store<f32>(o, beta == 0 ? alpha * acc : alpha * acc + beta * load<f32>(o));
      }
    } else {
      for (let j = 0; j < N; j++) {
        const brow = B + <usize>j * ldbb;
        let s0 = f32x4.splat(0), s1 = s0;
        let p = 0;
        for (; p + 8 <= K; p += 8) {
          const o = <usize>p << 2;
          s0 = madd(v128.load(arow + o), v128.load(brow + o), s0);
          s1 = madd(v128.load(arow + o, 16), v128.load(brow + o, 16), s1);
        }
        for (; p + 4 <= K; p += 4) {
          const o = <usize>p << 2;
          s0 = madd(v128.load(arow + o), v128.load(brow + o), s0);
        }
        const sv = f32x4.add(s0, s1);
        let acc: f32 = (f32x4.extract_lane(sv, 0) + f32x4.extract_lane(sv, 1)) + (f32x4.extract_lane(sv, 2) + f32x4.extract_lane(sv, 3));
        for (; p < K; p++) acc += load<f32>(arow + (<usize>p << 2)) * load<f32>(brow + (<usize>p << 2));
        const o = crow + (<usize>j << 2);
        store<f32>(o, beta == 0 ? alpha * acc : alpha * acc + beta * load<f32>(o));
      }
    }
  }
}

/**
 * C = alpha·op(A)·op(B) + beta·C. op(A) is M×K, op(B) is K×N, C is M×N; transA/transB are 0 or 1;
 * lda/ldb/ldc are row strides in elements; ws points to gemmWorkspaceBytes() bytes of scratch
 * (one workspace per concurrently running call).
 */
export function sgemm(transA: i32, transB: i32, M: i32, N: i32, K: i32, alpha: f32, A: usize, lda: i32,
  B: usize, ldb: i32, beta: f32, C: usize, ldc: i32, ws: usize): void {
  if (M <= 0 || N <= 0) return;
  if (alpha == 0 || K <= 0) {
    if (beta != 1) scaleMatrix(M, N, beta, C, ldc);
    return;
  }
  if (M < SMALL_M && K <= KC * NC / SMALL_M) {
    gemmSmallM(transA, transB, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc, ws);
    return;
  }
  if (beta != 0 && beta != 1) scaleMatrix(M, N, beta, C, ldc);
  const overwriteFirst = beta == 0;
  const bp = (ws + 63) & ~(<usize>63);
  const ap = bp + (<usize>(KC * NC) << 2);
  const tmp = ap + (<usize>(MC * KC) << 2);
  const ldcb = <usize>ldc << 2, ldbb = <usize>ldb << 2;
  const nkb = (K + KC - 1) / KC;
  const kcb = (K + nkb - 1) / nkb;
  for (let jc = 0; jc < N; jc += NC) {
    const nc = min(NC, N - jc);
    for (let pc = 0; pc < K; pc += kcb) {
      const kc = min(kcb, K - pc);
      // A non-transposed B is read in place when few rows share it (packing would cost more than it saves);
      // only a last panel narrower than NR is packed (zero-padded). Not when B's rows are a multiple of 4 KiB
      // apart: they would all fall into the same L1 set (64×512×2048 ran 15% slower in place).
      const direct = !transB && M <= DIRECT_B_MAX_M && (ldb & 1023) != 0;
      if (!direct) packB(transB, B, ldb, pc, jc, kc, nc, bp);
      else if (nc % NR != 0) packB(transB, B, ldb, pc, jc + nc - nc % NR, kc, nc % NR, bp);
      const ow = overwriteFirst && pc == 0;
      for (let ic = 0; ic < M; ic += MC) {
        const mc = min(MC, M - ic);
        packA(transA, A, lda, ic, pc, mc, kc, ap, alpha);
        for (let jr = 0; jr < nc; jr += NR) {
          const nr = min(NR, nc - jr);
          const inPlace = direct && nr == NR;
          const bpan = inPlace ? B + ((<usize>pc * <usize>ldb + <usize>(jc + jr)) << 2) : direct ? bp : bp + ((<usize>jr * <usize>kc) << 2);
          const bs: usize = inPlace ? ldbb : <usize>NR << 2;
          for (let ir = 0; ir < mc; ir += MR) {
            const mr = min(MR, mc - ir);
            const w = panelWidth(mr);
            const apan = ap + ((<usize>ir * <usize>kc) << 2);
            const cp = C + <usize>(ic + ir) * ldcb + (<usize>(jc + jr) << 2);
            if (mr == w && nr == NR) {
              micro(w, kc, apan, bpan, bs, cp, ldcb, ow);
            } else {
              // Edge tile: through the scratch tile (C's valid part copied in when accumulating, so every
              // element of C sees the same operations as in a full tile).
              if (!ow) {
                for (let i = 0; i < w; i++) {
                  const crow = cp + <usize>i * ldcb;
                  const trow = tmp + (<usize>(i * NR) << 2);
                  for (let j = 0; j < NR; j++) store<f32>(trow + (<usize>j << 2), i < mr && j < nr ? load<f32>(crow + (<usize>j << 2)) : 0);
                }
              }
              micro(w, kc, apan, bpan, bs, tmp, <usize>NR << 2, ow);
              for (let i = 0; i < mr; i++) {
                const crow = cp + <usize>i * ldcb;
                const trow = tmp + (<usize>(i * NR) << 2);
                for (let j = 0; j < nr; j++) store<f32>(crow + (<usize>j << 2), load<f32>(trow + (<usize>j << 2)));
              }
            }
          }
        }
      }
    }
  }
}
