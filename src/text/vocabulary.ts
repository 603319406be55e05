/**
 * Vocabulary: token ↔ index map with a frequency table, built from a tokenized corpus with a minimum count and a
 * maximum size. Special tokens come first: [PAD] = 0, [UNK] = 1, [EOS] = 2 (and [BOS] = 3 when asked for).
 * Browser-safe; save/load as JSON (`toJSON()` / `Vocabulary.fromJSON()`), e.g. inside a model file.
 *
 * Ordering is deterministic: by descending count, ties broken by first appearance in the corpus.
 */
import { WordloomError, check } from '../util/errors.ts';

export const PAD = '[PAD]';
export const UNK = '[UNK]';
export const EOS = '[EOS]';
export const BOS = '[BOS]';

export interface VocabularyOptions {
  /** Drop tokens seen fewer than this many times (they map to [UNK]). Default 1. */
  minCount?: number;
  /** Keep at most this many entries, special tokens included (0 = unlimited). Default 0. */
  maxSize?: number;
  /** Add a [BOS] token (index 3). Default false. */
  bos?: boolean;
}

export const VOCABULARY_DEFAULTS: Required<VocabularyOptions> = { minCount: 1, maxSize: 0, bos: false };

/** JSON form of a vocabulary (what save/load and model files hold). */
export interface VocabularyJSON {
  format: 'wordloom-vocabulary';
  version: 1;
  /** Tokens in index order (special tokens first). */
  tokens: string[];
  /** Training-corpus count of each token (0 for special tokens). */
  counts: number[];
  options: Required<VocabularyOptions>;
}

/** Result of encoding with OOV statistics. */
export interface EncodeStats {
  /** Tokens encoded. */
  tokens: number;
  /** Tokens that mapped to [UNK]. */
  unknown: number;
  /** unknown / tokens (0 when there were no tokens). */
  oovRate: number;
}

export class Vocabulary {
  readonly tokens: readonly string[];
  readonly counts: readonly number[];
  readonly options: Required<VocabularyOptions>;
  private readonly index: Map<string, number>;
  readonly padId = 0;
  readonly unkId = 1;
  readonly eosId = 2;
  /** Index of [BOS], or -1 when the vocabulary has none. */
  readonly bosId: number;

  private constructor(tokens: string[], counts: number[], options: Required<VocabularyOptions>) {
    this.tokens = tokens;
    this.counts = counts;
    this.options = options;
    this.index = new Map();
    tokens.forEach((t, i) => {
      if (this.index.has(t)) throw new WordloomError(`vocabulary: duplicate token "${t}" at index ${i}`);
      this.index.set(t, i);
    });
    this.bosId = options.bos ? 3 : -1;
  }

  /** Number of special tokens at the start (3, or 4 with [BOS]). */
  get specialCount(): number {
    return this.options.bos ? 4 : 3;
  }

  /** Build from tokenized sentences (or any iterable of token arrays). */
  static build(sentences: Iterable<readonly string[]>, options: VocabularyOptions = {}): Vocabulary {
    const o = validateOptions(options);
    const freq = new Map<string, number>();
    for (const s of sentences) for (const t of s) freq.set(t, (freq.get(t) ?? 0) + 1);
    const specials = o.bos ? [PAD, UNK, EOS, BOS] : [PAD, UNK, EOS];
    for (const s of specials) freq.delete(s);
    // Map iteration order = first appearance; a stable sort keeps it for ties.
    let entries = [...freq].filter(([, c]) => c >= o.minCount).sort((a, b) => b[1] - a[1]);
    if (o.maxSize > 0) entries = entries.slice(0, Math.max(0, o.maxSize - specials.length));
    return new Vocabulary([...specials, ...entries.map((e) => e[0])], [...specials.map(() => 0), ...entries.map((e) => e[1])], o);
  }

  /** Build from an explicit token list (specials are prepended; duplicates are an error). */
  static fromTokens(tokens: readonly string[], options: VocabularyOptions = {}): Vocabulary {
    const o = validateOptions(options);
    const specials = o.bos ? [PAD, UNK, EOS, BOS] : [PAD, UNK, EOS];
    const rest = tokens.filter((t) => !specials.includes(t));
    return new Vocabulary([...specials, ...rest], [...specials, ...rest].map(() => 0), o);
  }

  get size(): number {
    return this.tokens.length;
  }

  /** Index of a token, or [UNK]'s index. */
  id(token: string): number {
    return this.index.get(token) ?? this.unkId;
  }

  has(token: string): boolean {
    return this.index.has(token);
  }

  token(id: number): string {
    const t = this.tokens[id];
    if (t === undefined) throw new RangeError(`vocabulary: index ${id} out of range [0, ${this.size})`);
    return t;
  }

  /** Training count of a token (0 for unknown and special tokens). */
  count(token: string): number {
    const i = this.index.get(token);
    return i === undefined ? 0 : this.counts[i];
  }

  /** Token → index, unknown tokens → [UNK]; optionally with [BOS]/[EOS]. Stats are accumulated into `stats` if given. */
  encode(tokens: readonly string[], opts: { eos?: boolean; bos?: boolean; stats?: EncodeStats } = {}): Int32Array {
    const extra = (opts.bos ? 1 : 0) + (opts.eos ? 1 : 0);
    if (opts.bos && this.bosId < 0) throw new WordloomError('vocabulary has no [BOS] token (build it with bos: true)');
    const out = new Int32Array(tokens.length + extra);
    let k = 0, unk = 0;
    if (opts.bos) out[k++] = this.bosId;
    for (const t of tokens) {
      const i = this.index.get(t);
      if (i === undefined) unk++;
      out[k++] = i ?? this.unkId;
    }
    if (opts.eos) out[k++] = this.eosId;
    if (opts.stats) {
      opts.stats.tokens += tokens.length;
      opts.stats.unknown += unk;
      opts.stats.oovRate = opts.stats.tokens > 0 ? opts.stats.unknown / opts.stats.tokens : 0;
    }
    return out;
  }

  /** Encode many token lists, reporting the OOV rate over all of them. */
  encodeAll(sentences: readonly (readonly string[])[], opts: { eos?: boolean; bos?: boolean } = {}): { ids: Int32Array[]; stats: EncodeStats } {
    const stats: EncodeStats = { tokens: 0, unknown: 0, oovRate: 0 };
    const ids = sentences.map((s) => this.encode(s, { ...opts, stats }));
    return { ids, stats };
  }

  /** Index → token. */
  decode(ids: ArrayLike<number>): string[] {
    const out: string[] = [];
    for (let i = 0; i < ids.length; i++) out.push(this.token(ids[i]));
    return out;
  }

  /** The `n` most frequent non-special tokens with their counts. */
  mostFrequent(n: number): Array<[string, number]> {
    const out: Array<[string, number]> = [];
    for (let i = this.specialCount; i < this.size && out.length < n; i++) out.push([this.tokens[i], this.counts[i]]);
    return out;
  }

  toJSON(): VocabularyJSON {
    return { format: 'wordloom-vocabulary', version: 1, tokens: [...this.tokens], counts: [...this.counts], options: { ...this.options } };
  }

  /** Inverse of toJSON(); `source` names the file for error messages. */
  static fromJSON(json: unknown, source?: string): Vocabulary {
    const j = json as Partial<VocabularyJSON> | null;
    const where = { file: source };
    check(j && typeof j === 'object' && j.format === 'wordloom-vocabulary', 'not a wordloom vocabulary (missing format: "wordloom-vocabulary")', where);
    check(j.version === 1, `unsupported vocabulary version ${String(j.version)}`, where);
    check(Array.isArray(j.tokens) && j.tokens.every((t) => typeof t === 'string'), 'vocabulary "tokens" must be an array of strings', where);
    check(Array.isArray(j.counts) && j.counts.length === j.tokens.length && j.counts.every((c) => Number.isInteger(c) && c >= 0),
      'vocabulary "counts" must be non-negative integers, one per token', where);
    const o = validateOptions(j.options ?? {});
    const specials = o.bos ? [PAD, UNK, EOS, BOS] : [PAD, UNK, EOS];
    check(specials.every((s, i) => j.tokens![i] === s), `vocabulary must start with ${specials.join(', ')}`, where);
    try {
      return new Vocabulary([...j.tokens], [...j.counts], o);
    } catch (e) {
      if (e instanceof WordloomError) throw new WordloomError(e.message, where);
      throw e;
    }
  }

  /** Save as JSON text (write it with writeFileAtomic). */
  serialize(): string {
    return JSON.stringify(this.toJSON());
  }

  /** Parse JSON text written by serialize(). */
  static parse(text: string, source?: string): Vocabulary {
    let j: unknown;
    try { j = JSON.parse(text); } catch (e) {
      throw new WordloomError(`invalid JSON in vocabulary: ${(e as Error).message}`, { file: source });
    }
    return Vocabulary.fromJSON(j, source);
  }
}

function validateOptions(options: VocabularyOptions): Required<VocabularyOptions> {
  const o = { ...VOCABULARY_DEFAULTS, ...options };
  check(Number.isInteger(o.minCount) && o.minCount >= 1, `minCount must be an integer ≥ 1, got ${o.minCount}`, { flag: '--min-count' });
  check(Number.isInteger(o.maxSize) && o.maxSize >= 0, `maxSize must be an integer ≥ 0, got ${o.maxSize}`, { flag: '--max-vocab' });
  check(o.maxSize === 0 || o.maxSize > (o.bos ? 4 : 3), `maxSize must leave room beyond the special tokens, got ${o.maxSize}`, { flag: '--max-vocab' });
  check(typeof o.bos === 'boolean', 'bos must be a boolean');
  return { minCount: o.minCount, maxSize: o.maxSize, bos: o.bos };
}
