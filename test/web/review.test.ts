// Whole reviews on the playground API (fastify inject): /api/review with the review model or the sentence model
// (the same numbers as explainReview), /api/predict on a whole review, the limits (413 naming them), the review
// model's bytes, and the note when no review model was given.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildServer } from '../../src/web/server-node.ts';
import { loadReview, loadSentiment, loadBackends } from '../../src/web/resources-node.ts';
import { unavailable, type Backends } from '../../src/web/backends.ts';
import { SentimentClassifier } from '../../src/tasks/sentiment/model.ts';
import { resolveConfig } from '../../src/tasks/sentiment/config.ts';
import { explainReview } from '../../src/tasks/sentiment/explain.ts';
import { Vocabulary } from '../../src/text/vocabulary.ts';
import { Rng } from '../../src/util/rng.ts';
import { POS, NEG, FILL } from '../helpers/sentiment-data.ts';

let dir: string;
let app: FastifyInstance;
let bare: FastifyInstance;
let reviewModel: SentimentClassifier;
let reviewFile: string;

function tinyModel(classes: string[], seed: number): SentimentClassifier {
  const vocab = Vocabulary.build([[...POS, ...NEG, ...FILL, '.', ',']]);
  const m = new SentimentClassifier({ ...resolveConfig({ embeddingInit: 'random' }), embeddingDim: 8, hiddenSize: 6, numClasses: classes.length }, vocab, classes);
  m.initialize(new Rng(seed));
  return m;
}

const REVIEW = 'The plot was really dull and the acting was bad. A boring film.<br /><br />But the ending is great, moving and fun! Superb.';

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'wl-review-'));
  reviewModel = tinyModel(['neg', 'pos'], 3);
  reviewFile = join(dir, 'review.wl');
  writeFileSync(reviewFile, reviewModel.toBytes());
  const sstFile = join(dir, 'sst.wl');
  writeFileSync(sstFile, tinyModel(['0', '1', '2', '3', '4'], 4).toBytes());
  const base: Pick<Backends, 'words' | 'memory' | 'training' | 'glove'> = { words: unavailable('none'), memory: unavailable('none'), training: unavailable('none'), glove: unavailable('none') };
  const backends: Backends = { ...base, sentiment: loadSentiment(sstFile), review: loadReview(reviewFile) };
  assert.ok(backends.review?.ok && backends.sentiment.ok);
  app = await buildServer({ backends });
  bare = await buildServer({ backends: { ...base, sentiment: loadSentiment(sstFile) } }); // no review model
});
after(async () => { await app.close(); await bare.close(); rmSync(dir, { recursive: true, force: true }); });

const post = (a: FastifyInstance, url: string, payload: unknown) => a.inject({ method: 'POST', url, payload: payload as object, headers: { 'content-type': 'application/json' } });

test('/api/review with the review model: stars, probabilities, sentence effects and top words = explainReview', async () => {
  const r = await post(app, '/api/review', { text: REVIEW, model: 'review' });
  assert.equal(r.statusCode, 200, r.body);
  const j = r.json();
  const e = explainReview(reviewModel, REVIEW);
  assert.equal(j.model, 'review');
  assert.deepEqual(j.modelInfo, { kind: 'rnn', source: 'review.wl' });
  assert.deepEqual(j.labels, ['neg', 'pos']);
  j.probs.forEach((p: number, i: number) => assert.ok(Math.abs(p - e.probs[i]) < 1e-6));
  assert.equal(j.sentences.length, 4);
  j.sentences.forEach((s: { start: number; end: number; text: string; effect: number }, i: number) => {
    assert.equal(REVIEW.slice(s.start, s.end), s.text);
    assert.ok(Math.abs(s.effect - e.sentences[i].effect) < 1e-6);
  });
  assert.equal(j.wordCount, 22);
  assert.equal(j.wordsMeasured, 22);
  assert.equal(j.topWords.length, 20);
  for (let i = 1; i < j.topWords.length; i++) assert.ok(Math.abs(j.topWords[i - 1].effect) >= Math.abs(j.topWords[i].effect));
  assert.equal(j.predictions, 1 + 4 + 22);
  // without "model": the review model when there is one, else the sentence model
  assert.equal((await post(app, '/api/review', { text: REVIEW })).json().model, 'review');
  assert.equal((await post(bare, '/api/review', { text: REVIEW })).json().model, 'sentence');
});

test('every answer makes the page cross-origin isolated (shared WASM heap for in-browser inference)', async () => {
  for (const r of [await app.inject('/api/status'), await post(app, '/api/review', { text: REVIEW }), await app.inject('/api/nope')]) {
    assert.equal(r.headers['cross-origin-opener-policy'], 'same-origin');
    assert.equal(r.headers['cross-origin-embedder-policy'], 'require-corp');
  }
});

test('/api/review with the sentence model rates on its 5-point scale', async () => {
  const j = (await post(app, '/api/review', { text: REVIEW, model: 'sentence' })).json();
  assert.equal(j.model, 'sentence');
  assert.equal(j.probs.length, 5);
  assert.ok(j.expectedStars >= 1 && j.expectedStars <= 5);
  assert.ok(Math.abs(j.probs.reduce((a: number, b: number) => a + b, 0) - 1) < 1e-5);
});

test('limits: 100,000 characters and 5,000 words (413 naming the limit), empty text and bad model 400, body > 1 MiB 413', async () => {
  const long = 'fun . '.repeat(20_000); // 120,000 characters
  const a = await post(app, '/api/review', { text: long });
  assert.equal(a.statusCode, 413);
  assert.equal(a.json().error, 'the text has 120,000 characters; at most 100,000 are accepted');
  const many = 'a '.repeat(5_001);
  const w = await post(app, '/api/review', { text: many });
  assert.equal(w.statusCode, 413);
  assert.equal(w.json().error, 'the text has 5,001 words; at most 5,000 are accepted');
  assert.equal((await post(app, '/api/review', { text: '  ' })).statusCode, 400);
  assert.equal((await post(app, '/api/review', { text: 'fun', model: 'other' })).statusCode, 400);
  assert.equal((await post(app, '/api/review', { text: 'x'.repeat(1_100_000) })).statusCode, 413);
  const p = await post(app, '/api/predict', { text: long });
  assert.equal(p.statusCode, 413);
  assert.match(p.json().error, /120,000 characters; at most 100,000/);
  const t = await post(app, '/api/predict', { text: 'fun '.repeat(5_001) });
  assert.equal(t.statusCode, 413);
  assert.match(t.json().error, /5,001 tokens; at most 5,000/);
});

test('/api/predict takes a whole review; word occlusion covers the first ⌊40,000 / n⌋ tokens', async () => {
  const review = Array.from({ length: 60 }, () => REVIEW).join('<br /><br />'); // ~1,500 tokens, ~7,500 characters
  const r = await post(app, '/api/predict', { text: review });
  assert.equal(r.statusCode, 200, r.body);
  const j = r.json();
  const n = j.tokens.length;
  assert.ok(n > 1000 && review.length > 7000, `${n} tokens`);
  assert.equal(j.explainedTokens, Math.floor(40_000 / n));
  assert.ok(j.tokens.slice(j.explainedTokens).every((t: { contribution: number }) => t.contribution === 0));
  assert.ok(j.tokens.slice(0, j.explainedTokens).some((t: { contribution: number }) => t.contribution !== 0));
  const short = (await post(app, '/api/predict', { text: 'a great film' })).json();
  assert.equal(short.explainedTokens, 3);
});

test('the review model file is served for in-browser use; without one: status, 503 and the note say how to add it', async () => {
  const b = await app.inject('/api/model/review');
  assert.equal(b.statusCode, 200);
  assert.deepEqual(new Uint8Array(b.rawPayload), new Uint8Array(readFileSync(reviewFile)));
  const s = (await app.inject('/api/status')).json();
  assert.deepEqual(s.review, { available: true, info: { source: 'review.wl', kind: 'rnn', labels: ['neg', 'pos'] } });
  const none = (await bare.inject('/api/status')).json();
  assert.equal(none.review.available, false);
  assert.match(none.review.reason, /--review-model/);
  const r = await post(bare, '/api/review', { text: REVIEW, model: 'review' });
  assert.equal(r.statusCode, 503);
  assert.match(r.json().error, /review model not available: .*--review-model/);
  assert.equal((await bare.inject('/api/model/review')).statusCode, 503);
  // loadBackends: a file named with --review-model must load (one clear error naming the flag, as for --vectors);
  // loadReview itself reports a reason instead of throwing
  assert.throws(() => loadBackends({ cacheDir: dir, review: join(dir, 'nope.wl') }), /review model file not found/);
  assert.throws(() => loadBackends({ cacheDir: dir, review: join(dir, 'nope.wl') }), (e: { flag?: string }) => e.flag === '--review-model');
  writeFileSync(join(dir, 'broken.wl'), 'not a model');
  const broken = loadReview(join(dir, 'broken.wl'));
  assert.match(broken.ok ? '' : broken.reason, /cannot load the review model from broken\.wl/);
});
