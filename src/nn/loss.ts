/**
 * Losses (forward returns the mean loss; backward ACCUMULATES the gradient of that mean):
 * - softmax cross-entropy over logits [B][C] with integer targets [B] (target < 0 = ignored row);
 *   forward also writes the class probabilities [B][C] (numerically stable: max subtracted).
 * - mean squared error over n values.
 */
import type { FloatArray } from '../kernels/index.ts';
import { WordloomError } from '../util/errors.ts';

/**
 * probs [B][C] = softmax(logits [B][C]) row-wise; returns mean over non-ignored rows of −log probs[b][targets[b]]
 * (0 when every row is ignored).
 */
export function softmaxCrossEntropyForward(probs: FloatArray, logits: FloatArray, targets: ArrayLike<number>, B: number, C: number): number {
  let loss = 0, count = 0;
  for (let b = 0; b < B; b++) {
    const o = b * C;
    let m = -Infinity;
    for (let j = 0; j < C; j++) if (logits[o + j] > m) m = logits[o + j];
    let s = 0;
    for (let j = 0; j < C; j++) { const e = Math.exp(logits[o + j] - m); probs[o + j] = e; s += e; }
    for (let j = 0; j < C; j++) probs[o + j] /= s;
    const t = targets[b];
    if (t < 0) continue;
    if (!Number.isInteger(t) || t >= C) throw new WordloomError(`target ${t} of row ${b} is outside 0..${C - 1}`, { flag: 'targets' });
    loss += -(logits[o + t] - m - Math.log(s));
    count++;
  }
  return count ? loss / count : 0;
}

/** dlogits [B][C] += (probs − onehot(target)) / count (ignored rows get nothing). */
export function softmaxCrossEntropyBackward(dlogits: FloatArray, probs: FloatArray, targets: ArrayLike<number>, B: number, C: number): void {
  let count = 0;
  for (let b = 0; b < B; b++) if (targets[b] >= 0) count++;
  if (!count) return;
  const s = 1 / count;
  for (let b = 0; b < B; b++) {
    const t = targets[b];
    if (t < 0) continue;
    const o = b * C;
    for (let j = 0; j < C; j++) dlogits[o + j] += s * probs[o + j];
    dlogits[o + t] -= s;
  }
}

/** mean over i < n of (pred[i] − target[i])². */
export function mseForward(pred: FloatArray, target: ArrayLike<number>, n: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) { const e = pred[i] - target[i]; s += e * e; }
  return s / n;
}

/** dpred[i] += 2(pred[i] − target[i]) / n. */
export function mseBackward(dpred: FloatArray, pred: FloatArray, target: ArrayLike<number>, n: number): void {
  const s = 2 / n;
  for (let i = 0; i < n; i++) dpred[i] += s * (pred[i] - target[i]);
}
