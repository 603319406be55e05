/**
 * Classification metrics for sentiment evaluation (browser-safe): accuracy, per-class precision/recall/F1,
 * macro-F1, confusion matrix (rows = true class, columns = predicted), and mean absolute error in "stars"
 * (class index + 1, so SST-5 classes are 1..5 stars; for binary models this is the error rate), and for star
 * targets (IMDB ratings: stars5, stars10) exact / within-one-star accuracy and MAE measured in stars of the
 * label values, with per-star detail.
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

/** Star-rating metrics of one true star value (per-class detail of StarReport). */
export interface StarClassDetail {
  /** True star value. */
  stars: number;
  n: number;
  /** Share predicted exactly / within one star. */
  exact: number;
  withinOne: number;
  /** Mean |predicted − true| in stars, and the mean predicted value. */
  mae: number;
  meanPredicted: number;
}

/** Metrics for star targets (stars5, stars10): errors measured in stars, not class indices. */
export interface StarReport {
  n: number;
  /** Share of exact predictions. */
  exact: number;
  /** Share of predictions at most one star off. */
  withinOne: number;
  /** Mean absolute error in stars. */
  mae: number;
  /** Per true star value, ascending. */
  perClass: StarClassDetail[];
}

/** Star metrics from true and predicted star values (numbers such as 1..10). */
export function starReport(truth: ArrayLike<number>, pred: ArrayLike<number>): StarReport {
  check(truth.length === pred.length, `metrics: ${truth.length} labels but ${pred.length} predictions`);
  const by = new Map<number, { n: number; exact: number; within: number; abs: number; sum: number }>();
  let exact = 0, within = 0, abs = 0;
  for (let i = 0; i < truth.length; i++) {
    const t = truth[i], p = pred[i], e = Math.abs(p - t);
    check(Number.isFinite(t) && Number.isFinite(p), `metrics: star value is not a number at ${i}`);
    let c = by.get(t);
    if (!c) { c = { n: 0, exact: 0, within: 0, abs: 0, sum: 0 }; by.set(t, c); }
    c.n++; c.abs += e; c.sum += p;
    if (e === 0) { exact++; c.exact++; }
    if (e <= 1) { within++; c.within++; }
    abs += e;
  }
  const n = truth.length;
  const perClass = [...by].sort((a, b) => a[0] - b[0]).map(([stars, c]) => ({ stars, n: c.n, exact: c.exact / c.n, withinOne: c.within / c.n, mae: c.abs / c.n, meanPredicted: c.sum / c.n }));
  return { n, exact: n ? exact / n : 0, withinOne: n ? within / n : 0, mae: n ? abs / n : 0, perClass };
}

/** A text table of a StarReport. */
export function formatStarReport(r: StarReport): string {
  const lines = [`exact ${(100 * r.exact).toFixed(2)}%  within one star ${(100 * r.withinOne).toFixed(2)}%  MAE ${r.mae.toFixed(3)} stars  (${r.n} examples)`,
    'stars      n   exact  within1     MAE  mean pred'];
  for (const c of r.perClass) {
    lines.push(`${String(c.stars).padStart(5)} ${String(c.n).padStart(6)} ${(100 * c.exact).toFixed(1).padStart(6)}% ${(100 * c.withinOne).toFixed(1).padStart(7)}% ${c.mae.toFixed(3).padStart(7)} ${c.meanPredicted.toFixed(2).padStart(10)}`);
  }
  return lines.join('\n');
}

/** Star metrics from a confusion matrix whose classes have the given star values (e.g. a recurrent model's report). */
export function starReportFromConfusion(confusion: readonly (readonly number[])[], values: readonly number[]): StarReport {
  const truth: number[] = [], pred: number[] = [];
  confusion.forEach((row, t) => row.forEach((c, p) => { for (let k = 0; k < c; k++) { truth.push(values[t]); pred.push(values[p]); } }));
  return starReport(truth, pred);
}
