// GloVe AdaGrad inner loop in AssemblyScript SIMD: one call trains a block of co-occurrence records
// (~64K), so the JS→WASM call cost is paid once per block. Same layout, update order and NaN/Inf guards
// as the plain-TS reference in src/kernels/glove-reference.ts (read it for the layout), in float32
// arithmetic (the reference computes in float64 and stores float32, so results agree to rounding).
// Several threads run this on one shared memory without locks (Hogwild, as glove.c).
//
// Reference: glove.c glove_thread (Pennington, Socher, Manning 2014): diff = wᵀw̃ + b + b̃ − log X,
// fdiff = f(X)·diff, cost += ½·fdiff·diff, AdaGrad steps with the sums of squared gradients G.
import { madd } from './simd';

/**
 * AdaGrad pass over `n` records at `rec` (16 bytes each: i u32, j u32, log X f32, f(X) f32).
 * W, G: 2V rows of (d+1) f32 (vector then bias; context rows start at row V). tmp: scratch of 2d f32.
 * Returns Σ ½·f·diff² over the records that were applied.
 */
export function gloveAdaGrad(W: usize, G: usize, d: i32, V: i32, rec: usize, n: i32, eta: f32, tmp: usize): f64 {
  const stride = <usize>(d + 1) << 2;
  const t2 = tmp + (<usize>d << 2);
  let cost: f64 = 0;
  for (let r = 0; r < n; r++) {
    const p = rec + (<usize>r << 4);
    const w1 = W + <usize>load<u32>(p) * stride;
    const w2 = W + (<usize>load<u32>(p, 4) + <usize>V) * stride;
    const g1 = G + (w1 - W);
    const g2 = G + (w2 - W);
    const logx = load<f32>(p, 8);
    const f = load<f32>(p, 12);
    // dot product
    let s0 = f32x4.splat(0), s1 = f32x4.splat(0);
    let k = 0;
    for (; k + 8 <= d; k += 8) {
      const o = <usize>k << 2;
      s0 = madd(v128.load(w1 + o), v128.load(w2 + o), s0);
      s1 = madd(v128.load(w1 + o + 16), v128.load(w2 + o + 16), s1);
    }
    if (k + 4 <= d) { const o = <usize>k << 2; s0 = madd(v128.load(w1 + o), v128.load(w2 + o), s0); k += 4; }
    s0 = f32x4.add(s0, s1);
    let dot = f32x4.extract_lane(s0, 0) + f32x4.extract_lane(s0, 1) + f32x4.extract_lane(s0, 2) + f32x4.extract_lane(s0, 3);
    for (; k < d; k++) dot += load<f32>(w1 + (<usize>k << 2)) * load<f32>(w2 + (<usize>k << 2));
    const bo = <usize>d << 2;
    const diff: f32 = dot + load<f32>(w1 + bo) + load<f32>(w2 + bo) - logx;
    let fdiff: f32 = f * diff;
    if (!isFinite<f32>(fdiff)) continue;
    cost += 0.5 * <f64>fdiff * <f64>diff;
    fdiff *= eta;
    // AdaGrad updates of the vectors: u = fdiff·other/√G, G += (fdiff·other)²
    const fv = f32x4.splat(fdiff);
    let a1 = f32x4.splat(0), a2 = f32x4.splat(0);
    k = 0;
    for (; k + 4 <= d; k += 4) {
      const o = <usize>k << 2;
      const x1 = v128.load(w1 + o), x2 = v128.load(w2 + o);
      const q1 = v128.load(g1 + o), q2 = v128.load(g2 + o);
      const tt1 = f32x4.mul(fv, x2), tt2 = f32x4.mul(fv, x1);
      const u1 = f32x4.div(tt1, f32x4.sqrt(q1)), u2 = f32x4.div(tt2, f32x4.sqrt(q2));
      v128.store(tmp + o, u1); v128.store(t2 + o, u2);
      a1 = f32x4.add(a1, u1); a2 = f32x4.add(a2, u2);
      v128.store(g1 + o, madd(tt1, tt1, q1));
      v128.store(g2 + o, madd(tt2, tt2, q2));
    }
    let sum1 = f32x4.extract_lane(a1, 0) + f32x4.extract_lane(a1, 1) + f32x4.extract_lane(a1, 2) + f32x4.extract_lane(a1, 3);
    let sum2 = f32x4.extract_lane(a2, 0) + f32x4.extract_lane(a2, 1) + f32x4.extract_lane(a2, 2) + f32x4.extract_lane(a2, 3);
    for (; k < d; k++) {
      const o = <usize>k << 2;
      const tt1 = fdiff * load<f32>(w2 + o), tt2 = fdiff * load<f32>(w1 + o);
      const u1 = tt1 / Mathf.sqrt(load<f32>(g1 + o)), u2 = tt2 / Mathf.sqrt(load<f32>(g2 + o));
      store<f32>(tmp + o, u1); store<f32>(t2 + o, u2);
      sum1 += u1; sum2 += u2;
      store<f32>(g1 + o, load<f32>(g1 + o) + tt1 * tt1);
      store<f32>(g2 + o, load<f32>(g2 + o) + tt2 * tt2);
    }
    if (isFinite<f32>(sum1) && isFinite<f32>(sum2)) {
      k = 0;
      for (; k + 4 <= d; k += 4) {
        const o = <usize>k << 2;
        v128.store(w1 + o, f32x4.sub(v128.load(w1 + o), v128.load(tmp + o)));
        v128.store(w2 + o, f32x4.sub(v128.load(w2 + o), v128.load(t2 + o)));
      }
      for (; k < d; k++) {
        const o = <usize>k << 2;
        store<f32>(w1 + o, load<f32>(w1 + o) - load<f32>(tmp + o));
        store<f32>(w2 + o, load<f32>(w2 + o) - load<f32>(t2 + o));
      }
    }
    // biases
    store<f32>(w1 + bo, load<f32>(w1 + bo) - fdiff / Mathf.sqrt(load<f32>(g1 + bo)));
    store<f32>(w2 + bo, load<f32>(w2 + bo) - fdiff / Mathf.sqrt(load<f32>(g2 + bo)));
    const f2 = fdiff * fdiff;
    store<f32>(g1 + bo, load<f32>(g1 + bo) + f2);
    store<f32>(g2 + bo, load<f32>(g2 + bo) + f2);
  }
  return cost;
}
