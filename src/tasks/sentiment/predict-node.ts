/**
 * Prediction over a stream of texts (`wordloom sentiment predict`): reads records in batches (at most `batchSize`
 * texts and `batchChars` characters at a time, so memory stays bounded on big files), predicts each batch with any
 * `TextClassifier`, and hands one JSON line per text to `emit`, in input order.
 */
import type { ProgressReporter } from '../../util/progress.ts';
import { WordloomError } from '../../util/errors.ts';
import type { TextClassifier, SentimentPrediction } from './classifier.ts';
import { expectedStars } from './explain.ts';
import type { InputRecord } from './predict-input-node.ts';

export interface PredictRunOptions {
  /** Texts per batch. Default 256. Flag --batch-size. */
  batchSize?: number;
  /** Characters per batch, at most (a longer text runs alone). Default 2,000,000. */
  batchChars?: number;
  /** Copy each text into its output line. Default false. */
  includeText?: boolean;
  /** Progress in texts ("reviews"); `total` is an estimate (0 = unknown). */
  progress?: ProgressReporter;
  total?: number;
}

export const PREDICT_RUN_DEFAULTS = { batchSize: 256, batchChars: 2_000_000 };

/** One output line's content. */
export interface PredictionLine {
  id?: string | number;
  text?: string;
  label: string;
  /** "k/C": the predicted class index + 1 out of the number of classes. */
  stars: string;
  /** Σ p_i·(i+1) on the 1…C scale. */
  expectedStars: number;
  /** Class label → probability. */
  probabilities: Record<string, number>;
  /** Tokens the model did not know (when the model reports it). */
  unknownTokens?: number;
}

export function predictionLine(p: SentimentPrediction, labels: readonly string[], rec: { id?: string | number; text?: string }): PredictionLine {
  return {
    ...(rec.id !== undefined ? { id: rec.id } : {}),
    ...(rec.text !== undefined ? { text: rec.text } : {}),
    label: p.label,
    stars: p.stars,
    expectedStars: +expectedStars(p.probs).toFixed(6),
    probabilities: Object.fromEntries(labels.map((l, i) => [l, +p.probs[i].toFixed(6)])),
    ...(typeof p.unknown === 'number' ? { unknownTokens: p.unknown } : {}),
  };
}

export interface PredictSummary {
  /** Texts predicted. */
  n: number;
  seconds: number;
  /** Texts per second (reading, predicting and writing). */
  perSecond: number;
  /** Predicted label → count. */
  counts: Record<string, number>;
}

/** Predict every record; `emit` gets one JSON line (no newline) per text, in input order. */
export function predictRecords(model: TextClassifier, records: Iterable<InputRecord>, emit: (line: PredictionLine) => void, opts: PredictRunOptions = {}): PredictSummary {
  const o = { ...PREDICT_RUN_DEFAULTS, ...opts };
  if (!(Number.isInteger(o.batchSize) && o.batchSize >= 1)) throw new WordloomError(`expected an integer ≥ 1, got ${o.batchSize}`, { flag: '--batch-size' });
  const t0 = performance.now();
  const counts: Record<string, number> = Object.fromEntries(model.labels.map((l) => [l, 0]));
  let n = 0;
  let batch: InputRecord[] = [];
  let chars = 0;
  o.progress?.start('predict', o.total ?? 0, 'reviews');
  const flush = () => {
    if (!batch.length) return;
    const preds = model.predict(batch.map((r) => r.text));
    preds.forEach((p, i) => {
      counts[p.label] = (counts[p.label] ?? 0) + 1;
      emit(predictionLine(p, model.labels, { id: batch[i].id, text: o.includeText ? batch[i].text : undefined }));
    });
    n += batch.length;
    batch = []; chars = 0;
    o.progress?.update({ done: n, total: Math.max(o.total ?? 0, n) });
  };
  try {
    for (const r of records) {
      if (batch.length && (batch.length >= o.batchSize || chars + r.text.length > o.batchChars)) flush();
      batch.push(r);
      chars += r.text.length;
    }
    flush();
  } finally {
    o.progress?.stop();
  }
  const seconds = (performance.now() - t0) / 1000;
  return { n, seconds, perSecond: seconds > 0 ? n / seconds : 0, counts };
}
