// Long texts: truncation policies, token-budget sub-batches (same gradient as the whole mini-batch, bounded
// padded positions), and a training step + prediction with a 2,500-token review.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SentimentClassifier } from '../../src/tasks/sentiment/model.ts';
import { resolveConfig } from '../../src/tasks/sentiment/config.ts';
import { createTrainer, trainBatches, truncateAll } from '../../src/tasks/sentiment/train.ts';
import { Vocabulary } from '../../src/text/vocabulary.ts';
import { makeBatches, splitBatchByTokens, truncateIds } from '../../src/text/encoding.ts';
import { Rng } from '../../src/util/rng.ts';

test('truncateIds: head, tail, head+tail; short texts untouched', () => {
  const x = Int32Array.from({ length: 10 }, (_, i) => i + 1);
  assert.deepEqual(Array.from(truncateIds(x, 4, 'head')), [1, 2, 3, 4]);
  assert.deepEqual(Array.from(truncateIds(x, 4, 'tail')), [7, 8, 9, 10]);
  assert.deepEqual(Array.from(truncateIds(x, 5, 'head+tail')), [1, 2, 3, 9, 10]);
  assert.equal(truncateIds(x, 10, 'head+tail'), x);
  assert.equal(truncateIds(x, 0, 'tail'), x);
  assert.deepEqual(truncateAll([x, x.subarray(0, 2)], 3, 'tail').map((a) => Array.from(a)), [[8, 9, 10], [1, 2]]);
});

test('splitBatchByTokens: every row once, each part within the budget, labels and indices follow', () => {
  const lens = [3, 40, 7, 12, 40, 1, 25];
  const seqs = lens.map((L, i) => Int32Array.from({ length: L }, (_, t) => 1 + ((i * 7 + t) % 9)));
  const [batch] = makeBatches(seqs, lens.map((_, i) => i % 2), { batchSize: lens.length });
  assert.deepEqual(splitBatchByTokens(batch, 0), [batch]);
  const parts = splitBatchByTokens(batch, 60);
  const seen: number[] = [];
  for (const p of parts) {
    assert.ok(p.batch * p.steps <= 60 || p.batch === 1, `part ${p.batch}×${p.steps}`);
    for (let r = 0; r < p.batch; r++) {
      const i = p.indices[r];
      seen.push(i);
      assert.equal(p.lengths[r], lens[i]);
      assert.equal(p.labels![r], i % 2);
      for (let t = 0; t < lens[i]; t++) assert.equal(p.ids[t * p.batch + r], seqs[i][t]);
    }
  }
  assert.deepEqual(seen.sort((a, b) => a - b), lens.map((_, i) => i));
  // A row longer than the budget becomes a batch of one.
  assert.ok(splitBatchByTokens(batch, 10).some((p) => p.batch === 1 && p.steps === 40));
});

function tinyModel(): SentimentClassifier {
  const words = Array.from({ length: 30 }, (_, i) => `w${'abcdefghijklmnopqrstuvwxyz'[i % 26]}${'xyz'[Math.floor(i / 26)]}`);
  const vocab = Vocabulary.build([words]);
  const cfg = { ...resolveConfig({ embeddingInit: 'random' }), cell: 'lstm' as const, bidirectional: true, pooling: 'attention' as const, embeddingDim: 6, hiddenSize: 5, attentionSize: 4, numClasses: 2, dropout: 0 };
  const m = new SentimentClassifier(cfg, vocab, ['neg', 'pos']);
  m.initialize(new Rng(1));
  return m;
}

test('sub-batches under a token budget give the same gradient as the whole mini-batch', () => {
  const rng = new Rng(2);
  const seqs = [300, 5, 80, 33].map((L) => Int32Array.from({ length: L }, () => 3 + rng.int(30)));
  const [batch] = makeBatches(seqs, [1, 0, 1, 0], { batchSize: 4 });
  const grads: Float32Array[] = [];
  for (const budget of [0, 200]) {
    const m = tinyModel();
    m.netPs.zeroGrad(); m.embPs!.zeroGrad();
    const parts = splitBatchByTokens(batch, budget);
    assert.equal(parts.length > 1, budget > 0);
    for (const p of parts) { m.forward(p, true, null); m.backward(false, p.batch / batch.batch); }
    grads.push(Float32Array.from([...m.netPs.grad, ...m.embPs!.grad]));
  }
  let maxDiff = 0, maxAbs = 0;
  for (let i = 0; i < grads[0].length; i++) { maxDiff = Math.max(maxDiff, Math.abs(grads[0][i] - grads[1][i])); maxAbs = Math.max(maxAbs, Math.abs(grads[0][i])); }
  assert.ok(maxAbs > 1e-4, 'gradient is not trivially zero');
  assert.ok(maxDiff <= 1e-5 * Math.max(1, maxAbs), `max difference ${maxDiff} (max |g| ${maxAbs})`);
});

test('a T = 2,500 review trains (finite loss, weights move) and predicts, with attention weights per token', () => {
  const m = tinyModel();
  const rng = new Rng(3);
  const long = Int32Array.from({ length: 2500 }, () => m.vocab.specialCount + rng.int(30));
  const seqs = [long, long.subarray(0, 40), long.subarray(100, 900)];
  const batches = makeBatches(seqs, [1, 0, 1], { batchSize: 3 });
  assert.equal(batches[0].steps, 2500);
  const trainer = createTrainer(m, { lr: 0.01, weightDecay: 0, freeze: false });
  const before = Float32Array.from(m.netPs.data!);
  const st = trainBatches(m, trainer, batches, { clip: 5, freeze: false, maxBatchTokens: 3000 }, new Rng(4));
  assert.ok(Number.isFinite(st.loss) && st.skipped === 0, JSON.stringify(st));
  assert.ok(m.netPs.data!.some((v, i) => v !== before[i]), 'weights changed');
  const text = Array.from(long, (id) => m.vocab.tokens[id]).join(' ');
  const [p] = m.predict([text]);
  assert.equal(p.tokens.length, 2500);
  assert.ok(Math.abs(p.probs[0] + p.probs[1] - 1) < 1e-5);
  assert.equal(p.attention!.length, 2500);
  assert.ok(Math.abs(p.attention!.reduce((a, b) => a + b, 0) - 1) < 1e-3);
});

test('attention model: config validates and round-trips through JSON and the model file (same predictions and weights)', () => {
  const c = resolveConfig({ pooling: 'attention', attentionSize: 7, truncate: 'head+tail', maxLength: 400, maxBatchTokens: 5000 });
  assert.deepEqual(resolveConfig(JSON.parse(JSON.stringify(c))), c);
  assert.throws(() => resolveConfig({ pooling: 'sum' as never }), /--pooling/);
  assert.throws(() => resolveConfig({ truncate: 'middle' as never }), /--truncate/);
  assert.throws(() => resolveConfig({ maxBatchTokens: -1 }), /--max-batch-tokens/);
  assert.throws(() => resolveConfig({ attentionSize: 0 }), /--attention-size/);
  const m = tinyModel();
  const texts = ['wa wb wc wd', 'wz wy wx ww wv wu wt'];
  const a = m.predict(texts);
  const { model: back } = SentimentClassifier.fromBytes(m.toBytes());
  assert.equal(back.config.pooling, 'attention');
  assert.equal(back.config.attentionSize, 4);
  assert.ok(back.attention);
  const b = back.predict(texts);
  assert.deepEqual(b.map((p) => p.probs), a.map((p) => p.probs));
  assert.deepEqual(b.map((p) => p.attention), a.map((p) => p.attention));
  assert.equal(a[1].attention!.length, 7);
});
