// Fused recurrent-cell pointwise kernels (LSTM gate order i, f, g, o; GRU z, r, h), the WASM versions of
// lstmCellForward/Backward and gruGates/Output Forward/Backward in src/kernels/reference.ts (semantics
// documented in src/kernels/types.ts). Each row b of the batch is processed 4 columns at a time with a
// scalar tail that goes through lane 0 of the same vector code. Pointers are byte offsets.
import { vsigmoid, vtanh } from './simd';

// @ts-ignore: decorator
@inline function ld(p: usize, j: i32, n: i32): v128 {
  // Loads 4 lanes, or (tail) only the lanes < n, so the scalar tail runs the same vector math.
  if (j + 4 <= n) return v128.load(p + (<usize>j << 2));
  return f32x4.splat(load<f32>(p + (<usize>j << 2)));
}

// @ts-ignore: decorator
@inline function st(p: usize, j: i32, n: i32, v: v128): void {
  if (j + 4 <= n) v128.store(p + (<usize>j << 2), v);
  else store<f32>(p + (<usize>j << 2), f32x4.extract_lane(v, 0));
}

/** LSTM forward, one step. G: B×4H (preactivations → activations, in place); c, tc, h: B×H out. */
export function lstmCellForward(B: i32, H: i32, G: usize, cPrev: usize, c: usize, tc: usize, h: usize): void {
  const hb = <usize>H << 2;
  for (let b = 0; b < B; b++) {
    const g0 = G + <usize>b * 4 * hb, r = <usize>b * hb;
    const gi = g0, gf = g0 + hb, gg = g0 + 2 * hb, go = g0 + 3 * hb;
    for (let j = 0; j < H;) {
      const step = j + 4 <= H ? 4 : 1;
      const i = vsigmoid(ld(gi, j, H)), f = vsigmoid(ld(gf, j, H)), g = vtanh(ld(gg, j, H)), o = vsigmoid(ld(go, j, H));
      st(gi, j, H, i); st(gf, j, H, f); st(gg, j, H, g); st(go, j, H, o);
      const cv = f32x4.add(f32x4.mul(f, ld(cPrev + r, j, H)), f32x4.mul(i, g));
      const t = vtanh(cv);
      st(c + r, j, H, cv); st(tc + r, j, H, t); st(h + r, j, H, f32x4.mul(o, t));
      j += step;
    }
  }
}

/** LSTM backward, one step (see types.ts): dG overwritten, dc in/out. */
export function lstmCellBackward(B: i32, H: i32, G: usize, cPrev: usize, tc: usize, dh: usize, dc: usize, dG: usize): void {
  const one = f32x4.splat(1);
  const hb = <usize>H << 2;
  for (let b = 0; b < B; b++) {
    const g0 = <usize>b * 4 * hb, r = <usize>b * hb;
    const gi = G + g0, gf = gi + hb, gg = gi + 2 * hb, go = gi + 3 * hb;
    const di = dG + g0, df = di + hb, dg = di + 2 * hb, dO = di + 3 * hb;
    for (let j = 0; j < H;) {
      const step = j + 4 <= H ? 4 : 1;
      const i = ld(gi, j, H), f = ld(gf, j, H), g = ld(gg, j, H), o = ld(go, j, H);
      const t = ld(tc + r, j, H), d = ld(dh + r, j, H);
      const dct = f32x4.add(ld(dc + r, j, H), f32x4.mul(f32x4.mul(d, o), f32x4.sub(one, f32x4.mul(t, t))));
      st(di, j, H, f32x4.mul(f32x4.mul(f32x4.mul(dct, g), i), f32x4.sub(one, i)));
      st(df, j, H, f32x4.mul(f32x4.mul(f32x4.mul(dct, ld(cPrev + r, j, H)), f), f32x4.sub(one, f)));
      st(dg, j, H, f32x4.mul(f32x4.mul(dct, i), f32x4.sub(one, f32x4.mul(g, g))));
      st(dO, j, H, f32x4.mul(f32x4.mul(f32x4.mul(d, t), o), f32x4.sub(one, o)));
      st(dc + r, j, H, f32x4.mul(dct, f));
      j += step;
    }
  }
}

/** GRU forward stage 1: z, r blocks of G → σ(·) in place; rh = r⊙hPrev. */
export function gruGatesForward(B: i32, H: i32, G: usize, hPrev: usize, rh: usize): void {
  const hb = <usize>H << 2;
  for (let b = 0; b < B; b++) {
    const gz = G + <usize>b * 3 * hb, gr = gz + hb, r0 = <usize>b * hb;
    for (let j = 0; j < H;) {
      const step = j + 4 <= H ? 4 : 1;
      st(gz, j, H, vsigmoid(ld(gz, j, H)));
      const r = vsigmoid(ld(gr, j, H));
      st(gr, j, H, r);
      st(rh + r0, j, H, f32x4.mul(r, ld(hPrev + r0, j, H)));
      j += step;
    }
  }
}

/** GRU forward stage 2: h block of G → ĥ = tanh(·) in place; h = hPrev + z⊙(ĥ − hPrev). */
export function gruOutputForward(B: i32, H: i32, G: usize, hPrev: usize, h: usize): void {
  const hb = <usize>H << 2;
  for (let b = 0; b < B; b++) {
    const gz = G + <usize>b * 3 * hb, gh = gz + 2 * hb, r0 = <usize>b * hb;
    for (let j = 0; j < H;) {
      const step = j + 4 <= H ? 4 : 1;
      const hh = vtanh(ld(gh, j, H));
      st(gh, j, H, hh);
      const hp = ld(hPrev + r0, j, H);
      st(h + r0, j, H, f32x4.add(hp, f32x4.mul(ld(gz, j, H), f32x4.sub(hh, hp))));
      j += step;
    }
  }
}

/** GRU backward stage 1: dG z and h blocks and dhPrev overwritten. */
export function gruOutputBackward(B: i32, H: i32, G: usize, hPrev: usize, dh: usize, dG: usize, dhPrev: usize): void {
  const one = f32x4.splat(1);
  const hb = <usize>H << 2;
  for (let b = 0; b < B; b++) {
    const g0 = <usize>b * 3 * hb, r0 = <usize>b * hb;
    const gz = G + g0, gh = gz + 2 * hb, dz = dG + g0, dhh = dz + 2 * hb;
    for (let j = 0; j < H;) {
      const step = j + 4 <= H ? 4 : 1;
      const z = ld(gz, j, H), hh = ld(gh, j, H), hp = ld(hPrev + r0, j, H), d = ld(dh + r0, j, H);
      st(dz, j, H, f32x4.mul(f32x4.mul(f32x4.mul(d, f32x4.sub(hh, hp)), z), f32x4.sub(one, z)));
      st(dhh, j, H, f32x4.mul(f32x4.mul(d, z), f32x4.sub(one, f32x4.mul(hh, hh))));
      st(dhPrev + r0, j, H, f32x4.mul(d, f32x4.sub(one, z)));
      j += step;
    }
  }
}

/** GRU backward stage 2: dG r block overwritten; dhPrev += drh⊙r. */
export function gruGatesBackward(B: i32, H: i32, G: usize, hPrev: usize, drh: usize, dG: usize, dhPrev: usize): void {
  const one = f32x4.splat(1);
  const hb = <usize>H << 2;
  for (let b = 0; b < B; b++) {
    const g0 = <usize>b * 3 * hb, r0 = <usize>b * hb;
    const gr = G + g0 + hb, dr = dG + g0 + hb;
    for (let j = 0; j < H;) {
      const step = j + 4 <= H ? 4 : 1;
      const r = ld(gr, j, H), d = ld(drh + r0, j, H);
      st(dr, j, H, f32x4.mul(f32x4.mul(f32x4.mul(d, ld(hPrev + r0, j, H)), r), f32x4.sub(one, r)));
      st(dhPrev + r0, j, H, f32x4.add(ld(dhPrev + r0, j, H), f32x4.mul(d, r)));
      j += step;
    }
  }
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
  for (let i = 0; i < n;) {
    const step = i + 4 <= n ? 4 : 1;
    const pv = ld(p, i, n);
    const gi = f32x4.add(ld(g, i, n), f32x4.mul(vl, pv));
    const mi = f32x4.add(f32x4.mul(b1, ld(m, i, n)), f32x4.mul(c1, gi));
    const vi = f32x4.add(f32x4.mul(b2, ld(v, i, n)), f32x4.mul(c2, f32x4.mul(gi, gi)));
    st(m, i, n, mi); st(v, i, n, vi);
    const den = f32x4.add(f32x4.mul(f32x4.sqrt(vi), vb), ve);
    st(p, i, n, f32x4.sub(f32x4.mul(vd, pv), f32x4.div(f32x4.mul(vs, mi), den)));
    i += step;
  }
}

/**
 * y = alpha·op(A)·x + beta·y (BLAS sgemv, row-major A M×N with row stride lda). trans = 0: one dot product
 * per row (x has N entries, y M); trans = 1: y (N entries) += alpha·x[i]·A[i, :] row by row. beta = 0
 * overwrites y.
 */
export function sgemv(trans: i32, M: i32, N: i32, alpha: f32, A: usize, lda: i32, x: usize, beta: f32, y: usize): void {
  const ldab = <usize>lda << 2;
  if (!trans) {
    for (let i = 0; i < M; i++) {
      const row = A + <usize>i * ldab;
      let s0 = f32x4.splat(0), s1 = s0;
      let p = 0;
      for (; p + 8 <= N; p += 8) {
        const o = <usize>p << 2;
        s0 = f32x4.add(s0, f32x4.mul(v128.load(row + o), v128.load(x + o)));
        s1 = f32x4.add(s1, f32x4.mul(v128.load(row + o, 16), v128.load(x + o, 16)));
      }
      for (; p + 4 <= N; p += 4) {
        const o = <usize>p << 2;
        s0 = f32x4.add(s0, f32x4.mul(v128.load(row + o), v128.load(x + o)));
      }
      const sv = f32x4.add(s0, s1);
      let s: f32 = (f32x4.extract_lane(sv, 0) + f32x4.extract_lane(sv, 1)) + (f32x4.extract_lane(sv, 2) + f32x4.extract_lane(sv, 3));
      for (; p < N; p++) s += load<f32>(row + (<usize>p << 2)) * load<f32>(x + (<usize>p << 2));
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
