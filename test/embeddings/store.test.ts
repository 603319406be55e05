// WordVectors queries against brute-force float64 references on the real GloVe subset.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadVectors, topK, WordVectors } from '../../src/embeddings/index.ts';
import { referenceKernels } from '../../src/kernels/index.ts';
import { WordloomError } from '../../src/util/errors.ts';
import { Rng } from '../../src/util/rng.ts';

const v = loadVectors('data/glove-subset/glove.6B.50d.top2446.txt');
const D = v.dim;

function unit(i: number): Float64Array {
  const r = Float64Array.from(v.row(i));
  const n = Math.sqrt(r.reduce((s, x) => s + x * x, 0));
  return r.map((x) => x / n);
}
const dot = (a: Float64Array, b: Float64Array) => a.reduce((s, x, k) => s + x * b[k], 0);

/** Brute force: all scores in float64, sorted. */
function brute(score: (i: number) => number, exclude: number[], topn: number, rows = v.size) {
  const all: { i: number; s: number }[] = [];
  for (let i = 0; i < rows; i++) if (!exclude.includes(i)) all.push({ i, s: score(i) });
  all.sort((a, b) => b.s - a.s);
  return all.slice(0, topn);
}

test('similarity (cosine) and distance (Euclidean) against float64', () => {
  const a = v.indexOf('king'), b = v.indexOf('queen');
  assert.ok(Math.abs(v.similarity('king', 'queen') - dot(unit(a), unit(b))) < 1e-6);
  const e = Math.sqrt(Array.from(v.row(a)).reduce((s, x, k) => s + (x - v.row(b)[k]) ** 2, 0));
  assert.ok(Math.abs(v.distance('king', 'queen') - e) < 1e-5);
  assert.ok(Math.abs(v.similarity('king', 'king') - 1) < 1e-6);
  assert.equal(v.cosineDistance('king', 'queen'), 1 - v.similarity('king', 'queen'));
});

test('mostSimilar (3CosAdd) equals brute force, inputs excluded, restrictVocab honoured', () => {
  for (const [pos, neg] of [[['france'], []], [['france', 'tokyo'], ['paris']], [['king', 'woman'], ['man']]] as [string[], string[]][]) {
    const q = new Float64Array(D);
    for (const w of pos) unit(v.indexOf(w)).forEach((x, k) => { q[k] += x; });
    for (const w of neg) unit(v.indexOf(w)).forEach((x, k) => { q[k] -= x; });
    const qn = Math.sqrt(dot(q, q));
    const ids = [...pos, ...neg].map((w) => v.indexOf(w));
    for (const rows of [v.size, 500]) {
      const ref = brute((i) => dot(unit(i), q) / qn, ids, 10, rows);
      const got = v.mostSimilar({ positive: pos, negative: neg, topn: 10, restrictVocab: rows === v.size ? undefined : rows });
      assert.deepEqual(got.map((n) => n.word), ref.map((r) => v.words[r.i]), `${pos} - ${neg} @${rows}`);
      got.forEach((n, k) => assert.ok(Math.abs(n.score - ref[k].s) < 1e-5));
      for (const n of got) assert.ok(!pos.includes(n.word) && !neg.includes(n.word));
      assert.ok(got.every((n) => v.indexOf(n.word) < rows));
    }
  }
  assert.equal(v.analogy('paris', 'france', 'tokyo')[0].word, 'japan');
  assert.equal(v.analogy('man', 'king', 'woman')[0].word, 'queen');
});

test('mostSimilarCosMul equals the Levy & Goldberg objective by brute force', () => {
  const [a, b, c] = ['paris', 'france', 'tokyo'].map((w) => v.indexOf(w));
  const ua = unit(a), ub = unit(b), uc = unit(c);
  const ref = brute((i) => {
    const u = unit(i);
    return (((1 + dot(u, ub)) / 2) * ((1 + dot(u, uc)) / 2)) / ((1 + dot(u, ua)) / 2 + 1e-6);
  }, [a, b, c], 10);
  const got = v.mostSimilarCosMul({ positive: ['france', 'tokyo'], negative: ['paris'] });
  assert.deepEqual(got.map((n) => n.word), ref.map((r) => v.words[r.i]));
  got.forEach((n, k) => assert.ok(Math.abs(n.score - ref[k].s) < 1e-5));
  assert.equal(v.analogy('paris', 'france', 'tokyo', { method: '3cosmul' })[0].word, 'japan');
  // one positive word: same ranking as mostSimilar
  assert.deepEqual(v.mostSimilarCosMul({ positive: ['car'] }).map((n) => n.word), v.mostSimilar({ positive: ['car'] }).map((n) => n.word));
});

test('similarByVector / similarByWord / doesntMatch', () => {
  const byVec = v.similarByVector(v.vector('germany'), { topn: 3 });
  assert.equal(byVec[0].word, 'germany'); // nothing excluded for raw vectors
  assert.deepEqual(v.similarByWord('germany', { topn: 2 }).map((n) => n.word), byVec.slice(1, 3).map((n) => n.word));
  assert.equal(v.doesntMatch(['france', 'germany', 'italy', 'car']), 'car');
  const ranked = v.rankByCentrality(['france', 'germany', 'italy', 'car']);
  assert.ok(ranked[0].score >= ranked[3].score);
});

test('unknown words are one WordloomError naming all of them', () => {
  assert.throws(() => v.similarity('king', 'zzqx'), (e: unknown) => e instanceof WordloomError && /not in vocabulary: "zzqx"/.test(e.message));
  assert.throws(() => v.mostSimilar({ positive: ['qqq1', 'king'], negative: ['qqq2'] }),
    (e: unknown) => e instanceof WordloomError && /words not in vocabulary: "qqq1", "qqq2"/.test(e.message));
  assert.throws(() => v.analogy('a-b-c-unknown', 'king', 'queen'), WordloomError);
  assert.throws(() => v.doesntMatch(['king', 'nope-nope']), /"nope-nope"/);
  assert.throws(() => v.vector('nope-nope'), WordloomError);
});

test('topK matches a full sort (ties: lower index first, exclusions, NaN skipped)', () => {
  const rng = new Rng(3);
  for (let trial = 0; trial < 50; trial++) {
    const n = 1 + rng.int(300), k = rng.int(20);
    const s = Float32Array.from({ length: n }, () => Math.round(rng.uniform(-5, 5)) / 2);
    if (n > 3) s[1] = NaN;
    const ex = new Set([0, 2]);
    const ref = Array.from(s, (x, i) => ({ x, i })).filter((e) => !ex.has(e.i) && !Number.isNaN(e.x))
      .sort((a, b) => b.x - a.x || a.i - b.i).slice(0, k).map((e) => e.i);
    assert.deepEqual(topK(s, n, k, ex), ref);
  }
});

test('sgemv reference kernel (both transposes, beta) against naive loops', () => {
  const rng = new Rng(11);
  const M = 7, N = 13;
  const A = Float32Array.from({ length: M * N }, () => rng.uniform(-1, 1));
  const x = Float32Array.from({ length: N }, () => rng.uniform(-1, 1));
  const xt = Float32Array.from({ length: M }, () => rng.uniform(-1, 1));
  const y = new Float32Array(M).fill(1), yt = new Float32Array(N).fill(2);
  referenceKernels.sgemv(false, M, N, 2, A, N, x, 0.5, y);
  for (let i = 0; i < M; i++) {
    let s = 0; for (let j = 0; j < N; j++) s += A[i * N + j] * x[j];
    assert.ok(Math.abs(y[i] - (2 * s + 0.5)) < 1e-5);
  }
  referenceKernels.sgemv(true, M, N, 1, A, N, xt, 1, yt);
  for (let j = 0; j < N; j++) {
    let s = 0; for (let i = 0; i < M; i++) s += A[i * N + j] * xt[i];
    assert.ok(Math.abs(yt[j] - (s + 2)) < 1e-5);
  }
});

test('WordVectors from a trainer matrix: copy into K memory, queries work, zero rows are harmless', () => {
  const w = new WordVectors(['a', 'b', 'c', 'zero'], Float32Array.from([1, 0, 0.9, 0.1, 0, 1, 0, 0]), 2);
  assert.deepEqual(w.mostSimilar({ positive: ['a'], topn: 3 }).map((n) => n.word), ['b', 'c', 'zero']);
  assert.equal(w.similarity('a', 'zero'), 0);
});

test('browser entry (src/embeddings/browser.ts) imports no node:* module, transitively', async () => {
  const { readFileSync } = await import('node:fs');
  const { dirname, resolve } = await import('node:path');
  const seen = new Set<string>(), bad: string[] = [];
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const src = readFileSync(file, 'utf8');
    // static value imports only: `import type` is erased, and dynamic imports (the kernels loader's
    // guarded `import('node:' + …)` for Node-only extras) are not loaded by a browser bundle's static graph
    for (const m of src.matchAll(/^(?:import|export)\s(?!type\s)[^'";]*?from\s+['"]([^'"]+)['"]/gm)) {
      const spec = m[1];
      if (spec.startsWith('node:')) bad.push(`${file} imports ${spec}`);
      else if (spec.startsWith('.')) visit(resolve(dirname(file), spec));
    }
  };
  visit(resolve('src/embeddings/browser.ts'));
  assert.deepEqual(bad, []);
  assert.ok([...seen].some((f) => f.endsWith('formats.ts')) && [...seen].some((f) => f.endsWith('evaluate.ts')));
});
