/**
 * `wordloom start` as a library: the default steps on the bundled data, run with caching (pipeline.ts),
 * reported as headline tables (report.ts). The CLI command (src/cli/commands/start.ts) adds progress bars and
 * then serves the playground.
 */
import type { PipelineStep } from './pipeline.ts';
import { vectorsStep, VECTORS_STEP_DEFAULTS } from './step-vectors.ts';
import { sentimentStep, SENTIMENT_STEP_DEFAULTS } from './step-sentiment.ts';
import { memoryStep, MEMORY_STEP_DEFAULTS } from './step-memory.ts';
import { gloveStep, GLOVE_STEP_DEFAULTS } from './step-glove.ts';
import { reviewsStep, REVIEWS_STEP_DEFAULTS } from './step-reviews.ts';

export { runPipeline, type PipelineStep, type StepReport, type PipelineOptions } from './pipeline.ts';
export { renderReport, SST5_ANCHORS } from './report.ts';
export { DEFAULT_CACHE_DIR, cacheLayout, readManifest } from './cache.ts';

export const STEP_NAMES = ['vectors', 'glove', 'memory', 'reviews', 'sentiment'] as const;

/**
 * `--quick`: the sentiment model on whole sentences only (no phrases), ≤ 5 epochs — minutes instead of the
 * defaults' hour-scale training; every other setting is the default's.
 */
export const QUICK_SENTIMENT = { phrases: false, epochs: 5, patience: 2 } as const;

/** The default steps, reading the bundled data under `dataDir` (quick steps first; the long sentiment training last). */
export function defaultSteps(dataDir = 'data', threads = 2, opts: { quick?: boolean } = {}): PipelineStep[] {
  const sent = SENTIMENT_STEP_DEFAULTS(dataDir);
  if (opts.quick) sent.config = { ...sent.config, ...QUICK_SENTIMENT };
  return [
    vectorsStep(VECTORS_STEP_DEFAULTS(dataDir, threads)),
    gloveStep(GLOVE_STEP_DEFAULTS(dataDir)),
    memoryStep(MEMORY_STEP_DEFAULTS),
    reviewsStep(REVIEWS_STEP_DEFAULTS(dataDir, threads)),
    sentimentStep(sent),
  ];
}
