/**
 * Options of the fastText supervised model (browser-safe): typed, with fastText's flag names in the JSDoc, one
 * DEFAULTS object (fastText 0.9.2's `supervised` defaults, except threads) and validation naming the CLI flag.
 *
 * Reference: fastText 0.9.2 src/args.cc (supervised: lr 0.1, dim 100, epoch 5, minCount 1, wordNgrams 1,
 * bucket 2000000, loss softmax; bucket is set to 0 when wordNgrams ≤ 1 and there are no char n-grams).
 */
import { check } from '../../util/errors.ts';

export const FASTTEXT_LOSSES = ['softmax', 'ova'] as const;
export type FastTextLoss = (typeof FASTTEXT_LOSSES)[number];

/** What the model file needs to rebuild the model. */
export interface FastTextModelArgs {
  /** Size of word vectors and the hidden layer (fastText -dim, flag --dim). */
  dim: number;
  /** Longest word n-gram (fastText -wordNgrams, flag --word-ngrams); 1 = words only. */
  wordNgrams: number;
  /** Hash buckets for word n-grams (fastText -bucket, flag --bucket); forced to 0 when wordNgrams is 1. */
  bucket: number;
  /** Loss: softmax, or one-vs-all binary logistic losses (fastText -loss, flag --loss). */
  loss: FastTextLoss;
  /**
   * NB-scaled features (flag --nb; not in fastText): each feature's input row is weighted by its naive Bayes
   * log-count ratio r = log((p/|p|₁)/(q/|q|₁)) over binarized document counts with add-one smoothing (Wang & Manning
   * 2012). Two classes only. Default false (plain fastText).
   */
  nb?: boolean;
}

/** Training options. */
export interface FastTextTrainArgs extends FastTextModelArgs {
  /** Initial learning rate, decayed linearly to 0 over all tokens of all epochs (fastText -lr, flag --lr). */
  lr: number;
  /** Passes over the training data (fastText -epoch, flag --epochs). */
  epochs: number;
  /** Minimum count of a word to get its own vector (fastText -minCount, flag --min-count). */
  minCount: number;
  /** Hogwild worker threads (fastText -thread, flag --threads). 1 = in this thread, deterministic. */
  threads: number;
  /** Seed of initialisation and example order (flag --seed). */
  seed: number;
}

export const FASTTEXT_DEFAULTS: FastTextTrainArgs = {
  dim: 100,
  wordNgrams: 1,
  bucket: 2_000_000,
  loss: 'softmax',
  lr: 0.1,
  epochs: 5,
  minCount: 1,
  threads: 1,
  seed: 1,
  nb: false,
};

/** Largest bucket count (n-gram ids are stored as int32 next to the word ids). */
export const FASTTEXT_MAX_BUCKET = 2 ** 30;

/** Validate options (errors name the flag); returns the effective args (bucket 0 for wordNgrams 1). */
export function resolveFastTextArgs(a: Partial<FastTextTrainArgs>): FastTextTrainArgs {
  const r: FastTextTrainArgs = { ...FASTTEXT_DEFAULTS };
  for (const [k, v] of Object.entries(a)) if (v !== undefined) (r as unknown as Record<string, unknown>)[k] = v;
  validateModelArgs(r);
  check(Number.isFinite(r.lr) && r.lr > 0, `learning rate must be > 0, got ${r.lr}`, { flag: '--lr' });
  check(Number.isInteger(r.epochs) && r.epochs >= 1, `epochs must be an integer ≥ 1, got ${r.epochs}`, { flag: '--epochs' });
  check(Number.isInteger(r.minCount) && r.minCount >= 1, `min count must be an integer ≥ 1, got ${r.minCount}`, { flag: '--min-count' });
  check(Number.isInteger(r.threads) && r.threads >= 1 && r.threads <= 64, `threads must be an integer in [1, 64], got ${r.threads}`, { flag: '--threads' });
  check(Number.isInteger(r.seed) && r.seed >= 0, `seed must be an integer ≥ 0, got ${r.seed}`, { flag: '--seed' });
  if (r.wordNgrams <= 1) r.bucket = 0;
  return r;
}

/** Validate the model part (also used when a model file is loaded). */
export function validateModelArgs(a: FastTextModelArgs): void {
  check(Number.isInteger(a.dim) && a.dim >= 1 && a.dim <= 4096, `dim must be an integer in [1, 4096], got ${a.dim}`, { flag: '--dim' });
  check(Number.isInteger(a.wordNgrams) && a.wordNgrams >= 1 && a.wordNgrams <= 10, `word n-grams must be an integer in [1, 10], got ${a.wordNgrams}`, { flag: '--word-ngrams' });
  check(Number.isInteger(a.bucket) && a.bucket >= 0 && a.bucket <= FASTTEXT_MAX_BUCKET, `bucket must be an integer in [0, 2^30], got ${a.bucket}`, { flag: '--bucket' });
  check(a.wordNgrams <= 1 || a.bucket >= 1, 'word n-grams need --bucket ≥ 1', { flag: '--bucket' });
  check((FASTTEXT_LOSSES as readonly string[]).includes(a.loss), `loss must be one of ${FASTTEXT_LOSSES.join(', ')}, got ${a.loss}`, { flag: '--loss' });
  check(a.nb === undefined || typeof a.nb === 'boolean', `nb must be true or false, got ${String(a.nb)}`, { flag: '--nb' });
}

/** The model part of the args. */
export function modelArgsOf(a: FastTextModelArgs): FastTextModelArgs {
  return { dim: a.dim, wordNgrams: a.wordNgrams, bucket: a.wordNgrams <= 1 ? 0 : a.bucket, loss: a.loss, nb: a.nb ?? false };
}
