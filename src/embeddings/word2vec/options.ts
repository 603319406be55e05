/**
 * word2vec training options: typed, documented, with the C tool's defaults and validation that names the
 * CLI flag. Browser-safe.
 *
 * Reference: word2vec.c defaults (size 100, window 5, sample 1e-3, negative 5, hs 0, min-count 5, iter 5,
 * alpha 0.025 for skip-gram and 0.05 for CBOW, unigram power 0.75).
 */
import { WordloomError } from '../../util/errors.ts';

export type W2VObjective = 'negative' | 'hs' | 'negative+hs' | 'full';

export interface Word2VecOptions {
  /** Vector dimension (--size). */
  size: number;
  /** Max context distance; the effective window is drawn uniformly from 1..window per word (--window). */
  window: number;
  /** Negative samples per positive pair; 0 disables negative sampling (--negative). */
  negative: number;
  /** Hierarchical softmax over a Huffman tree (--hs). */
  hs: boolean;
  /** Full softmax with cross-entropy over the whole vocabulary instead of negative/hs (--softmax full). Small vocabularies only. */
  fullSoftmax: boolean;
  /** CBOW instead of skip-gram (--cbow). */
  cbow: boolean;
  /** Subsampling threshold of frequent words; 0 = off (--sample). */
  sample: number;
  /** Discard words seen fewer times (--min-count). */
  minCount: number;
  /** Keep at most this many most frequent words; 0 = no limit (--max-vocab). */
  maxVocab: number;
  /** Epochs over the corpus (--iter). */
  iter: number;
  /** Starting learning rate, decayed linearly to alpha·1e-4; undefined = 0.025 skip-gram / 0.05 CBOW (--alpha). */
  alpha?: number;
  /** Exponent of the negative-sampling distribution count^power (--neg-power). */
  negPower: number;
  /** Seed of every random choice (--seed). */
  seed: number;
  /** Training threads: 1 = main thread, deterministic; >1 = Hogwild worker threads (--threads). */
  threads: number;
  /** Lower-case the corpus while tokenizing (--lowercase). */
  lowercase: boolean;
  /**
   * How lines become words (--tokenizer): 'words' = the text pipeline's tokenizer without punctuation (markup,
   * PTB escapes, contractions); 'whitespace' = split on whitespace only, as word2vec.c (pre-tokenized corpora; faster).
   */
  tokenizer: 'words' | 'whitespace';
  /** Words per work chunk handed to a thread (--chunk-words). */
  chunkWords: number;
  /**
   * Negative sampling only. Skip-gram: draw the negatives once per centre word and share them across its
   * window (after Ji et al. 2016, "Parallelizing Word2Vec in Shared and Distributed Memory"), with word2vec.c's
   * sequential update order; K random output rows touched per centre word instead of K per context pair.
   * CBOW: B = 8 consecutive centre words share them, updated as one minibatch. Undefined = on for skip-gram,
   * off for CBOW (--shared-negatives).
   */
  sharedNegatives?: boolean;
}

export const WORD2VEC_DEFAULTS: Readonly<Word2VecOptions> = {
  size: 100, window: 5, negative: 5, hs: false, fullSoftmax: false, cbow: false, sample: 1e-3, minCount: 5,
  maxVocab: 0, iter: 5, alpha: undefined, negPower: 0.75, seed: 1, threads: 1, lowercase: true, tokenizer: 'words', chunkWords: 50_000,
  sharedNegatives: undefined,
};

/** Largest vocabulary the full softmax accepts (its cost is O(V·d) per pair). */
export const FULL_SOFTMAX_MAX_VOCAB = 20_000;

/** Fill defaults and validate; errors name the CLI flag. */
export function resolveWord2VecOptions(o: Partial<Word2VecOptions> = {}): Word2VecOptions & { alpha: number; sharedNegatives: boolean } {
  const keys = new Set<string>([...Object.keys(WORD2VEC_DEFAULTS), 'alpha']);
  const given = Object.fromEntries(Object.entries(o).filter(([k, v]) => v !== undefined && keys.has(k)));
  const r = { ...WORD2VEC_DEFAULTS, ...given } as Word2VecOptions;
  const int = (v: number, min: number, max: number, flag: string) => {
    if (!Number.isInteger(v) || v < min || v > max) throw new WordloomError(`expected an integer in [${min}, ${max}], got ${v}`, { flag });
  };
  int(r.size, 1, 10_000, '--size');
  int(r.window, 1, 1000, '--window');
  int(r.negative, 0, 1000, '--negative');
  int(r.minCount, 1, Number.MAX_SAFE_INTEGER, '--min-count');
  int(r.maxVocab, 0, 1 << 24, '--max-vocab');
  int(r.iter, 1, 100_000, '--iter');
  int(r.threads, 1, 256, '--threads');
  int(r.chunkWords, 1000, 1 << 24, '--chunk-words');
  if (!Number.isFinite(r.seed)) throw new WordloomError(`expected a number, got ${r.seed}`, { flag: '--seed' });
  if (!(r.sample >= 0 && r.sample < 1)) throw new WordloomError(`expected a number in [0, 1), got ${r.sample}`, { flag: '--sample' });
  if (!(r.negPower >= 0 && r.negPower <= 2)) throw new WordloomError(`expected a number in [0, 2], got ${r.negPower}`, { flag: '--neg-power' });
  if (r.tokenizer !== 'words' && r.tokenizer !== 'whitespace') throw new WordloomError(`expected words or whitespace, got ${String(r.tokenizer)}`, { flag: '--tokenizer' });
  const alpha = r.alpha ?? (r.cbow ? 0.05 : 0.025);
  if (!(alpha > 0 && alpha < 10)) throw new WordloomError(`expected a number in (0, 10), got ${alpha}`, { flag: '--alpha' });
  if (r.fullSoftmax) {
    if (r.hs || r.negative > 0) throw new WordloomError('--softmax full replaces negative sampling and hierarchical softmax: pass --negative 0 --hs 0', { flag: '--softmax' });
  } else if (!r.hs && r.negative === 0) {
    throw new WordloomError('no objective: use --negative > 0, --hs 1 or --softmax full', { flag: '--negative' });
  }
  return { ...r, alpha, sharedNegatives: r.sharedNegatives ?? !r.cbow };
}

/** A short name of the objective, for logs and JSON. */
export function objectiveName(o: Word2VecOptions): W2VObjective {
  if (o.fullSoftmax) return 'full';
  if (o.hs && o.negative > 0) return 'negative+hs';
  return o.hs ? 'hs' : 'negative';
}

/** The CLI flag of each option (for error messages). */
export const WORD2VEC_FLAGS: Record<keyof Word2VecOptions, string> = {
  size: '--size', window: '--window', negative: '--negative', hs: '--hs', fullSoftmax: '--softmax', cbow: '--cbow', sample: '--sample',
  minCount: '--min-count', maxVocab: '--max-vocab', iter: '--iter', alpha: '--alpha', negPower: '--neg-power', seed: '--seed',
  threads: '--threads', lowercase: '--lowercase', tokenizer: '--tokenizer', chunkWords: '--chunk-words', sharedNegatives: '--shared-negatives',
};

/**
 * Refuse a resumed run whose given options contradict its checkpoint's: every option except --threads shapes
 * the vocabulary, the chunks or the learning-rate schedule (even --iter: alpha decays over iter × words), so a
 * different value would silently continue another run. `given` holds only what the user set.
 */
export function checkResumeOptions(given: Partial<Word2VecOptions>, saved: Word2VecOptions, file: string): void {
  for (const k of Object.keys(WORD2VEC_FLAGS) as (keyof Word2VecOptions)[]) {
    const v = given[k];
    if (k === 'threads' || v === undefined || saved[k] === undefined || v === saved[k]) continue;
    const show = (x: unknown) => (typeof x === 'boolean' ? (k === 'fullSoftmax' ? (x ? 'full' : 'sampled') : x ? '1' : '0') : String(x));
    throw new WordloomError(`${show(v)} contradicts the checkpoint, which was trained with ${WORD2VEC_FLAGS[k]} ${show(saved[k])} ` +
      '(leave the flag out to continue, or start over without --resume; only --threads may change)', { file, flag: WORD2VEC_FLAGS[k] });
  }
}
