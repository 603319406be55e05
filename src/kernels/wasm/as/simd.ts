// Shared SIMD helpers for the AssemblyScript kernels: a multiply-add that is `f32x4.relaxed_madd`
// (one fused instruction where the CPU has FMA) in the relaxed build and `mul` + `add` in the plain
// SIMD build (the build switch is AssemblyScript's ASC_FEATURE_RELAXED_SIMD constant, set by
// `--enable relaxed-simd` in scripts/build-wasm.mjs), and vectorised exp / sigmoid / tanh.
//
// exp: Cephes-style range reduction x = n·ln2 + r (ln2 split in two for accuracy), a degree-5
// polynomial for e^r on [-ln2/2, ln2/2], and 2^n built in the exponent bits; ≈1e-7 relative error.
// tanh: Eigen's rational 13/6 approximation on [-7.9053, 7.9053] (max relative error measured
// 3.9e-7 against Math.tanh in float32 arithmetic); sigmoid = 1/(1+exp(-x)).
// Scalar versions (sigmoid1, tanh1) go through lane 0 of the vector ones, so SIMD bodies and scalar
// tails agree bit for bit.
// Reference: S. Moshier, Cephes Math Library (expf.c); Eigen, MathFunctionsImpl.h
// (generic_fast_tanh_float).
//
// Memory rule for every AssemblyScript file in this folder: no `new`, no arrays, no static mutable
// data (read-only tables via memory.data are fine) — all memory is managed by the JS allocator in
// src/kernels/wasm/loader.ts (the same module is instantiated in several threads on one shared memory).

/** a·b + c on four f32 lanes. */
// @ts-ignore: decorator
@inline export function madd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(f32x4.mul(a, b), c);
}

/** 1 when this module was compiled with relaxed SIMD, else 0. */
export function relaxedSimd(): i32 {
  return ASC_FEATURE_RELAXED_SIMD ? 1 : 0;
}

/** First free byte after the module's static data (the JS allocator starts above it). */
export function heapBase(): usize {
  return __heap_base;
}

// Coefficients of vexp / vtanh as read-only static data (see cf()). V8 11.3 materialises every v128.const
// with three instructions (movq imm64, vmovq, vpunpcklqdq) at each use — about 75 per LSTM cell column —
// while one v128.load32_splat from L1 is a single vbroadcastss. Clamps use pmin/pmax (one minps/maxps;
// the NaN-propagating f32x4.min/max take six instructions each on x64); a NaN input still gives NaN.
const MATHC: usize = memory.data<f32>([
  -87.3, 88.3, 1.44269504088896341, 0.693359375, -2.12194440e-4,                  // 0–4: exp range, log2(e), ln2 (hi, lo)
  1.9875691500e-4, 1.3981999507e-3, 8.3334519073e-3, 4.1665795894e-2, 1.6666665459e-1, 5.0000001201e-1, // 5–10: e^r
  1, 12582912.0,                                                                   // 11: one; 12: 1.5·2^23 (round-to-int magic)
  -7.90531110763549805, 7.90531110763549805,                                       // 13–14: tanh range
  -2.76076847742355e-16, 2.00018790482477e-13, -8.60467152213735e-11, 5.12229709037114e-08,
  1.48572235717979e-05, 6.37261928875436e-04, 4.89352455891786e-03,               // 15–21: tanh numerator
  1.19825839466702e-06, 1.18534705686654e-04, 2.26843463243900e-03, 4.89352518554385e-03, // 22–25: tanh denominator
]);
/** 127 − bits(1.5·2^23): added to the bits of (n + 1.5·2^23) it gives the biased exponent n + 127. */
const EXP_BIAS_FIX: usize = memory.data<i32>([127 - 0x4B400000]);

/** Coefficient k of MATHC splatted to four lanes (one vbroadcastss). */
// @ts-ignore: decorator
@inline function cf(k: i32): v128 {
  return v128.load32_splat(MATHC + (<usize>k << 2));
}

// @ts-ignore: decorator
@inline export function vexp(x: v128): v128 {
  x = f32x4.pmin(f32x4.pmax(x, cf(0)), cf(1));
  const fx = f32x4.nearest(f32x4.mul(x, cf(2)));
  let r = f32x4.sub(x, f32x4.mul(fx, cf(3)));
  r = f32x4.sub(r, f32x4.mul(fx, cf(4)));
  let p = cf(5);
  p = madd(p, r, cf(6));
  p = madd(p, r, cf(7));
  p = madd(p, r, cf(8));
  p = madd(p, r, cf(9));
  p = madd(p, r, cf(10));
  const y = f32x4.add(madd(p, f32x4.mul(r, r), r), cf(11));
  // 2^fx for the integer fx ∈ [−126, 127]: fx + 1.5·2^23 holds fx in its low mantissa bits (exact), so its
  // bit pattern + EXP_BIAS_FIX is fx + 127; shifted into the exponent field that is 2^fx.
  const e = i32x4.shl(i32x4.add(f32x4.add(fx, cf(12)), v128.load32_splat(EXP_BIAS_FIX)), 23);
  return f32x4.mul(y, e);
}

// @ts-ignore: decorator
@inline export function vsigmoid(x: v128): v128 {
  const one = cf(11);
  return f32x4.div(one, f32x4.add(one, vexp(f32x4.neg(x))));
}

// @ts-ignore: decorator
@inline export function vtanh(x: v128): v128 {
  x = f32x4.pmin(f32x4.pmax(x, cf(13)), cf(14));
  const x2 = f32x4.mul(x, x);
  let p = cf(15);
  p = madd(p, x2, cf(16));
  p = madd(p, x2, cf(17));
  p = madd(p, x2, cf(18));
  p = madd(p, x2, cf(19));
  p = madd(p, x2, cf(20));
  p = madd(p, x2, cf(21));
  p = f32x4.mul(p, x);
  let q = cf(22);
  q = madd(q, x2, cf(23));
  q = madd(q, x2, cf(24));
  q = madd(q, x2, cf(25));
  return f32x4.div(p, q);
}

// @ts-ignore: decorator
@inline export function sigmoid1(x: f32): f32 { return f32x4.extract_lane(vsigmoid(f32x4.splat(x)), 0); }
// @ts-ignore: decorator
@inline export function tanh1(x: f32): f32 { return f32x4.extract_lane(vtanh(f32x4.splat(x)), 0); }


/** Σ x[i]·y[i] over n floats at byte addresses x and y (float32, four f32x4 accumulators); inlined into callers. */
@inline export function dotRow(n: i32, x: usize, y: usize): f32 {
  let s0 = f32x4.splat(0), s1 = s0, s2 = s0, s3 = s0;
  let i = 0;
  for (; i + 16 <= n; i += 16) {
    const o = <usize>i << 2;
    s0 = madd(v128.load(x + o), v128.load(y + o), s0);
    s1 = madd(v128.load(x + o, 16), v128.load(y + o, 16), s1);
    s2 = madd(v128.load(x + o, 32), v128.load(y + o, 32), s2);
    s3 = madd(v128.load(x + o, 48), v128.load(y + o, 48), s3);
  }
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    s0 = madd(v128.load(x + o), v128.load(y + o), s0);
  }
  const s = f32x4.add(f32x4.add(s0, s1), f32x4.add(s2, s3));
  let r: f32 = f32x4.extract_lane(s, 0) + f32x4.extract_lane(s, 1) + f32x4.extract_lane(s, 2) + f32x4.extract_lane(s, 3);
  for (; i < n; i++) {
    const o = <usize>i << 2;
    r += load<f32>(x + o) * load<f32>(y + o);
  }
  return r;
}

/** Σ a[k]·b[k], k < n, with two f32x4 accumulators (the word2vec and GloVe inner loops; its summation order is part
 * of their bit-for-bit results, so it is kept apart from dotRow's four accumulators). */
// @ts-ignore: decorator
@inline export function dotv(a: usize, b: usize, n: i32): f32 {
  let s0 = f32x4.splat(0), s1 = f32x4.splat(0);
  let k = 0;
  for (; k + 8 <= n; k += 8) {
    const o = <usize>k << 2;
    s0 = madd(v128.load(a + o), v128.load(b + o), s0);
    s1 = madd(v128.load(a + o + 16), v128.load(b + o + 16), s1);
  }
  if (k + 4 <= n) { const o = <usize>k << 2; s0 = madd(v128.load(a + o), v128.load(b + o), s0); k += 4; }
  s0 = f32x4.add(s0, s1);
  let s = f32x4.extract_lane(s0, 0) + f32x4.extract_lane(s0, 1) + f32x4.extract_lane(s0, 2) + f32x4.extract_lane(s0, 3);
  for (; k < n; k++) s += load<f32>(a + (<usize>k << 2)) * load<f32>(b + (<usize>k << 2));
  return s;
}
