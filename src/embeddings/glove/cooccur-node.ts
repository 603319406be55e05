/**
 * Co-occurrence counting for GloVe, memory-bounded like the GloVe tool's cooccur.c:
 *
 * 1. `countCorpusVocab` streams the corpus once (gzip or text, shared tokenizer, no punctuation),
 *    counts words (src/text/vocab-count.ts) and writes every token as a first-seen id to a temporary
 *    Int32 file (−1 marks a line end), so the second pass does not re-tokenize.
 * 2. `CooccurCounter.countIds` walks that file: for each in-vocabulary word w and each of the previous
 *    `windowSize` in-vocabulary words c at distance d, X[w][c] += 1/d (or 1), and X[c][w] too when
 *    symmetric. Windows do not cross line ends (as in recent cooccur.c); out-of-vocabulary words are
 *    dropped before windowing (as in cooccur.c).
 *    - pairs of frequent words, (rank_i+1)·(rank_j+1) ≤ P, go to a dense table (the tool's "bigram
 *      table": row i holds min(P/(i+1), V) columns), P sized to ~30% of the --memory budget;
 *    - all other pairs go to an open-addressing hash map (~40% of the budget); when it is 70% full its
 *      entries are sorted by (i, j) — two counting sorts, by j then stably by i — and written to a
 *      temporary run file, and the map is cleared (the tool sorts and writes a buffer of raw records).
 *    When 128 runs exist they are merged into one (bounds the number of open files).
 * 3. `merge` k-way merges the dense table, the map's remainder and the run files (a binary heap on
 *    (i, j)), summing duplicates, and emits each non-zero X_ij once, in (i, j) order.
 *
 * Exactness: counts are accumulated in fixed point — each increment is round(S/d) with S = lcm(1..window)
 * (exact 1/d; S = 2^20 when that lcm is larger) — so sums are integers in float64, independent of the
 * summation order. A run with a tiny --memory (many spills) therefore gives bit-identical X to an
 * unlimited one. The emitted value is sum/S.
 *
 * Row/column convention: X[i][j] counts context word j around focus word i; rows train W, columns W̃.
 * With symmetric = false only the left context counts (the tool's -symmetric 0 stores the pair with the
 * earlier word first; we keep the focus word as the row, which is the transpose).
 *
 * Reference: Pennington, Socher, Manning (2014), §3 and §4.2 (1/d weighting, symmetric window of 10);
 * cooccur.c (bigram table for low-rank pairs, overflow runs, merge_files).
 */
import { openSync, writeSync, closeSync, readSync, statSync, unlinkSync } from 'node:fs';
import { readCorpusLines } from '../../text/corpus-node.ts';
import { Tokenizer } from '../../text/tokenizer.ts';
import { VocabCounter, type CountedVocab } from '../../text/vocab-count.ts';
import { WordloomError } from '../../util/errors.ts';
import { silentProgress, type ProgressReporter } from '../../util/progress.ts';
import { RecordReader, RecordWriter } from './records-node.ts';
import type { TempDir } from './temp-node.ts';

/** The corpus as a temporary id file plus its counted vocabulary. */
export interface CorpusIds {
  /** Int32 first-seen ids, −1 after each line. */
  idsFile: string;
  vocab: CountedVocab;
  /** Lines read. */
  lines: number;
}

/** The tokenizer the embedding trainers use: lower-cased words, no punctuation tokens. */
export function embeddingTokenizer(): Tokenizer {
  return new Tokenizer({ lowercase: true, punctuation: false });
}

/**
 * Pass 1: count the vocabulary of one or more corpus files and store the tokens as ids.
 * Errors (missing file, invalid UTF-8, empty corpus, empty vocabulary) name the file or flag.
 */
export async function countCorpusVocab(paths: readonly string[], tmp: TempDir,
  opts: { minCount: number; maxVocab: number }, progress: ProgressReporter = silentProgress): Promise<CorpusIds> {
  if (paths.length === 0) throw new WordloomError('no corpus file given', { flag: '--train' });
  let totalBytes = 0;
  for (const p of paths) {
    try { totalBytes += statSync(p).size; } catch { throw new WordloomError('corpus file not found', { file: p }); }
  }
  const counter = new VocabCounter();
  const tok = embeddingTokenizer();
  const idsFile = tmp.file('ids');
  const fd = openSync(idsFile, 'w');
  const buf = new Int32Array(1 << 20);
  let n = 0, lines = 0, before = 0;
  const flush = () => {
    const b = new Uint8Array(buf.buffer, 0, n * 4);
    let off = 0;
    while (off < b.length) off += writeSync(fd, b, off, b.length - off);
    n = 0;
  };
  progress.start('vocab', totalBytes, 'B');
  try {
    for (const p of paths) {
      for await (const { line } of readCorpusLines(p, { onBytes: (d) => progress.update({ done: before + d, total: totalBytes, fields: { words: counter.size } }) })) {
        lines++;
        const words = tok.tokenize(line);
        for (let k = 0; k < words.length; k++) {
          buf[n++] = counter.addId(words[k]);
          if (n === buf.length) flush();
        }
        buf[n++] = -1;
        if (n === buf.length) flush();
      }
      before += statSync(p).size;
    }
    flush();
  } finally {
    closeSync(fd);
    progress.stop();
  }
  if (counter.tokens === 0) throw new WordloomError('the corpus has no word tokens', { file: paths.join(', ') });
  const vocab = counter.build(opts);
  if (vocab.words.length === 0) {
    throw new WordloomError(`no word occurs at least ${opts.minCount} times (${counter.size} distinct words)`, { flag: '--min-count' });
  }
  return { idsFile, vocab, lines };
}

function gcd(a: number, b: number): number { while (b) { const t = a % b; a = b; b = t; } return a; }

/** Fixed-point scale S: lcm(1..window) when ≤ 2^20 (exact 1/d increments), else 2^20; 1 without distance weighting. */
export function fixedPointScale(windowSize: number, distanceWeighting: boolean): number {
  if (!distanceWeighting) return 1;
  let l = 1;
  for (let d = 2; d <= windowSize; d++) { l = (l / gcd(l, d)) * d; if (l > 1 << 20) return 1 << 20; }
  return l;
}

/** Configuration of a co-occurrence count. */
export interface CooccurConfig {
  windowSize: number;
  symmetric: boolean;
  distanceWeighting: boolean;
  /** Memory budget in GB. */
  memory: number;
}

/** Statistics of a count (for logs and --json). */
export interface CooccurStats {
  /** Pair increments made (window operations). */
  increments: number;
  /** Dense table cells and the rank-product limit P. */
  denseCells: number;
  maxProduct: number;
  /** Hash-map capacity (slots) and the number of spilled runs. */
  hashSlots: number;
  runs: number;
  /** Distinct non-zero X_ij emitted by merge(). */
  nonZeros: number;
}

const EMPTY = -1;
/** Spilled runs kept before they are merged into one (bounds open files). */
const MAX_RUNS = 128;

/** Dense table + hash map + sorted spill runs. See the file header. */
export class CooccurCounter {
  readonly V: number;
  readonly S: number;
  readonly P: number;
  private dense: Float64Array;
  private rowOff: Float64Array;
  private rowLen: Int32Array;
  private hi: Int32Array;
  private hj: Int32Array;
  private hv: Float64Array;
  private mask: number;
  private readonly maxSlots: number;
  private limit: number;
  private count = 0;
  private ai: Int32Array; private aj: Int32Array; private av: Float64Array;
  private bi: Int32Array; private bj: Int32Array; private bv: Float64Array;
  private hist: Int32Array;
  private readonly runFiles: string[] = [];
  readonly stats: CooccurStats;

  constructor(V: number, readonly cfg: CooccurConfig, private readonly tmp: TempDir) {
    this.V = V;
    this.S = fixedPointScale(cfg.windowSize, cfg.distanceWeighting);
    const budget = cfg.memory * 1073741824;
    // Dense table: the largest P with Σ_i min(floor(P/(i+1)), V) cells ≤ 30% of the budget (8 bytes each).
    const maxCells = Math.max(0, Math.floor((0.3 * budget) / 8));
    const cells = (P: number) => { let s = 0; for (let r = 1; r <= V; r++) { const c = Math.min(Math.floor(P / r), V); if (c === 0) break; s += c; } return s; };
    let lo = 0, hiP = V * V;
    while (lo < hiP) { const mid = Math.floor((lo + hiP + 1) / 2); if (cells(mid) <= maxCells) lo = mid; else hiP = mid - 1; }
    this.P = lo;
    this.rowLen = new Int32Array(V);
    this.rowOff = new Float64Array(V);
    let off = 0;
    for (let i = 0; i < V; i++) { this.rowOff[i] = off; this.rowLen[i] = Math.min(Math.floor(this.P / (i + 1)), V); off += this.rowLen[i]; }
    this.dense = new Float64Array(off);
    // Hash map: slots of 16 bytes plus two sort buffers of 0.7·slots entries (16 bytes each) ≈ 38.4 bytes/slot
    // at the maximum size; it starts small and doubles (rehashing) until that size, then spills.
    let maxSlots = 1024;
    while (maxSlots * 2 * 38.4 <= 0.4 * budget && maxSlots < (1 << 30)) maxSlots *= 2;
    this.maxSlots = maxSlots;
    const slots = Math.min(maxSlots, 1 << 16);
    this.mask = slots - 1;
    this.limit = Math.floor(slots * 0.7);
    this.hi = new Int32Array(slots).fill(EMPTY);
    this.hj = new Int32Array(slots);
    this.hv = new Float64Array(slots);
    this.ai = this.aj = this.bi = this.bj = new Int32Array(0);
    this.av = this.bv = new Float64Array(0);
    this.hist = new Int32Array(V + 1);
    this.stats = { increments: 0, denseCells: off, maxProduct: this.P, hashSlots: maxSlots, runs: 0, nonZeros: 0 };
  }

  /** Add `inc` (fixed point) to X[i][j]. */
  add(i: number, j: number, inc: number): void {
    if ((i + 1) * (j + 1) <= this.P) this.dense[this.rowOff[i] + j] += inc;
    else this.hashAdd(i, j, inc);
  }

  private hashAdd(i: number, j: number, v: number): void {
    const hi = this.hi, hj = this.hj, mask = this.mask;
    let h = Math.imul(i, 0x9e3779b1) ^ Math.imul(j + 0x7f4a7c15, 0x85ebca77);
    h = (h ^ (h >>> 15)) & mask;
    for (;;) {
      const ki = hi[h];
      if (ki === i && hj[h] === j) { this.hv[h] += v; return; }
      if (ki === EMPTY) {
        hi[h] = i; hj[h] = j; this.hv[h] = v;
        if (++this.count > this.limit) { if (this.mask + 1 < this.maxSlots) this.grow(); else this.spill(); }
        return;
      }
      h = (h + 1) & mask;
    }
  }

  /** Double the map (rehash). */
  private grow(): void {
    const oi = this.hi, oj = this.hj, ov = this.hv;
    const slots = oi.length * 2, mask = slots - 1;
    const hi = new Int32Array(slots).fill(EMPTY), hj = new Int32Array(slots), hv = new Float64Array(slots);
    for (let s = 0; s < oi.length; s++) {
      const i = oi[s];
      if (i === EMPTY) continue;
      const j = oj[s];
      let h = Math.imul(i, 0x9e3779b1) ^ Math.imul(j + 0x7f4a7c15, 0x85ebca77);
      h = (h ^ (h >>> 15)) & mask;
      while (hi[h] !== EMPTY) h = (h + 1) & mask;
      hi[h] = i; hj[h] = j; hv[h] = ov[s];
    }
    this.hi = hi; this.hj = hj; this.hv = hv; this.mask = mask; this.limit = Math.floor(slots * 0.7);
  }

  /** Sort the map's entries by (i, j) into b* arrays; returns the count. Clears the map. */
  private drainSorted(): number {
    const n = this.count, V = this.V, hist = this.hist;
    if (this.ai.length < n) {
      const cap = Math.max(n, Math.floor((this.mask + 1) * 0.7) + 1);
      this.ai = new Int32Array(cap); this.aj = new Int32Array(cap); this.av = new Float64Array(cap);
      this.bi = new Int32Array(cap); this.bj = new Int32Array(cap); this.bv = new Float64Array(cap);
    }
    const hi = this.hi, hj = this.hj, hv = this.hv;
    const ai = this.ai, aj = this.aj, av = this.av, bi = this.bi, bj = this.bj, bv = this.bv;
    // Counting sort by j.
    hist.fill(0);
    for (let s = 0; s <= this.mask; s++) if (hi[s] !== EMPTY) hist[hj[s] + 1]++;
    for (let c = 1; c <= V; c++) hist[c] += hist[c - 1];
    for (let s = 0; s <= this.mask; s++) {
      if (hi[s] === EMPTY) continue;
      const p = hist[hj[s]]++;
      ai[p] = hi[s]; aj[p] = hj[s]; av[p] = hv[s];
    }
    // Stable counting sort by i.
    hist.fill(0);
    for (let k = 0; k < n; k++) hist[ai[k] + 1]++;
    for (let c = 1; c <= V; c++) hist[c] += hist[c - 1];
    for (let k = 0; k < n; k++) { const p = hist[ai[k]]++; bi[p] = ai[k]; bj[p] = aj[k]; bv[p] = av[k]; }
    hi.fill(EMPTY);
    this.count = 0;
    return n;
  }

  /** Write the map's entries as a sorted run file (merging the runs into one when there are MAX_RUNS). */
  private spill(): void {
    const n = this.drainSorted();
    const file = this.tmp.file('run');
    const w = new RecordWriter(file);
    try { for (let k = 0; k < n; k++) w.pushX(this.bi[k], this.bj[k], this.bv[k]); } finally { w.close(); }
    this.runFiles.push(file);
    this.stats.runs++;
    if (this.runFiles.length >= MAX_RUNS) this.compactRuns();
  }

  /** Merge all run files into one (bounds the number of open files in the final merge). */
  private compactRuns(): void {
    const budget = this.cfg.memory * 1073741824;
    const block = Math.max(256, Math.min(65536, Math.floor((0.05 * budget) / 16 / this.runFiles.length)));
    const sources = this.runFiles.map((f) => new FileSource(f, block));
    const file = this.tmp.file('run');
    const w = new RecordWriter(file);
    try { new Merger(sources, 1, (i, j, x) => w.pushX(i, j, x)).step(Infinity); } finally {
      w.close();
      for (const src of sources) src.close();
    }
    for (const f of this.runFiles) unlinkSync(f);
    this.runFiles.length = 0;
    this.runFiles.push(file);
  }

  /**
   * Pass 2: count the pairs of an id file from `countCorpusVocab`. `rankOfId` maps first-seen ids to ranks (−1 = dropped).
   */
  async countIds(idsFile: string, rankOfId: Int32Array, progress: ProgressReporter = silentProgress): Promise<void> {
    const W = this.cfg.windowSize, sym = this.cfg.symmetric, S = this.S;
    const incs = new Float64Array(W + 1);
    for (let d = 1; d <= W; d++) incs[d] = this.cfg.distanceWeighting ? Math.round(S / d) : 1;
    const ring = new Int32Array(W);
    let filled = 0, head = 0; // ring[head-1] is the most recent word
    const P = this.P, dense = this.dense, rowOff = this.rowOff;
    const size = statSync(idsFile).size;
    const fd = openSync(idsFile, 'r');
    const buf = new Int32Array(1 << 20);
    const bytes = new Uint8Array(buf.buffer);
    let pos = 0, increments = 0;
    progress.start('cooccur', size / 4, 'tokens');
    try {
      for (;;) {
        const got = readSync(fd, bytes, 0, bytes.length, pos);
        if (got <= 0) break;
        pos += got;
        const n = got >> 2;
        for (let t = 0; t < n; t++) {
          const id = buf[t];
          if (id < 0) { filled = 0; head = 0; continue; }
          const w = rankOfId[id];
          if (w < 0) continue;
          let idx = head;
          const ow = rowOff[w], w1 = w + 1;
          for (let d = 1; d <= filled; d++) {
            idx = idx === 0 ? W - 1 : idx - 1;
            const c = ring[idx];
            const inc = incs[d];
            if (w1 * (c + 1) <= P) {
              dense[ow + c] += inc;
              if (sym) dense[rowOff[c] + w] += inc;
            } else {
              this.hashAdd(w, c, inc);
              if (sym) this.hashAdd(c, w, inc);
            }
          }
          increments += sym ? 2 * filled : filled;
          ring[head] = w;
          head = head + 1 === W ? 0 : head + 1;
          if (filled < W) filled++;
        }
        progress.update({ done: pos / 4, total: size / 4, fields: { runs: this.stats.runs } });
        await yieldToEventLoop(); // lets Ctrl-C (SIGINT) clean up promptly
      }
    } finally {
      closeSync(fd);
      progress.stop();
    }
    this.stats.increments += increments;
  }


  /**
   * Merge everything and emit each non-zero X_ij (real value, sum/S) in (i, j) order.
   * Frees the tables afterwards (the counter cannot be used again). Returns the number emitted.
   */
  async merge(emit: (i: number, j: number, x: number) => void, progress: ProgressReporter = silentProgress): Promise<number> {
    const S = this.S;
    const nRes = this.drainSorted();
    const sources: MergeSource[] = [new DenseSource(this.dense, this.rowOff, this.rowLen), new ArraySource(this.bi, this.bj, this.bv, nRes)];
    const budget = this.cfg.memory * 1073741824;
    const block = Math.max(256, Math.min(65536, Math.floor((0.05 * budget) / 16 / Math.max(1, this.runFiles.length))));
    for (const f of this.runFiles) sources.push(new FileSource(f, block));
    let emitted = 0;
    progress.start('merge', this.V, 'rows');
    try {
      const m = new Merger(sources, S, emit);
      while (m.step(1 << 20)) {
        progress.update({ done: m.row, total: this.V });
        await yieldToEventLoop(); // lets Ctrl-C (SIGINT) clean up promptly
      }
      emitted = m.emitted;
    } finally {
      for (const src of sources) src.close();
      progress.stop();
    }
    // Free the tables.
    this.dense = new Float64Array(0);
    this.hi = this.hj = this.ai = this.aj = this.bi = this.bj = new Int32Array(0);
    this.hv = this.av = this.bv = new Float64Array(0);
    this.stats.nonZeros = emitted;
    return emitted;
  }
}

interface MergeSource { ci: number; cj: number; cx: number; next(): boolean; close(): void }

/** K-way merge of (i, j)-sorted sources, summing equal keys; emits (i, j, sum/S). Returns the count. */
/** Yield to the event loop (so signal handlers run during long synchronous passes). */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** K-way merge of (i, j)-sorted sources, summing equal keys; emits (i, j, sum/S), a slice at a time. */
class Merger {
  private readonly heap: MergeSource[] = [];
  private ci = -1;
  private cj = -1;
  private acc = 0;
  /** Records emitted so far. */
  emitted = 0;

  constructor(sources: MergeSource[], private readonly S: number, private readonly emit: (i: number, j: number, x: number) => void) {
    for (const src of sources) if (src.next()) this.heap.push(src);
    for (let k = (this.heap.length >> 1) - 1; k >= 0; k--) this.siftDown(k);
  }

  private siftDown(k: number): void {
    const heap = this.heap, n = heap.length;
    for (;;) {
      const l = 2 * k + 1, r = l + 1;
      let m = k;
      if (l < n && (heap[l].ci < heap[m].ci || (heap[l].ci === heap[m].ci && heap[l].cj < heap[m].cj))) m = l;
      if (r < n && (heap[r].ci < heap[m].ci || (heap[r].ci === heap[m].ci && heap[r].cj < heap[m].cj))) m = r;
      if (m === k) return;
      const t = heap[k]; heap[k] = heap[m]; heap[m] = t; k = m;
    }
  }

  /** Merge up to `steps` source records; returns false when everything has been emitted. */
  step(steps: number): boolean {
    const heap = this.heap;
    let { ci, cj, acc } = this;
    for (let s = 0; s < steps && heap.length; s++) {
      const top = heap[0];
      if (top.ci === ci && top.cj === cj) acc += top.cx;
      else {
        if (ci >= 0) { this.emit(ci, cj, acc / this.S); this.emitted++; }
        ci = top.ci; cj = top.cj; acc = top.cx;
      }
      if (top.next()) this.siftDown(0);
      else { const last = heap.pop()!; if (heap.length) { heap[0] = last; this.siftDown(0); } }
    }
    this.ci = ci; this.cj = cj; this.acc = acc;
    if (heap.length) return true;
    if (ci >= 0) { this.emit(ci, cj, acc / this.S); this.emitted++; this.ci = -1; }
    return false;
  }

  /** Row of the smallest pending record (for progress). */
  get row(): number { return this.heap.length ? this.heap[0].ci : this.ci; }
}

class DenseSource implements MergeSource {
  ci = 0; cj = -1; cx = 0;
  constructor(private d: Float64Array, private off: Float64Array, private len: Int32Array) {}
  next(): boolean {
    const V = this.len.length;
    let i = this.ci, j = this.cj + 1;
    while (i < V) {
      const L = this.len[i], o = this.off[i];
      for (; j < L; j++) { const x = this.d[o + j]; if (x !== 0) { this.ci = i; this.cj = j; this.cx = x; return true; } }
      i++; j = 0;
    }
    this.ci = V;
    return false;
  }
  close(): void {}
}

class ArraySource implements MergeSource {
  ci = 0; cj = 0; cx = 0; private k = 0;
  constructor(private i: Int32Array, private j: Int32Array, private x: Float64Array, private n: number) {}
  next(): boolean {
    if (this.k >= this.n) return false;
    this.ci = this.i[this.k]; this.cj = this.j[this.k]; this.cx = this.x[this.k]; this.k++;
    return true;
  }
  close(): void {}
}

class FileSource implements MergeSource {
  ci = 0; cj = 0; cx = 0;
  private r: RecordReader;
  constructor(path: string, block: number) { this.r = new RecordReader(path, block); }
  next(): boolean {
    const r = this.r;
    if (r.k >= r.n && r.next() === 0) return false;
    const k = r.k++;
    this.ci = r.u32[4 * k]; this.cj = r.u32[4 * k + 1]; this.cx = r.f64[2 * k + 1];
    return true;
  }
  close(): void { this.r.close(); }
}
