/**
 * Node side of sentiment training: load the data (SST trees / TSV / CSV / JSONL), build the vocabulary, load
 * pretrained vectors, train with dev evaluation each epoch and early stopping, keep the best model in `out`
 * (atomic writes), write a resumable checkpoint `<out>.ckpt` after every epoch and every `checkpointMinutes` inside
 * an epoch (weights, Adam state, RNG state, history, position in the epoch), evaluate the best model on test.
 * Same seed ⇒ same result, also across --resume (from an epoch end or from the middle of an epoch).
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { checkWritable, writeFileAtomic } from '../../util/fs-node.ts';
import { WordloomError } from '../../util/errors.ts';
import { Rng } from '../../util/rng.ts';
import { silentProgress, type ProgressReporter } from '../../util/progress.ts';
import { encodeModelFile, decodeModelFile, modelTensors } from '../../nn/model-file.ts';
import type { Adam } from '../../nn/optim.ts';
import { loadModelFile } from '../../nn/model-file-node.ts';
import { Tokenizer } from '../../text/tokenizer.ts';
import { Vocabulary } from '../../text/vocabulary.ts';
import { LabelSet, binarize, type LabelledText, type ColumnOptions } from '../../text/datasets.ts';
import { loadSplits, readLabelledFile, type DatasetFormat, type DatasetSplits } from '../../text/datasets-node.ts';
import type { Target } from '../../text/targets.ts';
import { loadVectors } from '../../embeddings/io-node.ts';
import type { WordVectors } from '../../embeddings/word-vectors.ts';
import { checkSentimentResume, resolveConfig, SENTIMENT_DEFAULTS, type SentimentConfig } from './config.ts';
import { SentimentClassifier, type PretrainedInitStats } from './model.ts';
import { createTrainer, trainEpoch, evaluate, type EncodedSet, type Trainer, type EpochPartial } from './train.ts';
import type { ClassificationReport } from './metrics.ts';

export interface DataOptions extends ColumnOptions {
  /** Input format of files ('auto' by default). */
  format?: DatasetFormat;
  /** What to predict (--target): the label column as written, or polarity / stars10 / stars5 from a rating column. */
  target?: Target;
  /** Fraction of train taken as the seeded dev split when there is no dev file (--dev-fraction). Default 0.1. */
  devFraction?: number;
  /** With a single --data file: the test file (--test) instead of a seeded test split. */
  testFile?: string;
  /** Use only this fraction of the training sentences (seeded choice; for learning curves). Default 1. */
  trainFraction?: number;
}

export interface TrainRunOptions extends DataOptions {
  /** Dataset directory or file (--data). */
  data: string;
  /** Output model file (--out); `<out>.ckpt` is the checkpoint. Empty = keep in memory only (tests, curves). */
  out?: string;
  /** Replace an existing output file / start over despite a checkpoint. */
  force?: boolean;
  /** Continue from `<out>.ckpt`. */
  resume?: boolean;
  /**
   * Also write `<out>.ckpt` inside an epoch when this many minutes have passed since the last checkpoint
   * (--checkpoint-minutes). 0 = only at epoch ends. Does not change the result. Default 2.
   */
  checkpointMinutes?: number;
  /** Model and training options (missing = DEFAULTS). */
  config?: Partial<SentimentConfig>;
  /** Evaluate the best model on the test split at the end. Default true. */
  evalTest?: boolean;
  /** Progress bar for each epoch. */
  progress?: ProgressReporter;
  /** Log lines (epoch summaries). */
  log?: (line: string) => void;
  /** Preloaded vectors (so a learning curve reads the file once). */
  vectors?: WordVectors | null;
  /** Preloaded splits. */
  splits?: DatasetSplits;
}

export interface EpochRecord {
  epoch: number;
  trainLoss: number;
  trainAccuracy: number;
  devAccuracy: number;
  devMacroF1: number;
  devLoss: number;
  seconds: number;
  cpuSeconds: number;
  tokensPerSecond: number;
}

export interface TrainResult {
  config: SentimentConfig;
  labels: string[];
  vocabSize: number;
  trainExamples: number;
  trainSentences: number;
  devOovRate: number;
  pretrained: PretrainedInitStats | null;
  params: number;
  history: EpochRecord[];
  bestEpoch: number;
  bestDevAccuracy: number;
  test: (ClassificationReport & { oovRate: number }) | null;
  model: SentimentClassifier;
  stoppedEarly: boolean;
  resumedFromEpoch: number;
}

/** Prepared data: labels, tokenizer, vocabulary, encoded splits. */
export interface PreparedData {
  labels: LabelSet;
  train: EncodedSet;
  dev: EncodedSet;
  test: EncodedSet;
  vocab: Vocabulary;
  devOovRate: number;
  testOovRate: number;
  trainSentences: number;
}

/** Labels, tokens, vocabulary and encodings for a config. */
export function prepareData(splits: DatasetSplits, cfg: SentimentConfig, opts: DataOptions = {}): PreparedData {
  let { train, dev, test } = splits;
  if (!train.length) throw new WordloomError('no training examples', { file: splits.sources.train, flag: '--data' });
  if (!dev.length) throw new WordloomError('no dev examples (needed for early stopping)', { file: splits.sources.dev, flag: '--data' });
  const frac = opts.trainFraction ?? 1;
  if (!(frac > 0 && frac <= 1)) throw new WordloomError(`train fraction must be in (0, 1], got ${frac}`, { flag: '--fractions' });
  if (frac < 1) {
    // Seeded subset of sentences; their phrases come along (phrases carry the line of their sentence).
    const lines = [...new Set(train.map((e) => `${e.file}:${e.line}`))];
    new Rng(cfg.seed).fork(7).shuffle(lines);
    const keep = new Set(lines.slice(0, Math.max(1, Math.round(lines.length * frac))));
    train = train.filter((e) => keep.has(`${e.file}:${e.line}`));
  }
  const base = LabelSet.infer([...train, ...dev]);
  if (cfg.binary) {
    train = binarize(train, base.names); dev = binarize(dev, base.names); test = binarize(test, base.names);
  }
  const labels = cfg.binary ? new LabelSet(['0', '1']) : base;
  if (cfg.numClasses !== labels.size) cfg.numClasses = labels.size;
  const tok = new Tokenizer(cfg.tokenizer);
  const tokensOf = (xs: LabelledText[]) => xs.map((e) => {
    const t = tok.tokenize(e.text);
    if (t.length === 0) throw new WordloomError('text has no tokens (empty text?)', { file: e.file, line: e.line });
    return t;
  });
  const trainTok = tokensOf(train), devTok = tokensOf(dev), testTok = tokensOf(test);
  const sentences = trainTok.filter((_, i) => !train[i].phrase);
  const vocab = Vocabulary.build(sentences, { minCount: cfg.minCount, maxSize: cfg.maxVocab });
  const enc = (xs: LabelledText[], tk: string[][]): { set: EncodedSet; oov: number } => {
    const { ids, stats } = vocab.encodeAll(tk);
    return { set: { ids, labels: Int32Array.from(xs.map((e) => labels.index(e.label, e))), tokens: stats.tokens }, oov: stats.oovRate };
  };
  const tr = enc(train, trainTok), dv = enc(dev, devTok), te = enc(test, testTok);
  return { labels, train: tr.set, dev: dv.set, test: te.set, vocab, devOovRate: dv.oov, testOovRate: te.oov, trainSentences: sentences.length };
}

/** Load the dataset named by --data (honouring phrases / format / columns). */
export function loadData(opts: TrainRunOptions, cfg: SentimentConfig): DatasetSplits {
  return opts.splits ?? loadSplits(opts.data, {
    format: opts.format, phrases: cfg.phrases, textColumn: opts.textColumn, labelColumn: opts.labelColumn, header: opts.header, seed: cfg.seed,
    target: opts.target, devFraction: opts.devFraction, testFile: opts.testFile,
  });
}

/** Load pretrained vectors if the config asks for them. */
export function loadPretrained(cfg: SentimentConfig, progress?: ProgressReporter): WordVectors | null {
  if (cfg.input !== 'embedding' || cfg.embeddingInit !== 'pretrained') return null;
  if (!cfg.vectorsFile) throw new WordloomError('pretrained embeddings need a vectors file', { flag: '--embeddings' });
  let path = cfg.vectorsFile;
  // The default vectors ship with the package: look next to it when the working directory is elsewhere.
  if (!existsSync(path) && path === SENTIMENT_DEFAULTS.vectorsFile) {
    const inPackage = fileURLToPath(new URL(`../../../${path}`, import.meta.url));
    if (existsSync(inPackage)) path = inPackage;
  }
  return loadVectors(path, { progress });
}

const CKPT_TYPE = 'sentiment-checkpoint';

interface CheckpointMeta {
  epoch: number;
  history: EpochRecord[];
  bestEpoch: number;
  bestDevAccuracy: number;
  badEpochs: number;
  rngState: number[];
  optimizerSteps: number[];
  pretrained: PretrainedInitStats | null;
  trainConfig: SentimentConfig;
  /** Set when the checkpoint was written inside epoch `epoch + 1`. */
  partial?: EpochPartial;
}

function saveCheckpoint(path: string, model: SentimentClassifier, trainer: Trainer, meta: CheckpointMeta): void {
  const { tensors, weights } = model.exportWeights();
  const extraT: Array<{ name: string; shape: number[] }> = [];
  const extraW: Float32Array[] = [];
  trainer.optimizers.forEach((opt, i) => {
    const st = (opt as Adam).exportState();
    for (const [slot, buf] of Object.entries(st.slots)) {
      extraT.push({ name: `adam.${i}.${slot}`, shape: [buf.length] });
      extraW.push(buf instanceof Float32Array ? buf : Float32Array.from(buf));
    }
  });
  const all = new Float32Array(weights.length + extraW.reduce((a, w) => a + w.length, 0));
  all.set(weights);
  let o = weights.length;
  for (const w of extraW) { all.set(w, o); o += w.length; }
  const bytes = encodeModelFile({
    modelType: CKPT_TYPE, config: model.fileConfig(), tensors: [...tensors, ...extraT],
    metadata: { vocabulary: model.vocab.toJSON(), checkpoint: meta },
  }, all);
  writeFileAtomic(path, bytes, { overwrite: true });
}

function sameVocabulary(a: Vocabulary, b: Vocabulary): boolean {
  return a.size === b.size && a.tokens.every((t, i) => t === b.tokens[i]);
}

/** Train a classifier end to end (see the file header). */
export function trainSentiment(opts: TrainRunOptions): TrainResult {
  const cfg = resolveConfig(opts.config ?? {});
  const log = opts.log ?? (() => {});
  const progress = opts.progress ?? silentProgress;
  const out = opts.out ?? '';
  const ckptPath = out ? `${out}.ckpt` : '';
  if (out && !opts.force && !opts.resume) {
    if (existsSync(out)) throw new WordloomError('output file exists (pass --force to replace it, or --resume to continue)', { file: out, flag: '--out' });
    if (existsSync(ckptPath)) throw new WordloomError('a checkpoint of an earlier run exists (pass --resume to continue it, or --force to start over)', { file: ckptPath, flag: '--resume' });
  }
  if (opts.resume && (!out || !existsSync(ckptPath))) throw new WordloomError('no checkpoint to resume from', { file: ckptPath || '(no --out)', flag: '--resume' });
  // Every output location is checked before the first step (folder exists, is writable), so no run is lost.
  if (out) { checkWritable(out, '--out', { force: true }); checkWritable(ckptPath, '--out', { force: true }); }
  const ckptMinutes = opts.checkpointMinutes ?? 2;
  if (!(ckptMinutes >= 0)) throw new WordloomError(`checkpoint interval must be ≥ 0 minutes, got ${ckptMinutes}`, { flag: '--checkpoint-minutes' });

  // On resume the checkpoint's config wins for everything that shapes the model and the data.
  let ckpt: ReturnType<typeof decodeModelFile> | null = null;
  if (opts.resume) {
    ckpt = loadModelFile(ckptPath);
    if (ckpt.header.modelType !== CKPT_TYPE) throw new WordloomError(`not a sentiment checkpoint (model type "${ckpt.header.modelType}")`, { file: ckptPath });
    const meta = ckpt.header.metadata?.checkpoint as CheckpointMeta | undefined;
    if (!meta) throw new WordloomError('checkpoint has no training state', { file: ckptPath });
    const keepEpochs = opts.config?.epochs;
    Object.assign(cfg, meta.trainConfig);
    // Checkpoints from before one-hot input lost its vocabulary cap store the cap (`onehotMaxVocab`, 2,000) apart
    // from maxVocab: fold it in so the same vocabulary is rebuilt.
    const legacy = cfg as SentimentConfig & { onehotMaxVocab?: number };
    if (legacy.onehotMaxVocab !== undefined) {
      if (cfg.input === 'onehot') cfg.maxVocab = Math.min(cfg.maxVocab || Infinity, legacy.onehotMaxVocab);
      delete legacy.onehotMaxVocab;
    }
    // A flag given now that contradicts the checkpoint would be ignored: refuse it (only --epochs, --patience may change).
    checkSentimentResume(opts.config ?? {}, cfg, ckptPath);
    if (keepEpochs !== undefined) cfg.epochs = keepEpochs;
    if (opts.config?.patience !== undefined) cfg.patience = opts.config.patience;
  }

  const splits = loadData(opts, cfg);
  const data = prepareData(splits, cfg, opts);
  log(`data: ${data.train.ids.length} training examples (${data.trainSentences} sentences), ${data.dev.ids.length} dev, ${data.test.ids.length} test; ` +
    `classes ${data.labels.names.join(',')}; vocabulary ${data.vocab.size}; dev OOV ${(100 * data.devOovRate).toFixed(2)}%`);

  let vectors: WordVectors | null = null;
  if (!ckpt) {
    vectors = opts.vectors !== undefined && cfg.embeddingInit === 'pretrained' ? opts.vectors : loadPretrained(cfg);
    if (vectors) cfg.embeddingDim = vectors.dim;
  }
  const model = new SentimentClassifier(cfg, data.vocab, data.labels.names, cfg.tokenizer);
  const initRng = new Rng(cfg.seed);
  let pretrained = model.initialize(initRng, { initScale: cfg.initScale, pretrained: vectors });
  if (pretrained) log(`pretrained vectors: ${pretrained.found} of ${pretrained.found + pretrained.missing} words found (${(100 * pretrained.tokenCoverage).toFixed(1)}% of training tokens); the rest random`);
  const trainer = createTrainer(model, cfg);
  const rng = new Rng(cfg.seed).fork(1);
  let history: EpochRecord[] = [];
  let bestEpoch = 0, bestDev = -1, badEpochs = 0, startEpoch = 0;
  let partial: EpochPartial | undefined;

  if (ckpt) {
    const meta = ckpt.header.metadata!.checkpoint as CheckpointMeta;
    const v = Vocabulary.fromJSON(ckpt.header.metadata?.vocabulary, ckptPath);
    if (!sameVocabulary(v, data.vocab)) {
      throw new WordloomError(`checkpoint vocabulary (${v.size} entries) differs from the one built from --data (${data.vocab.size}): different data or options`, { file: ckptPath, flag: '--resume' });
    }
    model.loadWeights(ckpt, ckptPath);
    const ts = modelTensors(ckpt);
    trainer.optimizers.forEach((opt, i) => {
      const m = ts.get(`adam.${i}.m`), vv = ts.get(`adam.${i}.v`);
      if (!m || !vv) throw new WordloomError(`checkpoint has no Adam state for parameter set ${i}`, { file: ckptPath });
      opt.importState({ config: opt.getConfig(), step: meta.optimizerSteps[i], slots: { m: m.data, v: vv.data } }, trainer.sets[i]);
    });
    rng.setState(meta.rngState);
    history = meta.history; bestEpoch = meta.bestEpoch; bestDev = meta.bestDevAccuracy; badEpochs = meta.badEpochs; startEpoch = meta.epoch;
    pretrained = meta.pretrained;
    partial = meta.partial;
    log(`resumed from ${ckptPath} after epoch ${startEpoch}${partial ? ` + ${partial.seen} examples of epoch ${startEpoch + 1}` : ''} ` +
      `(best dev ${(100 * bestDev).toFixed(2)}% at epoch ${bestEpoch})`);
  }

  let best: Uint8Array | null = null;
  if (ckpt && out && existsSync(out)) best = readFileSync(out);
  let stoppedEarly = false;
  for (let epoch = startEpoch + 1; epoch <= cfg.epochs; epoch++) {
    if (cfg.patience > 0 && badEpochs >= cfg.patience) { stoppedEarly = true; break; }
    const saveMeta = (done: number, extra: Partial<CheckpointMeta> = {}): CheckpointMeta => ({
      epoch: done, history, bestEpoch, bestDevAccuracy: bestDev, badEpochs, rngState: rng.getState(),
      optimizerSteps: trainer.optimizers.map((o) => o.stepCount), pretrained, trainConfig: cfg, ...extra,
    });
    let lastCkpt = performance.now();
    const onStep = ckptPath && ckptMinutes > 0 ? (p: EpochPartial): void => {
      if (performance.now() - lastCkpt < ckptMinutes * 60_000) return;
      saveCheckpoint(ckptPath, model, trainer, saveMeta(epoch - 1, { partial: p }));
      lastCkpt = performance.now();
    } : undefined;
    const st = trainEpoch(model, trainer, data.train, cfg, rng, progress, `epoch ${epoch}/${cfg.epochs}`, { resume: partial, onStep });
    partial = undefined;
    const dev = evaluate(model, data.dev, 100, cfg.maxBatchTokens);
    const rec: EpochRecord = {
      epoch, trainLoss: st.loss, trainAccuracy: st.accuracy, devAccuracy: dev.accuracy, devMacroF1: dev.macroF1, devLoss: dev.loss ?? NaN,
      seconds: st.seconds, cpuSeconds: st.cpuSeconds, tokensPerSecond: st.tokens / st.seconds,
    };
    history.push(rec);
    const improved = dev.accuracy > bestDev;
    if (improved) {
      bestDev = dev.accuracy; bestEpoch = epoch; badEpochs = 0;
      best = model.toBytes({ trainedEpochs: epoch, devAccuracy: dev.accuracy, history });
      if (out) writeFileAtomic(out, best, { overwrite: true });
    } else badEpochs++;
    log(`epoch ${epoch}: train loss ${st.loss.toFixed(4)} acc ${(100 * st.accuracy).toFixed(2)}% | dev acc ${(100 * dev.accuracy).toFixed(2)}% macro-F1 ${(100 * dev.macroF1).toFixed(2)}% | ` +
      `${st.seconds.toFixed(1)} s, ${Math.round(rec.tokensPerSecond)} tok/s${improved ? ' | best so far' + (out ? `, saved ${out}` : '') : ''}`);
    if (ckptPath) saveCheckpoint(ckptPath, model, trainer, saveMeta(epoch));
  }
  if (!best) throw new WordloomError('no epoch was trained (raise --epochs)', { flag: '--epochs' });
  const bestModel = SentimentClassifier.fromBytes(best, out || '<best model>').model;
  let test: TrainResult['test'] = null;
  if ((opts.evalTest ?? true) && data.test.ids.length) {
    const r = evaluate(bestModel, data.test, 100, cfg.maxBatchTokens);
    const { predictions: _p, ...rest } = r;
    void _p;
    test = { ...rest, oovRate: data.testOovRate };
    log(`test (best epoch ${bestEpoch}): accuracy ${(100 * r.accuracy).toFixed(2)}%, macro-F1 ${(100 * r.macroF1).toFixed(2)}%, MAE ${r.maeStars.toFixed(3)} stars`);
  }
  return {
    config: cfg, labels: [...data.labels.names], vocabSize: data.vocab.size, trainExamples: data.train.ids.length, trainSentences: data.trainSentences,
    devOovRate: data.devOovRate, pretrained, params: model.paramCount(), history, bestEpoch, bestDevAccuracy: bestDev, test, model: bestModel,
    stoppedEarly, resumedFromEpoch: startEpoch,
  };
}

/** Load a saved model file (Node). */
export function loadSentimentModel(path: string): SentimentClassifier {
  const m = loadModelFile(path);
  return SentimentClassifier.fromModelFile(m, path);
}

/** Evaluate a saved model on a labelled file (labels must be the model's label names; binary models accept 5-class files). */
export function evaluateFile(model: SentimentClassifier, path: string, opts: DataOptions = {}): ClassificationReport & { oovRate: number; examples: number } {
  let xs = readLabelledFile(path, { format: opts.format, textColumn: opts.textColumn, labelColumn: opts.labelColumn, header: opts.header, target: opts.target });
  if (!xs.length) throw new WordloomError('no examples', { file: path });
  const labels = new LabelSet(model.labels);
  const fileLabels = LabelSet.infer(xs);
  if (model.labels.length === 2 && fileLabels.size > 2) xs = binarize(xs, fileLabels.names);
  const y = Int32Array.from(xs.map((e) => labels.index(e.label, e)));
  const enc = model.encodeTexts(xs.map((e) => e.text));
  const tokens = enc.tokens.reduce((a, t) => a + t.length, 0), unk = enc.unknown.reduce((a, b) => a + b, 0);
  const r = evaluate(model, { ids: enc.ids, labels: y, tokens });
  const { predictions: _p, ...rest } = r;
  void _p;
  return { ...rest, oovRate: tokens ? unk / tokens : 0, examples: xs.length };
}
