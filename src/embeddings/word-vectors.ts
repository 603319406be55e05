/**
 * `WordVectors`: an in-memory word-embedding store with gensim-compatible queries (browser-safe).
 *
 * Layout: `words[i]` ↔ row i of one contiguous row-major Float32Array `data` (size × dim) allocated with
 * `K.alloc` (WASM memory when the WASM kernels are active), a word → index Map, and a lazily computed
 * unit-normalised copy (also K.alloc'd) plus the row norms. Row order is the file order, which for
 * word2vec/GloVe/fastText output is descending frequency — `restrictVocab: n` means "the first n rows".
 *
 * Queries follow gensim 4 `KeyedVectors` (Řehůřek & Sojka 2010):
 * - `mostSimilar` (3CosAdd): unit-normalise each input, weighted mean (positive +1, negative −1), normalise,
 *   cosine with every row, inputs excluded from the results (gensim `most_similar`).
 * - `mostSimilarCosMul` (3CosMul): ∏ (1+cos(w,p))/2 / (∏ (1+cos(w,n))/2 + 1e-6) (gensim `most_similar_cosmul`).
 *   Reference: O. Levy and Y. Goldberg, "Linguistic Regularities in Sparse and Explicit Word
 *   Representations", CoNLL 2014, eq. (4) with cosines shifted to [0,1] (their footnote 7).
 *   Deviation: gensim 4.2 ignores `restrict_vocab` here and does not normalise raw-vector inputs; we honour
 *   both (identical results for word inputs without a restriction).
 * - `doesntMatch`: the word least similar to the normalised mean of the normalised inputs (gensim).
 * Scoring all rows is one matrix-vector product over the unit matrix (`K.sgemv`, WASM SIMD, threaded for long products);
 * top-k is a bounded insertion list.
 * Unknown words are a WordloomError that names every unknown word.
 */
import { K } from '../kernels/index.ts';
import { WordloomError } from '../util/errors.ts';

/** One query result. */
export interface Neighbor {
  /** The word. */
  word: string;
  /** Its score: cosine similarity (3CosAdd / similarByVector) or the 3CosMul objective. */
  score: number;
}

/** A query term: a word, a raw vector, or either with an explicit weight. */
export type QueryTerm = string | Float32Array | [string | Float32Array, number];

/** Options of `mostSimilar` / `mostSimilarCosMul`. */
export interface MostSimilarOptions {
  /** Words (or vectors) that pull towards the result. */
  positive?: QueryTerm[];
  /** Words (or vectors) that push away from the result. */
  negative?: QueryTerm[];
  /** Number of results (default 10). */
  topn?: number;
  /** Only search the first N rows (most frequent words); default: all rows. */
  restrictVocab?: number;
}

/** Defaults of the query options. */
export const QUERY_DEFAULTS = { topn: 10 } as const;

/** Where vectors came from (filled by the parsers). */
export interface VectorsSource {
  /** File name (or label) the vectors were read from. */
  file?: string;
  /** Detected/used format. */
  format?: string;
  /** Rows skipped in lenient mode. */
  skipped?: number;
  /** First few skip reasons (file:line: reason), lenient mode. */
  skippedReasons?: string[];
  /** Vocabulary size announced by the header, when there was one. */
  headerCount?: number;
  /**
   * Native files only: 'verified' when the whole file matched its checksum trailer, 'none' for an older (version 1)
   * file that has none (damage to it cannot be detected). Text and word2vec-binary formats have no checksum.
   */
  checksum?: 'verified' | 'none';
}

export class WordVectors {
  /** Words, row order. */
  readonly words: readonly string[];
  /** Dimensionality. */
  readonly dim: number;
  /** Row-major matrix, words.length × dim (a view of K.alloc memory). Call `invalidate()` after editing it. */
  readonly data: Float32Array;
  /** Provenance (parsers fill it in). */
  source: VectorsSource = {};
  private readonly index: Map<string, number>;
  private unit: Float32Array | null = null;
  private norms: Float64Array | null = null;
  private storage: Float32Array | null;
  private scratch: Float32Array | null = null;

  /**
   * Wrap `words` and a row-major matrix. With `copy: false` (default true) `data` is used as is — pass a
   * `K.alloc` buffer (or a view of one, with its base in `storage` so `dispose()` can free it).
   * Duplicate or empty words are a WordloomError (the parsers handle duplicates themselves).
   */
  constructor(words: readonly string[], data: Float32Array, dim: number, opts: { copy?: boolean; storage?: Float32Array } = {}) {
    if (!Number.isInteger(dim) || dim < 1) throw new WordloomError(`WordVectors: dim must be a positive integer, got ${dim}`);
    if (data.length !== words.length * dim) {
      throw new WordloomError(`WordVectors: matrix has ${data.length} values, expected ${words.length} words × ${dim} = ${words.length * dim}`);
    }
    const index = new Map<string, number>();
    for (let i = 0; i < words.length; i++) {
      const w = words[i];
      if (typeof w !== 'string' || w.length === 0) throw new WordloomError(`WordVectors: word ${i} is empty`);
      if (index.has(w)) throw new WordloomError(`WordVectors: duplicate word "${w}" (rows ${index.get(w)} and ${i})`);
      index.set(w, i);
    }
    this.index = index;
    this.words = Object.freeze(words.slice());
    this.dim = dim;
    if (opts.copy === false) {
      this.data = data;
      this.storage = opts.storage ?? data;
    } else {
      const d = K.alloc(data.length);
      d.set(data);
      this.data = d;
      this.storage = d;
    }
  }

  /**
   * Wrap parser output without copying or re-checking: `index` must map each word to its row.
   * @internal used by the format readers.
   */
  static fromParts(words: string[], data: Float32Array, dim: number, storage: Float32Array, index: Map<string, number>): WordVectors {
    const wv = Object.create(WordVectors.prototype) as WordVectors;
    const w = wv as unknown as Record<string, unknown>;
    w.words = Object.freeze(words);
    w.dim = dim;
    w.data = data;
    w.storage = storage;
    w.index = index;
    w.unit = null;
    w.norms = null;
    w.scratch = null;
    w.source = {};
    return wv;
  }

  /** Number of words. */
  get size(): number { return this.words.length; }

  /** Is `word` in the vocabulary (exact match)? */
  has(word: string): boolean { return this.index.has(word); }

  /** Row index of `word`, or -1. */
  indexOf(word: string): number { return this.index.get(word) ?? -1; }

  /** The row of `word` as a view into `data` (do not modify; copy with `.slice()`). Unknown → WordloomError. */
  vector(word: string): Float32Array {
    const i = this.need([word])[0];
    return this.data.subarray(i * this.dim, (i + 1) * this.dim);
  }

  /** Row i as a view. */
  row(i: number): Float32Array {
    return this.data.subarray(i * this.dim, (i + 1) * this.dim);
  }

  /** Drop the cached unit vectors / norms (after modifying `data`). */
  invalidate(): void {
    if (this.unit) K.free(this.unit);
    this.unit = null;
    this.norms = null;
  }

  /** Release the K.alloc memory (the object is unusable afterwards). */
  dispose(): void {
    this.invalidate();
    if (this.storage) K.free(this.storage);
    this.storage = null;
  }

  /** L2 norm of every row (cached, float64). */
  rowNorms(): Float64Array {
    if (!this.norms) this.unitVectors();
    return this.norms!;
  }

  /**
   * The unit-normalised matrix (cached, K.alloc). Zero rows stay zero (score 0 against everything).
   */
  unitVectors(): Float32Array {
    if (this.unit) return this.unit;
    const n = this.size, d = this.dim, src = this.data;
    const u = K.alloc(n * d);
    const norms = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const o = i * d;
      let s = 0;
      for (let j = 0; j < d; j++) { const x = src[o + j]; s += x * x; }
      const nr = Math.sqrt(s);
      norms[i] = nr;
      if (nr > 0) { const inv = 1 / nr; for (let j = 0; j < d; j++) u[o + j] = src[o + j] * inv; }
    }
    this.unit = u;
    this.norms = norms;
    return u;
  }

  /** Cosine similarity of two words (gensim `similarity`). */
  similarity(a: string, b: string): number {
    const [i, j] = this.need([a, b]);
    const norms = this.rowNorms();
    const d = this.dim, x = this.data;
    let s = 0;
    for (let k = 0; k < d; k++) s += x[i * d + k] * x[j * d + k];
    const den = norms[i] * norms[j];
    return den > 0 ? s / den : 0;
  }

  /** Euclidean distance between two words. */
  distance(a: string, b: string): number {
    const [i, j] = this.need([a, b]);
    const d = this.dim, x = this.data;
    let s = 0;
    for (let k = 0; k < d; k++) { const t = x[i * d + k] - x[j * d + k]; s += t * t; }
    return Math.sqrt(s);
  }

  /** Cosine distance 1 − similarity (gensim `distance`). */
  cosineDistance(a: string, b: string): number {
    return 1 - this.similarity(a, b);
  }

  /**
   * Top-N words by 3CosAdd (gensim `most_similar`): cosine with the normalised weighted mean of the
   * normalised inputs; input words are never returned.
   */
  mostSimilar(opts: MostSimilarOptions): Neighbor[] {
    const { terms, exclude } = this.terms(opts);
    const topn = this.topnOf(opts);
    if (topn === 0) return [];
    const q = new Float32Array(this.dim);
    for (const t of terms) {
      const v = t.vec; let nr = 0;
      for (let k = 0; k < v.length; k++) nr += v[k] * v[k];
      nr = Math.sqrt(nr);
      if (nr > 0) for (let k = 0; k < v.length; k++) q[k] += (t.weight * v[k]) / nr;
    }
    normalize(q);
    const rows = this.rowsOf(opts);
    const scores = this.scoreRows(q, rows);
    return this.top(scores, rows, topn, exclude);
  }

  /**
   * Top-N words by 3CosMul (gensim `most_similar_cosmul`; Levy & Goldberg 2014, eq. 4, cosines mapped to
   * [0,1] by (1+cos)/2, ε = 1e-6). With one positive word the ranking equals `mostSimilar`.
   */
  mostSimilarCosMul(opts: MostSimilarOptions): Neighbor[] {
    const { terms, exclude } = this.terms(opts);
    const topn = this.topnOf(opts);
    if (topn === 0) return [];
    const rows = this.rowsOf(opts);
    const pos = terms.filter((t) => t.weight > 0), neg = terms.filter((t) => t.weight <= 0);
    if (pos.length === 0) throw new WordloomError('mostSimilarCosMul: at least one positive word is needed');
    const num = new Float64Array(rows).fill(1), den = new Float64Array(rows).fill(1);
    const q = new Float32Array(this.dim);
    for (const t of terms) {
      q.set(t.vec); normalize(q);
      const s = this.scoreRows(q, rows);
      const acc = t.weight > 0 ? num : den;
      for (let i = 0; i < rows; i++) acc[i] *= (1 + s[i]) / 2;
    }
    const scores = new Float64Array(rows);
    for (let i = 0; i < rows; i++) scores[i] = num[i] / ((neg.length ? den[i] : 0) + 1e-6);
    return this.top(scores, rows, topn, exclude);
  }

  /**
   * "a is to b as c is to ?" — `mostSimilar({positive: [b, c], negative: [a]})` (or 3CosMul with
   * `method: '3cosmul'`).
   */
  analogy(a: string, b: string, c: string, opts: { topn?: number; restrictVocab?: number; method?: '3cosadd' | '3cosmul' } = {}): Neighbor[] {
    const q: MostSimilarOptions = { positive: [b, c], negative: [a], topn: opts.topn ?? 1, restrictVocab: opts.restrictVocab };
    return opts.method === '3cosmul' ? this.mostSimilarCosMul(q) : this.mostSimilar(q);
  }

  /** Nearest words to a raw vector (normalised first; nothing excluded) — gensim `similar_by_vector`. */
  similarByVector(v: Float32Array | number[], opts: { topn?: number; restrictVocab?: number } = {}): Neighbor[] {
    if (v.length !== this.dim) throw new WordloomError(`similarByVector: vector has ${v.length} values, expected ${this.dim}`);
    return this.mostSimilar({ positive: [Float32Array.from(v)], topn: opts.topn, restrictVocab: opts.restrictVocab });
  }

  /** Nearest words to a word (the word itself excluded) — gensim `similar_by_word`. */
  similarByWord(word: string, opts: { topn?: number; restrictVocab?: number } = {}): Neighbor[] {
    return this.mostSimilar({ positive: [word], topn: opts.topn, restrictVocab: opts.restrictVocab });
  }

  /**
   * The word that does not belong (gensim `doesnt_match`): lowest cosine with the normalised mean of
   * the normalised vectors. All words must be known.
   */
  doesntMatch(words: string[]): string {
    if (words.length === 0) throw new WordloomError('doesntMatch: no words given');
    return this.rankByCentrality(words)[words.length - 1].word;
  }

  /** Words ranked by cosine with the mean of their unit vectors, most central first (gensim `rank_by_centrality`). */
  rankByCentrality(words: string[]): Neighbor[] {
    const idx = this.need(words);
    const u = this.unitVectors(), d = this.dim;
    const mean = new Float32Array(d);
    for (const i of idx) for (let k = 0; k < d; k++) mean[k] += u[i * d + k];
    normalize(mean);
    const out = idx.map((i, n) => {
      let s = 0;
      for (let k = 0; k < d; k++) s += u[i * d + k] * mean[k];
      return { word: words[n], score: s };
    });
    return out.sort((x, y) => y.score - x.score || (x.word < y.word ? 1 : x.word > y.word ? -1 : 0));
  }

  /**
   * Cosine of the normalised query with each of the first `rows` unit rows (one matrix-vector product).
   * The returned array is a scratch buffer reused by the next call.
   */
  scoreRows(unitQuery: Float32Array, rows = this.size): Float32Array {
    const u = this.unitVectors();
    if (!this.scratch || this.scratch.length < rows) this.scratch = K.alloc(this.size);
    const out = this.scratch.subarray(0, rows);
    // One dot product per row (WASM SIMD); long products are split over the kernel threads (`setThreads`), with
    // the same result for any thread count.
    K.sgemv(false, rows, this.dim, 1, u, this.dim, unitQuery, 0, out);
    return out;
  }

  /** Row indices for words; unknown words → one WordloomError naming all of them. */
  need(words: readonly string[]): number[] {
    const out: number[] = [];
    const missing: string[] = [];
    for (const w of words) {
      const i = this.index.get(w);
      if (i === undefined) missing.push(w); else out.push(i);
    }
    if (missing.length) {
      throw new WordloomError(`word${missing.length > 1 ? 's' : ''} not in vocabulary: ${missing.map((w) => JSON.stringify(w)).join(', ')}`);
    }
    return out;
  }

  /** Top-k of `scores[0..rows)` skipping `exclude`, best first, ties → lower row first. */
  private top(scores: ArrayLike<number>, rows: number, topn: number, exclude: Set<number>): Neighbor[] {
    return topK(scores, rows, topn, exclude).map((i) => ({ word: this.words[i], score: scores[i] }));
  }

  private topnOf(opts: { topn?: number }): number {
    const t = opts.topn ?? QUERY_DEFAULTS.topn;
    if (!Number.isInteger(t) || t < 0) throw new WordloomError(`topn must be a non-negative integer, got ${t}`);
    return t;
  }

  private rowsOf(opts: { restrictVocab?: number }): number {
    const r = opts.restrictVocab;
    if (r === undefined || r === 0) return this.size;
    if (!Number.isInteger(r) || r < 0) throw new WordloomError(`restrictVocab must be a positive integer, got ${r}`);
    return Math.min(r, this.size);
  }

  private terms(opts: MostSimilarOptions): { terms: { vec: Float32Array; weight: number }[]; exclude: Set<number> } {
    const terms: { vec: Float32Array; weight: number }[] = [];
    const exclude = new Set<number>();
    const words: string[] = [];
    const collect = (list: QueryTerm[] | undefined, sign: number) => {
      for (const t of list ?? []) {
        const [item, weight] = Array.isArray(t) ? t : [t, sign];
        if (typeof item === 'string') words.push(item);
        else if (item.length !== this.dim) throw new WordloomError(`query vector has ${item.length} values, expected ${this.dim}`);
        terms.push({ vec: typeof item === 'string' ? (null as unknown as Float32Array) : item, weight });
      }
    };
    collect(opts.positive, 1);
    collect(opts.negative, -1);
    if (terms.length === 0) throw new WordloomError('no query words given (positive/negative are both empty)');
    const idx = this.need(words);
    let w = 0;
    for (const t of terms) {
      if (t.vec === null) { const i = idx[w++]; t.vec = this.row(i); exclude.add(i); }
    }
    return { terms, exclude };
  }
}

/** Scale v to unit length in place (zero stays zero). */
export function normalize(v: Float32Array | Float64Array): void {
  let s = 0;
  for (let k = 0; k < v.length; k++) s += v[k] * v[k];
  if (s > 0) { const inv = 1 / Math.sqrt(s); for (let k = 0; k < v.length; k++) v[k] *= inv; }
}

/**
 * Indices of the `k` largest `scores[0..n)` not in `exclude`, best first (ties: lower index first).
 * One pass with a sorted insertion list of size k: O(n + k·(#insertions)).
 */
export function topK(scores: ArrayLike<number>, n: number, k: number, exclude?: Set<number>): number[] {
  k = Math.min(k, n); // a request beyond the vocabulary (--topn 1000000000000) gets every word, not a huge buffer
  if (k <= 0) return [];
  const idx = new Int32Array(k), val = new Float64Array(k);
  let m = 0;
  let worst = -Infinity;
  for (let i = 0; i < n; i++) {
    const s = scores[i];
    if (m === k && !(s > worst)) continue;
    if (s !== s) continue; // NaN (zero-norm row)
    if (exclude && exclude.size && exclude.has(i)) continue;
    let p = m < k ? m++ : k - 1;
    while (p > 0 && val[p - 1] < s) { val[p] = val[p - 1]; idx[p] = idx[p - 1]; p--; }
    val[p] = s; idx[p] = i;
    if (m === k) worst = val[k - 1];
  }
  return Array.from(idx.subarray(0, m));
}
