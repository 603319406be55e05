// Checksum kernel (owned by src/kernels/checksum.ts, which defines the algorithm and holds the plain-TS
// reference): the stripe loop of WLSUM32, a 32-lane XXH32 — 128-byte stripes, u32 word j of a stripe goes to
// lane j, each lane does XXH32's round acc = rotl(acc + w·P2, 13)·P1. Eight v128 accumulators (lanes 0–3,
// 4–7, …) are eight independent dependency chains, which is what makes it ~4× faster than XXH32's four lanes.
// Same memory rule as the other files here: no `new`, no arrays, no static mutable data.

const P1: i32 = <i32>2654435761;
const P2: i32 = <i32>2246822519;

// @ts-ignore: decorator
@inline function round(acc: v128, x: v128, p1: v128, p2: v128): v128 {
  acc = i32x4.add(acc, i32x4.mul(x, p2));
  acc = v128.or(i32x4.shl(acc, 13), i32x4.shr_u(acc, 19));
  return i32x4.mul(acc, p1);
}

/** Fold the n bytes at p (n a multiple of 128) into the 32 u32 lanes at st. */
export function wlsumStripes(p: usize, n: usize, st: usize): void {
  let a = v128.load(st), b = v128.load(st, 16), c = v128.load(st, 32), d = v128.load(st, 48);
  let e = v128.load(st, 64), f = v128.load(st, 80), g = v128.load(st, 96), h = v128.load(st, 112);
  const p1 = i32x4.splat(P1), p2 = i32x4.splat(P2);
  const end = p + n;
  while (p < end) {
    a = round(a, v128.load(p), p1, p2); b = round(b, v128.load(p, 16), p1, p2);
    c = round(c, v128.load(p, 32), p1, p2); d = round(d, v128.load(p, 48), p1, p2);
    e = round(e, v128.load(p, 64), p1, p2); f = round(f, v128.load(p, 80), p1, p2);
    g = round(g, v128.load(p, 96), p1, p2); h = round(h, v128.load(p, 112), p1, p2);
    p += 128;
  }
  v128.store(st, a); v128.store(st, b, 16); v128.store(st, c, 32); v128.store(st, d, 48);
  v128.store(st, e, 64); v128.store(st, f, 80); v128.store(st, g, 96); v128.store(st, h, 112);
}
