// GloVe co-occurrence counting: hand-computed counts on a tiny corpus (1/d weighting, symmetric and
// left-only, windows not crossing lines), spill/merge equal to in-memory counting, the ratios command
// consistent with the matrix, and input errors naming the file/line/flag.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { countCorpusVocab, CooccurCounter, fixedPointScale, type CooccurConfig } from '../../src/embeddings/glove/cooccur-node.ts';
import { cooccurrenceRatios } from '../../src/embeddings/glove/ratios-node.ts';
import { TempDir } from '../../src/embeddings/glove/temp-node.ts';
import { WordloomError } from '../../src/util/errors.ts';

const dir = mkdtempSync(join(tmpdir(), 'wl-glove-test-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));

async function matrix(path: string, cfg: Partial<CooccurConfig>, minCount = 1, asMap = true) {
  const tmp = new TempDir(dir);
  try {
    const c = await countCorpusVocab([path], tmp, { minCount, maxVocab: 0 });
    const counter = new CooccurCounter(c.vocab.words.length, { windowSize: 2, symmetric: true, distanceWeighting: true, memory: 1, ...cfg }, tmp);
    await counter.countIds(c.idsFile, c.vocab.rankOfId);
    const m = new Map<string, number>();
    const I: number[] = [], J: number[] = [], X: number[] = [];
    await counter.merge((i, j, x) => {
      I.push(i); J.push(j); X.push(x);
      if (asMap) m.set(`${c.vocab.words[i]} ${c.vocab.words[j]}`, x);
    });
    return { m, I: Int32Array.from(I), J: Int32Array.from(J), X: Float64Array.from(X), words: c.vocab.words, stats: counter.stats };
  } finally { tmp.dispose(); }
}

const tiny = join(dir, 'tiny.txt');
writeFileSync(tiny, 'A b c\nc a\n');

test('vocabulary ranks by count, ties by word', async () => {
  const { words } = await matrix(tiny, {});
  assert.deepEqual(words, ['a', 'c', 'b']);
});

test('symmetric 1/d counts match hand-computed values; windows do not cross lines', async () => {
  const { m } = await matrix(tiny, { windowSize: 2 });
  assert.deepEqual(Object.fromEntries(m), { 'a c': 1.5, 'a b': 1, 'c a': 1.5, 'c b': 1, 'b a': 1, 'b c': 1 });
  assert.equal(m.has('c c'), false); // "c" ends line 1 and starts line 2
});

test('left-only context (row = focus word, column = word on its left)', async () => {
  const { m } = await matrix(tiny, { windowSize: 2, symmetric: false });
  assert.deepEqual(Object.fromEntries(m), { 'a c': 1, 'c a': 0.5, 'c b': 1, 'b a': 1 });
});

test('without distance weighting every pair in the window counts 1; window 1 drops distance 2', async () => {
  const flat = await matrix(tiny, { windowSize: 2, distanceWeighting: false });
  assert.deepEqual(Object.fromEntries(flat.m), { 'a c': 2, 'a b': 1, 'c a': 2, 'c b': 1, 'b a': 1, 'b c': 1 });
  const w1 = await matrix(tiny, { windowSize: 1 });
  assert.deepEqual(Object.fromEntries(w1.m), { 'a c': 1, 'a b': 1, 'c a': 1, 'c b': 1, 'b a': 1, 'b c': 1 });
});

test('min-count drops words before windowing (distances close up, as in cooccur.c)', async () => {
  const p = join(dir, 'mc.txt');
  writeFileSync(p, 'x y x z x\ny\n');
  const { m, words } = await matrix(p, { windowSize: 1 }, 2);
  assert.deepEqual(words, ['x', 'y']);
  // line 1 without z: x y x x  → pairs (y,x) (x,y) (x,x) at distance 1
  assert.deepEqual(Object.fromEntries(m), { 'x y': 2, 'x x': 2, 'y x': 2 });
});

test('fixed-point scale is lcm(1..window) (exact 1/d)', () => {
  assert.equal(fixedPointScale(10, true), 2520);
  assert.equal(fixedPointScale(10, false), 1);
  assert.equal(fixedPointScale(40, true), 1 << 20);
});

test('a tiny memory budget (many spilled runs, k-way merge) gives exactly the in-memory matrix, in (i, j) order', async () => {
  const corpus = 'data/corpus/lee_background.txt.gz';
  const big = await matrix(corpus, { windowSize: 10, memory: 4 }, 1, false);
  const small = await matrix(corpus, { windowSize: 10, memory: 0.0002 }, 1, false); // > 128 runs: also compacts runs
  assert.equal(big.stats.runs, 0);
  assert.ok(small.stats.runs > 128, `expected > 128 spilled runs, got ${small.stats.runs}`);
  assert.ok(small.stats.denseCells < big.stats.denseCells);
  assert.ok(big.I.length > 100000);
  assert.deepEqual(small.I, big.I);
  assert.deepEqual(small.J, big.J);
  assert.deepEqual(small.X, big.X);
  // sorted by (i, j), and X is symmetric
  const V = big.words.length;
  const at = new Map<number, number>();
  for (let k = 0; k < big.I.length; k++) {
    if (k > 0) assert.ok(big.I[k - 1] * V + big.J[k - 1] < big.I[k] * V + big.J[k]);
    at.set(big.I[k] * V + big.J[k], big.X[k]);
  }
  for (let k = 0; k < big.I.length; k++) if (at.get(big.J[k] * V + big.I[k]) !== big.X[k]) assert.fail(`X not symmetric at ${k}`);
});

test('ratios: P(k|i) from the same counts as the matrix', async () => {
  const r = await cooccurrenceRatios([tiny], { probes: ['a', 'c'], contexts: ['b', 'c', 'a'], windowSize: 2 });
  assert.deepEqual(r.rowSums, [2.5, 2.5]);
  assert.deepEqual(r.x, [[1, 1.5, 0], [1, 0, 1.5]]);
  assert.deepEqual(r.p[0], [0.4, 0.6, 0]);
  assert.equal(r.ratio[0], 1);
  assert.equal(r.ratio[1], null); // P(c|c) = 0
  // Row sums agree with the full matrix on a real corpus.
  const corpus = 'data/corpus/lee_background.txt.gz';
  const { m } = await matrix(corpus, { windowSize: 10, memory: 1 });
  const rr = await cooccurrenceRatios([corpus], { probes: ['government', 'police'], contexts: ['the', 'said'], windowSize: 10 });
  for (const [k, w] of rr.probes.entries()) {
    let s = 0; for (const [key, v] of m) if (key.startsWith(w + ' ')) s += v;
    assert.ok(Math.abs(s - rr.rowSums[k]) < 1e-6 * s, `${w}: ${s} vs ${rr.rowSums[k]}`);
    assert.ok(Math.abs((m.get(`${w} the`) ?? 0) - rr.x[k][0]) < 1e-9);
  }
});

test('errors name the file, line or flag', async () => {
  const tmp = new TempDir(dir);
  try {
    const empty = join(dir, 'empty.txt');
    writeFileSync(empty, '\n  \n');
    await assert.rejects(countCorpusVocab([empty], tmp, { minCount: 1, maxVocab: 0 }), (e: Error) => e instanceof WordloomError && /empty\.txt: the corpus has no word tokens/.test(e.message));
    await assert.rejects(countCorpusVocab([join(dir, 'missing.txt')], tmp, { minCount: 1, maxVocab: 0 }), (e: Error) => e instanceof WordloomError && /missing\.txt/.test(e.message));
    const bad = join(dir, 'bad.txt');
    writeFileSync(bad, Buffer.concat([Buffer.from('good line\nbad '), Buffer.from([0xff, 0xfe]), Buffer.from(' line\n')]));
    // (the shared reader src/text/corpus-node.ts reports the line where the failing read chunk starts)
    await assert.rejects(countCorpusVocab([bad], tmp, { minCount: 1, maxVocab: 0 }), (e: Error) => e instanceof WordloomError && /bad\.txt:\d+: invalid UTF-8/.test(e.message));
    await assert.rejects(countCorpusVocab([tiny], tmp, { minCount: 50, maxVocab: 0 }), (e: Error) => e instanceof WordloomError && /--min-count/.test(e.message));
    await assert.rejects(cooccurrenceRatios([tiny], { probes: ['zzz'], contexts: ['a'] }), /--probe/);
  } finally { tmp.dispose(); }
});
