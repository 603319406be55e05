// word2vec building blocks: full-softmax gradient (float64 finite differences), Huffman tree, alias
// sampling, subsampling thresholds, and the WASM kernel against the plain-TS reference.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../../src/util/rng.ts';
import { fullSoftmaxLoss } from '../../src/embeddings/word2vec/full-softmax.ts';
import { W2VVocab } from '../../src/embeddings/word2vec/vocab.ts';
import { W2VEngine, w2vWasmModule } from '../../src/embeddings/word2vec/engine.ts';
import { resolveWord2VecOptions } from '../../src/embeddings/word2vec/options.ts';
import { W2V_MAX_CODE_LENGTH, W2V_WEYL, w2vRandom } from '../../src/kernels/w2v-reference.ts';

test('full softmax: analytic gradient matches float64 central differences', () => {
  const rng = new Rng(3);
  const V = 7, d = 5, target = 4;
  const h = rng.fillNormal(new Float64Array(d), 0, 0.7) as Float64Array;
  const W = rng.fillNormal(new Float64Array(V * d), 0, 0.7) as Float64Array;
  const probs = new Float64Array(V), dh = new Float64Array(d), dW = new Float64Array(V * d);
  const loss = fullSoftmaxLoss(h, W, V, d, target, probs, dh, dW);
  // loss = −log softmax: check against a direct computation
  const logits = Array.from({ length: V }, (_, j) => { let s = 0; for (let k = 0; k < d; k++) s += W[j * d + k] * h[k]; return s; });
  const lse = Math.log(logits.reduce((a, x) => a + Math.exp(x), 0));
  assert.ok(Math.abs(loss - (lse - logits[target])) < 1e-12);
  const eps = 1e-6, p = new Float64Array(V);
  const f = () => fullSoftmaxLoss(h, W, V, d, target, p);
  for (const [x, g] of [[h, dh], [W, dW]] as const) {
    for (let i = 0; i < x.length; i++) {
      const x0 = x[i];
      x[i] = x0 + eps; const lp = f();
      x[i] = x0 - eps; const lm = f();
      x[i] = x0;
      const num = (lp - lm) / (2 * eps);
      assert.ok(Math.abs(num - g[i]) < 1e-7 * Math.max(1, Math.abs(num)), `index ${i}: numeric ${num} vs analytic ${g[i]}`);
    }
  }
});

test('Huffman codes: prefix-free, paths start at the root, frequent words get short codes', () => {
  const counts = [50, 30, 30, 12, 9, 7, 3, 1];
  const v = new W2VVocab(counts.map((_, i) => `w${i}`), counts);
  const { codes, points, codeLen } = v.huffman();
  const strs = counts.map((_, w) => Array.from(codes.subarray(w * W2V_MAX_CODE_LENGTH, w * W2V_MAX_CODE_LENGTH + codeLen[w])).join(''));
  for (let a = 0; a < strs.length; a++) for (let b = 0; b < strs.length; b++) if (a !== b) assert.ok(!strs[b].startsWith(strs[a]), `${strs[a]} prefixes ${strs[b]}`);
  for (let w = 0; w < counts.length; w++) {
    assert.equal(points[w * W2V_MAX_CODE_LENGTH], counts.length - 2, 'root first');
    for (let d = 0; d < codeLen[w]; d++) assert.ok(points[w * W2V_MAX_CODE_LENGTH + d] >= 0 && points[w * W2V_MAX_CODE_LENGTH + d] < counts.length - 1);
  }
  assert.ok(codeLen[0] <= codeLen[7]);
  // Kraft equality for a full binary tree
  assert.ok(Math.abs(strs.reduce((s, c) => s + 2 ** -c.length, 0) - 1) < 1e-12);
});

test('alias table samples count^0.75 (empirical frequencies within 3 standard errors)', () => {
  const counts = [1000, 300, 100, 20, 5, 1];
  const v = new W2VVocab(counts.map((_, i) => `w${i}`), counts);
  const { prob, alias, p } = v.aliasTable(0.75);
  const z = counts.reduce((s, c) => s + c ** 0.75, 0);
  counts.forEach((c, i) => assert.ok(Math.abs(p[i] - c ** 0.75 / z) < 1e-12));
  const hist = new Float64Array(counts.length);
  let c = 12345;
  const N = 200_000;
  for (let n = 0; n < N; n++) {
    c = (c + W2V_WEYL) | 0; const col = Math.floor((w2vRandom(c) * counts.length) / 4294967296);
    c = (c + W2V_WEYL) | 0; hist[w2vRandom(c) < prob[col] ? col : alias[col]]++;
  }
  for (let i = 0; i < counts.length; i++) {
    const se = Math.sqrt(p[i] * (1 - p[i]) / N);
    assert.ok(Math.abs(hist[i] / N - p[i]) < 3 * se + 1e-9, `word ${i}: ${hist[i] / N} vs ${p[i]}`);
  }
});

test('subsampling keeps a word with word2vec.c\'s probability (sqrt(f/(sT)) + 1)·sT/f', () => {
  const counts = [100000, 5000, 100, 3];
  const v = new W2VVocab(counts.map((_, i) => `w${i}`), counts);
  const keep = v.keepThresholds(1e-3);
  const T = counts.reduce((a, b) => a + b), st = 1e-3 * T;
  counts.forEach((f, i) => {
    const pk = Math.min(1, (Math.sqrt(f / st) + 1) * st / f);
    assert.ok(Math.abs((keep[i] === 0xffffffff ? 1 : keep[i] / 2 ** 32) - pk) < 1e-9, `word ${i}`);
  });
  assert.ok(v.keepThresholds(0).every((k) => k === 0xffffffff));
});

test('WASM kernel matches the plain-TS reference on one chunk (skip-gram, CBOW; negative + hs, shared negatives)', { skip: !w2vWasmModule() }, () => {
  const rng = new Rng(11);
  const V = 60;
  const counts = Array.from({ length: V }, (_, i) => Math.round(2000 / (i + 1)) + 1);
  const vocab = new W2VVocab(counts.map((_, i) => `w${i}`), counts);
  const tokens: number[] = [];
  for (let s = 0; s < 80; s++) { for (let k = 0; k < 12; k++) tokens.push(Math.min(V - 1, Math.floor(-Math.log(1 - rng.next()) * 10))); tokens.push(-1); }
  for (const [cbow, shared] of [[false, false], [true, false], [false, true], [true, true]]) {
    const o = resolveWord2VecOptions({ size: 30, window: 4, negative: 4, hs: !shared, sample: 1e-2, cbow, seed: 5, sharedNegatives: shared });
    const engines = [new W2VEngine(vocab, o, 1, 'wasm'), new W2VEngine(vocab, o, 1, 'reference')];
    const res = engines.map((e) => {
      e.slot(0).set(tokens);
      return e.runner.run(0, tokens.length, 100, 5000, o.alpha, 99);
    });
    assert.equal(res[0].words, res[1].words);
    assert.equal(res[0].terms, res[1].terms, 'same random stream ⇒ same number of loss terms');
    assert.ok(Math.abs(res[0].loss - res[1].loss) < 1e-3 * res[1].terms, `loss ${res[0].loss} vs ${res[1].loss}`);
    for (const key of ['syn0', 'syn1', 'syn1neg'] as const) {
      const a = engines[0][key], b = engines[1][key];
      if (key === 'syn1' && shared) { assert.equal(a.length, 0); continue; }
      let maxd = 0, moved = 0;
      for (let i = 0; i < a.length; i++) { maxd = Math.max(maxd, Math.abs(a[i] - b[i])); if (b[i] !== 0) moved++; }
      assert.ok(maxd < 1e-4, `${key} (cbow ${cbow}): max diff ${maxd}`);
      assert.ok(moved > 0, `${key} was trained`);
    }
    for (const e of engines) e.dispose();
  }
});

test('skip-gram shared negatives keep word2vec.c\'s update order: with one context word per centre word they are the classic loop, bit for bit', () => {
  // Two-word sentences and window 1: every centre word has exactly one context word, so drawing the K negatives
  // once per centre word (shared) or once per (centre, context) pair (classic) draws the same numbers in the same
  // order; with sequential updates the two loops must then give identical weights. (The earlier minibatch form,
  // with gradients from the pre-update weights, did not.)
  const rng = new Rng(21);
  const V = 40;
  const counts = Array.from({ length: V }, (_, i) => Math.round(1000 / (i + 1)) + 1);
  const vocab = new W2VVocab(counts.map((_, i) => `w${i}`), counts);
  const tokens: number[] = [];
  for (let s = 0; s < 300; s++) { tokens.push(Math.floor(rng.next() * V), Math.floor(rng.next() * V), -1); }
  for (const kernel of w2vWasmModule() ? ['wasm', 'reference'] as const : ['reference'] as const) {
    const weights = [false, true].map((shared) => {
      const o = resolveWord2VecOptions({ size: 12, window: 1, negative: 5, sample: 0, seed: 3, sharedNegatives: shared });
      const e = new W2VEngine(vocab, o, 1, kernel);
      e.slot(0).set(tokens);
      const r = e.runner.run(0, tokens.length, 0, 10_000, o.alpha, 7);
      const out = { syn0: e.syn0.slice(), syn1neg: e.syn1neg.slice(), terms: r.terms };
      e.dispose();
      return out;
    });
    assert.ok(weights[0].terms > 1000, `${kernel}: trained`);
    assert.equal(weights[1].terms, weights[0].terms, `${kernel}: same number of logistic units`);
    assert.deepEqual(weights[1].syn0, weights[0].syn0, `${kernel}: syn0`);
    assert.deepEqual(weights[1].syn1neg, weights[0].syn1neg, `${kernel}: syn1neg`);
  }
});
