// Fused recurrent-cell pointwise kernels (LSTM gate order i, f, g, o; GRU z, r, h), the WASM versions of
// lstmCellForward/Backward and gruGates/Output Forward/Backward in src/kernels/reference.ts (semantics
// documented in src/kernels/types.ts). Each row b of the batch is processed 4 columns at a time with a
// scalar tail that goes through lane 0 of the same vector code. Pointers are byte offsets.
import { dotRow, vsigmoid, vtanh } from './simd';

// @ts-ignore: decorator
@inline function ld(p: usize, j: i32, full: bool): v128 {
  // Four lanes, or (scalar tail) one value in every lane, so the tail runs the same vector math.
  if (full) return v128.load(p + (<usize>j << 2));
  return f32x4.splat(load<f32>(p + (<usize>j << 2)));
}

// @ts-ignore: decorator
@inline function st(p: usize, j: i32, full: bool, v: v128): void {
  if (full) v128.store(p + (<usize>j << 2), v);
  else store<f32>(p + (<usize>j << 2), f32x4.extract_lane(v, 0));
}

// Each kernel below is a per-column body `xxxAt(..., j, full)` inlined twice: in the 4-wide loop (full = true)
// and in the scalar tail (full = false), so neither pays a per-load branch.

// @ts-ignore: decorator
@inline function lstmFwdAt(gi: usize, hb: usize, cp: usize, c: usize, tc: usize, h: usize, j: i32, full: bool): void {
  const gf = gi + hb, gg = gf + hb, go = gg + hb;
  const i = vsigmoid(ld(gi, j, full)), f = vsigmoid(ld(gf, j, full)), g = vtanh(ld(gg, j, full)), o = vsigmoid(ld(go, j, full));
  st(gi, j, full, i); st(gf, j, full, f); st(gg, j, full, g); st(go, j, full, o);
  const cv = f32x4.add(f32x4.mul(f, ld(cp, j, full)), f32x4.mul(i, g));
  const t = vtanh(cv);
  st(c, j, full, cv); st(tc, j, full, t); st(h, j, full, f32x4.mul(o, t));
}

/** LSTM forward, one step. G: B×4H (preactivations → activations, in place); c, tc, h: B×H out. */
export function lstmCellForward(B: i32, H: i32, G: usize, cPrev: usize, c: usize, tc: usize, h: usize): void {
  const hb = <usize>H << 2;
  for (let b = 0; b < B; b++) {
    const gi = G + <usize>b * 4 * hb, r = <usize>b * hb;
    let j = 0;
    for (; j + 4 <= H; j += 4) lstmFwdAt(gi, hb, cPrev + r, c + r, tc + r, h + r, j, true);
    for (; j < H; j++) lstmFwdAt(gi, hb, cPrev + r, c + r, tc + r, h + r, j, false);
  }
}

// @ts-ignore: decorator
@inline function lstmBwdAt(gi: usize, di: usize, hb: usize, cp: usize, tc: usize, dh: usize, dc: usize, j: i32, full: bool): void {
  const one = f32x4.splat(1);
  const gf = gi + hb, gg = gf + hb, go = gg + hb;
  const df = di + hb, dg = df + hb, dO = dg + hb;
  const i = ld(gi, j, full), f = ld(gf, j, full), g = ld(gg, j, full), o = ld(go, j, full);
  const t = ld(tc, j, full), d = ld(dh, j, full);
  const dct = f32x4.add(ld(dc, j, full), f32x4.mul(f32x4.mul(d, o), f32x4.sub(one, f32x4.mul(t, t))));
  st(di, j, full, f32x4.mul(f32x4.mul(f32x4.mul(dct, g), i), f32x4.sub(one, i)));
  st(df, j, full, f32x4.mul(f32x4.mul(f32x4.mul(dct, ld(cp, j, full)), f), f32x4.sub(one, f)));
  st(dg, j, full, f32x4.mul(f32x4.mul(dct, i), f32x4.sub(one, f32x4.mul(g, g))));
  st(dO, j, full, f32x4.mul(f32x4.mul(f32x4.mul(d, t), o), f32x4.sub(one, o)));
  st(dc, j, full, f32x4.mul(dct, f));
}

/** LSTM backward, one step (see types.ts): dG overwritten, dc in/out. */
export function lstmCellBackward(B: i32, H: i32, G: usize, cPrev: usize, tc: usize, dh: usize, dc: usize, dG: usize): void {
  const hb = <usize>H << 2;
  for (let b = 0; b < B; b++) {
    const g0 = <usize>b * 4 * hb, r = <usize>b * hb;
    let j = 0;
    for (; j + 4 <= H; j += 4) lstmBwdAt(G + g0, dG + g0, hb, cPrev + r, tc + r, dh + r, dc + r, j, true);
    for (; j < H; j++) lstmBwdAt(G + g0, dG + g0, hb, cPrev + r, tc + r, dh + r, dc + r, j, false);
  }
}

// @ts-ignore: decorator
@inline function gruGatesFwdAt(gz: usize, hb: usize, hp: usize, rh: usize, j: i32, full: bool): void {
  const gr = gz + hb;
  st(gz, j, full, vsigmoid(ld(gz, j, full)));
  const r = vsigmoid(ld(gr, j, full));
  st(gr, j, full, r);
  st(rh, j, full, f32x4.mul(r, ld(hp, j, full)));
}

/** GRU forward stage 1: z, r blocks of G → σ(·) in place; rh = r⊙hPrev. */
export function gruGatesForward(B: i32, H: i32, G: usize, hPrev: usize, rh: usize): void {
  const hb = <usize>H << 2;
  for (let b = 0; b < B; b++) {
    const gz = G + <usize>b * 3 * hb, r0 = <usize>b * hb;
    let j = 0;
    for (; j + 4 <= H; j += 4) gruGatesFwdAt(gz, hb, hPrev + r0, rh + r0, j, true);
    for (; j < H; j++) gruGatesFwdAt(gz, hb, hPrev + r0, rh + r0, j, false);
  }
}

// @ts-ignore: decorator
@inline function gruOutFwdAt(gz: usize, hb: usize, hPrev: usize, h: usize, j: i32, full: bool): void {
  const gh = gz + 2 * hb;
  const hh = vtanh(ld(gh, j, full));
  st(gh, j, full, hh);
  const hp = ld(hPrev, j, full);
  st(h, j, full, f32x4.add(hp, f32x4.mul(ld(gz, j, full), f32x4.sub(hh, hp))));
}

/** GRU forward stage 2: h block of G → ĥ = tanh(·) in place; h = hPrev + z⊙(ĥ − hPrev). */
export function gruOutputForward(B: i32, H: i32, G: usize, hPrev: usize, h: usize): void {
  const hb = <usize>H << 2;
  for (let b = 0; b < B; b++) {
    const gz = G + <usize>b * 3 * hb, r0 = <usize>b * hb;
    let j = 0;
    for (; j + 4 <= H; j += 4) gruOutFwdAt(gz, hb, hPrev + r0, h + r0, j, true);
    for (; j < H; j++) gruOutFwdAt(gz, hb, hPrev + r0, h + r0, j, false);
  }
}

// @ts-ignore: decorator
@inline function gruOutBwdAt(gz: usize, dz: usize, hb: usize, hPrev: usize, dh: usize, dhPrev: usize, j: i32, full: bool): void {
  const one = f32x4.splat(1);
  const gh = gz + 2 * hb, dhh = dz + 2 * hb;
  const z = ld(gz, j, full), hh = ld(gh, j, full), hp = ld(hPrev, j, full), d = ld(dh, j, full);
  st(dz, j, full, f32x4.mul(f32x4.mul(f32x4.mul(d, f32x4.sub(hh, hp)), z), f32x4.sub(one, z)));
  st(dhh, j, full, f32x4.mul(f32x4.mul(d, z), f32x4.sub(one, f32x4.mul(hh, hh))));
  st(dhPrev, j, full, f32x4.mul(d, f32x4.sub(one, z)));
}

/** GRU backward stage 1: dG z and h blocks and dhPrev overwritten. */
export function gruOutputBackward(B: i32, H: i32, G: usize, hPrev: usize, dh: usize, dG: usize, dhPrev: usize): void {
  const hb = <usize>H << 2;
  for (let b = 0; b < B; b++) {
    const g0 = <usize>b * 3 * hb, r0 = <usize>b * hb;
    let j = 0;
    for (; j + 4 <= H; j += 4) gruOutBwdAt(G + g0, dG + g0, hb, hPrev + r0, dh + r0, dhPrev + r0, j, true);
    for (; j < H; j++) gruOutBwdAt(G + g0, dG + g0, hb, hPrev + r0, dh + r0, dhPrev + r0, j, false);
  }
}

// @ts-ignore: decorator
@inline function gruGatesBwdAt(gr: usize, dr: usize, hPrev: usize, drh: usize, dhPrev: usize, j: i32, full: bool): void {
  const one = f32x4.splat(1);
  const r = ld(gr, j, full), d = ld(drh, j, full);
  st(dr, j, full, f32x4.mul(f32x4.mul(f32x4.mul(d, ld(hPrev, j, full)), r), f32x4.sub(one, r)));
  st(dhPrev, j, full, f32x4.add(ld(dhPrev, j, full), f32x4.mul(d, r)));
}

/** GRU backward stage 2: dG r block overwritten; dhPrev += drh⊙r. */
export function gruGatesBackward(B: i32, H: i32, G: usize, hPrev: usize, drh: usize, dG: usize, dhPrev: usize): void {
  const hb = <usize>H << 2;
  for (let b = 0; b < B; b++) {
    const g0 = <usize>b * 3 * hb, r0 = <usize>b * hb;
    const gr = G + g0 + hb, dr = dG + g0 + hb;
    let j = 0;
    for (; j + 4 <= H; j += 4) gruGatesBwdAt(gr, dr, hPrev + r0, drh + r0, dhPrev + r0, j, true);
    for (; j < H; j++) gruGatesBwdAt(gr, dr, hPrev + r0, drh + r0, dhPrev + r0, j, false);
  }
}

// @ts-ignore: decorator
@inline function adamAt(p: usize, g: usize, m: usize, v: usize, i: i32, full: bool, b1: v128, b2: v128, c1: v128, c2: v128,
  ve: v128, vs: v128, vb: v128, vl: v128, vd: v128): void {
  const pv = ld(p, i, full);
  const gi = f32x4.add(ld(g, i, full), f32x4.mul(vl, pv));
  const mi = f32x4.add(f32x4.mul(b1, ld(m, i, full)), f32x4.mul(c1, gi));
  const vi = f32x4.add(f32x4.mul(b2, ld(v, i, full)), f32x4.mul(c2, f32x4.mul(gi, gi)));
  st(m, i, full, mi); st(v, i, full, vi);
  const den = f32x4.add(f32x4.mul(f32x4.sqrt(vi), vb), ve);
  st(p, i, full, f32x4.sub(f32x4.mul(vd, pv), f32x4.div(f32x4.mul(vs, mi), den)));
}

/**
 * Adam/AdamW update in place (see types.ts): g' = g + l2·p; m = β1·m + (1−β1)·g'; v = β2·v + (1−β2)·g'²;
 * p = decay·p − stepSize·m / (√v·invSqrtBc2 + eps).
 * Reference: Kingma & Ba 2015, "Adam"; Loshchilov & Hutter 2019, "Decoupled weight decay" (AdamW).
 */
export function adamStep(n: i32, p: usize, g: usize, m: usize, v: usize, beta1: f32, beta2: f32, eps: f32,
  stepSize: f32, invSqrtBc2: f32, l2: f32, decay: f32): void {
  const b1 = f32x4.splat(beta1), b2 = f32x4.splat(beta2), c1 = f32x4.splat(1 - beta1), c2 = f32x4.splat(1 - beta2);
  const ve = f32x4.splat(eps), vs = f32x4.splat(stepSize), vb = f32x4.splat(invSqrtBc2), vl = f32x4.splat(l2), vd = f32x4.splat(decay);
  let i = 0;
  for (; i + 4 <= n; i += 4) adamAt(p, g, m, v, i, true, b1, b2, c1, c2, ve, vs, vb, vl, vd);
  for (; i < n; i++) adamAt(p, g, m, v, i, false, b1, b2, c1, c2, ve, vs, vb, vl, vd);
}

/**
 * y = alpha·op(A)·x + beta·y (BLAS sgemv, row-major A M×N with row stride lda). trans = 0: one dot product
 * per row (x has N entries, y M); trans = 1: y (N entries) += alpha·x[i]·A[i, :] row by row. beta = 0
 * overwrites y.
 */
export function sgemv(trans: i32, M: i32, N: i32, alpha: f32, A: usize, lda: i32, x: usize, beta: f32, y: usize): void {
  const ldab = <usize>lda << 2;
  if (!trans) {
    // One dotRow per row (rows are independent, so splitting rows over threads gives identical results).
    for (let i = 0; i < M; i++) {
      const s = dotRow(N, A + <usize>i * ldab, x);
      const yo = y + (<usize>i << 2);
      store<f32>(yo, beta == 0 ? alpha * s : alpha * s + beta * load<f32>(yo));
    }
    return;
  }
  // trans: scale y by beta, then row-wise axpy.
  if (beta != 1) {
    for (let j = 0; j < N; j++) {
      const o = y + (<usize>j << 2);
      store<f32>(o, beta == 0 ? 0 : load<f32>(o) * beta);
    }
  }
  for (let i = 0; i < M; i++) {
    const a: f32 = alpha * load<f32>(x + (<usize>i << 2));
    if (a == 0) continue;
    const row = A + <usize>i * ldab;
    const va = f32x4.splat(a);
    let j = 0;
    for (; j + 4 <= N; j += 4) {
      const o = <usize>j << 2;
      v128.store(y + o, f32x4.add(v128.load(y + o), f32x4.mul(va, v128.load(row + o))));
    }
    for (; j < N; j++) {
      const o = <usize>j << 2;
      store<f32>(y + o, load<f32>(y + o) + a * load<f32>(row + o));
    }
  }
}
