/**
 * Pipeline step "reviews": the whole-review model of the playground's Reviews tab — the bag-of-n-grams model
 * (fastText's supervised model with NB-scaled features, the sentiment task's `--arch ngram` defaults) trained on
 * the bundled IMDB reviews for 1–5 stars (⌈rating/2⌉; the labelled set has no 5- or 6-star reviews, so the
 * classes are 1, 2, 4, 5), with a seeded dev split taken from train, then evaluated on the official test split.
 * It takes seconds of training; reading and tokenizing the 50,000 reviews is a good part of the step.
 */
import { join } from 'node:path';
import { trainNgram, NGRAM_DEFAULTS } from '../sentiment/ngram-node.ts';
import type { Target } from '../../text/targets.ts';
import type { PipelineStep } from './pipeline.ts';

export interface ReviewsStepSettings {
  /** Folder with train.jsonl.gz and test.jsonl.gz (IMDB with star ratings). */
  data: string;
  /** Target: stars5 (default), stars10 or polarity. */
  target: Target;
  /** Epochs over the training reviews. */
  epochs: number;
  /** Worker threads for the SGD. */
  threads: number;
  /** Hash buckets for the word bigrams (rows of the input matrix beyond the words; fastText's default 2,000,000). */
  bucket: number;
  /** Vector size (fastText's -dim). */
  dim: number;
}

export const REVIEWS_STEP_DEFAULTS = (dataDir: string, threads = 2): ReviewsStepSettings => ({
  data: join(dataDir, 'imdb'),
  target: 'stars5',
  epochs: NGRAM_DEFAULTS.epochs ?? 10,
  threads,
  bucket: NGRAM_DEFAULTS.bucket ?? 2_000_000,
  dim: NGRAM_DEFAULTS.dim ?? 10,
});

export function reviewsStep(s: ReviewsStepSettings): PipelineStep {
  return {
    name: 'reviews',
    title: `reviews: bag-of-n-grams model (fastText-style, NB-scaled bigrams) on IMDB, target ${s.target}`,
    settings: { ...s },
    inputs: [join(s.data, 'train.jsonl.gz'), join(s.data, 'test.jsonl.gz')],
    async run(ctx) {
      const out = join(ctx.dir, 'model.wl');
      const r = await trainNgram({
        data: s.data, out, force: true, target: s.target, args: { epochs: s.epochs, threads: s.threads, bucket: s.bucket, dim: s.dim },
        progress: ctx.progress, log: (l) => ctx.log(`  ${l}`),
      });
      const st = r.test?.stars;
      return {
        outputs: { model: 'reviews/model.wl' },
        metrics: {
          model: `n-gram (dim ${r.args.dim}, ${r.args.wordNgrams}-grams${r.args.nb ? ', NB' : ''})`, target: r.target, labels: r.labels,
          trainExamples: r.trainExamples, trainSeconds: r.trainSeconds, devAccuracy: r.dev.accuracy,
          testAccuracy: r.test?.accuracy ?? null, testMaeStars: st?.mae ?? null, testWithinOne: st?.withinOne ?? null,
        },
      };
    },
  };
}
