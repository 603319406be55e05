// Shared SIMD helpers for the AssemblyScript kernels: a multiply-add that is `f32x4.relaxed_madd`
// (one fused instruction where the CPU has FMA) in the relaxed build and `mul` + `add` in the plain
// SIMD build. The build switch is AssemblyScript's ASC_FEATURE_RELAXED_SIMD constant, set by
// `--enable relaxed-simd` in scripts/build-wasm.mjs.
//
// Memory rule for every AssemblyScript file in this folder: no `new`, no arrays, no static mutable
// data — all memory is managed by the JS allocator in src/kernels/wasm/loader.ts (the same module is
// instantiated in several threads on one shared memory).

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
