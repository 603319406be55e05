/**
 * word2vec training from a corpus file (Node): a streaming vocabulary pass (tokenize, count, and write the
 * token stream as provisional int32 ids to a temporary cache file, so later epochs skip tokenization; with
 * T > 1 threads the worker threads tokenize for it), then epochs over the cache in fixed-size chunks of
 * in-vocabulary words, trained on the main thread (1 thread, deterministic) or on the worker threads sharing
 * the weights (Hogwild). Memory is independent of the corpus
 * length (the cache is on disk: 4 bytes per token). Resumable checkpoints hold the weights, the vocabulary
 * and the position in the learning-rate schedule.
 *
 * Determinism: chunk k of epoch e always holds the same words, gets the learning-rate schedule of its
 * global position and a random stream seeded from (seed, e, k). With 1 thread chunks run in order: the
 * result is bit-identical for the same seed, and resuming a checkpoint gives the same result as not
 * stopping. With T > 1 threads the chunks run concurrently without locks (Hogwild): results depend on
 * timing and are reproducible only statistically.
 *
 * Reference: word2vec.c TrainModel (LearnVocabFromTrainFile, linear alpha decay to alpha·1e-4 over
 * iter × train_words, threads on disjoint parts of the corpus); Recht et al. 2011 (Hogwild!). The decay is by
 * words processed, as word2vec.c; gensim decays by sentences processed when given total_examples (its default),
 * which differs when line lengths drift through the corpus (docs/word2vec.md, "Quality vs gensim").
 */
import { openSync, readSync, writeSync, closeSync, existsSync, readFileSync, statSync } from 'node:fs';
import type { Worker } from 'node:worker_threads';
import { startWorker } from '../../util/worker-node.ts';
import { WordloomError } from '../../util/errors.ts';
import { Rng } from '../../util/rng.ts';
import { readInputFile, withFsErrors, writeFileAtomic } from '../../util/fs-node.ts';
import { TempDir } from '../../util/temp-node.ts';
import { noChecksumNotice } from '../../util/notices.ts';
import { checksumMissing, checksumTrailer, hasChecksumTrailer, verifyChecksumTrailer, CHECKSUM_TRAILER_BYTES } from '../../kernels/checksum.ts';
import { silentProgress, type ProgressReporter } from '../../util/progress.ts';
import { Tokenizer, type TokenizerOptions } from '../../text/tokenizer.ts';
import { readCorpusLines } from '../../text/corpus-node.ts';
import { WordVectors } from '../word-vectors.ts';
import { W2VVocab } from './vocab.ts';
import { resolveWord2VecOptions, objectiveName, checkResumeOptions, type Word2VecOptions } from './options.ts';
import { W2VEngine, MAX_SENTENCE, type W2VShared } from './engine.ts';
import { trainChunkFullSoftmax } from './full-softmax.ts';

export interface TrainFileOptions extends Partial<Word2VecOptions> {
  /** Corpus: plain text or gzip, UTF-8, one sentence/document per line (or one huge line). */
  train: string;
  /** Read the vocabulary (`word count` lines) instead of counting it from the corpus (--read-vocab). */
  readVocab?: string;
  /** Write a checkpoint here every `checkpointEvery` seconds and at the end of each epoch (--checkpoint). */
  checkpoint?: string;
  /** Seconds between checkpoints (--checkpoint-every). Default 300. */
  checkpointEvery?: number;
  /** Resume from this checkpoint; its options are used, given ones must agree except threads (--resume). */
  resume?: string;
  /** Kernel: 'auto' (WASM SIMD when available), 'wasm' or 'reference'. */
  kernel?: 'auto' | 'wasm' | 'reference';
  /** Progress reporting (phases "vocab" in bytes, "train" in words). */
  progress?: ProgressReporter;
  /** Directory for the token cache (default: the OS temp dir). */
  cacheDir?: string;
  /** Stop after this many chunks of this run (0 = never), writing the checkpoint first: a time-boxed run / interruption test. */
  haltAfterChunks?: number;
}

export interface Word2VecStats {
  objective: string;
  architecture: 'skipgram' | 'cbow';
  kernel: string;
  threads: number;
  vocabSize: number;
  /** Tokens read in the vocabulary pass (all words, in vocabulary or not). */
  corpusTokens: number;
  /** In-vocabulary words per epoch (word2vec.c train_words). */
  trainWords: number;
  epochs: number;
  /** In-vocabulary words trained (all epochs, before subsampling), this run. */
  wordsTrained: number;
  vocabSeconds: number;
  trainSeconds: number;
  /**
   * CPU seconds the process used during training (all threads). trainCpuSeconds / trainSeconds below the thread
   * count means the threads waited — for the main thread or for a CPU another process held.
   */
  trainCpuSeconds: number;
  /** wordsTrained / trainSeconds. */
  wordsPerSecond: number;
  wordsPerSecondPerThread: number;
  /** Mean loss per loss term (logistic unit or softmax) over the last epoch. */
  finalLoss: number;
  /** Mean loss per term of each epoch. */
  epochLoss: number[];
  resumedFrom?: { epoch: number; chunk: number };
  /** True when the run stopped early (haltAfterChunks); resume from the checkpoint to finish. */
  halted?: boolean;
}

export interface Word2VecResult {
  vectors: WordVectors;
  vocab: W2VVocab;
  options: Word2VecOptions & { alpha: number };
  stats: Word2VecStats;
}

interface CheckpointHeader {
  format: 'wordloom-w2v-checkpoint';
  version: 1;
  options: Word2VecOptions & { alpha: number };
  vocab: { words: string[]; counts: number[] };
  corpus: { path: string; bytes: number };
  epoch: number;
  chunk: number;
  epochLoss: number[];
  lossSum: number;
  termsSum: number;
  lengths: { syn0: number; syn1: number; syn1neg: number };
}

/** Checkpoint magic: version 2 ends with the checksum trailer (src/kernels/checksum.ts); version 1 has none. */
const CKPT_MAGIC = 'W2VCKPT2';
const CKPT_MAGIC_V1 = 'W2VCKPT1';

/** Seed of chunk k of epoch e. */
export function chunkSeed(seed: number, epoch: number, chunk: number): number {
  return new Rng(seed).fork(1 + epoch * 0x100000 + chunk).nextU32() || 1;
}

/** Result of the vocabulary pass. */
interface CountPass { types: string[]; counts: number[]; tokens: number; lines: number; cacheFile: string; cacheDir: string; tmp: TempDir }

function checkCorpus(path: string): void {
  if (!existsSync(path)) throw new WordloomError('corpus file not found', { file: path, flag: '--train' });
  if (statSync(path).isDirectory()) throw new WordloomError('corpus is a directory, expected a file', { file: path, flag: '--train' });
}

/**
 * The vocabulary pass's output as it is built: provisional ids in first-seen order, counts, and the token cache
 * file (int32 provisional ids, −1 ends each line) in a fresh temporary folder (util/temp-node.ts: removed on
 * error and on SIGINT/SIGTERM). Used by both vocabulary passes.
 */
class TokenCacheWriter {
  private readonly ids = new Map<string, number>();
  private readonly types: string[] = [];
  private readonly counts: number[] = [];
  /** Tokens and lines so far. */
  tokens = 0;
  lines = 0;
  private readonly buf = new Int32Array(1 << 18);
  private n = 0;
  private readonly dir: TempDir;
  private readonly cacheFile: string;
  private readonly fd: number;

  /** Checks the corpus path and opens the cache file. */
  constructor(path: string, cacheDir: string | undefined) {
    checkCorpus(path);
    this.dir = new TempDir('w2v', cacheDir);
    this.cacheFile = this.dir.file('tokens', '.i32');
    try { this.fd = openSync(this.cacheFile, 'w'); } catch (e) { this.dir.dispose(); throw e; }
  }

  /** The provisional id of a word (a new id the first time it is seen). */
  intern(w: string): number {
    let id = this.ids.get(w);
    if (id === undefined) { id = this.types.length; this.ids.set(w, id); this.types.push(w); this.counts.push(0); }
    return id;
  }

  /** Append one token (a provisional id). */
  token(id: number): void {
    this.counts[id]++;
    this.tokens++;
    this.push(id);
  }

  /** Append the end of a corpus line. */
  endLine(): void {
    this.lines++;
    this.push(-1);
  }

  private push(v: number): void {
    this.buf[this.n++] = v;
    if (this.n === this.buf.length) this.flush();
  }

  private flush(): void {
    if (this.n) { writeSync(this.fd, new Uint8Array(this.buf.buffer, 0, this.n * 4)); this.n = 0; }
  }

  /** Write what is buffered, close the file; the pass's result. */
  finish(): CountPass {
    this.flush();
    closeSync(this.fd);
    return { types: this.types, counts: this.counts, tokens: this.tokens, lines: this.lines, cacheFile: this.cacheFile, cacheDir: this.dir.path, tmp: this.dir };
  }

  /** Close and delete the cache (the pass failed). */
  abort(): void {
    closeSync(this.fd);
    this.dir.dispose();
  }
}

/** The vocabulary pass on the calling thread: tokenize, count, write the token cache (−1 ends each line). */
export async function countPass(path: string, tok: Tokenizer, cacheDir: string | undefined, progress: ProgressReporter): Promise<CountPass> {
  const cache = new TokenCacheWriter(path, cacheDir);
  progress.start('vocab', statSync(path).size, 'bytes');
  try {
    for await (const { line } of readCorpusLines(path, { onBytes: (d, t) => progress.update({ done: d, total: t, fields: { words: cache.tokens } }) })) {
      for (const w of tok.tokenize(line)) cache.token(cache.intern(w));
      cache.endLine();
    }
  } catch (e) {
    cache.abort();
    throw e;
  } finally { progress.stop(); }
  return cache.finish();
}

/**
 * Reads the token cache and cuts it into chunks of exactly `chunkWords` in-vocabulary words (the last one
 * shorter), remapping provisional ids to vocabulary ids, dropping out-of-vocabulary words (as word2vec.c
 * does), and marking sentence ends (line ends, or every MAX_SENTENCE words) with −1.
 */
export class ChunkReader {
  private fd: number;
  private buf = new Int32Array(1 << 18);
  private len = 0;
  private pos = 0;
  private sentLen = 0;
  private eof = false;
  constructor(file: string, private remap: Int32Array, private chunkWords: number) {
    this.fd = openSync(file, 'r');
  }
  private fill(): boolean {
    if (this.eof) return false;
    const bytes = readSync(this.fd, new Uint8Array(this.buf.buffer), 0, this.buf.byteLength, null);
    this.len = bytes >> 2; this.pos = 0;
    if (this.len === 0) { this.eof = true; return false; }
    return true;
  }
  /** Fill `out` with the next chunk; returns { nTok, words } (words = 0 at the end). */
  next(out: Int32Array): { nTok: number; words: number } {
    let nTok = 0, words = 0;
    const remap = this.remap, cw = this.chunkWords;
    while (words < cw) {
      if (this.pos >= this.len && !this.fill()) break;
      const buf = this.buf, len = this.len;
      let p = this.pos;
      while (p < len && words < cw) {
        const pid = buf[p++];
        if (pid < 0) {
          if (this.sentLen > 0) { out[nTok++] = -1; this.sentLen = 0; }
          continue;
        }
        const id = remap[pid];
        if (id < 0) continue;
        out[nTok++] = id; words++;
        if (++this.sentLen >= MAX_SENTENCE) { out[nTok++] = -1; this.sentLen = 0; }
      }
      this.pos = p;
    }
    return { nTok, words };
  }
  close(): void { closeSync(this.fd); }
}

function writeCheckpoint(path: string, h: CheckpointHeader, engine: W2VEngine): void {
  const json = new TextEncoder().encode(JSON.stringify(h));
  const head = new Uint8Array(16);
  head.set(new TextEncoder().encode(CKPT_MAGIC));
  new DataView(head.buffer).setUint32(8, json.length, true);
  const pad = new Uint8Array((4 - ((16 + json.length) % 4)) % 4);
  const copy = (a: Float32Array) => new Uint8Array(a.slice().buffer);
  const parts = [head, json, pad, copy(engine.syn0), copy(engine.syn1), copy(engine.syn1neg)];
  writeFileAtomic(path, [...parts, checksumTrailer(parts)]);
}

/** Most bytes of JSON a checkpoint header may claim when the file's size is unknown (a FIFO, a device). */
const MAX_CKPT_HEADER_BYTES = 1 << 30;

/** The length a checkpoint claims (for files of unknown size): header, JSON, padding, the three weight arrays. */
function checkpointClaim(read: (n: number) => Uint8Array, file: string): number {
  const head = read(16);
  if (head.length < 16 || Buffer.from(head.subarray(0, 8)).toString('latin1') !== CKPT_MAGIC) return head.length;
  const jl = Buffer.from(head).readUInt32LE(8);
  if (jl > MAX_CKPT_HEADER_BYTES) throw new WordloomError(`checkpoint header claims ${jl} bytes, more than the ${MAX_CKPT_HEADER_BYTES} allowed`, { file, flag: '--resume' });
  const json = read(jl);
  let n = 0;
  try {
    const l = (JSON.parse(Buffer.from(json).toString('utf8')) as CheckpointHeader).lengths;
    for (const k of [l.syn0, l.syn1, l.syn1neg]) if (Number.isSafeInteger(k) && k >= 0) n += k;
  } catch { return 16 + json.length; }
  return 16 + jl + ((4 - ((16 + jl) % 4)) % 4) + 4 * n;
}

function readCheckpoint(path: string): { header: CheckpointHeader; syn0: Float32Array; syn1: Float32Array; syn1neg: Float32Array } {
  if (!existsSync(path)) throw new WordloomError('checkpoint not found', { file: path, flag: '--resume' });
  let b: Buffer = readInputFile(path, '--resume', (read) => checkpointClaim(read, path) + CHECKSUM_TRAILER_BYTES);
  const tagged = hasChecksumTrailer(b);
  if (tagged) b = b.subarray(0, verifyChecksumTrailer(b, path)); // before any header byte is trusted
  const magic = b.length < 16 ? '' : b.subarray(0, 8).toString('latin1');
  if (magic !== CKPT_MAGIC && magic !== CKPT_MAGIC_V1) throw new WordloomError('not a word2vec checkpoint', { file: path, flag: '--resume' });
  if (magic === CKPT_MAGIC && !tagged) throw checksumMissing(path);
  if (!tagged) noChecksumNotice(path, 'word2vec checkpoint (W2VCKPT1)');
  const jl = b.readUInt32LE(8);
  let header: CheckpointHeader;
  try { header = JSON.parse(b.subarray(16, 16 + jl).toString('utf8')); } catch { throw new WordloomError('corrupt checkpoint header', { file: path }); }
  let off = 16 + jl; off += (4 - (off % 4)) % 4;
  const take = (n: number) => {
    if (off + n * 4 > b.length) throw new WordloomError('checkpoint is truncated', { file: path });
    const a = new Float32Array(n);
    new Uint8Array(a.buffer).set(b.subarray(off, off + n * 4));
    off += n * 4;
    return a;
  };
  const syn0 = take(header.lengths.syn0), syn1 = take(header.lengths.syn1), syn1neg = take(header.lengths.syn1neg);
  if (tagged && off !== b.length) throw new WordloomError(`checkpoint has ${b.length - off} unexpected bytes after the weights`, { file: path });
  return { header, syn0, syn1, syn1neg };
}

interface ChunkResult { loss: number; words: number; terms: number }
interface TokenizeResult { ids: Int32Array; n: number; newTypes: string[] }

const fromSources = import.meta.url.endsWith('.ts');
const workerUrl = new URL(fromSources ? './worker-node.ts' : './worker-node.js', import.meta.url);

/**
 * The worker threads of a multi-threaded run (worker-node.ts). Started before the vocabulary pass so their
 * start-up overlaps it; they tokenize for the parallel vocabulary pass, then attach to the engine and train.
 * Each worker answers its messages in order, so one FIFO of pending calls per worker pairs the answers.
 */
export class W2VPool {
  readonly size: number;
  private readonly workers: Worker[] = [];
  private readonly queues: { resolve: (r: any) => void; reject: (e: Error) => void }[][] = [];
  private failed: Error | null = null;

  constructor(threads: number, tokenizer: TokenizerOptions) {
    this.size = threads;
    for (let t = 0; t < threads; t++) {
      const worker = startWorker(workerUrl, { workerData: { thread: t, tokenizer } });
      const queue: { resolve: (r: any) => void; reject: (e: Error) => void }[] = [];
      worker.on('message', (m: { ready?: boolean; error?: string }) => {
        if (m.ready) return;
        const q = queue.shift();
        if (m.error) q?.reject(new Error(`word2vec worker ${t}: ${m.error}`)); else q?.resolve(m);
      });
      const fail = (e: Error) => { this.failed ??= e; for (const q of queue.splice(0)) q.reject(e); };
      worker.on('error', fail);
      worker.on('exit', (code) => { if (queue.length) fail(new Error(`word2vec worker ${t} exited (code ${code})`)); });
      this.workers.push(worker); this.queues.push(queue);
    }
  }

  /** Post `msg` to worker t; resolves with its answer. (Messages posted before the worker is up are queued.) */
  call<T>(t: number, msg: unknown, transfer: Transferable[] = []): Promise<T> {
    if (this.failed) return Promise.reject(this.failed);
    return new Promise<T>((resolve, reject) => {
      this.queues[t].push({ resolve, reject });
      this.workers[t].postMessage(msg, transfer as any);
    });
  }

  /** Every worker attaches to the engine's memory. */
  async attach(shared: W2VShared): Promise<void> {
    await Promise.all(this.workers.map((_, t) => this.call(t, { type: 'attach', shared })));
  }

  async terminate(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}

/**
 * The vocabulary pass on the pool (same result as countPass: the same counts and token stream; only the
 * provisional id order may differ, which the sorted vocabulary does not see). The main thread reads lines and
 * hands out batches of about `batchChars` characters round-robin; the workers tokenize and give words their
 * own ids; the main thread merges the answers in batch order (per-worker id → global id, counts, cache file).
 */
export async function countPassParallel(path: string, pool: W2VPool, cacheDir: string | undefined, progress: ProgressReporter, batchChars = 1 << 20): Promise<CountPass> {
  const cache = new TokenCacheWriter(path, cacheDir);
  const local: number[][] = Array.from({ length: pool.size }, () => []);
  const merge = (t: number, r: TokenizeResult) => {
    const map = local[t];
    for (const w of r.newTypes) map.push(cache.intern(w));
    const src = r.ids;
    for (let i = 0; i < r.n; i++) {
      const l = src[i];
      if (l < 0) cache.endLine(); else cache.token(map[l]);
    }
  };
  const pending: Promise<{ t: number; r: TokenizeResult }>[] = [];
  let batch: string[] = [], chars = 0, seq = 0;
  const send = () => {
    const t = seq++ % pool.size;
    const p = pool.call<TokenizeResult>(t, { type: 'tokenize', lines: batch }).then((r) => ({ t, r }));
    p.catch(() => {}); // awaited in order below; a later batch failing first must not count as unhandled
    pending.push(p);
    batch = []; chars = 0;
  };
  progress.start('vocab', statSync(path).size, 'bytes');
  try {
    for await (const { line } of readCorpusLines(path, { onBytes: (d, tot) => progress.update({ done: d, total: tot, fields: { words: cache.tokens } }) })) {
      batch.push(line); chars += line.length + 1;
      if (chars >= batchChars) {
        send();
        while (pending.length > 2 * pool.size) { const { t, r } = await pending.shift()!; merge(t, r); }
      }
    }
    if (batch.length) send();
    while (pending.length) { const { t, r } = await pending.shift()!; merge(t, r); }
  } catch (e) {
    await Promise.allSettled(pending);
    cache.abort();
    throw e;
  } finally { progress.stop(); }
  return cache.finish();
}

/** Train word2vec on a corpus file. */
export async function trainWord2VecFile(fo: TrainFileOptions): Promise<Word2VecResult> {
  const progress = fo.progress ?? silentProgress;
  let resumed: ReturnType<typeof readCheckpoint> | null = null;
  let o: Word2VecOptions & { alpha: number };
  if (fo.resume) {
    resumed = readCheckpoint(fo.resume);
    checkResumeOptions(fo, resumed.header.options, fo.resume);
    o = { ...resumed.header.options, threads: fo.threads ?? resumed.header.options.threads };
    o = resolveWord2VecOptions(o);
  } else {
    o = resolveWord2VecOptions(fo);
  }
  const threads = o.fullSoftmax ? 1 : o.threads;
  const t0 = performance.now();
  const tokOpts: TokenizerOptions = { lowercase: o.lowercase, punctuation: false, whitespace: o.tokenizer === 'whitespace' };
  // T > 1: the workers start now (their start-up overlaps the vocabulary pass) and tokenize in parallel.
  const pool = threads > 1 ? new W2VPool(threads, tokOpts) : null;
  let cp: CountPass;
  try {
    cp = pool ? await countPassParallel(fo.train, pool, fo.cacheDir, progress) : await countPass(fo.train, new Tokenizer(tokOpts), fo.cacheDir, progress);
  } catch (e) { await pool?.terminate(); throw e; }
  try {
    if (cp.tokens === 0) throw new WordloomError('the corpus has no words', { file: fo.train, flag: '--train' });
    let vocab: W2VVocab;
    if (fo.readVocab) {
      if (!existsSync(fo.readVocab)) throw new WordloomError('vocabulary file not found', { file: fo.readVocab, flag: '--read-vocab' });
      const text = withFsErrors({ file: fo.readVocab, flag: '--read-vocab' }, () => readFileSync(fo.readVocab!, 'utf8'));
      vocab = W2VVocab.fromText(text, fo.readVocab, o.minCount, o.maxVocab);
    } else {
      vocab = W2VVocab.fromCounts(cp.types.map((w, i) => [w, cp.counts[i]] as [string, number]), o.minCount, o.maxVocab);
    }
    if (vocab.size === 0) throw new WordloomError(`no word occurs ${o.minCount} times or more`, { file: fo.train, flag: '--min-count' });
    if (resumed) {
      const hv = resumed.header.vocab;
      const same = hv.words.length === vocab.size && hv.words.every((w, i) => w === vocab.words[i] && hv.counts[i] === vocab.counts[i]);
      if (!same) throw new WordloomError('the corpus does not give the vocabulary the checkpoint was trained with', { file: fo.train, flag: '--resume' });
    }
    // Words counted from the corpus with --read-vocab: train_words is what the corpus really holds.
    const remap = new Int32Array(cp.types.length).fill(-1);
    let trainWords = 0;
    for (let i = 0; i < cp.types.length; i++) {
      const id = vocab.id(cp.types[i]);
      if (id >= 0) { remap[i] = id; trainWords += cp.counts[i]; }
    }
    if (trainWords === 0) throw new WordloomError('no corpus word is in the vocabulary', { file: fo.train, flag: '--read-vocab' });
    const vocabSeconds = (performance.now() - t0) / 1000;
    if (o.fullSoftmax && vocab.size > 20_000) {
      throw new WordloomError(`--softmax full costs O(V·d) per pair; the vocabulary has ${vocab.size} words (max 20000): raise --min-count or set --max-vocab`, { flag: '--softmax' });
    }

    const engine = new W2VEngine(vocab, o, threads, fo.kernel ?? 'auto');
    let startEpoch = 0, startChunk = 0;
    const epochLoss: number[] = [];
    if (resumed) {
      engine.setWeights(resumed);
      startEpoch = resumed.header.epoch; startChunk = resumed.header.chunk;
      epochLoss.push(...resumed.header.epochLoss);
    }
    const totalWords = o.iter * trainWords;
    const chunksPerEpoch = Math.ceil(trainWords / o.chunkWords);
    let lossSum = resumed?.header.lossSum ?? 0, termsSum = resumed?.header.termsSum ?? 0;
    let wordsTrained = 0;
    const fsView = o.fullSoftmax ? { dim: o.size, vocabSize: vocab.size, syn0: engine.syn0, out: engine.syn1neg, keep: engine.keep } : null;

    if (pool) await pool.attach(engine.shared);
    // Two token slots per worker: while a worker trains one chunk, its next chunk is already queued.
    // (pop() order: every worker's first slot, then every worker's second slot)
    const ts = Array.from({ length: pool ? threads : 0 }, (_, t) => t);
    const free = [...ts.map((t) => 2 * t + 1).reverse(), ...ts.map((t) => 2 * t).reverse()];
    const inflight = new Map<number, Promise<{ t: number; r: ChunkResult }>>();
    const tTrain = performance.now(), cpu0 = process.cpuUsage();
    let lastCkpt = tTrain, lastYield = tTrain, chunksRun = 0, halted = false;
    const done0 = startEpoch * trainWords + Math.min(startChunk * o.chunkWords, trainWords);
    const account = (r: ChunkResult) => { lossSum += r.loss; termsSum += r.terms; wordsTrained += r.words; };
    const report = () => {
      const el = (performance.now() - tTrain) / 1000;
      const done = done0 + wordsTrained;
      const alpha = o.alpha * Math.max(1 - done / (totalWords + 1), 1e-4);
      const wps = el > 0 ? wordsTrained / el : 0;
      progress.update({
        done, total: totalWords,
        fields: { epoch: `${Math.min(o.iter, Math.floor(done / trainWords) + 1)}/${o.iter}`, lr: alpha.toExponential(3), loss: termsSum ? lossSum / termsSum : 0, 'w/s/thread': Math.round(wps / threads) },
      });
    };
    const drain = async () => { for (const [t, p] of inflight) { const { r } = await p; account(r); inflight.delete(t); free.push(t); } };
    const saveCkpt = async (epoch: number, chunk: number) => {
      if (!fo.checkpoint) return;
      await drain();
      writeCheckpoint(fo.checkpoint, {
        format: 'wordloom-w2v-checkpoint', version: 1, options: o, vocab: { words: [...vocab.words], counts: Array.from(vocab.counts) },
        corpus: { path: fo.train, bytes: statSync(fo.train).size }, epoch, chunk, epochLoss, lossSum, termsSum,
        lengths: { syn0: engine.syn0.length, syn1: engine.syn1.length, syn1neg: engine.syn1neg.length },
      }, engine);
      lastCkpt = performance.now();
    };
    progress.start('train', totalWords, 'words');
    try {
      for (let epoch = startEpoch; epoch < o.iter; epoch++) {
        const reader = new ChunkReader(cp.cacheFile, remap, o.chunkWords);
        const epochLoss0 = lossSum, epochTerms0 = termsSum;
        try {
          const skip = epoch === startEpoch ? startChunk : 0;
          const scratch = skip > 0 ? new Int32Array(2 * o.chunkWords + 16) : null;
          for (let k = 0; k < skip; k++) reader.next(scratch!);
          for (let k = skip; k < chunksPerEpoch; k++) {
            const wordsBefore = epoch * trainWords + k * o.chunkWords;
            const seed = chunkSeed(o.seed, epoch, k);
            if (threads === 1) {
              const slot = engine.slot(0);
              const { nTok } = reader.next(slot);
              if (fsView) {
                const r = trainChunkFullSoftmax(fsView, slot.subarray(0, nTok), o.window, o.cbow, wordsBefore, totalWords, o.alpha, seed);
                account(r);
              } else {
                account(engine.runner.run(0, nTok, wordsBefore, totalWords, o.alpha, seed));
              }
            } else {
              if (!free.length) {
                const { t, r } = await Promise.race(inflight.values());
                inflight.delete(t); free.push(t); account(r);
              }
              const t = free.pop()!; // a slot; its worker is t >> 1
              const { nTok } = reader.next(engine.slot(t));
              const p = pool!.call<ChunkResult>(t >> 1, { type: 'train', slot: t, nTok, wordsBefore, totalWords, alpha: o.alpha, seed })
                .then((r) => ({ t, r }));
              p.catch(() => {}); // awaited by race/drain; not unhandled meanwhile
              inflight.set(t, p);
            }
            const now = performance.now();
            if (now - lastYield > 200) {
              report();
              lastYield = now;
              if (threads === 1) await new Promise((r) => setImmediate(r));
            }
            chunksRun++;
            if (fo.haltAfterChunks && chunksRun >= fo.haltAfterChunks && !(epoch === o.iter - 1 && k + 1 === chunksPerEpoch)) {
              halted = true;
              await saveCkpt(k + 1 < chunksPerEpoch ? epoch : epoch + 1, k + 1 < chunksPerEpoch ? k + 1 : 0);
              break;
            }
            if (fo.checkpoint && now - lastCkpt > 1000 * (fo.checkpointEvery ?? 300) && k + 1 < chunksPerEpoch) await saveCkpt(epoch, k + 1);
          }
        } finally { reader.close(); }
        await drain();
        if (halted) break;
        epochLoss.push(termsSum > epochTerms0 ? (lossSum - epochLoss0) / (termsSum - epochTerms0) : 0);
        report();
        await saveCkpt(epoch + 1, 0);
      }
    } finally {
      progress.stop();
    }
    const trainSeconds = (performance.now() - tTrain) / 1000;
    const cpu = process.cpuUsage(cpu0), trainCpuSeconds = (cpu.user + cpu.system) / 1e6;
    const vectors = new WordVectors([...vocab.words], engine.syn0, o.size);
    engine.dispose();
    const stats: Word2VecStats = {
      objective: objectiveName(o) + (o.sharedNegatives && o.negative > 0 && !o.hs && !o.fullSoftmax ? ' (shared negatives)' : ''), architecture: o.cbow ? 'cbow' : 'skipgram', kernel: o.fullSoftmax ? 'full-softmax (kernels: ' + engine.kernelName + ')' : engine.kernelName,
      threads, vocabSize: vocab.size, corpusTokens: cp.tokens, trainWords, epochs: o.iter, wordsTrained,
      vocabSeconds, trainSeconds, trainCpuSeconds, wordsPerSecond: trainSeconds > 0 ? wordsTrained / trainSeconds : 0,
      wordsPerSecondPerThread: trainSeconds > 0 ? wordsTrained / trainSeconds / threads : 0,
      finalLoss: epochLoss[epochLoss.length - 1] ?? 0, epochLoss,
      ...(resumed ? { resumedFrom: { epoch: startEpoch, chunk: startChunk } } : {}),
      ...(halted ? { halted } : {}),
    };
    return { vectors, vocab, options: o, stats };
  } finally {
    await pool?.terminate();
    cp.tmp.dispose();
  }
}
