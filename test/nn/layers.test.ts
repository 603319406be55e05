// Dense, Embedding, losses and Dropout: float64 gradient checks, semantics, validation; plus the usage example
// from src/nn/index.ts run end to end (a tiny classifier that must learn).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  ParamSet, Dense, Embedding, Dropout, SequenceModel, softmaxCrossEntropyForward, softmaxCrossEntropyBackward,
  mseForward, mseBackward, gradCheck, paramTargets, formatGradCheck, type Activation,
} from '../../src/nn/index.ts';
import { Rng } from '../../src/util/rng.ts';
import { WordloomError } from '../../src/util/errors.ts';

for (const activation of ['linear', 'tanh', 'sigmoid', 'relu'] as Activation[]) {
  test(`Dense (${activation}): float64 gradient check over W, b and x`, () => {
    const B = 4, I = 5, O = 3;
    const dense = new Dense({ inputSize: I, outputSize: O, activation });
    const ps = new ParamSet(); dense.build(ps); ps.finalize('float64');
    dense.initialize(new Rng(1));
    new Rng(2).fillUniform(ps.view('dense.b'), -0.5, 0.5);
    const rng = new Rng(3);
    const x = rng.fillUniform(new Float64Array(B * I), -1, 1);
    const dx = new Float64Array(B * I);
    const R = rng.fillUniform(new Float64Array(B * O), -1, 1);
    const loss = () => { const y = dense.forward(x, B); let L = 0; for (let i = 0; i < y.length; i++) L += R[i] * y[i] + 0.5 * y[i] * y[i]; return L; };
    const grads = () => {
      ps.zeroGrad(); dx.fill(0);
      const y = dense.forward(x, B);
      const dy = new Float64Array(B * O);
      for (let i = 0; i < dy.length; i++) dy[i] = R[i] + y[i];
      dense.backward(dy, dx);
    };
    const r = gradCheck(loss, grads, [...paramTargets(ps), { name: 'x', value: x, grad: dx }]);
    assert.ok(r.ok, formatGradCheck(r));
    assert.equal(dense.paramCount(), ps.count());
  });
}

test('Dense: y = x·W + b exactly, config round-trip, validation', () => {
  const d = new Dense({ inputSize: 2, outputSize: 2, name: 'fc' });
  const ps = new ParamSet(); d.build(ps); ps.finalize('float64');
  ps.view('fc.W').set([1, 2, 3, 4]); ps.view('fc.b').set([10, 20]);
  assert.deepEqual(Array.from(d.forward(Float64Array.from([1, 1, 0, 2]), 2)), [14, 26, 16, 28]);
  assert.deepEqual(Dense.fromConfig(JSON.parse(JSON.stringify(d.getConfig()))).getConfig(), d.getConfig());
  assert.throws(() => new Dense({ inputSize: 2, outputSize: 0 }), (e: unknown) => e instanceof WordloomError && /outputSize/.test(e.message));
  assert.throws(() => new Dense({ inputSize: 2, outputSize: 2, activation: 'gelu' as Activation }), /activation/);
});

test('Embedding: lookup, padding ids, scatter-add backward with repeated ids, gradient check', () => {
  const emb = new Embedding({ vocabSize: 4, dim: 3, name: 'e' });
  const ps = new ParamSet(); emb.build(ps); ps.finalize('float64');
  emb.initialize(new Rng(1));
  const table = ps.view('e.table');
  const ids = Int32Array.from([2, -1, 2, 0]);
  const out = emb.forward(ids);
  assert.deepEqual(Array.from(out.subarray(0, 3)), Array.from(table.subarray(6, 9)));
  assert.deepEqual(Array.from(out.subarray(3, 6)), [0, 0, 0]);
  emb.backward(Float64Array.from([1, 2, 3, 9, 9, 9, 10, 20, 30, 5, 6, 7]));
  assert.deepEqual(Array.from(ps.grad.subarray(0, 12)), [5, 6, 7, 0, 0, 0, 11, 22, 33, 0, 0, 0]);
  const R = new Rng(2).fillUniform(new Float64Array(12), -1, 1);
  const loss = () => { const y = emb.forward(ids); let L = 0; for (let i = 0; i < 12; i++) L += R[i] * y[i] + y[i] * y[i]; return L; };
  const grads = () => { ps.zeroGrad(); const y = emb.forward(ids); const dy = new Float64Array(12); for (let i = 0; i < 12; i++) dy[i] = R[i] + 2 * y[i]; emb.backward(dy); };
  const r = gradCheck(loss, grads, paramTargets(ps));
  assert.ok(r.ok, formatGradCheck(r));
  assert.throws(() => emb.forward([4]), /outside/);
  const frozen = new Embedding({ vocabSize: 4, dim: 3, trainable: false });
  const ps2 = new ParamSet(); frozen.build(ps2); ps2.finalize();
  frozen.setWeights(new Float32Array(12).fill(1));
  frozen.forward([1]); frozen.backward(Float32Array.from([1, 1, 1]));
  assert.ok(ps2.grad.every((v) => v === 0));
});

test('softmax cross-entropy: probabilities, value, ignored rows, gradient check', () => {
  const B = 3, C = 4;
  const logits = new Rng(5).fillUniform(new Float64Array(B * C), -3, 3);
  const targets = Int32Array.from([2, -1, 0]);
  const probs = new Float64Array(B * C);
  const L = softmaxCrossEntropyForward(probs, logits, targets, B, C);
  for (let b = 0; b < B; b++) { let s = 0; for (let j = 0; j < C; j++) s += probs[b * C + j]; assert.ok(Math.abs(s - 1) < 1e-12); }
  const manual = (-Math.log(probs[2]) - Math.log(probs[8])) / 2;
  assert.ok(Math.abs(L - manual) < 1e-12);
  // Stable for huge logits.
  const big = Float64Array.from([1000, 0, -1000, 5]);
  assert.ok(Number.isFinite(softmaxCrossEntropyForward(new Float64Array(4), big, [1], 1, 4)));
  const dl = new Float64Array(B * C);
  const r = gradCheck(() => softmaxCrossEntropyForward(probs, logits, targets, B, C),
    () => { dl.fill(0); softmaxCrossEntropyForward(probs, logits, targets, B, C); softmaxCrossEntropyBackward(dl, probs, targets, B, C); },
    [{ name: 'logits', value: logits, grad: dl }]);
  assert.ok(r.ok, formatGradCheck(r));
  assert.ok(dl.subarray(4, 8).every((v) => v === 0), 'ignored row has no gradient');
  assert.throws(() => softmaxCrossEntropyForward(probs, logits, [4, 0, 0], B, C), /target/);
});

test('MSE: value and gradient check', () => {
  const pred = new Rng(6).fillUniform(new Float64Array(7), -1, 1);
  const target = new Rng(7).fillUniform(new Float64Array(7), -1, 1);
  let s = 0; for (let i = 0; i < 7; i++) s += (pred[i] - target[i]) ** 2;
  assert.ok(Math.abs(mseForward(pred, target, 7) - s / 7) < 1e-15);
  const d = new Float64Array(7);
  const r = gradCheck(() => mseForward(pred, target, 7), () => { d.fill(0); mseBackward(d, pred, target, 7); }, [{ name: 'pred', value: pred, grad: d }]);
  assert.ok(r.ok, formatGradCheck(r));
});

test('Dropout: seeded, inverted scaling, backward uses the same mask, identity at inference', () => {
  const n = 20000, rate = 0.3;
  const x = new Float32Array(n).fill(1);
  const dr = new Dropout({ rate });
  const y = dr.forward(Float32Array.from(x), n, true, new Rng(1));
  let zeros = 0, sum = 0;
  for (let i = 0; i < n; i++) { if (y[i] === 0) zeros++; else assert.ok(Math.abs(y[i] - 1 / 0.7) < 1e-6); sum += y[i]; }
  assert.ok(Math.abs(zeros / n - rate) < 0.02, `drop fraction ${zeros / n}`);
  assert.ok(Math.abs(sum / n - 1) < 0.03, `mean ${sum / n}`);
  const dy = dr.backward(new Float32Array(n).fill(2));
  for (let i = 0; i < n; i++) assert.equal(dy[i], y[i] * 2);
  const y2 = new Dropout({ rate }).forward(Float32Array.from(x), n, true, new Rng(1));
  assert.deepEqual(Array.from(y2), Array.from(y));
  const z = Float32Array.from(x);
  assert.equal(dr.forward(z, n, false, null), z);
  assert.ok(z.every((v) => v === 1));
  assert.throws(() => new Dropout({ rate: 1 }), /rate/);
});

test('usage example (src/nn/index.ts): embedding → biLSTM → dense → softmax CE learns a toy task', () => {
  // Label = 1 iff token 1 occurs in the sequence; variable lengths, time-major ids with −1 padding.
  const V = 6, E = 8, N = 8, C = 2, T = 6, B = 16;
  const ps = new ParamSet();
  const emb = new Embedding({ vocabSize: V, dim: E, name: 'emb' }).build(ps);
  const rnn = new SequenceModel({ cell: 'lstm', inputSize: E, hiddenSize: N, bidirectional: true, name: 'enc' }).build(ps);
  const out = new Dense({ inputSize: rnn.outputSize, outputSize: C, name: 'out' }).build(ps);
  ps.finalize();
  const rng = new Rng(42);
  emb.initialize(rng); rnn.initialize(rng); out.initialize(rng);
  const data = new Rng(7);
  const batch = () => {
    const ids = new Int32Array(T * B).fill(-1), lengths = new Int32Array(B), labels = new Int32Array(B);
    for (let b = 0; b < B; b++) {
      lengths[b] = 2 + data.int(T - 1);
      for (let t = 0; t < lengths[b]; t++) { ids[t * B + b] = 2 + data.int(V - 2); }
      if (data.next() < 0.5) { ids[data.int(lengths[b]) * B + b] = 1; labels[b] = 1; }
    }
    return { ids, lengths, labels };
  };
  const probs = new Float32Array(B * C), dlogits = new Float32Array(B * C);
  const dlast = new Float32Array(B * rnn.outputSize), dx = new Float32Array(T * B * E);
  const losses: number[] = [];
  for (let step = 0; step < 300; step++) {
    const { ids, lengths, labels } = batch();
    ps.zeroGrad();
    const x = emb.forward(ids);
    const { last } = rnn.forward(x, T, B, lengths);
    const logits = out.forward(last, B);
    losses.push(softmaxCrossEntropyForward(probs, logits, labels, B, C));
    dlogits.fill(0); dlast.fill(0); dx.fill(0);
    softmaxCrossEntropyBackward(dlogits, probs, labels, B, C);
    out.backward(dlogits, dlast);
    rnn.backward(null, dlast, dx);
    emb.backward(dx);
    for (let i = 0; i < ps.data.length; i++) ps.data[i] -= 0.5 * ps.grad[i]; // plain SGD
  }
  const first = losses.slice(0, 20).reduce((a, b) => a + b) / 20, lastL = losses.slice(-20).reduce((a, b) => a + b) / 20;
  assert.ok(first > 0.6, `initial loss ${first}`);
  assert.ok(lastL < 0.2, `loss ${first} → ${lastL}`);
});
