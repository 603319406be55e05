/**
 * Evaluation of any `TextClassifier` on labelled texts (browser-safe): accuracy, macro-F1, confusion, cross-entropy,
 * OOV rate, and for star targets the star metrics (exact, within one star, MAE in stars, per star) — for an n-gram
 * model under each star decoding (argmax / median / mean of the predicted distribution), so they can be compared.
 */
import { LabelSet, type LabelledText } from '../../text/datasets.ts';
import { starValue } from '../../text/targets.ts';
import { classificationReport, starReport, type ClassificationReport, type StarReport } from './metrics.ts';
import type { TextClassifier } from './classifier.ts';
import { STAR_DECODES, type StarDecode, type NgramClassifier } from './ngram.ts';

export interface TextEvalReport extends ClassificationReport {
  /** Share of tokens not in the model's vocabulary. */
  oovRate: number;
  /** Star metrics of the model's own predictions (star targets only). */
  stars?: StarReport;
  /** n-gram models with a star target: accuracy and star metrics under each decoding. */
  decodes?: Partial<Record<StarDecode, { accuracy: number; stars: StarReport }>>;
}

/** Evaluate a classifier on examples whose labels are the model's label names (an unknown label names file and line). */
export function evaluateTexts(clf: TextClassifier, xs: readonly LabelledText[], opts: { stars?: boolean; chunk?: number } = {}): TextEvalReport {
  const labels = new LabelSet(clf.labels);
  const truth = Int32Array.from(xs.map((e) => labels.index(e.label, e)));
  const pred = new Int32Array(xs.length);
  const probs: Float32Array[] = [];
  let loss = 0, tokens = 0, unknown = 0;
  const chunk = opts.chunk ?? 1000;
  for (let s = 0; s < xs.length; s += chunk) {
    const ps = clf.predict(xs.slice(s, s + chunk).map((e) => e.text));
    ps.forEach((p, j) => {
      const i = s + j;
      pred[i] = p.classIndex;
      probs.push(Float32Array.from(p.probs));
      loss += -Math.log(Math.max(p.probs[truth[i]], 1e-12));
      tokens += p.tokens.length; unknown += p.unknown;
    });
  }
  const out: TextEvalReport = { ...classificationReport(truth, pred, clf.labels, xs.length ? loss / xs.length : 0), oovRate: tokens ? unknown / tokens : 0 };
  if (!opts.stars) return out;
  const values = clf.labels.map(starValue);
  const truthStars = Array.from(truth, (t) => values[t]);
  out.stars = starReport(truthStars, Array.from(pred, (k) => values[k]));
  if (clf.kind === 'ngram') {
    const ng = clf as NgramClassifier;
    out.decodes = {};
    for (const d of STAR_DECODES) {
      const pk = probs.map((p) => ng.decode(p, d));
      let correct = 0;
      pk.forEach((k, i) => { if (k === truth[i]) correct++; });
      out.decodes[d] = { accuracy: xs.length ? correct / xs.length : 0, stars: starReport(truthStars, pk.map((k) => values[k])) };
    }
  }
  return out;
}
