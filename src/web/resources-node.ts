/**
 * Loads the playground's backends (Node only) from files chosen at start-up — by default the outputs that
 * `wordloom start` recorded in the cache manifest (.wordloom-cache/manifest.json), or explicit files given on the
 * command line (`wordloom serve --vectors F --sentiment F`). Each part that cannot be loaded becomes
 * `{ ok: false, reason }`, which the API answers as 503 "not available: <reason>" and the page shows as such —
 * except a file named explicitly (--vectors, --sentiment, --review-model): if it cannot be loaded, loadBackends throws.
 * Request data never reaches this module.
 */
import { existsSync, readFileSync } from 'node:fs';
import { basename, resolve, relative, isAbsolute } from 'node:path';
import { loadVectors } from '../embeddings/io-node.ts';
import { WordloomError } from '../util/errors.ts';
import { cacheLayout, readManifest, type Manifest } from '../tasks/start/cache.ts';
import { readRunLogs } from '../tasks/start/logs-node.ts';
import type { Backends, Loaded, WordsBackend, TrainingBackend, SentimentBackend, MemoryBackend, GloveBackend, ReviewBackend } from './backends.ts';
import { loadTextClassifier } from '../tasks/sentiment/classifier-node.ts';
import type { MemorySweep, GateTraces } from './api-types.ts';
import type { SweepResult } from '../tasks/memory/sweep.ts';
import type { GateTraces as RawTraces } from '../tasks/memory/train.ts';
import { cooccurrenceTable, type CooccurrenceRows } from '../tasks/start/step-glove.ts';
import { embeddingTokenizer } from '../embeddings/glove/cooccur-node.ts';
import { wordsBackend, sentimentBackend } from './adapters.ts';
import { loadSentimentModel } from '../tasks/sentiment/train-node.ts';

export interface ResourceOptions {
  /** The pipeline cache folder (default .wordloom-cache). */
  cacheDir?: string;
  /** Word-vector file (any format `parseVectors` detects); overrides the cache's. */
  vectors?: string;
  /** Sentiment model file; overrides the cache's. */
  sentiment?: string;
  /** Whole-review model file (any sentiment model kind) for the Reviews tab; optional. */
  review?: string;
}

const START_HINT = 'run `npm start` (or `wordloom start`) first';

function errMsg(e: unknown): string { return e instanceof Error ? e.message : String(e); }

/** A manifest output path, resolved and checked to stay inside the cache root. */
export function cacheOutput(root: string, m: Manifest, step: string, output: string): string | null {
  const rel = m.steps[step]?.outputs[output];
  if (!rel) return null;
  const p = resolve(root, rel);
  const r = relative(resolve(root), p);
  if (r.startsWith('..') || isAbsolute(r)) return null;
  return p;
}

export function loadWords(file: string): Loaded<WordsBackend> {
  try {
    const wv = loadVectors(file);
    wv.source.file = basename(file);
    return { ok: true, value: wordsBackend(wv), info: { source: basename(file), format: wv.source.format, vocab: wv.size, dim: wv.dim } };
  } catch (e) {
    return { ok: false, reason: `cannot load word vectors from ${basename(file)}: ${errMsg(e)}` };
  }
}

export function loadSentiment(file: string): Loaded<SentimentBackend> {
  try {
    const m = loadSentimentModel(file);
    const c = m.config;
    return {
      ok: true, value: { ...sentimentBackend(m), modelBytes: new Uint8Array(readFileSync(file)) },
      info: { source: basename(file), cell: `${c.bidirectional ? 'Bi' : ''}${c.cell.toUpperCase()} h=${c.hiddenSize}`, classes: m.labels.length, vocab: m.vocab.size },
    };
  } catch (e) {
    return { ok: false, reason: `cannot load the sentiment model from ${basename(file)}: ${errMsg(e)}` };
  }
}

/** Why the Reviews tab has no review model when none was given. */
export const NO_REVIEW_MODEL = 'no review model loaded (start the server with `wordloom serve --review-model <file.wl>`); the sentence model rates whole reviews meanwhile';

/** A model trained on whole reviews, of any kind (recurrent, n-gram, …). */
export function loadReview(file: string): Loaded<ReviewBackend> {
  if (!existsSync(file)) return { ok: false, reason: `review model file not found: ${file}` };
  try {
    const classifier = loadTextClassifier(file);
    return { ok: true, value: { classifier, modelBytes: new Uint8Array(readFileSync(file)) }, info: { source: basename(file), kind: classifier.kind, labels: [...classifier.labels] } };
  } catch (e) {
    return { ok: false, reason: `cannot load the review model from ${basename(file)}: ${errMsg(e)}` };
  }
}

/** The memory sweep (SweepResult JSON) and gate traces (gateTraces JSON) in the page's shapes. */
export function loadMemory(sweepFile: string, tracesFile: string | null): Loaded<MemoryBackend> {
  try {
    const r = JSON.parse(readFileSync(sweepFile, 'utf8')) as SweepResult;
    if (!Array.isArray(r.summary) || !Array.isArray(r.cells)) throw new Error('not a memory sweep result (no "summary")');
    const sweep: MemorySweep = {
      measure: 'success rate',
      criterion: `success = test MSE < ${+r.threshold.toPrecision(3)} (1 % of Var(x₁)); ${r.seeds.length} seeds per point`,
      series: r.cells.map((cell) => ({
        name: cell.toUpperCase(),
        points: r.summary.filter((s) => s.cell === cell).map((s) => ({ length: s.length, value: s.successRate })),
      })),
      info: { hidden: r.train.hidden, 'steps ≤': r.train.steps, batch: r.train.batch, lr: r.train.lr, runs: r.runs.length },
    };
    let traces: GateTraces | null = null;
    if (tracesFile && existsSync(tracesFile)) {
      const t = JSON.parse(readFileSync(tracesFile, 'utf8')) as RawTraces & { training?: { testMse?: number; solved?: boolean } };
      const gates: Record<string, number[][]> = { ...t.gates };
      if (t.c) gates.c = t.c;
      gates.h = t.h;
      traces = {
        cell: t.cell, T: t.T, H: t.hidden, inputs: t.x, gates,
        info: { target: +t.target.toFixed(3), prediction: +t.prediction.toFixed(3), ...(t.training?.testMse !== undefined ? { 'test MSE': t.training.testMse.toExponential(2) } : {}) },
      };
    }
    return { ok: true, value: { sweep, traces }, info: { source: basename(sweepFile), traces: traces !== null } };
  } catch (e) {
    return { ok: false, reason: `cannot read the memory sweep ${basename(sweepFile)}: ${errMsg(e)}` };
  }
}

/** Co-occurrence rows of the probe words (step-glove.ts) → ratios for any context word. */
export function loadGlove(file: string): Loaded<GloveBackend> {
  try {
    const c = JSON.parse(readFileSync(file, 'utf8')) as CooccurrenceRows;
    if (!Array.isArray(c.probes) || !Array.isArray(c.rows) || c.rows.length !== c.probes.length) throw new Error('not a co-occurrence rows file');
    const ctx = new Set(c.contexts);
    const probes = new Set(c.probes);
    const tok = embeddingTokenizer();
    return {
      ok: true,
      value: {
        probes: c.probes,
        normalize: (w) => tok.tokenize(w)[0] ?? w.trim().toLowerCase(),
        isProbe: (w) => probes.has(w),
        has: (w) => ctx.has(w),
        ratios: (a, b, ks) => cooccurrenceTable(c, a, b, ks),
      },
      info: { corpus: c.corpus.join(' + '), tokens: c.tokens, window: c.windowSize, weighting: c.distanceWeighting ? '1/d' : '1', contexts: c.contexts.length, probes: c.probes },
    };
  } catch (e) {
    return { ok: false, reason: `cannot read the co-occurrence rows ${basename(file)}: ${errMsg(e)}` };
  }
}

export function loadTraining(logsDir: string): Loaded<TrainingBackend> {
  if (!existsSync(logsDir)) return { ok: false, reason: `no training logs yet (${START_HINT})` };
  const runs = readRunLogs(logsDir);
  if (!runs.length) return { ok: false, reason: `no training logs yet (${START_HINT})` };
  return { ok: true, value: { runs: () => readRunLogs(logsDir) }, info: { runs: runs.map((r) => r.name) } };
}

export function loadBackends(opts: ResourceOptions = {}): Backends {
  const root = opts.cacheDir ?? '.wordloom-cache';
  const layout = cacheLayout(root);
  let manifest: Manifest = { version: 1, steps: {} };
  let manifestError = '';
  try { manifest = readManifest(root); } catch (e) { manifestError = errMsg(e); }
  const fromCache = (step: string, output: string, what: string): { file: string } | { reason: string } => {
    if (manifestError) return { reason: manifestError };
    const f = cacheOutput(root, manifest, step, output);
    if (!f) return { reason: `no ${what} in ${root} (${START_HINT})` };
    if (!existsSync(f)) return { reason: `${what} file ${relative(root, f)} is missing from ${root} (${START_HINT})` };
    return { file: f };
  };

  let words: Loaded<WordsBackend>;
  if (opts.vectors) words = existsSync(opts.vectors) ? loadWords(opts.vectors) : { ok: false, reason: `vectors file not found: ${opts.vectors}` };
  else {
    const c = fromCache('vectors', 'vectors', 'word vectors');
    words = 'file' in c ? loadWords(c.file) : { ok: false, reason: c.reason };
  }

  let sentiment: Loaded<SentimentBackend>;
  if (opts.sentiment) sentiment = existsSync(opts.sentiment) ? loadSentiment(opts.sentiment) : { ok: false, reason: `sentiment model file not found: ${opts.sentiment}` };
  else {
    const c = fromCache('sentiment', 'model', 'sentiment model');
    sentiment = 'file' in c ? loadSentiment(c.file) : { ok: false, reason: c.reason };
  }
  // A file named on the command line must load: the server does not start without it (exit 2, one line).
  if (opts.vectors && !words.ok) throw new WordloomError(words.reason, { flag: '--vectors' });
  if (opts.sentiment && !sentiment.ok) throw new WordloomError(sentiment.reason, { flag: '--sentiment' });
  const ms = fromCache('memory', 'sweep', 'memory sweep');
  const memory: Loaded<MemoryBackend> = 'file' in ms ? loadMemory(ms.file, cacheOutput(root, manifest, 'memory', 'traces')) : { ok: false, reason: ms.reason };
  const gs = fromCache('glove', 'rows', 'GloVe co-occurrence rows');
  const glove: Loaded<GloveBackend> = 'file' in gs ? loadGlove(gs.file) : { ok: false, reason: gs.reason };
  const training = loadTraining(layout.logsDir);
  let review: Loaded<ReviewBackend>;
  if (opts.review) {
    review = loadReview(opts.review);
    if (!review.ok) throw new WordloomError(review.reason, { flag: '--review-model' });
  } else {
    const c = fromCache('reviews', 'model', 'review model');
    review = 'file' in c ? loadReview(c.file) : { ok: false, reason: `${c.reason}; or start the server with \`wordloom serve --review-model <file.wl>\`` };
  }
  return { words, sentiment, memory, training, glove, review };
}
