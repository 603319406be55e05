/**
 * The word dictionary of the fastText supervised model and the feature ids of a line (browser-safe).
 *
 * Words: every token of the training lines plus one end-of-sentence token "</s>" per line (fastText reads a
 * newline as "</s>"), kept when counted ≥ minCount, sorted by count (descending; ties in order of first appearance,
 * where fastText's std::sort leaves ties unspecified). Features of a line: the ids of its in-vocabulary tokens
 * (incl. "</s>"), then its word n-grams 2..wordNgrams over the hashes of *all* its tokens (out-of-vocabulary ones
 * too), at nwords + hash % bucket — exactly fastText's Dictionary::getLine for supervised models without
 * character n-grams.
 *
 * Reference: fastText 0.9.2 src/dictionary.cc (readWord, add, threshold, getLine, addWordNgrams).
 */
import { WordloomError } from '../../util/errors.ts';
import { fasttextHash, addWordNgrams, wordNgramCount } from './hash.ts';

export const EOS = '</s>';

export class FastTextDictionary {
  readonly words: readonly string[];
  readonly counts: readonly number[];
  private readonly index: Map<string, number>;
  private hashCache = new Map<string, number>();

  constructor(words: readonly string[], counts: readonly number[]) {
    if (words.length !== counts.length) throw new WordloomError(`dictionary: ${words.length} words but ${counts.length} counts`);
    this.words = [...words];
    this.counts = [...counts];
    this.index = new Map(this.words.map((w, i) => [w, i]));
    if (this.index.size !== this.words.length) throw new WordloomError('dictionary: duplicate words');
  }

  /** Count the tokens of the lines (+ "</s>" per line), keep count ≥ minCount, most frequent first. */
  static build(lines: Iterable<readonly string[]>, minCount = 1): FastTextDictionary {
    const counts = new Map<string, number>();
    for (const line of lines) {
      for (const t of line) counts.set(t, (counts.get(t) ?? 0) + 1);
      counts.set(EOS, (counts.get(EOS) ?? 0) + 1);
    }
    const kept = [...counts].filter(([, c]) => c >= minCount);
    kept.sort((a, b) => b[1] - a[1]); // stable: ties keep first-appearance order
    return new FastTextDictionary(kept.map(([w]) => w), kept.map(([, c]) => c));
  }

  get size(): number {
    return this.words.length;
  }

  /** Id of a word, or −1. */
  id(word: string): number {
    return this.index.get(word) ?? -1;
  }

  /** Cached fastText hash of a token (training lines repeat their words a lot). */
  hash(token: string): number {
    let h = this.hashCache.get(token);
    if (h === undefined) {
      h = fasttextHash(token);
      if (this.hashCache.size < 2_000_000) this.hashCache.set(token, h);
    }
    return h;
  }

  /**
   * Feature ids of one line (tokens without "</s>"; it is appended as fastText does). Also returns how many
   * tokens were out of vocabulary.
   */
  features(tokens: readonly string[], wordNgrams: number, bucket: number): { ids: Int32Array; unknown: number } {
    const n = tokens.length + 1;
    const hashes = new Uint32Array(n);
    const ids = new Int32Array(n + (wordNgrams > 1 && bucket > 0 ? wordNgramCount(n, wordNgrams) : 0));
    let k = 0, unknown = 0;
    for (let i = 0; i < n; i++) {
      const t = i < tokens.length ? tokens[i] : EOS;
      const id = this.index.get(t);
      if (id !== undefined) ids[k++] = id;
      else if (i < tokens.length) unknown++;
      hashes[i] = this.hash(t);
    }
    k = addWordNgrams(hashes, n, wordNgrams, bucket, this.words.length, ids, k);
    return { ids: k === ids.length ? ids : ids.slice(0, k), unknown };
  }

  toJSON(): { words: string[]; counts: number[] } {
    return { words: [...this.words], counts: [...this.counts] };
  }

  /** Rebuild from toJSON() output (errors name the file). */
  static fromJSON(j: unknown, file = '<model>'): FastTextDictionary {
    const o = j as { words?: unknown; counts?: unknown } | null;
    if (!o || !Array.isArray(o.words) || !Array.isArray(o.counts) || !o.words.every((w) => typeof w === 'string') || !o.counts.every((c) => Number.isInteger(c))) {
      throw new WordloomError('model file has no valid fastText dictionary (words + counts)', { file });
    }
    try {
      return new FastTextDictionary(o.words as string[], o.counts as number[]);
    } catch (e) {
      throw new WordloomError((e as Error).message, { file });
    }
  }
}
