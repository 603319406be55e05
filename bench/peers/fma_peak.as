// AssemblyScript source of the WASM FMA-throughput probe used by bench/fma-peak.bench.ts (compiled there with asc,
// once with relaxed SIMD — f32x4.relaxed_madd, one FMA instruction — and once without: f32x4.mul + f32x4.add).
// peakN runs `iters` iterations of N independent multiply-adds on f32x4 vectors (N accumulators, so the FMA
// latency is hidden and only the issue rate limits); FLOPs = iters · N · 4 lanes · 2.
// The operands are function parameters, so the optimizer cannot fold the loop away.

// @ts-ignore: decorator
@inline function madd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(f32x4.mul(a, b), c);
}

export function peak8(iters: i32, x: f32, y: f32): f32 {
  const a = f32x4.splat(x), b = f32x4.splat(y);
  let c0 = f32x4.splat(0), c1 = c0, c2 = c0, c3 = c0, c4 = c0, c5 = c0, c6 = c0, c7 = c0;
  for (let i = 0; i < iters; i++) {
    c0 = madd(a, b, c0); c1 = madd(a, b, c1); c2 = madd(a, b, c2); c3 = madd(a, b, c3);
    c4 = madd(a, b, c4); c5 = madd(a, b, c5); c6 = madd(a, b, c6); c7 = madd(a, b, c7);
  }
  const s = f32x4.add(f32x4.add(f32x4.add(c0, c1), f32x4.add(c2, c3)), f32x4.add(f32x4.add(c4, c5), f32x4.add(c6, c7)));
  return f32x4.extract_lane(s, 0);
}

export function peak12(iters: i32, x: f32, y: f32): f32 {
  const a = f32x4.splat(x), b = f32x4.splat(y);
  let c0 = f32x4.splat(0), c1 = c0, c2 = c0, c3 = c0, c4 = c0, c5 = c0, c6 = c0, c7 = c0, c8 = c0, c9 = c0, c10 = c0, c11 = c0;
  for (let i = 0; i < iters; i++) {
    c0 = madd(a, b, c0); c1 = madd(a, b, c1); c2 = madd(a, b, c2); c3 = madd(a, b, c3);
    c4 = madd(a, b, c4); c5 = madd(a, b, c5); c6 = madd(a, b, c6); c7 = madd(a, b, c7);
    c8 = madd(a, b, c8); c9 = madd(a, b, c9); c10 = madd(a, b, c10); c11 = madd(a, b, c11);
  }
  const s = f32x4.add(f32x4.add(f32x4.add(f32x4.add(c0, c1), f32x4.add(c2, c3)), f32x4.add(f32x4.add(c4, c5), f32x4.add(c6, c7))),
    f32x4.add(f32x4.add(c8, c9), f32x4.add(c10, c11)));
  return f32x4.extract_lane(s, 0);
}
