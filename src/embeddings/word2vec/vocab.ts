/**
 * word2vec vocabulary: words sorted by descending count (ties: word order, so builds are deterministic),
 * min-count / max-vocab pruning, the Huffman tree of hierarchical softmax, the negative-sampling
 * distribution (alias table over count^power) and the subsampling keep probabilities. Browser-safe.
 *
 * Reference: word2vec.c (SortVocab, CreateBinaryTree, InitUnigramTable, the `sample` keep probability);
 * A. J. Walker, "An efficient method for generating discrete random variables with general distributions",
 * ACM TOMS 1977 (alias method; Vose's numerically stable construction).
 */
import { WordloomError } from '../../util/errors.ts';
import { W2V_MAX_CODE_LENGTH } from '../../kernels/w2v-reference.ts';

export interface W2VVocabJSON {
  format: 'wordloom-w2v-vocab';
  version: 1;
  words: string[];
  counts: number[];
}

export class W2VVocab {
  readonly words: readonly string[];
  /** Corpus count of each word (index order = descending count). */
  readonly counts: Float64Array;
  /** Σ counts: words of the corpus that are in the vocabulary (the C tool's train_words). */
  readonly totalWords: number;
  private readonly index: Map<string, number>;

  constructor(words: string[], counts: ArrayLike<number>) {
    if (words.length !== counts.length) throw new WordloomError('vocabulary: words and counts differ in length');
    this.words = words;
    this.counts = Float64Array.from(counts);
    this.index = new Map(words.map((w, i) => [w, i]));
    if (this.index.size !== words.length) throw new WordloomError('vocabulary: duplicate word');
    let t = 0;
    for (let i = 0; i < this.counts.length; i++) t += this.counts[i];
    this.totalWords = t;
  }

  get size(): number { return this.words.length; }
  id(word: string): number { return this.index.get(word) ?? -1; }

  /**
   * Build from raw counts: keep words with count ≥ minCount, sort by count desc then word, keep the
   * `maxVocab` most frequent (0 = all).
   */
  static fromCounts(entries: Iterable<[string, number]>, minCount: number, maxVocab = 0): W2VVocab {
    const kept: [string, number][] = [];
    for (const [w, n] of entries) if (n >= minCount) kept.push([w, n]);
    kept.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    if (maxVocab > 0 && kept.length > maxVocab) kept.length = maxVocab;
    return new W2VVocab(kept.map((e) => e[0]), kept.map((e) => e[1]));
  }

  /** The C tool's --save-vocab format: `word count` per line. */
  toText(): string {
    let s = '';
    for (let i = 0; i < this.words.length; i++) s += `${this.words[i]} ${this.counts[i]}\n`;
    return s;
  }

  /** Parse `word count` lines (--read-vocab); `file` names the source in errors. Re-sorted by count. */
  static fromText(text: string, file = '<vocab>', minCount = 1, maxVocab = 0): W2VVocab {
    const entries: [string, number][] = [];
    const seen = new Set<string>();
    const lines = text.split('\n');
    for (let i = 0; i < lines.length; i++) {
      const l = lines[i].trim();
      if (!l) continue;
      const p = l.split(/\s+/);
      const n = Number(p[1]);
      if (p.length !== 2 || !Number.isInteger(n) || n < 0) throw new WordloomError(`expected "word count", got "${l.slice(0, 60)}"`, { file, line: i + 1 });
      if (seen.has(p[0])) throw new WordloomError(`duplicate word "${p[0]}"`, { file, line: i + 1 });
      seen.add(p[0]);
      entries.push([p[0], n]);
    }
    const v = W2VVocab.fromCounts(entries, minCount, maxVocab);
    if (v.size === 0) throw new WordloomError('vocabulary is empty', { file });
    return v;
  }

  toJSON(): W2VVocabJSON {
    return { format: 'wordloom-w2v-vocab', version: 1, words: [...this.words], counts: Array.from(this.counts) };
  }

  static fromJSON(j: W2VVocabJSON): W2VVocab {
    if (j?.format !== 'wordloom-w2v-vocab') throw new WordloomError('not a word2vec vocabulary');
    return new W2VVocab(j.words, j.counts);
  }

  /**
   * Huffman tree as word2vec.c's CreateBinaryTree: for word w, codeLen[w] bits `codes[w·40 + d]` and inner
   * node indices `points[w·40 + d]` (0 … V−2, root = V−2), root first.
   */
  huffman(): { codes: Uint8Array; points: Int32Array; codeLen: Uint8Array } {
    const V = this.size;
    const codes = new Uint8Array(V * W2V_MAX_CODE_LENGTH), points = new Int32Array(V * W2V_MAX_CODE_LENGTH);
    const codeLen = new Uint8Array(V);
    if (V < 2) { return { codes, points, codeLen }; }
    const count = new Float64Array(V * 2 + 1), binary = new Uint8Array(V * 2 + 1), parent = new Int32Array(V * 2 + 1);
    for (let a = 0; a < V; a++) count[a] = this.counts[a];
    for (let a = V; a < V * 2; a++) count[a] = 1e300;
    let pos1 = V - 1, pos2 = V;
    for (let a = 0; a < V - 1; a++) {
      let min1i: number, min2i: number;
      if (pos1 >= 0 && count[pos1] < count[pos2]) min1i = pos1--; else min1i = pos2++;
      if (pos1 >= 0 && count[pos1] < count[pos2]) min2i = pos1--; else min2i = pos2++;
      count[V + a] = count[min1i] + count[min2i];
      parent[min1i] = V + a; parent[min2i] = V + a;
      binary[min2i] = 1;
    }
    const code = new Uint8Array(W2V_MAX_CODE_LENGTH), point = new Int32Array(W2V_MAX_CODE_LENGTH);
    for (let a = 0; a < V; a++) {
      let b = a, i = 0;
      for (;;) {
        code[i] = binary[b]; point[i] = b; i++;
        b = parent[b];
        if (b === V * 2 - 2) break;
        if (i >= W2V_MAX_CODE_LENGTH) throw new WordloomError(`Huffman code longer than ${W2V_MAX_CODE_LENGTH} bits (vocabulary counts too skewed)`);
      }
      codeLen[a] = i;
      points[a * W2V_MAX_CODE_LENGTH] = V - 2;
      for (b = 0; b < i; b++) {
        codes[a * W2V_MAX_CODE_LENGTH + i - b - 1] = code[b];
        if (b > 0) points[a * W2V_MAX_CODE_LENGTH + i - b] = point[b] - V;
      }
    }
    return { codes, points, codeLen };
  }

  /**
   * Negative-sampling distribution P(w) ∝ count^power as an alias table: draw column j uniformly, keep it when a
   * uniform u32 < prob[j] (a threshold in [0, 2^32)), else take alias[j].
   */
  aliasTable(power: number): { prob: Uint32Array; alias: Int32Array; p: Float64Array } {
    const V = this.size;
    const p = new Float64Array(V);
    let z = 0;
    for (let i = 0; i < V; i++) { p[i] = Math.pow(this.counts[i], power); z += p[i]; }
    for (let i = 0; i < V; i++) p[i] /= z;
    const scaled = new Float64Array(V), prob = new Uint32Array(V), alias = new Int32Array(V);
    const small: number[] = [], large: number[] = [];
    for (let i = 0; i < V; i++) { scaled[i] = p[i] * V; (scaled[i] < 1 ? small : large).push(i); alias[i] = i; }
    const P = new Float64Array(V).fill(1);
    while (small.length && large.length) {
      const s = small.pop()!, l = large.pop()!;
      P[s] = scaled[s]; alias[s] = l;
      scaled[l] = scaled[l] + scaled[s] - 1;
      (scaled[l] < 1 ? small : large).push(l);
    }
    for (let i = 0; i < V; i++) prob[i] = P[i] >= 1 ? 0xffffffff : Math.floor(P[i] * 4294967296);
    return { prob, alias, p };
  }

  /**
   * Subsampling thresholds: word w is kept when a uniform u32 ≤ keep[w] (0xFFFFFFFF = always).
   * Reference: word2vec.c keeps a word with probability (sqrt(f/(s·T)) + 1)·(s·T)/f (f = count, T = total
   * words, s = sample), which differs from the paper's discard probability 1 − sqrt(t/f) (Mikolov et al. 2013b,
   * eq. 5, with f a relative frequency): the tool's formula keeps more of the mid-frequency words. sample = 0
   * disables subsampling.
   */
  keepThresholds(sample: number): Uint32Array {
    const V = this.size, keep = new Uint32Array(V);
    for (let i = 0; i < V; i++) {
      if (sample <= 0) { keep[i] = 0xffffffff; continue; }
      const st = sample * this.totalWords, f = this.counts[i];
      const ran = (Math.sqrt(f / st) + 1) * st / f;
      keep[i] = ran >= 1 ? 0xffffffff : Math.floor(ran * 4294967296);
    }
    return keep;
  }
}
