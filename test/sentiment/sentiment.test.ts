// Sentiment classifier: learns a tiny task, gradients match finite differences, seeded determinism, resume equals an
// uninterrupted run, model files round-trip (bytes, browser path), errors name files, metrics, CLI end to end.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { SentimentClassifier } from '../../src/tasks/sentiment/model.ts';
import { resolveConfig, SENTIMENT_DEFAULTS, type SentimentConfig } from '../../src/tasks/sentiment/config.ts';
import { trainSentiment, loadSentimentModel, evaluateFile } from '../../src/tasks/sentiment/train-node.ts';
import { classificationReport } from '../../src/tasks/sentiment/metrics.ts';
import { Vocabulary } from '../../src/text/vocabulary.ts';
import { makeBatches } from '../../src/text/encoding.ts';
import { Rng } from '../../src/util/rng.ts';
import { WordloomError } from '../../src/util/errors.ts';
import { synth } from '../helpers/sentiment-data.ts';

function tinyData(): string {
  const dir = mkdtempSync(join(tmpdir(), 'wl-sent-'));
  writeFileSync(join(dir, 'train.tsv'), synth(240, 1).join('\n') + '\n');
  writeFileSync(join(dir, 'dev.tsv'), synth(60, 2).join('\n') + '\n');
  writeFileSync(join(dir, 'test.tsv'), synth(60, 3).join('\n') + '\n');
  return dir;
}

const small: Partial<SentimentConfig> = { embeddingInit: 'random', embeddingDim: 12, hiddenSize: 10, epochs: 4, batchSize: 10, lr: 0.02, dropout: 0.1, patience: 0 };

test('config: defaults validate, JSON round trip, errors name the flag', () => {
  const c = resolveConfig({});
  assert.deepEqual(resolveConfig(JSON.parse(JSON.stringify(c))), c);
  assert.throws(() => resolveConfig({ hiddenSize: 0 }), /--hidden/);
  assert.throws(() => resolveConfig({ dropout: 1 }), /--dropout/);
  assert.throws(() => resolveConfig({ cell: 'tree' as never }), /--cell/);
  assert.throws(() => resolveConfig({ bogus: 1 } as never), /unknown sentiment option/);
  assert.throws(() => resolveConfig({ embeddingInit: 'random', freeze: true }), /--freeze/);
  assert.equal(SENTIMENT_DEFAULTS.cell, 'lstm');
});

test('metrics: accuracy, macro-F1, confusion, MAE in stars', () => {
  const r = classificationReport([0, 1, 2, 2], [0, 2, 2, 0], ['a', 'b', 'c']);
  assert.equal(r.accuracy, 0.5);
  assert.deepEqual(r.confusion, [[1, 0, 0], [0, 0, 1], [1, 0, 1]]);
  assert.equal(r.maeStars, (0 + 1 + 0 + 2) / 4);
  // F1: a = 2·1·0.5/1.5 = 2/3, b = 0, c = 0.5 → macro = (2/3 + 0 + 0.5) / 3
  assert.ok(Math.abs(r.macroF1 - (2 / 3 + 0.5) / 3) < 1e-12);
  assert.deepEqual(r.perClass.map((p) => p.support), [1, 1, 2]);
});

for (const variant of [
  { cell: 'lstm', pooling: 'last', bidirectional: false, input: 'embedding' },
  { cell: 'gru', pooling: 'mean', bidirectional: true, input: 'embedding' },
  { cell: 'rnn', pooling: 'max', bidirectional: false, input: 'onehot' },
  { cell: 'lstm', pooling: 'attention', bidirectional: true, input: 'embedding' },
] as const) {
  test(`gradients of the whole classifier match finite differences (${variant.cell}, ${variant.pooling}, ${variant.input}${variant.bidirectional ? ', bi' : ''})`, () => {
    const vocab = Vocabulary.build([['a', 'b', 'c', 'd', 'e']]);
    const m = new SentimentClassifier({ ...resolveConfig({}), ...variant, embeddingDim: 4, hiddenSize: 3, numClasses: 3, dropout: 0, layers: variant.bidirectional ? 2 : 1 }, vocab, ['0', '1', '2']);
    m.initialize(new Rng(3));
    const [batch] = makeBatches([Int32Array.of(3, 4, 5), Int32Array.of(6, 7), Int32Array.of(4)], [2, 0, 1], { batchSize: 3 });
    const sets = [m.embPs, m.netPs].filter((p) => p !== null);
    const lossAt = () => { m.forward(batch, false); return m.lastLoss; };
    for (const ps of sets) ps.zeroGrad();
    m.forward(batch, true, new Rng(1));
    m.backward(false);
    let checked = 0, maxErr = 0;
    const r = new Rng(9);
    for (const ps of sets) {
      for (let k = 0, got = 0; k < 1000 && got < 40; k++) {
        const i = r.int(ps.length);
        const spec = ps.list().find((s) => i >= s.offset && i < s.offset + s.size);
        if (!spec) continue; // alignment padding
        if (spec.name === 'embedding.table' && i < spec.offset + 4) continue; // [PAD] row unused
        const orig = ps.data[i], eps = 3e-3;
        ps.data[i] = orig + eps; const lp = lossAt();
        ps.data[i] = orig - eps; const lm = lossAt();
        ps.data[i] = orig;
        const num = (lp - lm) / (2 * eps), ana = ps.grad[i];
        const err = Math.abs(num - ana) / Math.max(3e-3, Math.abs(num) + Math.abs(ana));
        maxErr = Math.max(maxErr, err);
        checked++; got++;
      }
    }
    assert.ok(checked >= 40, `checked ${checked}`);
    assert.ok(maxErr < 0.05, `max relative error ${maxErr}`);
  });
}

test('learns a tiny task; same seed ⇒ same model; resume = uninterrupted run; files round-trip', () => {
  const dir = tinyData();
  const a = trainSentiment({ data: dir, config: small });
  assert.ok(a.test!.accuracy >= 0.85, `test accuracy ${a.test!.accuracy}`);
  const b = trainSentiment({ data: dir, config: small });
  assert.deepEqual(Array.from(b.model.netPs.data), Array.from(a.model.netPs.data));

  // Interrupted after 2 epochs, resumed to 4: identical history and weights.
  const out = join(dir, 'm.wl');
  trainSentiment({ data: dir, out, config: { ...small, epochs: 2 } });
  assert.ok(existsSync(out) && existsSync(out + '.ckpt'));
  assert.throws(() => trainSentiment({ data: dir, out, config: small }), /exists/);
  const r = trainSentiment({ data: dir, out, resume: true, config: { epochs: 4 } });
  assert.equal(r.resumedFromEpoch, 2);
  assert.deepEqual(r.history.map((h) => h.devAccuracy), a.history.map((h) => h.devAccuracy));
  assert.deepEqual(r.history.map((h) => h.trainLoss), a.history.map((h) => h.trainLoss));

  // The saved file is the best epoch; it loads from bytes (browser path) and predicts the same.
  const m = loadSentimentModel(out);
  const fromBytes = SentimentClassifier.fromBytes(new Uint8Array(readFileSync(out)), out).model;
  const texts = ['the movie was great', 'a dull and boring plot', ''];
  assert.deepEqual(fromBytes.predict(texts).map((p) => p.probs), m.predict(texts).map((p) => p.probs));
  const p = m.predict(['the film was wonderful', 'terrible acting']);
  assert.equal(p[0].label, '1');
  assert.equal(p[1].label, '0');
  assert.equal(p[0].stars, '2/2');
  const ev = evaluateFile(m, join(dir, 'test.tsv'));
  assert.equal(ev.n, 60);
  assert.ok(ev.accuracy >= 0.85);

  // A different vocabulary for the same checkpoint: an error naming the checkpoint file.
  const dir2 = tinyData();
  writeFileSync(join(dir2, 'train.tsv'), synth(240, 1).map((l) => l + ' extra' + l.length).join('\n'));
  assert.throws(() => trainSentiment({ data: dir2, out, resume: true, config: { epochs: 5 } }), (e: unknown) =>
    e instanceof WordloomError && e.message.includes(out + '.ckpt') && /vocabulary/.test(e.message));
});

test('a run interrupted in the middle of an epoch resumes from the mid-epoch checkpoint bit-identically', () => {
  const dir = tinyData();
  const cfg = { ...small, epochs: 3 };
  const a = trainSentiment({ data: dir, config: cfg });
  const out = join(dir, 'mid.wl');
  // Interrupt during epoch 2: a progress reporter that throws at its 5th update of that epoch. A tiny checkpoint
  // interval writes a checkpoint after every step, so the last one is 4 batches into epoch 2.
  let phase = '', updates = 0;
  const interrupter = {
    start(p: string) { phase = p; updates = 0; },
    update() { if (phase.startsWith('epoch 2/') && ++updates === 5) throw new Error('interrupted'); },
    stop() {},
  };
  assert.throws(() => trainSentiment({ data: dir, out, config: cfg, checkpointMinutes: 1e-9, progress: interrupter }), /interrupted/);
  const lines: string[] = [];
  const r = trainSentiment({ data: dir, out, resume: true, config: { epochs: 3 }, log: (l) => lines.push(l) });
  assert.ok(lines.some((l) => /resumed from .* after epoch 1 \+ \d+ examples of epoch 2/.test(l)), lines.join('\n'));
  assert.equal(r.resumedFromEpoch, 1);
  assert.deepEqual(r.history.map((h) => h.trainLoss), a.history.map((h) => h.trainLoss));
  assert.deepEqual(r.history.map((h) => h.trainAccuracy), a.history.map((h) => h.trainAccuracy));
  assert.deepEqual(r.history.map((h) => h.devAccuracy), a.history.map((h) => h.devAccuracy));
  assert.deepEqual(Array.from(r.model.netPs.data), Array.from(a.model.netPs.data));
  assert.throws(() => trainSentiment({ data: dir, out, config: cfg, checkpointMinutes: -1, force: true }), /--checkpoint-minutes/);
});

test('bad inputs: unknown label, empty text, corrupt model file — errors name file and line', () => {
  const dir = tinyData();
  const bad = join(dir, 'bad.tsv');
  writeFileSync(bad, '1\tgood movie\n7\tweird label\n');
  const r = trainSentiment({ data: dir, config: { ...small, epochs: 1 } });
  assert.throws(() => evaluateFile(r.model, bad), new RegExp(`${bad}:2: unknown label "7"`));
  const dir2 = tinyData();
  writeFileSync(join(dir2, 'dev.tsv'), '1\tfine\n0\t   \n');
  assert.throws(() => trainSentiment({ data: dir2, config: small }), /dev\.tsv:2: text has no tokens/);
  const corrupt = join(dir, 'corrupt.wl');
  writeFileSync(corrupt, Buffer.from('not a model at all, just text'));
  assert.throws(() => loadSentimentModel(corrupt), (e: unknown) => e instanceof WordloomError && e.message.includes(corrupt));
});

test('CLI: train → eval → predict (args and stdin), --json, clean errors', () => {
  const dir = tinyData();
  const out = join(dir, 'cli.wl');
  const run = (args: string[], input?: string) => spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { encoding: 'utf8', input });
  const t = run(['sentiment', 'train', '--data', dir, '--out', out, '--embeddings', 'random', '--embedding-dim', '12', '--hidden', '10', '--epochs', '3', '--lr', '0.02', '--batch-size', '10', '--json']);
  assert.equal(t.status, 0, t.stderr);
  const s = JSON.parse(t.stdout);
  assert.equal(s.config.cell, 'lstm');
  assert.ok(s.test.accuracy > 0.6);
  const e = run(['sentiment', 'eval', '--model', out, '--data', join(dir, 'test.tsv'), '--json']);
  assert.equal(e.status, 0, e.stderr);
  assert.equal(JSON.parse(e.stdout).confusion.length, 2);
  const p = run(['sentiment', 'predict', '--model', out, 'a wonderful film']);
  assert.equal(p.status, 0, p.stderr);
  assert.match(p.stdout, /^[12]\/2\t0:0\.\d+ 1:0\.\d+\ta wonderful film\n$/);
  const ps = run(['sentiment', 'predict', '--model', out, '--json'], 'great fun\nboring and dull\n');
  assert.equal(ps.stdout.trim().split('\n').length, 2);
  const blank = run(['sentiment', 'predict', '--model', out], 'great fun\n\nboring and dull\n'); // a blank line is an empty text
  assert.equal(blank.status, 2);
  assert.match(blank.stderr, /stdin:2: empty text/);
  const again = run(['sentiment', 'train', '--data', dir, '--out', out, '--embeddings', 'random', '--epochs', '1']);
  assert.equal(again.status, 2);
  assert.match(again.stderr, /refusing|exists/);
  const help = run(['sentiment', 'train', '--help']);
  assert.match(help.stdout, /--embeddings/);
});
