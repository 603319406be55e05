// Robustness, class 5: no silent surprises. `--resume` with a flag that contradicts the checkpoint is refused
// naming the flag (word2vec, GloVe, sentiment); `--topn` beyond the vocabulary returns the whole vocabulary;
// `glove --iter 0` (untrained vectors) is refused; reading /dev/zero or an endless FIFO as a model or checkpoint
// ends with a clear error instead of reading forever.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { synth } from '../helpers/sentiment-data.ts';
import { topK } from '../../src/embeddings/word-vectors.ts';
import { loadModelFile } from '../../src/nn/model-file-node.ts';
import { assertOneLineError, cli, writeCorpus } from './helpers.ts';

const dir = mkdtempSync(join(tmpdir(), 'wl-robust-surprise-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));
const corpus = join(dir, 'corpus.txt');
writeCorpus(corpus, 300);
const V = 'data/embedding-formats/test_glove.txt';

test('word2vec --resume: a contradicting flag is refused naming it; --threads may change', { timeout: 120_000 }, () => {
  const ckpt = join(dir, 'w2v.ckpt');
  const first = cli(['word2vec', '--train', corpus, '--checkpoint', ckpt, '--size', '8', '--iter', '2', '--quiet']);
  assert.equal(first.status, 0, first.stderr);
  const out = join(dir, 'w2v.txt');
  assertOneLineError(cli(['word2vec', '--train', corpus, '--output', out, '--resume', ckpt, '--size', '32', '--quiet']), /--size/, /contradicts the checkpoint/, /--size 8/);
  assertOneLineError(cli(['word2vec', '--train', corpus, '--output', out, '--resume', ckpt, '--cbow', '1', '--quiet']), /--cbow/);
  assert.ok(!existsSync(out));
  const ok = cli(['word2vec', '--train', corpus, '--output', out, '--resume', ckpt, '--size', '8', '--threads', '2', '--quiet', '--json']);
  assert.equal(ok.status, 0, ok.stderr);
  assert.equal(JSON.parse(ok.stdout).options.size, 8);
});

test('glove --resume: the checkpoint\'s settings are used; a contradicting flag is refused; --iter may extend', { timeout: 120_000 }, () => {
  const ckpt = join(dir, 'g.ckpt'), out = join(dir, 'g.txt');
  const first = cli(['glove', '--train', corpus, '--output', out, '--vector-size', '8', '--window-size', '4', '--min-count', '1', '--iter', '2',
    '--checkpoint-every', '1', '--checkpoint', ckpt, '--quiet']);
  assert.equal(first.status, 0, first.stderr);
  assertOneLineError(cli(['glove', '--train', corpus, '--output', join(dir, 'g2.txt'), '--resume', ckpt, '--window-size', '10', '--iter', '4', '--quiet']),
    /--window-size/, /contradicts the checkpoint/);
  // Without the flags, the checkpoint's vector size, window and min-count are used (the defaults 50/15/5 would differ).
  const ok = cli(['glove', '--train', corpus, '--output', join(dir, 'g3.txt'), '--resume', ckpt, '--iter', '4', '--json']);
  assert.equal(ok.status, 0, ok.stderr);
  const j = JSON.parse(ok.stdout);
  assert.deepEqual([j.dim, j.options.windowSize, j.options.minCount, j.iterations], [8, 4, 1, 4]);
});

test('glove --iter 0 is refused (it would write the untrained random vectors)', () => {
  const r = cli(['glove', '--train', corpus, '--output', join(dir, 'g0.txt'), '--iter', '0', '--quiet']);
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /--iter/);
  assert.ok(!existsSync(join(dir, 'g0.txt')));
});

test('sentiment train --resume: a contradicting flag is refused naming it; --epochs may extend', { timeout: 180_000 }, () => {
  const sd = join(dir, 'sd');
  mkdirSync(sd);
  writeFileSync(join(sd, 'train.tsv'), synth(120, 1).join('\n') + '\n');
  writeFileSync(join(sd, 'dev.tsv'), synth(30, 2).join('\n') + '\n');
  writeFileSync(join(sd, 'test.tsv'), synth(30, 3).join('\n') + '\n');
  const out = join(dir, 's.wl');
  const base = ['sentiment', 'train', '--data', sd, '--out', out, '--embeddings', 'random', '--embedding-dim', '8', '--hidden', '4', '--min-count', '1', '--json'];
  const first = cli([...base, '--epochs', '1']);
  assert.equal(first.status, 0, first.stderr);
  assertOneLineError(cli(['sentiment', 'train', '--data', sd, '--out', out, '--resume', '--hidden', '16', '--epochs', '2']), /--hidden/, /contradicts the checkpoint/, /--hidden 4/);
  assertOneLineError(cli(['sentiment', 'train', '--data', sd, '--out', out, '--resume', '--cell', 'gru', '--epochs', '2']), /--cell/);
  const ok = cli(['sentiment', 'train', '--data', sd, '--out', out, '--resume', '--hidden', '4', '--epochs', '2', '--json']);
  assert.equal(ok.status, 0, ok.stderr);
  assert.equal(JSON.parse(ok.stdout).history.length, 2);
});

test('--topn far beyond the vocabulary returns every other word instead of crashing', () => {
  const r = cli(['vectors', 'neighbors', '--vectors', V, 'the', '--topn', '1000000000000', '--json']);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(JSON.parse(r.stdout)[0].neighbors.length, 75);
  assert.deepEqual(topK([3, 1, 2], 3, 1e12), [0, 2, 1]);
});

test('a model or checkpoint read from /dev/zero ends with a clear error, not an endless read', { skip: !existsSync('/dev/zero'), timeout: 120_000 }, () => {
  // (the spawn timeout turns an endless read into a failure)
  assertOneLineError(cli(['memory', 'gates', '--model', '/dev/zero'], {}, 30_000), /\/dev\/zero/, /not a wordloom model file/);
  assertOneLineError(cli(['sentiment', 'eval', '--model', '/dev/zero', '--data', V], {}, 30_000), /\/dev\/zero/);
  assertOneLineError(cli(['word2vec', '--train', corpus, '--output', join(dir, 'z.txt'), '--resume', '/dev/zero', '--quiet'], {}, 30_000), /--resume/);
  assertOneLineError(cli(['glove', '--train', corpus, '--output', join(dir, 'z.txt'), '--resume', '/dev/zero', '--quiet'], {}, 30_000), /--resume/);
  // Text inputs without a header (questions, datasets) stop at the longest text a string can hold.
  assertOneLineError(cli(['vectors', 'eval-analogy', '--vectors', V, '--questions', '/dev/zero'], {}, 60_000), /\/dev\/zero/, /--questions/, /too long/);
});

test('a model through a FIFO is read as far as its header claims: valid → loaded; valid head + endless zeros → clear error', { timeout: 120_000 }, async (t) => {
  const model = join(dir, 'm.wloom');
  const m = cli(['memory', '--quick', '--steps', '20', '--eval-every', '10', '--test-size', '10', '--save', model, '--json']);
  assert.equal(m.status, 0, m.stderr);
  const fifo = join(dir, 'model.fifo');
  if (spawnSync('mkfifo', [fifo]).status !== 0) { t.skip('no mkfifo'); return; }
  const feed = (cmd: string) => spawn('sh', ['-c', cmd], { stdio: 'ignore' });
  const good = feed(`cat '${model}' > '${fifo}'`);
  const f = loadModelFile(fifo);
  assert.equal(f.header.modelType, 'memory');
  await new Promise((r) => good.on('exit', r));
  // The real fixed header (magic, version, JSON length) followed by zeros forever: must stop at the claimed length.
  const bytes = readFileSync(model);
  writeFileSync(join(dir, 'head.bin'), bytes.subarray(0, 14));
  const bad = feed(`cat '${join(dir, 'head.bin')}' /dev/zero > '${fifo}' 2>/dev/null`);
  assertOneLineError(cli(['memory', 'gates', '--model', fifo], {}, 30_000), /model\.fifo/, /header is not valid JSON|not a wordloom|the file is damaged/);
  bad.kill();
});
