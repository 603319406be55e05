/**
 * The whole GloVe pipeline on corpus files (Node): vocabulary → co-occurrence counts (memory-bounded,
 * spilling sorted runs) → seeded keyed shuffle → AdaGrad training → output vectors.
 * Temporary files live in one TempDir, removed at the end, on error and on Ctrl-C.
 *
 * Reference: the GloVe tool's demo.sh pipeline (vocab_count → cooccur → shuffle → glove).
 */
import { WordloomError } from '../../util/errors.ts';
import { silentProgress, type ProgressReporter } from '../../util/progress.ts';
import { resolveGloveOptions, resumeGloveOptions, type GloveOptions } from './options.ts';
import { countCorpusVocab, CooccurCounter, type CooccurStats } from './cooccur-node.ts';
import { KeyShuffler, SHUFFLE_BUCKETS } from './shuffle-node.ts';
import { TempDir } from './temp-node.ts';
import {
  freeGloveParams, gloveWasmAvailable, initGloveParams, loadCheckpoint, outputVectors, readCheckpointHeader, saveCheckpoint, trainGlove, type GloveParams,
} from './train-node.ts';
import type { KernelChoice } from './train-kernel-node.ts';

/** Pipeline I/O settings (not model options). */
export interface GlovePipelineIO {
  /** Directory for temporary files (default: the OS temp dir). */
  tempDir?: string;
  /** Save a checkpoint every N iterations (0 = never). */
  checkpointEvery?: number;
  /** Checkpoint path (required with checkpointEvery > 0). */
  checkpointPath?: string;
  /** Resume from this checkpoint. */
  resume?: string;
  /** Kernel implementation (default: WASM SIMD when available, else the reference). */
  kernel?: KernelChoice;
  /** Called after each training iteration. */
  onIteration?: (iter: number, cost: number, seconds: number) => void;
}

/** What a run produced. */
export interface GloveResult {
  words: string[];
  counts: Float64Array;
  /** V × d output vectors (per options.model). */
  vectors: Float32Array;
  dim: number;
  params: GloveParams;
  costs: number[];
  /** Kernel used for training. */
  kernel: KernelChoice;
  stats: CooccurStats & { tokens: number; lines: number; distinctWords: number; vocabSize: number; records: number; shuffleBuckets: number };
  /** Wall-clock seconds per stage. */
  seconds: { vocab: number; cooccur: number; mergeShuffle: number; train: number; total: number };
  /** CPU seconds (user + system, all threads) per stage: less sensitive than wall time to other jobs on the machine. */
  cpuSeconds: { vocab: number; cooccur: number; mergeShuffle: number; train: number };
  options: Required<GloveOptions>;
}

/** Count, shuffle and return the training-record file path (inside tmp) with statistics. */
export async function buildTrainingRecords(paths: readonly string[], o: Required<GloveOptions>, tmp: TempDir,
  progress: ProgressReporter = silentProgress) {
  const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1e6; };
  const c0 = cpu();
  const t0 = performance.now();
  const corpus = await countCorpusVocab(paths, tmp, { minCount: o.minCount, maxVocab: o.maxVocab }, progress);
  const t1 = performance.now();
  const c1 = cpu();
  const counter = new CooccurCounter(corpus.vocab.words.length, { windowSize: o.windowSize, symmetric: o.symmetric, distanceWeighting: o.distanceWeighting, memory: o.memory }, tmp);
  await counter.countIds(corpus.idsFile, corpus.vocab.rankOfId, progress);
  const t2 = performance.now();
  const c2 = cpu();
  const shuffler = new KeyShuffler(o.seed, o.memory, o.xMax, o.alpha, tmp);
  await counter.merge((i, j, x) => shuffler.push(i, j, x), progress);
  const recordsFile = tmp.file('train');
  const records = await shuffler.finish(recordsFile, progress);
  const t3 = performance.now();
  const c3 = cpu();
  return {
    corpus, recordsFile, records, counter, shuffleBuckets: SHUFFLE_BUCKETS,
    seconds: { vocab: (t1 - t0) / 1000, cooccur: (t2 - t1) / 1000, mergeShuffle: (t3 - t2) / 1000 },
    cpuSeconds: { vocab: c1 - c0, cooccur: c2 - c1, mergeShuffle: c3 - c2 },
  };
}

/**
 * Train GloVe vectors on corpus files. With `io.resume`, the checkpoint's options are used; given options may
 * only change --iter, --threads and --model (resumeGloveOptions), so pass only the options the user set.
 */
export async function trainGloveOnFiles(paths: readonly string[], options: GloveOptions = {}, io: GlovePipelineIO = {},
  progress: ProgressReporter = silentProgress): Promise<GloveResult> {
  const saved = io.resume ? readCheckpointHeader(io.resume)?.options : undefined;
  const o = resolveGloveOptions(saved ? resumeGloveOptions(options, saved, io.resume!) : options);
  if ((io.checkpointEvery ?? 0) > 0 && !io.checkpointPath) throw new WordloomError('a checkpoint path is needed', { flag: '--checkpoint' });
  const tStart = performance.now();
  const tmp = new TempDir(io.tempDir);
  try {
    const b = await buildTrainingRecords(paths, o, tmp, progress);
    const words = b.corpus.vocab.words;
    const V = words.length;
    const kind: KernelChoice = io.kernel ?? (gloveWasmAvailable() ? 'wasm' : 'reference');
    if (kind === 'wasm' && !gloveWasmAvailable()) throw new WordloomError('the WASM SIMD kernel is not available here', { flag: '--kernel' });
    const p = io.resume ? loadCheckpoint(io.resume, words, o.vectorSize, kind) : initGloveParams(V, o.vectorSize, o.seed, kind);
    const modelOptions = { ...o, threads: undefined } as Record<string, unknown>;
    const t3 = performance.now();
    const c3 = process.cpuUsage();
    try {
      if (p.iter > o.iter) throw new WordloomError(`checkpoint is at iteration ${p.iter}, beyond --iter ${o.iter}`, { flag: '--iter' });
      await trainGlove(b.recordsFile, p, {
        iter: o.iter, eta: o.eta, threads: o.threads,
        onIteration: (it, cost, sec) => {
          if (io.checkpointEvery && io.checkpointPath && (it % io.checkpointEvery === 0 || it === o.iter)) saveCheckpoint(io.checkpointPath, p, words, modelOptions);
          io.onIteration?.(it, cost, sec);
        },
      }, progress);
    } catch (e) { freeGloveParams(p); throw e; }
    const t4 = performance.now();
    const vectors = outputVectors(p, o.model);
    // WASM heap buffers are returned; the result keeps plain copies.
    const params: GloveParams = kind === 'wasm' ? { ...p, W: p.W.slice(), G: p.G.slice(), kind: 'reference' } : p;
    freeGloveParams(p);
    return {
      words, counts: b.corpus.vocab.counts, vectors, dim: o.vectorSize, params, costs: p.costs, kernel: kind,
      stats: {
        ...b.counter.stats, tokens: b.corpus.vocab.totalTokens, lines: b.corpus.lines, distinctWords: b.corpus.vocab.rankOfId.length,
        vocabSize: V, records: b.records, shuffleBuckets: b.shuffleBuckets,
      },
      seconds: { ...b.seconds, train: (t4 - t3) / 1000, total: (t4 - tStart) / 1000 },
      cpuSeconds: { ...b.cpuSeconds, train: (() => { const u = process.cpuUsage(c3); return (u.user + u.system) / 1e6; })() },
      options: o,
    };
  } finally {
    tmp.dispose();
  }
}
