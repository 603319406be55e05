/**
 * Classification metrics for sentiment evaluation (browser-safe): accuracy, per-class precision/recall/F1,
 * macro-F1, confusion matrix (rows = true class, columns = predicted), and mean absolute error in "stars"
 * (class index + 1, so SST-5 classes are 1..5 stars; for binary models this is the error rate).
 */
import { check } from '../../util/errors.ts';

export interface ClassificationReport {
  /** Number of examples. */
  n: number;
  accuracy: number;
  macroF1: number;
  /** Mean |predicted − true| in stars (class indices). */
  maeStars: number;
  /** confusion[true][pred] counts. */
  confusion: number[][];
  perClass: Array<{ label: string; precision: number; recall: number; f1: number; support: number }>;
  /** Mean cross-entropy of the true class (when probabilities were given). */
  loss?: number;
}

/** Compute the report from true and predicted class indices. */
export function classificationReport(truth: ArrayLike<number>, pred: ArrayLike<number>, labels: readonly string[], loss?: number): ClassificationReport {
  check(truth.length === pred.length, `metrics: ${truth.length} labels but ${pred.length} predictions`);
  const k = labels.length;
  const confusion = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  let correct = 0, absErr = 0;
  for (let i = 0; i < truth.length; i++) {
    const t = truth[i], p = pred[i];
    check(t >= 0 && t < k && p >= 0 && p < k, `metrics: class index out of range at ${i}`);
    confusion[t][p]++;
    if (t === p) correct++;
    absErr += Math.abs(t - p);
  }
  const n = truth.length;
  const perClass = labels.map((label, c) => {
    const tp = confusion[c][c];
    let predC = 0, support = 0;
    for (let j = 0; j < k; j++) { predC += confusion[j][c]; support += confusion[c][j]; }
    const precision = predC > 0 ? tp / predC : 0;
    const recall = support > 0 ? tp / support : 0;
    const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
    return { label, precision, recall, f1, support };
  });
  const macroF1 = perClass.reduce((a, c) => a + c.f1, 0) / k;
  const out: ClassificationReport = { n, accuracy: n ? correct / n : 0, macroF1, maeStars: n ? absErr / n : 0, confusion, perClass };
  if (loss !== undefined) out.loss = loss;
  return out;
}

/** A fixed-width text rendering of the confusion matrix. */
export function formatConfusion(r: ClassificationReport, labels: readonly string[]): string {
  const w = Math.max(6, ...labels.map((l) => l.length + 1), ...r.confusion.flat().map((c) => String(c).length + 1));
  const pad = (s: string) => s.padStart(w);
  const lines = [pad('true\\pred') + labels.map(pad).join('')];
  r.confusion.forEach((row, i) => lines.push(pad(labels[i]) + row.map((c) => pad(String(c))).join('')));
  return lines.join('\n');
}
