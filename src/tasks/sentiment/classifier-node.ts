/**
 * Loading any sentiment model file as a `TextClassifier` (Node): dispatches on the file's model type —
 * "sentiment" (recurrent, SentimentClassifier) or "sentiment-ngram" (bag of n-grams, NgramClassifier) — and
 * evaluates either kind on a labelled file with the target the model was trained for.
 */
import { WordloomError } from '../../util/errors.ts';
import { loadModelFile } from '../../nn/model-file-node.ts';
import { readLabelledFile } from '../../text/datasets-node.ts';
import { isStarTarget, type Target } from '../../text/targets.ts';
import { SentimentClassifier, SENTIMENT_MODEL_TYPE } from './model.ts';
import { NgramClassifier, NGRAM_MODEL_TYPE } from './ngram.ts';
import { evaluateTexts, type TextEvalReport } from './evaluate.ts';
import { evaluateFile, type DataOptions } from './train-node.ts';
import { starReportFromConfusion } from './metrics.ts';
import { textClassifierFromModelFile } from './load.ts';
import { starValue } from '../../text/targets.ts';

/** Model file types loadTextClassifier understands. */
export const TEXT_CLASSIFIER_TYPES = [SENTIMENT_MODEL_TYPE, NGRAM_MODEL_TYPE] as const;

/** Load a sentiment model file of either kind (errors name the file). */
export function loadTextClassifier(path: string): SentimentClassifier | NgramClassifier {
  const m = loadModelFile(path);
  if (!(TEXT_CLASSIFIER_TYPES as readonly string[]).includes(m.header.modelType)) {
    throw new WordloomError(`model type is "${m.header.modelType}", not a sentiment model (expected ${TEXT_CLASSIFIER_TYPES.join(' or ')})`, { file: path, flag: '--model' });
  }
  return textClassifierFromModelFile(m, path) as SentimentClassifier | NgramClassifier;
}

/** The target a model was trained for: an n-gram model stores it; recurrent models read the label column as is. */
export function modelTarget(model: unknown): Target {
  return model instanceof NgramClassifier ? model.config.target : 'label';
}

/**
 * Evaluate a model of either kind on a labelled file. The target (and label column) default to the model's own;
 * star targets add star metrics (and, for n-gram models, the decoding comparison).
 */
export function evaluateClassifierFile(model: SentimentClassifier | NgramClassifier, path: string, opts: DataOptions = {}): TextEvalReport & { examples: number; target: Target } {
  const target = opts.target ?? modelTarget(model);
  const stars = isStarTarget(target);
  if (model instanceof SentimentClassifier) {
    const r = evaluateFile(model, path, { ...opts, target });
    const out: TextEvalReport & { examples: number; target: Target } = { ...r, target };
    if (stars) out.stars = starReportFromConfusion(r.confusion, model.labels.map(starValue));
    return out;
  }
  const labelColumn = opts.labelColumn ?? model.config.labelColumn;
  const xs = readLabelledFile(path, { format: opts.format, textColumn: opts.textColumn, labelColumn, header: opts.header, target });
  if (!xs.length) throw new WordloomError('no examples', { file: path });
  return { ...evaluateTexts(model, xs, { stars }), examples: xs.length, target };
}
