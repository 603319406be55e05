/**
 * fastText supervised inner loop, plain TypeScript reference (browser-safe). Works on any FloatArray views, also
 * on SharedArrayBuffers shared by worker threads (Hogwild: unsynchronised updates, as fastText does).
 *
 *   hidden  = mean of the input rows wi[ids[s..e)]                          [dim]
 *   softmax: p = softmax(wo · hidden); for each label i: α = lr·([i = target] − p_i);
 *            grad += α·wo_i (before wo_i changes), wo_i += α·hidden;  loss = −log p_target
 *   one-vs-all: for each label i: s_i = σ(wo_i · hidden); α = lr·([i = target] − s_i); same updates;
 *            loss = Σ_i −log(s_i or 1 − s_i)
 *   then every input row: wi[id] += grad / (e − s)   (fastText scales the gradient by 1/|input| in supervised mode)
 *
 * With a per-row `scale` (NB-scaled features, Wang & Manning 2012) the hidden vector is the mean of
 * scale[id]·wi[id] and each row's update is scale[id]·grad / (e − s); `null` = fastText's plain average.
 *
 * Reference: fastText 0.9.2 src/model.cc (Model::update, computeHidden), src/loss.cc (SoftmaxLoss::forward,
 * OneVsAllLoss, binaryLogistic). Deviation: exact exp/log/sigmoid instead of fastText's lookup tables (σ clipped to
 * ±8 there; log(x + 1e-5) kept here for the loss value). Float64Array inputs work too (the gradient check).
 */
import type { FloatArray } from './types.ts';

/** hidden = mean of rows `ids[s..e)` of `wi` (row length `dim`), each times scale[id] if given; empty input gives zeros. */
export function ftHidden(wi: FloatArray, dim: number, ids: Int32Array, s: number, e: number, hidden: FloatArray, scale: FloatArray | null = null): void {
  hidden.fill(0, 0, dim);
  for (let k = s; k < e; k++) {
    const o = ids[k] * dim;
    if (scale) {
      const c = scale[ids[k]];
      for (let d = 0; d < dim; d++) hidden[d] += c * wi[o + d];
    } else {
      for (let d = 0; d < dim; d++) hidden[d] += wi[o + d];
    }
  }
  if (e > s) {
    const inv = 1 / (e - s);
    for (let d = 0; d < dim; d++) hidden[d] *= inv;
  }
}

/** out[i] = wo_i · hidden for the `nlabels` rows of `wo`. */
export function ftScores(wo: FloatArray, dim: number, nlabels: number, hidden: FloatArray, out: FloatArray): void {
  for (let i = 0; i < nlabels; i++) {
    const o = i * dim;
    let z = 0;
    for (let d = 0; d < dim; d++) z += wo[o + d] * hidden[d];
    out[i] = z;
  }
}

/** In-place softmax of out[0..n) (max subtracted, as fastText's computeOutput). */
export function ftSoftmax(out: FloatArray, n: number): void {
  let max = out[0];
  for (let i = 1; i < n; i++) if (out[i] > max) max = out[i];
  let z = 0;
  for (let i = 0; i < n; i++) { const v = Math.exp(out[i] - max); out[i] = v; z += v; }
  for (let i = 0; i < n; i++) out[i] /= z;
}

export const FT_LOSS_SOFTMAX = 0;
export const FT_LOSS_OVA = 1;

/**
 * One SGD step on one example: hidden from `ids[s..e)`, the loss's forward/backward on `wo`, the averaged
 * gradient added to each input row. `hidden`, `grad` (dim) and `out` (nlabels) are scratch. Returns the loss.
 * An example without features changes nothing and returns NaN (fastText skips it).
 */
export function ftSupervisedStep(wi: FloatArray, wo: FloatArray, dim: number, nlabels: number, ids: Int32Array, s: number, e: number,
  target: number, lr: number, loss: number, hidden: FloatArray, grad: FloatArray, out: FloatArray, scale: FloatArray | null = null): number {
  if (e <= s) return NaN;
  ftHidden(wi, dim, ids, s, e, hidden, scale);
  ftScores(wo, dim, nlabels, hidden, out);
  grad.fill(0, 0, dim);
  let l = 0;
  if (loss === FT_LOSS_SOFTMAX) {
    ftSoftmax(out, nlabels);
    l = -Math.log(out[target] + 1e-5);
  }
  for (let i = 0; i < nlabels; i++) {
    const label = i === target ? 1 : 0;
    let p = out[i];
    if (loss === FT_LOSS_OVA) {
      p = 1 / (1 + Math.exp(-p));
      l -= Math.log((label ? p : 1 - p) + 1e-5);
    }
    const alpha = lr * (label - p);
    if (alpha === 0) continue;
    const o = i * dim;
    for (let d = 0; d < dim; d++) {
      grad[d] += alpha * wo[o + d];
      wo[o + d] += alpha * hidden[d];
    }
  }
  const inv = 1 / (e - s);
  for (let d = 0; d < dim; d++) grad[d] *= inv;
  for (let k = s; k < e; k++) {
    const o = ids[k] * dim;
    if (scale) {
      const c = scale[ids[k]];
      for (let d = 0; d < dim; d++) wi[o + d] += c * grad[d];
    } else {
      for (let d = 0; d < dim; d++) wi[o + d] += grad[d];
    }
  }
  return l;
}

/** Class probabilities of one example: softmax, or one-vs-all sigmoids normalised to sum 1. `out` gets nlabels values. */
export function ftPredict(wi: FloatArray, wo: FloatArray, dim: number, nlabels: number, ids: Int32Array, s: number, e: number,
  loss: number, hidden: FloatArray, out: FloatArray, scale: FloatArray | null = null): void {
  ftHidden(wi, dim, ids, s, e, hidden, scale);
  ftScores(wo, dim, nlabels, hidden, out);
  if (loss === FT_LOSS_SOFTMAX) { ftSoftmax(out, nlabels); return; }
  let z = 0;
  for (let i = 0; i < nlabels; i++) { out[i] = 1 / (1 + Math.exp(-out[i])); z += out[i]; }
  for (let i = 0; i < nlabels; i++) out[i] /= z;
}
