// Backends for the web tests, from small real fixtures: GloVe 6B 50d (top 2,446 words) for the Words tab, and a
// tiny pipeline cache made by the real `start` steps with quick settings (a small sentiment LSTM on SST sentences,
// its training logs, …) under test-output/web-fixture-cache. The pipeline's own cache keys make it a one-time cost.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { SentimentClassifier } from '../../src/tasks/sentiment/model.ts';
import { resolveConfig } from '../../src/tasks/sentiment/config.ts';
import { Vocabulary } from '../../src/text/vocabulary.ts';
import { Rng } from '../../src/util/rng.ts';
import { POS, NEG, FILL } from '../helpers/sentiment-data.ts';
import { loadBackends, loadWords } from '../../src/web/resources-node.ts';
import type { Backends } from '../../src/web/backends.ts';
import { runPipeline, type PipelineStep, type StepReport } from '../../src/tasks/start/pipeline.ts';
import { sentimentStep } from '../../src/tasks/start/step-sentiment.ts';
import { memoryStep } from '../../src/tasks/start/step-memory.ts';
import { gloveStep, GLOVE_STEP_DEFAULTS } from '../../src/tasks/start/step-glove.ts';

export const GLOVE_SUBSET = 'data/glove-subset/glove.6B.50d.top2446.txt';
export const FIXTURE_CACHE = 'test-output/web-fixture-cache';

/** Quick versions of the pipeline steps (real trainers, tiny settings). */
export function quickSteps(): PipelineStep[] {
  return [
    gloveStep({ ...GLOVE_STEP_DEFAULTS('data'), corpus: ['data/corpus/moby_dick.txt.gz'], minCount: 2 }),
    memoryStep({
      cells: ['rnn', 'lstm'], lengths: [3, 8], seeds: [1], train: { steps: 300, evalEvery: 100, testSize: 100 },
      traced: { cell: 'lstm', hidden: 3, length: 8, steps: 300, evalEvery: 100, testSize: 100, seed: 1 },
    }),
    sentimentStep({
      data: 'data/sst',
      config: { embeddingInit: 'random', embeddingDim: 16, hiddenSize: 16, epochs: 2, phrases: false, maxVocab: 4000, patience: 0, batchSize: 50 },
    }),
  ];
}

/** A hash of every source file: any change of the code retrains the fixtures (a few seconds), so none is stale. */
function sourceVersion(dir = 'src'): string {
  const h = createHash('sha256');
  const walk = (d: string): void => {
    for (const n of readdirSync(d).sort()) {
      const p = join(d, n);
      if (statSync(p).isDirectory()) walk(p); else if (p.endsWith('.ts')) h.update(p).update(readFileSync(p));
    }
  };
  walk(dir);
  return h.digest('hex').slice(0, 16);
}

export async function makeFixtureCache(cacheDir = FIXTURE_CACHE, retrain = false): Promise<StepReport[]> {
  const reports = await runPipeline(quickSteps(), { cacheDir, retrain, codeVersion: sourceVersion(), threads: 1 });
  const failed = reports.filter((r) => r.status === 'failed');
  if (failed.length) throw new Error(`fixture pipeline failed: ${failed.map((f) => `${f.name}: ${f.error}`).join('; ')}`);
  return reports;
}

/**
 * A small 2-class review model (neg/pos) for the Reviews tab: a random-weight LSTM over the synthetic sentiment
 * words (its answers are arbitrary but real: the page and the server must agree on them).
 */
export function fixtureReviewModel(file = 'test-output/web-fixture-review.wl'): string {
  const vocab = Vocabulary.build([[...POS, ...NEG, ...FILL, '.', ',', '!']]);
  const m = new SentimentClassifier({ ...resolveConfig({ embeddingInit: 'random' }), embeddingDim: 8, hiddenSize: 8, numClasses: 2 }, vocab, ['neg', 'pos']);
  m.initialize(new Rng(7));
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, m.toBytes());
  return file;
}

export async function fixtureBackends(opts: { review?: boolean } = {}): Promise<Backends> {
  await makeFixtureCache();
  return { ...loadBackends({ cacheDir: FIXTURE_CACHE, review: opts.review ? fixtureReviewModel() : undefined }), words: loadWords(GLOVE_SUBSET) };
}
