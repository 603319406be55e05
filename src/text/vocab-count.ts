/**
 * Shared vocabulary counter for the embedding trainers (GloVe, word2vec): counts word occurrences,
 * then builds a frequency-ranked vocabulary with a minimum count and an optional size cap.
 * Browser-safe (no node:* imports). The streaming-file front end lives in `vocab-count-node.ts`.
 *
 * Order: descending count, ties broken by the word's code-unit order, so the ranking is deterministic.
 * Reference: GloVe's vocab_count.c (Pennington, Socher, Manning 2014) sorts by count, then by strcmp,
 * and applies `-min-count` and `-max-vocab` the same way (max-vocab keeps the most frequent words).
 */
import { WordloomError } from '../util/errors.ts';

/** Options for building a vocabulary from counts. */
export interface VocabBuildOptions {
  /** Drop words seen fewer than this many times (`--min-count`). Default 5. */
  minCount?: number;
  /** Keep at most this many words, the most frequent first (`--max-vocab`; 0 = no limit). Default 0. */
  maxVocab?: number;
}

export const VOCAB_BUILD_DEFAULTS: Required<VocabBuildOptions> = { minCount: 5, maxVocab: 0 };

/** A frequency-ranked vocabulary: `words[r]` has rank r (0 = most frequent) and count `counts[r]`. */
export interface CountedVocab {
  words: string[];
  counts: Float64Array;
  /** Word → rank. */
  index: Map<string, number>;
  /** First-seen id (from `VocabCounter.addId`) → rank, or −1 for a word the filters dropped. */
  rankOfId: Int32Array;
  /** Total tokens counted (including words dropped by the filters). */
  totalTokens: number;
}

/** Incremental word counter. */
export class VocabCounter {
  /** Word → first-seen id (0, 1, 2... in order of first appearance). */
  private readonly ids = new Map<string, number>();
  private readonly seen: string[] = [];
  private cnt = new Float64Array(1024);
  /** Number of tokens added. */
  tokens = 0;

  /**
   * Count one token and return its first-seen id (stable while counting, before any ranking), so a
   * caller can store the corpus as ids in one pass and map them to ranks later with `rankOfId`.
   */
  addId(word: string): number {
    let id = this.ids.get(word);
    if (id === undefined) {
      id = this.seen.length;
      this.ids.set(word, id);
      this.seen.push(word);
      if (id >= this.cnt.length) { const c = new Float64Array(this.cnt.length * 2); c.set(this.cnt); this.cnt = c; }
    }
    this.cnt[id]++;
    this.tokens++;
    return id;
  }

  /** Count one token. */
  add(word: string): void { this.addId(word); }

  /** Count a list of tokens. */
  addAll(words: readonly string[]): void {
    for (let k = 0; k < words.length; k++) this.addId(words[k]);
  }

  /** Number of distinct words seen so far. */
  get size(): number { return this.seen.length; }

  /** The raw count of a word. */
  count(word: string): number { const id = this.ids.get(word); return id === undefined ? 0 : this.cnt[id]; }

  /** Build the ranked vocabulary (validates the options; flags are named in errors). */
  build(options: VocabBuildOptions = {}): CountedVocab {
    const o = { ...VOCAB_BUILD_DEFAULTS, ...options };
    if (!Number.isInteger(o.minCount) || o.minCount < 1) throw new WordloomError(`expected an integer ≥ 1, got ${o.minCount}`, { flag: '--min-count' });
    if (!Number.isInteger(o.maxVocab) || o.maxVocab < 0) throw new WordloomError(`expected an integer ≥ 0, got ${o.maxVocab}`, { flag: '--max-vocab' });
    const keep: number[] = [];
    for (let id = 0; id < this.seen.length; id++) if (this.cnt[id] >= o.minCount) keep.push(id);
    const seen = this.seen, cnt = this.cnt;
    keep.sort((a, b) => (cnt[b] - cnt[a]) || (seen[a] < seen[b] ? -1 : seen[a] > seen[b] ? 1 : 0));
    const n = o.maxVocab > 0 ? Math.min(o.maxVocab, keep.length) : keep.length;
    const words = new Array<string>(n);
    const counts = new Float64Array(n);
    const index = new Map<string, number>();
    const rankOfId = new Int32Array(seen.length).fill(-1);
    for (let r = 0; r < n; r++) {
      const id = keep[r];
      words[r] = seen[id]; counts[r] = cnt[id]; index.set(seen[id], r); rankOfId[id] = r;
    }
    return { words, counts, index, rankOfId, totalTokens: this.tokens };
  }
}
