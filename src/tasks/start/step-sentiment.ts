/**
 * Pipeline step "sentiment": the SST-5 classifier trained with the sentiment task's trainer and DEFAULTS
 * (src/tasks/sentiment: LSTM over GloVe-initialised embeddings, labelled phrases, early stopping on dev), then
 * evaluated on the test split. Logs: per-batch loss/accuracy (run "sentiment") and per-epoch train/dev numbers
 * (run "sentiment-epochs") for the playground's Training tab.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { trainSentiment } from '../sentiment/train-node.ts';
import { SENTIMENT_DEFAULTS, type SentimentConfig } from '../sentiment/config.ts';
import type { PipelineStep } from './pipeline.ts';
import { RunLogger } from './logs-node.ts';

export interface SentimentStepSettings {
  data: string;
  /** Overrides of the sentiment DEFAULTS (none for `npm start`; tests use tiny settings). */
  config: Partial<SentimentConfig>;
}

export const SENTIMENT_STEP_DEFAULTS = (dataDir: string): SentimentStepSettings => ({
  data: join(dataDir, 'sst'),
  config: { vectorsFile: join(dataDir, 'glove-subset/glove.6B.50d.top2446.txt') },
});

export function describeModel(c: Pick<SentimentConfig, 'cell' | 'hiddenSize' | 'layers' | 'bidirectional'>): string {
  return `${c.bidirectional ? 'Bi' : ''}${c.cell.toUpperCase()} h=${c.hiddenSize}${c.layers > 1 ? ` ×${c.layers}` : ''}`;
}

export function sentimentStep(s: SentimentStepSettings): PipelineStep {
  const cfg = { ...SENTIMENT_DEFAULTS, ...s.config };
  return {
    name: 'sentiment',
    title: `sentiment: ${describeModel(cfg)} on SST-5 (${cfg.phrases ? 'sentences + phrases' : 'sentences'}, ≤ ${cfg.epochs} epochs)`,
    settings: { ...s },
    inputs: [join(s.data, 'train.tsv'), join(s.data, 'dev.tsv'), join(s.data, 'test.tsv'), ...(cfg.vectorsFile ? [cfg.vectorsFile] : [])],
    // Training takes a while with the defaults: an interrupted `start` continues from the last epoch's checkpoint.
    resumable: true,
    async run(ctx) {
      const batches = new RunLogger(ctx.layout.logsDir, 'sentiment', `SST-5 ${describeModel(cfg)}, training loss and accuracy as each epoch's running mean`, 'examples');
      const epochs = new RunLogger(ctx.layout.logsDir, 'sentiment-epochs', `SST-5 ${describeModel(cfg)}, per epoch`, 'epoch');
      const out = join(ctx.dir, 'model.wlm');
      const resume = ctx.resume && existsSync(`${out}.ckpt`);
      const r = trainSentiment({
        data: s.data, out, force: !resume, resume, config: s.config, evalTest: true,
        progress: batches.recorder(ctx.progress, /^epoch/, /loss|acc/i), log: (l) => ctx.log(`  ${l}`),
      });
      for (const h of r.history) {
        epochs.add(h.epoch, { trainLoss: h.trainLoss, devLoss: h.devLoss, trainAccuracy: h.trainAccuracy, devAccuracy: h.devAccuracy });
      }
      batches.save();
      epochs.save();
      return {
        outputs: { model: 'sentiment/model.wlm' },
        metrics: {
          model: describeModel(r.config), params: r.params, labels: r.labels, vocab: r.vocabSize,
          trainExamples: r.trainExamples, trainSentences: r.trainSentences, epochs: r.history.length, bestEpoch: r.bestEpoch,
          bestDevAccuracy: r.bestDevAccuracy, testAccuracy: r.test?.accuracy ?? null, testMacroF1: r.test?.macroF1 ?? null,
          testMaeStars: r.test?.maeStars ?? null, stoppedEarly: r.stoppedEarly,
        },
      };
    },
  };
}
