/**
 * Node side of the n-gram sentiment model: load the splits (any target), tokenize, build fastText's dictionary and
 * features from the training split, train (1 thread deterministic, or Hogwild workers), evaluate on dev and test
 * (with star metrics and the decoding comparison for star targets), and save a "sentiment-ngram" model file
 * atomically.
 */
import { existsSync } from 'node:fs';
import { writeFileAtomic } from '../../util/fs-node.ts';
import { WordloomError } from '../../util/errors.ts';
import { silentProgress, type ProgressReporter } from '../../util/progress.ts';
import { Tokenizer, type TokenizerOptions } from '../../text/tokenizer.ts';
import { LabelSet, type LabelledText } from '../../text/datasets.ts';
import { loadSplits, type DatasetSplits } from '../../text/datasets-node.ts';
import { isStarTarget, TARGET_LABELS, type Target } from '../../text/targets.ts';
import { resolveFastTextArgs, type FastTextTrainArgs } from '../../embeddings/fasttext/args.ts';
import { FastTextDictionary } from '../../embeddings/fasttext/dictionary.ts';
import { packExamples } from '../../embeddings/fasttext/train.ts';
import { trainFastText } from '../../embeddings/fasttext/train-node.ts';
import { NgramClassifier, type StarDecode } from './ngram.ts';
import { evaluateTexts, type TextEvalReport } from './evaluate.ts';
import type { DataOptions } from './train-node.ts';

/**
 * Defaults of `sentiment train --arch ngram`: fastText's supervised defaults except where measured better on IMDB
 * (docs/sentiment.md, bench/results/ngram-sweep-*.jsonl): dim 10, word bigrams, lr 0.5, 10 epochs. NB-scaled
 * features (`nb`) are on for two-class and star targets unless set (`--no-nb`: plain fastText); star targets decode
 * by the median of the predicted distribution (lowest dev MAE of argmax / median / mean).
 */
export const NGRAM_DEFAULTS: Partial<FastTextTrainArgs> & { decode: StarDecode } = {
  dim: 10,
  wordNgrams: 2,
  bucket: 2_000_000,
  lr: 0.5,
  epochs: 10,
  minCount: 1,
  loss: 'softmax',
  threads: 1,
  seed: 1,
  decode: 'median',
};

export interface NgramTrainOptions extends DataOptions {
  /** Dataset directory or file (--data). */
  data: string;
  /** Output model file (--out); empty = keep in memory. */
  out?: string;
  /** Replace an existing --out. */
  force?: boolean;
  /** fastText options (missing = NGRAM_DEFAULTS, then fastText's defaults). */
  args?: Partial<FastTextTrainArgs>;
  /** Star decoding stored in the model (star targets). Default NGRAM_DEFAULTS.decode. */
  decode?: StarDecode;
  /** Tokenizer options. */
  tokenizer?: TokenizerOptions;
  /** Evaluate on the test split. Default true. */
  evalTest?: boolean;
  progress?: ProgressReporter;
  log?: (line: string) => void;
  /** Preloaded splits (tests, sweeps). */
  splits?: DatasetSplits;
}

export interface NgramTrainResult {
  args: FastTextTrainArgs;
  target: Target;
  decode: StarDecode;
  labels: string[];
  vocabSize: number;
  params: number;
  trainExamples: number;
  /** Seconds to read, tokenize and featurize all splits. */
  prepSeconds: number;
  /** Seconds of SGD, tokens processed and tokens/s (fastText's count: words + "</s>" + label per line). */
  trainSeconds: number;
  tokens: number;
  tokensPerSecond: number;
  trainLoss: number;
  dev: TextEvalReport;
  test: TextEvalReport | null;
  classifier: NgramClassifier;
}

/** Class names for a target, in scale order: the target's classes present in train (any label set for 'label'). */
export function targetLabelSet(target: Target, train: readonly LabelledText[]): string[] {
  if (target === 'label') return [...LabelSet.infer(train).names];
  const present = new Set(train.map((e) => e.label));
  return TARGET_LABELS[target].filter((l) => present.has(l));
}

/** Train, evaluate and save an n-gram model (see the file header). */
export async function trainNgram(opts: NgramTrainOptions): Promise<NgramTrainResult> {
  const log = opts.log ?? (() => {});
  const out = opts.out ?? '';
  if (out && !opts.force && existsSync(out)) throw new WordloomError('output file exists (pass --force to replace it)', { file: out, flag: '--out' });
  const given = stripUndefined(opts.args ?? {});
  const args = resolveFastTextArgs({ ...NGRAM_DEFAULTS, decode: undefined, ...given } as Partial<FastTextTrainArgs>);
  const target = opts.target ?? 'label';
  const decode = opts.decode ?? NGRAM_DEFAULTS.decode;
  const t0 = performance.now();
  const splits = opts.splits ?? loadSplits(opts.data, {
    format: opts.format, textColumn: opts.textColumn, labelColumn: opts.labelColumn, header: opts.header, seed: args.seed,
    target, devFraction: opts.devFraction, testFile: opts.testFile,
  });
  if (!splits.train.length) throw new WordloomError('no training examples', { file: splits.sources.train, flag: '--data' });
  const labels = targetLabelSet(target, splits.train);
  const labelSet = new LabelSet(labels);
  if (given.nb === undefined) args.nb = labels.length === 2 || isStarTarget(target);
  const tok = new Tokenizer(opts.tokenizer ?? {});
  const trainTok = splits.train.map((e) => tok.tokenize(e.text));
  const dict = FastTextDictionary.build(trainTok, args.minCount);
  const feats = trainTok.map((t) => dict.features(t, args.wordNgrams, args.bucket).ids);
  const ex = packExamples(feats, splits.train.map((e) => labelSet.index(e.label, e)), trainTok.map((t) => t.length + 2));
  const prepSeconds = (performance.now() - t0) / 1000;
  log(`data: ${splits.train.length} train, ${splits.dev.length} dev, ${splits.test.length} test (target ${target}: ${labels.join(',')}); ` +
    `dictionary ${dict.size} words, ${ex.ids.length} training features; prepared in ${prepSeconds.toFixed(1)} s`);

  const run = await trainFastText(ex, dict, labels, args, opts.progress ?? silentProgress, `train (${args.epochs} epochs)`, { nbGroups: nbGroupsFor(target, labels) });
  const clf = new NgramClassifier(run.model, { target, labelColumn: opts.labelColumn === undefined ? undefined : String(opts.labelColumn), decode, tokenizer: tok.toJSON() });
  const tps = run.tokens / run.seconds;
  log(`trained in ${run.seconds.toFixed(2)} s (${Math.round(tps)} tokens/s, ${args.threads} thread${args.threads > 1 ? 's' : ''}), last-pass loss ${run.loss.toFixed(4)}`);
  const stars = isStarTarget(target);
  const dev = splits.dev.length ? evaluateTexts(clf, splits.dev, { stars }) : emptyReport(labels);
  log(`dev: accuracy ${(100 * dev.accuracy).toFixed(2)}%${dev.stars ? `, MAE ${dev.stars.mae.toFixed(3)} stars, within one ${(100 * dev.stars.withinOne).toFixed(2)}%` : ''}`);
  const test = (opts.evalTest ?? true) && splits.test.length ? evaluateTexts(clf, splits.test, { stars }) : null;
  if (test) log(`test: accuracy ${(100 * test.accuracy).toFixed(2)}%${test.stars ? `, MAE ${test.stars.mae.toFixed(3)} stars, within one ${(100 * test.stars.withinOne).toFixed(2)}%` : ''}`);
  const result: NgramTrainResult = {
    args, target, decode, labels, vocabSize: dict.size, params: run.model.paramCount(), trainExamples: splits.train.length, prepSeconds,
    trainSeconds: run.seconds, tokens: run.tokens, tokensPerSecond: tps, trainLoss: run.loss, dev, test, classifier: clf,
  };
  if (out) {
    const summary = { args, target, trainSeconds: run.seconds, devAccuracy: dev.accuracy, ...(dev.stars ? { devMae: dev.stars.mae } : {}), data: splits.sources };
    writeFileAtomic(out, clf.toBytes({ training: summary }), { overwrite: true });
  }
  return result;
}

/**
 * NB sides of the classes of a star target: negative reviews (≤ 4 of 10 stars, ≤ 2 of 5) → 0, positive (≥ 7 of 10,
 * ≥ 4 of 5) → 1, the neutral middle → −1 (not counted); undefined for other targets.
 */
export function nbGroupsFor(target: Target, labels: readonly string[]): number[] | undefined {
  if (!isStarTarget(target)) return undefined;
  const [neg, pos] = target === 'stars10' ? [4, 7] : [2, 4];
  return labels.map((l) => (Number(l) <= neg ? 0 : Number(l) >= pos ? 1 : -1));
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function emptyReport(labels: string[]): TextEvalReport {
  return { n: 0, accuracy: 0, macroF1: 0, maeStars: 0, confusion: labels.map(() => labels.map(() => 0)), perClass: [], oovRate: 0 };
}

