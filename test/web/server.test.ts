// The playground's JSON API (fastify inject: no sockets): answers on real GloVe vectors, validation, limits,
// unknown words, bad JSON, unavailable parts, static files without path traversal.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildServer } from '../../src/web/server-node.ts';
import { loadBackends, loadWords } from '../../src/web/resources-node.ts';
import { unavailable, type Backends } from '../../src/web/backends.ts';
import { pca2d } from '../../src/web/pca.ts';

const GLOVE = 'data/glove-subset/glove.6B.50d.top2446.txt';
let app: FastifyInstance;
let staticDir: string;

before(async () => {
  staticDir = mkdtempSync(join(tmpdir(), 'wordloom-static-'));
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>page</title>');
  const backends: Backends = {
    words: loadWords(GLOVE),
    sentiment: unavailable('no model in this test'),
    memory: unavailable('no sweep in this test'),
    training: unavailable('no logs in this test'),
    glove: unavailable('no counts in this test'),
  };
  assert.ok(backends.words.ok);
  app = await buildServer({ backends, staticDir });
});
after(async () => { await app.close(); rmSync(staticDir, { recursive: true, force: true }); });

const post = (url: string, payload: unknown) => app.inject({ method: 'POST', url, payload: payload as object, headers: { 'content-type': 'application/json' } });

test('neighbors of a known word are ranked by cosine, word excluded', async () => {
  const r = await app.inject('/api/neighbors?word=king&k=5');
  assert.equal(r.statusCode, 200);
  const j = r.json();
  assert.equal(j.word, 'king');
  assert.equal(j.neighbors.length, 5);
  assert.ok(!j.neighbors.some((n: { word: string }) => n.word === 'king'));
  for (let i = 1; i < 5; i++) assert.ok(j.neighbors[i - 1].score >= j.neighbors[i].score);
  assert.ok(j.neighbors.map((n: { word: string }) => n.word).includes('queen'));
  // query words are normalised like the vocabulary (lower-case)
  assert.equal((await app.inject('/api/neighbors?word=King&k=1')).json().word, 'king');
});

test('analogy a : b :: c : ? on real GloVe vectors', async () => {
  const r = await post('/api/analogy', { a: 'man', b: 'king', c: 'woman', k: 3 });
  assert.equal(r.statusCode, 200);
  assert.equal(r.json().results[0].word, 'queen');
  const p = await post('/api/analogy', { a: 'paris', b: 'france', c: 'tokyo', k: 3 });
  assert.equal(p.json().results[0].word, 'japan');
});

test('similarity gives cosine and Euclidean distance consistent with each other', async () => {
  const j = (await app.inject('/api/similarity?a=car&b=bus')).json();
  const far = (await app.inject('/api/similarity?a=car&b=music')).json();
  assert.ok(j.cosine > far.cosine);
  assert.ok(j.euclidean > 0 && Number.isFinite(j.euclidean));
  const self = (await app.inject('/api/similarity?a=bus&b=bus')).json();
  assert.ok(Math.abs(self.cosine - 1) < 1e-5);
  assert.ok(self.euclidean < 1e-6);
});

test("doesn't match picks the odd word", async () => {
  const j = (await post('/api/doesnt-match', { words: ['monday', 'tuesday', 'friday', 'army'] })).json();
  assert.equal(j.odd, 'army');
  assert.equal(j.scores.length, 4);
  assert.equal((await post('/api/doesnt-match', { words: ['car', 'car', 'bus'] })).statusCode, 400);
});

test('map: PCA coordinates for words and for a neighbourhood', async () => {
  const r = await post('/api/map', { words: ['king', 'queen', 'man', 'woman', 'paris', 'france', 'nosuchwordx'] });
  assert.equal(r.statusCode, 200);
  const j = r.json();
  assert.equal(j.points.length, 6);
  assert.deepEqual(j.skipped, ['nosuchwordx']);
  assert.ok(j.explained[0] >= j.explained[1] && j.explained[0] + j.explained[1] <= 1 + 1e-9);
  const c = (await post('/api/map', { center: 'music', k: 10 })).json();
  assert.equal(c.points.length, 11);
  assert.equal(c.points[0].word, 'music');
  assert.equal((await post('/api/map', {})).statusCode, 400);
  assert.equal((await post('/api/map', { words: ['king', 'queen'] })).statusCode, 400);
});

test('pca2d recovers the main direction of a line of points', () => {
  // points along (1, 2, 0) with small noise in the third coordinate
  const n = 20, d = 3, data = new Float64Array(n * d);
  for (let i = 0; i < n; i++) { data[i * 3] = i; data[i * 3 + 1] = 2 * i; data[i * 3 + 2] = (i % 2) * 0.1; }
  const { coords, explained } = pca2d(data, n, d);
  assert.ok(explained[0] > 0.99);
  for (let i = 1; i < n; i++) assert.ok(Math.abs(coords[i * 2] - coords[(i - 1) * 2] - Math.sqrt(5)) < 1e-2);
});

test('unknown words are 404 naming every unknown word', async () => {
  const r = await app.inject('/api/neighbors?word=qwzxv');
  assert.equal(r.statusCode, 404);
  assert.match(r.json().error, /qwzxv/);
  const a = await post('/api/analogy', { a: 'paris', b: 'zzqq1', c: 'zzqq2' });
  assert.equal(a.statusCode, 404);
  assert.deepEqual(a.json().unknown, ['zzqq1', 'zzqq2']);
});

test('bad JSON, wrong types, missing or extra fields, bad numbers are 400 with a message', async () => {
  const bad = await app.inject({ method: 'POST', url: '/api/analogy', payload: '{"a": ', headers: { 'content-type': 'application/json' } });
  assert.equal(bad.statusCode, 400);
  assert.ok(bad.json().error.length > 0);
  assert.equal((await post('/api/analogy', { a: 'x', b: 'y' })).statusCode, 400);
  assert.equal((await post('/api/analogy', { a: 'x', b: 'y', c: 'z', evil: 1 })).statusCode, 400);
  assert.equal((await post('/api/analogy', { a: ['x'], b: 'y', c: 'z' })).statusCode, 400);
  assert.equal((await app.inject('/api/neighbors')).statusCode, 400);
  assert.equal((await app.inject('/api/neighbors?word=king&k=0')).statusCode, 400);
  assert.equal((await app.inject('/api/neighbors?word=king&k=abc')).statusCode, 400);
  assert.equal((await app.inject('/api/neighbors?word=king&k=100000')).statusCode, 400);
  assert.equal((await app.inject('/api/neighbors?word=king&path=/etc/passwd')).statusCode, 400);
  assert.equal((await app.inject(`/api/neighbors?word=${'a'.repeat(65)}`)).statusCode, 400);
  const notJson = await app.inject({ method: 'POST', url: '/api/analogy', payload: 'a=b', headers: { 'content-type': 'text/plain' } });
  assert.equal(notJson.statusCode, 415);
});

test('request size limits: big bodies 413, long URLs 414', async () => {
  const big = await post('/api/doesnt-match', { words: Array.from({ length: 5000 }, (_, i) => `w${i}`) });
  assert.equal(big.statusCode, 413);
  assert.ok(big.json().error);
  const long = await app.inject(`/api/neighbors?word=king&x=${'a'.repeat(3000)}`);
  assert.equal(long.statusCode, 414);
});

test('parts without a model answer 503 "not available: <reason>"; /api/status says so', async () => {
  const r = await post('/api/predict', { text: 'a fine film' });
  assert.equal(r.statusCode, 503);
  assert.match(r.json().error, /not available: no model in this test/);
  assert.equal((await app.inject('/api/memory')).statusCode, 503);
  assert.equal((await app.inject('/api/training-logs')).statusCode, 503);
  assert.equal((await post('/api/glove-ratios', { probes: ['solid'] })).statusCode, 503);
  const s = (await app.inject('/api/status')).json();
  assert.equal(s.words.available, true);
  assert.equal(s.words.info.vocab, 2446);
  assert.deepEqual(s.sentiment, { available: false, reason: 'no model in this test' });
});

test('static files: the page is served, nothing outside its folder is', async () => {
  const home = await app.inject('/');
  assert.equal(home.statusCode, 200);
  assert.match(home.body, /<title>page<\/title>/);
  for (const url of ['/../package.json', '/%2e%2e/package.json', '/..%2fpackage.json', '/%2e%2e%2f%2e%2e%2fetc%2fpasswd', '/api/../../package.json']) {
    const r = await app.inject(url);
    assert.ok(r.statusCode >= 400 && r.statusCode < 500, `${url} → ${r.statusCode}`);
    assert.doesNotMatch(r.body, /"name": "wordloom"|root:/);
  }
  assert.equal((await app.inject('/api/nope')).statusCode, 404);
});

test('loadBackends: an empty cache explains what to run; a corrupt manifest is reported', () => {
  const dir = mkdtempSync(join(tmpdir(), 'wordloom-cache-'));
  try {
    const b = loadBackends({ cacheDir: dir });
    assert.equal(b.words.ok, false);
    assert.match(b.words.ok ? '' : b.words.reason, /wordloom start/);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'manifest.json'), '{not json');
    const c = loadBackends({ cacheDir: dir });
    assert.match(c.words.ok ? '' : c.words.reason, /corrupt cache manifest/);
    // a manifest output that tries to leave the cache folder is ignored
    writeFileSync(join(dir, 'manifest.json'), JSON.stringify({ version: 1, steps: { vectors: { key: 'x', finishedAt: '', seconds: 0, settings: {}, metrics: {}, outputs: { vectors: '../../data/glove-subset/glove.6B.50d.top2446.txt' } } } }));
    assert.equal(loadBackends({ cacheDir: dir }).words.ok, false);
  } finally { rmSync(dir, { recursive: true, force: true }); }
});
