/**
 * GloVe training kernels, plain TypeScript: the reference for the AssemblyScript version
 * (src/kernels/wasm/as/glove.ts), the fallback without WebAssembly, and — with Float64Array
 * parameters — the float64 path used by the gradient checks.
 *
 * Parameter layout (as glove.c): one buffer W of 2V rows × (d+1): rows 0..V−1 are word vectors w_i
 * with their bias b_i in column d, rows V..2V−1 are context vectors w̃_j with b̃_j. G (same shape) holds
 * the AdaGrad sums of squared gradients, initialised to 1 as in glove.c.
 *
 * Records: 16 bytes each, as u32 view `ri` and f32 view `rf` of the same buffer: record k is
 * (i = ri[4k], j = ri[4k+1], log X_ij = rf[4k+2], f(X_ij) = rf[4k+3]).
 *
 * Objective (Pennington et al. 2014, eq. 8): J = Σ f(X_ij) (w_iᵀw̃_j + b_i + b̃_j − log X_ij)².
 * Like glove.c we report cost = ½ f·diff² and step along f·diff (the gradient of ½J), with AdaGrad:
 * θ −= η·g/√G; G += g² (G updated after the step, as glove.c does).
 * Reference: glove.c (GloVe tool), glove_thread; it also skips a record whose update is NaN/Inf.
 */
import type { FloatArray } from './types.ts';

/**
 * One AdaGrad pass over records [start, end). Returns Σ ½·f·diff² over the records (the cost).
 * `tmp` is scratch of length ≥ 2d.
 */
export function gloveAdaGradReference(W: FloatArray, G: FloatArray, d: number, V: number,
  ri: Uint32Array, rf: Float32Array, start: number, end: number, eta: number, tmp: FloatArray): number {
  const stride = d + 1;
  let cost = 0;
  for (let k = start; k < end; k++) {
    const l1 = ri[4 * k] * stride;
    const l2 = (ri[4 * k + 1] + V) * stride;
    const logx = rf[4 * k + 2];
    const f = rf[4 * k + 3];
    let diff = 0;
    for (let b = 0; b < d; b++) diff += W[l1 + b] * W[l2 + b];
    diff += W[l1 + d] + W[l2 + d] - logx;
    let fdiff = f * diff;
    if (!Number.isFinite(fdiff)) continue;
    cost += 0.5 * fdiff * diff;
    fdiff *= eta;
    let s1 = 0, s2 = 0;
    for (let b = 0; b < d; b++) {
      const t1 = fdiff * W[l2 + b];
      const t2 = fdiff * W[l1 + b];
      const u1 = t1 / Math.sqrt(G[l1 + b]);
      const u2 = t2 / Math.sqrt(G[l2 + b]);
      tmp[b] = u1; tmp[d + b] = u2;
      s1 += u1; s2 += u2;
      G[l1 + b] += t1 * t1;
      G[l2 + b] += t2 * t2;
    }
    if (Number.isFinite(s1) && Number.isFinite(s2)) {
      for (let b = 0; b < d; b++) { W[l1 + b] -= tmp[b]; W[l2 + b] -= tmp[d + b]; }
    }
    W[l1 + d] -= fdiff / Math.sqrt(G[l1 + d]);
    W[l2 + d] -= fdiff / Math.sqrt(G[l2 + d]);
    fdiff *= fdiff;
    G[l1 + d] += fdiff;
    G[l2 + d] += fdiff;
  }
  return cost;
}

/**
 * The full objective J = Σ f·diff² (eq. 8 of the paper, no ½) and its gradient dJ/dW (accumulated
 * into `grad`, same layout as W), over records [start, end). For gradient checks (use Float64Array).
 */
export function gloveObjectiveGrad(W: FloatArray, d: number, V: number, ri: Uint32Array, rf: Float32Array | Float64Array,
  start: number, end: number, grad: FloatArray | null): number {
  const stride = d + 1;
  let J = 0;
  for (let k = start; k < end; k++) {
    const l1 = ri[4 * k] * stride, l2 = (ri[4 * k + 1] + V) * stride;
    let diff = 0;
    for (let b = 0; b < d; b++) diff += W[l1 + b] * W[l2 + b];
    diff += W[l1 + d] + W[l2 + d] - rf[4 * k + 2];
    const f = rf[4 * k + 3];
    J += f * diff * diff;
    if (grad) {
      const g = 2 * f * diff;
      for (let b = 0; b < d; b++) { grad[l1 + b] += g * W[l2 + b]; grad[l2 + b] += g * W[l1 + b]; }
      grad[l1 + d] += g; grad[l2 + d] += g;
    }
  }
  return J;
}
