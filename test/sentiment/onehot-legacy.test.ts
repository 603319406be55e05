// One-hot sentiment models written before one-hot input became a row gather (dense one-hot matrix × W, 2,000-word
// cap; fixture from commit beedf31, see test/fixtures/sentiment-onehot-legacy/make.ts): they load and predict the
// same, their checkpoint resumes with the same capped vocabulary and continues the old trajectory; the cap is gone.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, copyFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadSentimentModel, trainSentiment } from '../../src/tasks/sentiment/train-node.ts';
import { SentimentClassifier } from '../../src/tasks/sentiment/model.ts';
import { resolveConfig } from '../../src/tasks/sentiment/config.ts';

const FIX = 'test/fixtures/sentiment-onehot-legacy';
interface Expected {
  vocabSize: number;
  predictions: Array<{ text: string; probs: number[] }>;
  twoEpochs: Array<{ epoch: number; trainLoss: number; trainAccuracy: number; devAccuracy: number; devLoss: number }>;
}
const expected = JSON.parse(readFileSync(join(FIX, 'expected.json'), 'utf8')) as Expected;

test('legacy one-hot model file loads (file and bytes) and predicts what the dense one-hot code predicted', () => {
  const m = loadSentimentModel(join(FIX, 'model.wl'));
  assert.equal(m.config.input, 'onehot');
  assert.equal(m.inputSize, expected.vocabSize);
  const texts = expected.predictions.map((p) => p.text);
  const got = m.predict(texts);
  const fromBytes = SentimentClassifier.fromBytes(new Uint8Array(readFileSync(join(FIX, 'model.wl')))).model.predict(texts);
  expected.predictions.forEach((p, i) => {
    assert.deepEqual(fromBytes[i].probs, got[i].probs);
    // The gather reproduces the one-hot GEMM exactly (every other product is an exact zero).
    for (let k = 0; k < p.probs.length; k++) assert.ok(Math.abs(got[i].probs[k] - p.probs[k]) < 1e-6, `${p.text}: ${got[i].probs} vs ${p.probs}`);
  });
});

test('legacy one-hot checkpoint (onehotMaxVocab) resumes with the same vocabulary and continues the old trajectory', () => {
  const dir = mkdtempSync(join(tmpdir(), 'wl-onehot-legacy-'));
  const out = join(dir, 'model.wl');
  copyFileSync(join(FIX, 'model.wl'), out);
  copyFileSync(join(FIX, 'model.wl.ckpt'), out + '.ckpt');
  const r = trainSentiment({ data: join(FIX, 'data'), out, resume: true, config: { epochs: 2 }, evalTest: false });
  assert.equal(r.resumedFromEpoch, 1);
  assert.equal(r.vocabSize, expected.vocabSize);
  assert.equal(r.config.maxVocab, expected.vocabSize);
  assert.ok(!('onehotMaxVocab' in r.config));
  assert.equal(r.history.length, 2);
  r.history.forEach((h, i) => {
    const e = expected.twoEpochs[i];
    assert.ok(Math.abs(h.trainLoss - e.trainLoss) < 1e-5, `epoch ${h.epoch} train loss ${h.trainLoss} vs ${e.trainLoss}`);
    assert.ok(Math.abs(h.devLoss - e.devLoss) < 1e-5, `epoch ${h.epoch} dev loss ${h.devLoss} vs ${e.devLoss}`);
    assert.equal(h.devAccuracy, e.devAccuracy);
  });
});

test('one-hot input has no vocabulary cap any more: same vocabulary rules as embeddings, --max-vocab still applies', () => {
  assert.throws(() => resolveConfig({ onehotMaxVocab: 2000 } as never), /unknown sentiment option/);
  const data = join(FIX, 'data');
  const base = { input: 'onehot' as const, embeddingInit: 'random' as const, hiddenSize: 3, epochs: 1, batchSize: 20, patience: 0 };
  const full = trainSentiment({ data, config: base, evalTest: false });
  const emb = trainSentiment({ data, config: { ...base, input: 'embedding', embeddingDim: 3 }, evalTest: false });
  assert.equal(full.vocabSize, emb.vocabSize);
  assert.ok(full.vocabSize > expected.vocabSize);
  assert.equal(full.model.inputSize, full.vocabSize);
  const capped = trainSentiment({ data, config: { ...base, maxVocab: 8 }, evalTest: false });
  assert.equal(capped.vocabSize, 8);
});
