// The `start` pipeline with quick settings: real trainers, caching (second run instant, --retrain, changed
// settings), logs for the Training tab, the headline tables, and serving what it cached.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, readFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runPipeline, type PipelineStep } from '../../src/tasks/start/pipeline.ts';
import { vectorsStep, VECTORS_STEP_DEFAULTS } from '../../src/tasks/start/step-vectors.ts';
import { renderReport, table } from '../../src/tasks/start/report.ts';
import { readManifest, writeManifest } from '../../src/tasks/start/cache.ts';
import { readRunLogs } from '../../src/tasks/start/logs-node.ts';
import { loadBackends } from '../../src/web/resources-node.ts';
import { buildServer } from '../../src/web/server-node.ts';
import { quickSteps } from './fixtures.ts';
import { reviewsStep } from '../../src/tasks/start/step-reviews.ts';
import { synthReviews } from '../helpers/sentiment-data.ts';
import { main } from '../../src/cli/main.ts';

let cache: string;
const quickVectors = (over: Record<string, unknown> = {}): PipelineStep => vectorsStep({
  ...VECTORS_STEP_DEFAULTS('data', 1), corpus: ['data/corpus/lee_background.txt.gz'], size: 16, minCount: 3, maxVocab: 0, iter: 1, threads: 1, ...over,
});
const steps = (over: Record<string, unknown> = {}) => [quickVectors(over), ...quickSteps()];

before(() => { cache = mkdtempSync(join(tmpdir(), 'wordloom-start-')); });
after(() => rmSync(cache, { recursive: true, force: true }));

test('first run trains every step and records outputs, metrics and logs', async () => {
  const lines: string[] = [];
  const r = await runPipeline(steps(), { cacheDir: cache, codeVersion: 'test', log: (l) => lines.push(l) });
  assert.deepEqual(r.map((s) => [s.name, s.status]), [['vectors', 'trained'], ['glove', 'trained'], ['memory', 'trained'], ['sentiment', 'trained']], JSON.stringify(r.map((s) => s.error)));
  const m = readManifest(cache);
  assert.ok(existsSync(join(cache, m.steps.vectors.outputs.vectors)));
  assert.ok(existsSync(join(cache, m.steps.sentiment.outputs.model)));
  const v = r[0].metrics as { vocab: number; analogy: { total: { seen: number } }; wordsim353: { pairs: number } };
  assert.ok(v.vocab > 500);
  assert.ok(v.wordsim353.pairs > 0 && v.wordsim353.pairs <= 353);
  const s = r[3].metrics as { testAccuracy: number; epochs: number };
  assert.ok(s.testAccuracy > 0.2 && s.testAccuracy <= 1, `test accuracy ${s.testAccuracy}`);
  assert.equal(s.epochs, 2);
  const runs = readRunLogs(join(cache, 'logs'));
  assert.deepEqual(runs.map((x) => x.name).sort(), ['memory-lstm', 'sentiment', 'sentiment-epochs', 'word2vec']);
  const ep = runs.find((x) => x.name === 'sentiment-epochs')!;
  assert.deepEqual(ep.points.map((p) => p.step), [1, 2]);
  assert.ok(ep.points.every((p) => Number.isFinite(p.trainLoss) && Number.isFinite(p.devAccuracy)));
  assert.ok(runs.find((x) => x.name === 'word2vec')!.points.some((p) => Number.isFinite(p.loss)));
  assert.ok(lines.some((l) => l.startsWith('✓ word vectors')));
});

test('second run is served from the cache; --retrain and changed settings recompute', async () => {
  const again = await runPipeline(steps(), { cacheDir: cache, codeVersion: 'test' });
  assert.deepEqual(again.map((s) => s.status), ['cached', 'cached', 'cached', 'cached']);
  const before = readManifest(cache).steps.sentiment.finishedAt;
  const one = await runPipeline(steps(), { cacheDir: cache, codeVersion: 'test', retrain: ['sentiment'] });
  assert.deepEqual(one.map((s) => s.status), ['cached', 'cached', 'cached', 'trained']);
  assert.notEqual(readManifest(cache).steps.sentiment.finishedAt, before);
  const changed = await runPipeline(steps({ size: 12 }), { cacheDir: cache, codeVersion: 'test' });
  assert.deepEqual(changed.map((s) => s.status), ['trained', 'cached', 'cached', 'cached']);
  const newVersion = await runPipeline(steps({ size: 12 }), { cacheDir: cache, codeVersion: 'test-2' });
  assert.deepEqual(newVersion.map((s) => s.status), ['trained', 'trained', 'trained', 'trained']);
});

test('an interrupted sentiment run is resumed from its checkpoint, not restarted', async () => {
  // Simulate an interruption after the last checkpoint: the step's folder and key file are there, the manifest
  // entry (written only when a step completes) is not.
  const m = readManifest(cache);
  delete m.steps.sentiment;
  writeManifest(cache, m);
  assert.ok(existsSync(join(cache, 'sentiment/model.wlm.ckpt')));
  const lines: string[] = [];
  const r = await runPipeline(steps({ size: 12 }), { cacheDir: cache, codeVersion: 'test-2', log: (l) => lines.push(l) });
  assert.deepEqual(r.map((s) => s.status), ['cached', 'cached', 'cached', 'trained']);
  assert.ok(lines.some((l) => /sentiment: .*\(resuming the interrupted run\)/.test(l)), lines.join('\n'));
  assert.ok(lines.some((l) => /resumed from .*model\.wlm\.ckpt after epoch 2/.test(l)), lines.join('\n'));
  assert.equal(r[3].metrics.epochs, 2);
});

test('a failing step is reported, the others still run, and nothing stale is served for it', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'wordloom-start-fail-'));
  try {
    const r = await runPipeline([quickVectors({ corpus: ['data/corpus/no-such-file.txt.gz'] }), ...quickSteps()], { cacheDir: dir, codeVersion: 'test' });
    assert.equal(r[0].status, 'failed');
    assert.match(r[0].error!, /no-such-file/);
    assert.equal(r[3].status, 'trained');
    const b = loadBackends({ cacheDir: dir });
    assert.equal(b.words.ok, false);
    assert.equal(b.sentiment.ok, true);
    assert.match(renderReport(r), /vectors: FAILED — .*no-such-file/);
  } finally { rmSync(dir, { recursive: true, force: true }); }
});

test('headline tables: sentiment vs Tai et al. 2015 anchors, vector scores, steps', async () => {
  const r = await runPipeline(steps({ size: 12 }), { cacheDir: cache, codeVersion: 'test-2' });
  const text = renderReport(r);
  assert.match(text, /LSTM \(Tai et al\. 2015\)\s+46\.4/);
  assert.match(text, /Bidirectional LSTM \(Tai et al\. 2015\)\s+49\.1/);
  const acc = (100 * (r[3].metrics.testAccuracy as number)).toFixed(1);
  assert.match(text, new RegExp(`this run: LSTM h=16\\s+${acc.replace('.', '\\.')}`));
  assert.match(text, /WS-353 ρ/);
  assert.match(text, /P\(k\|ice\)/);
  assert.match(text, /RNN\s+[01]\.\d\d\s+[01]\.\d\d/);
  assert.equal(table([['a', 'n'], ['x', '1.5'], ['yy', '10.25']]), 'a       n\n──  ─────\nx     1.5\nyy  10.25');
});

test('the server answers from what the pipeline cached', async () => {
  const app = await buildServer({ backends: loadBackends({ cacheDir: cache }) });
  try {
    const p = await app.inject({ method: 'POST', url: '/api/predict', payload: { text: 'a moving , funny film' } });
    assert.equal(p.statusCode, 200);
    const j = p.json();
    assert.equal(j.probs.length, 5);
    assert.ok(Math.abs(j.probs.reduce((a: number, b: number) => a + b, 0) - 1) < 1e-5);
    assert.deepEqual(j.tokens.map((t: { token: string }) => t.token), ['a', 'moving', ',', 'funny', 'film']);
    assert.equal(j.stars, j.predicted + 1);
    const logs = (await app.inject('/api/training-logs')).json();
    assert.ok(logs.runs.length >= 3);
    const nb = await app.inject('/api/neighbors?word=the&k=3');
    assert.equal(nb.statusCode, 200);
    assert.equal(nb.json().neighbors.length, 3);
    const empty = await app.inject({ method: 'POST', url: '/api/predict', payload: { text: '   ' } });
    assert.equal(empty.statusCode, 400);
    const review = await app.inject({ method: 'POST', url: '/api/predict', payload: { text: 'good '.repeat(201) } }); // whole reviews are fine
    assert.equal(review.statusCode, 200);
    assert.equal(review.json().explainedTokens, 199); // ⌊40,000 / 201⌋
    const long = await app.inject({ method: 'POST', url: '/api/predict', payload: { text: 'good '.repeat(5001) } });
    assert.equal(long.statusCode, 413);
    assert.match(long.json().error, /5,001 tokens; at most 5,000/);
    // the model file itself, for in-browser inference
    const bytes = await app.inject('/api/model/sentiment');
    assert.equal(bytes.statusCode, 200);
    assert.deepEqual(bytes.rawPayload, readFileSync(join(cache, readManifest(cache).steps.sentiment.outputs.model)));
    // GloVe ratios: recomputed here from the stored rows
    const g = await app.inject({ method: 'POST', url: '/api/glove-ratios', payload: { a: 'ice', b: 'steam', probes: ['water', 'Sea', 'zzqqxx'] } });
    assert.equal(g.statusCode, 200);
    const gj = g.json();
    assert.deepEqual(gj.rows.map((x: { k: string }) => x.k), ['water', 'sea']);
    assert.deepEqual(gj.unknown, ['zzqqxx']);
    const rows = JSON.parse(readFileSync(join(cache, 'glove/cooccurrence.json'), 'utf8'));
    const ice = rows.probes.indexOf('ice'), water = rows.contexts.indexOf('water');
    const xw = rows.rows[ice].val[rows.rows[ice].idx.indexOf(water)];
    assert.ok(Math.abs(gj.rows[0].pka - xw / rows.rowSums[ice]) < 1e-12);
    if (gj.rows[0].pkb > 0) assert.ok(Math.abs(gj.rows[0].ratio - gj.rows[0].pka / gj.rows[0].pkb) < 1e-12);
    const notProbe = await app.inject({ method: 'POST', url: '/api/glove-ratios', payload: { a: 'whale', probes: ['water'] } });
    assert.equal(notProbe.statusCode, 404);
    assert.match(notProbe.json().error, /rows exist for: ice, steam/);
    // memory sweep and gate traces in the page's shapes
    const mem = (await app.inject('/api/memory')).json();
    assert.deepEqual(mem.sweep.series.map((x: { name: string }) => x.name), ['RNN', 'LSTM']);
    assert.deepEqual(mem.sweep.series[0].points.map((p: { length: number }) => p.length), [3, 8]);
    assert.equal(mem.traces.T, 8);
    assert.deepEqual(Object.keys(mem.traces.gates), ['i', 'f', 'g', 'o', 'c', 'h']);
    assert.equal(mem.traces.gates.f.length, 8);
    assert.equal(mem.traces.gates.f[0].length, 3);
    assert.ok(mem.traces.gates.f.flat().every((v: number) => v > 0 && v < 1));
  } finally { await app.close(); }
});

test('`wordloom serve` on the cache: real HTTP on 127.0.0.1, the built page and the API', async () => {
  const { serve } = await import('../../src/cli/commands/serve.ts');
  const { ensurePageBuilt } = await import('./browser.ts');
  ensurePageBuilt();
  const out: string[] = [];
  const orig = process.stdout.write.bind(process.stdout), origErr = process.stderr.write.bind(process.stderr);
  (process.stdout as { write: unknown }).write = (s: string) => { out.push(String(s)); return true; };
  (process.stderr as { write: unknown }).write = (s: string) => { out.push(String(s)); return true; };
  let running;
  try { running = await serve({ port: 0, host: '127.0.0.1', cache }); } finally {
    (process.stdout as { write: unknown }).write = orig; (process.stderr as { write: unknown }).write = origErr;
  }
  try {
    const url = /wordloom playground: (http:\/\/127\.0\.0\.1:\d+\/)/.exec(out.join(''))?.[1];
    assert.ok(url, out.join(''));
    assert.equal((running.app.server.address() as { address: string }).address, '127.0.0.1');
    const page = await fetch(url);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /<title>wordloom playground<\/title>/);
    const st = await (await fetch(`${url}api/status`)).json() as Record<string, { available: boolean; reason?: string }>;
    const { review, ...parts } = st;
    assert.deepEqual(Object.values(parts).map((x) => x.available), [true, true, true, true, true]);
    assert.equal(review.available, false); // optional: `--review-model` was not given
    assert.match(review.reason!, /--review-model/);
    const bad = await fetch(`${url}api/predict`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"text": 1' });
    assert.equal(bad.status, 400);
    assert.match((await bad.json() as { error: string }).error, /JSON/);
  } finally { await running.close(); }
});

test('occlusion contributions are the change of expected stars when a word is removed', async () => {
  const { predictWithOcclusion, expectedStars } = await import('../../src/web/explain.ts');
  // A transparent model: P(5 stars) grows with the number of "good" tokens.
  const model = {
    labels: ['0', '1', '2', '3', '4'],
    tokenize: (t: string) => t.split(' '),
    isKnown: (w: string) => w !== 'zzz',
    predictBatch: (lists: string[][]) => lists.map((l) => {
      const g = l.filter((w) => w === 'good').length;
      const p5 = Math.min(1, 0.2 + 0.3 * g);
      return [(1 - p5) / 4, (1 - p5) / 4, (1 - p5) / 4, (1 - p5) / 4, p5];
    }),
  };
  const r = predictWithOcclusion(model, 'good film zzz');
  const full = expectedStars(model.predictBatch([['good', 'film', 'zzz']])[0]);
  const noGood = expectedStars(model.predictBatch([['film', 'zzz']])[0]);
  assert.ok(Math.abs(r.tokens[0].contribution - (full - noGood)) < 1e-12);
  assert.ok(r.tokens[0].contribution > 0);
  assert.equal(r.tokens[1].contribution, 0);
  assert.equal(r.tokens[2].known, false);
  assert.equal(r.stars, 5);
});

test('CLI: start rejects an unknown --retrain step; serve rejects a bad port', async () => {
  const err: string[] = [];
  const orig = process.stderr.write.bind(process.stderr);
  (process.stderr as { write: unknown }).write = (s: string) => { err.push(String(s)); return true; };
  try {
    assert.equal(await main(['start', '--no-serve', '--cache', cache, '--retrain', 'bogus']), 2);
    assert.equal(await main(['serve', '--port', '70000']), 2); // a bad flag value: exit 2 like every input error
  } finally { (process.stderr as { write: unknown }).write = orig; }
  assert.match(err.join(''), /--retrain: unknown step\(s\) bogus/);
  assert.match(err.join(''), /--port/);
  void readFileSync;
});

test('start step "reviews": an n-gram star model on gzip JSONL reviews, its metrics in the headline tables, served to the Reviews tab', async () => {
  const root = mkdtempSync(join(tmpdir(), 'wl-start-reviews-'));
  const data = join(root, 'imdb');
  mkdirSync(data);
  const rows = synthReviews;
  writeFileSync(join(data, 'train.jsonl.gz'), gzipSync(Buffer.from(rows(300, 1))));
  writeFileSync(join(data, 'test.jsonl.gz'), gzipSync(Buffer.from(rows(100, 2))));
  const cacheDir = join(root, 'cache');
  const step = reviewsStep({ data, target: 'stars5', epochs: 5, threads: 1, bucket: 5000, dim: 8 });
  const r = await runPipeline([step], { cacheDir, codeVersion: 'test' });
  assert.equal(r[0].status, 'trained', r[0].error);
  const m = r[0].metrics as { testAccuracy: number; testMaeStars: number; labels: string[] };
  assert.deepEqual(m.labels, ['1', '2', '4', '5']);
  assert.ok(m.testMaeStars >= 0 && m.testMaeStars < 4);
  assert.match(renderReport(r), /Whole reviews[\s\S]*MAE \(stars\)/);
  const b = loadBackends({ cacheDir });
  assert.ok(b.review?.ok, b.review && !b.review.ok ? b.review.reason : 'no review backend');
  rmSync(root, { recursive: true, force: true });
});
