// GloVe AdaGrad inner loop in AssemblyScript SIMD: one call trains a block of co-occurrence records
// (~64K), so the JS→WASM call cost is paid once per block. Same layout and updates as the plain-TS
// reference in src/kernels/glove-reference.ts (read it for the layout), which follows glove.c's two-pass
// form; here the vector update is one pass (equivalent: see below), in float32 arithmetic (the reference
// computes in float64 and stores float32, so results agree to rounding).
// Several threads run this on one shared memory without locks (Hogwild, as glove.c).
//
// Reference: glove.c glove_thread (Pennington, Socher, Manning 2014): diff = wᵀw̃ + b + b̃ − log X,
// fdiff = f(X)·diff, cost += ½·fdiff·diff, AdaGrad steps with the sums of squared gradients G.
import { madd, dotv } from './simd';

/**
 * AdaGrad pass over `n` records at `rec` (16 bytes each: i u32, j u32, log X f32, f(X) f32).
 * W, G: 2V rows of (d+1) f32 (vector then bias; context rows start at row V). tmp: scratch of 2d f32
 * (unused by this single-pass version; kept in the signature).
 * Returns Σ ½·f·diff² over the records that were applied.
 */
export function gloveAdaGrad(W: usize, G: usize, d: i32, V: i32, rec: usize, n: i32, eta: f32, tmp: usize): f64 {
  const stride = <usize>(d + 1) << 2;
  let cost: f64 = 0;
  for (let r = 0; r < n; r++) {
    const p = rec + (<usize>r << 4);
    const w1 = W + <usize>load<u32>(p) * stride;
    const w2 = W + (<usize>load<u32>(p, 4) + <usize>V) * stride;
    const g1 = G + (w1 - W);
    const g2 = G + (w2 - W);
    const logx = load<f32>(p, 8);
    const f = load<f32>(p, 12);
    const dot = dotv(w1, w2, d);
    const bo = <usize>d << 2;
    const diff: f32 = dot + load<f32>(w1 + bo) + load<f32>(w2 + bo) - logx;
    let fdiff: f32 = f * diff;
    if (!isFinite<f32>(fdiff)) continue;
    cost += 0.5 * <f64>fdiff * <f64>diff;
    fdiff *= eta;
    // AdaGrad updates of the vectors, one pass: both updates use the old weights (as glove.c's temp1/temp2),
    // w −= fdiff·other/√G, then G += (fdiff·other)². glove.c also skips the vector update when the sum of
    // updates is NaN/Inf; with fdiff finite (checked above), finite weights and G ≥ 1 it cannot be.
    const fv = f32x4.splat(fdiff);
    let k = 0;
    for (; k + 4 <= d; k += 4) {
      const o = <usize>k << 2;
      const x1 = v128.load(w1 + o), x2 = v128.load(w2 + o);
      const q1 = v128.load(g1 + o), q2 = v128.load(g2 + o);
      const tt1 = f32x4.mul(fv, x2), tt2 = f32x4.mul(fv, x1);
      v128.store(w1 + o, f32x4.sub(x1, f32x4.div(tt1, f32x4.sqrt(q1))));
      v128.store(w2 + o, f32x4.sub(x2, f32x4.div(tt2, f32x4.sqrt(q2))));
      v128.store(g1 + o, madd(tt1, tt1, q1));
      v128.store(g2 + o, madd(tt2, tt2, q2));
    }
    for (; k < d; k++) {
      const o = <usize>k << 2;
      const x1 = load<f32>(w1 + o), x2 = load<f32>(w2 + o);
      const q1 = load<f32>(g1 + o), q2 = load<f32>(g2 + o);
      const tt1 = fdiff * x2, tt2 = fdiff * x1;
      store<f32>(w1 + o, x1 - tt1 / Mathf.sqrt(q1));
      store<f32>(w2 + o, x2 - tt2 / Mathf.sqrt(q2));
      store<f32>(g1 + o, q1 + tt1 * tt1);
      store<f32>(g2 + o, q2 + tt2 * tt2);
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
