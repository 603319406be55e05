// Row-sparse parameters (ParamSet `sparse`, Embedding `sparse: true`): the touched-row bookkeeping, zeroGrad,
// gradient norm/clipping, and the optimizers' sparse updates — SGD and AdaGrad equal the dense update exactly,
// Adam is lazy Adam matching torch.optim.SparseAdam (fixture from test/fixtures/optim/generate.py).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { ParamSet } from '../../src/nn/params.ts';
import { Embedding } from '../../src/nn/embedding.ts';
import { Dense } from '../../src/nn/dense.ts';
import { SGD, Adam, AdaGrad, RMSProp, createOptimizer, clipGradNorm, gradNorm, type Optimizer } from '../../src/nn/optim.ts';
import { Rng } from '../../src/util/rng.ts';
import { WordloomError } from '../../src/util/errors.ts';

/** An embedding [V][D] followed by a dense layer in the same ParamSet (dense and sparse parts side by side). */
function model(sparse: boolean, precision: 'float32' | 'float64', V = 40, D = 5) {
  const ps = new ParamSet();
  const emb = new Embedding({ vocabSize: V, dim: D, sparse }).build(ps);
  const dense = new Dense({ inputSize: D, outputSize: 2, name: 'out' }).build(ps);
  ps.finalize(precision);
  const rng = new Rng(3);
  emb.initialize(rng);
  dense.initialize(rng);
  return { ps, emb, dense, V, D };
}

/** One training step on a batch of ids (−1 = padding): loss Σ r·dense(emb(ids)) + 0.5·Σ emb². */
function trainStep(m: ReturnType<typeof model>, opt: Optimizer, ids: number[], clip?: number): void {
  const { ps, emb, dense, D } = m;
  ps.zeroGrad();
  const n = ids.length;
  const e = emb.forward(ids, n);
  const y = dense.forward(e, n);
  const dy = y instanceof Float64Array ? new Float64Array(y.length) : new Float32Array(y.length);
  for (let i = 0; i < dy.length; i++) dy[i] = ((i * 5) % 7) / 7 - 0.4;
  const de = e instanceof Float64Array ? new Float64Array(n * D) : new Float32Array(n * D);
  dense.backward(dy, de);
  for (let i = 0; i < n * D; i++) de[i] += e[i];
  emb.backward(de);
  if (clip !== undefined) clipGradNorm(ps, clip);
  opt.step(ps);
}

const batches = (seed: number, V: number): number[][] => {
  const rng = new Rng(seed);
  return Array.from({ length: 12 }, (_, k) => Array.from({ length: 6 + (k % 4) }, (_, i) => (i === 3 && k % 3 === 0 ? -1 : Math.floor(rng.uniform() * V * (k % 2 ? 0.3 : 1)))));
};

for (const precision of ['float32', 'float64'] as const) {
  for (const [name, make] of [
    ['sgd', () => new SGD({ lr: 0.1 })],
    ['adagrad', () => new AdaGrad({ lr: 0.2, initialAccumulator: 0.1 })],
  ] as const) {
    test(`sparse ${name} (${precision}): identical to the dense update (with clipping: to rounding); untouched rows never move`, () => {
      const bs = batches(7, 40);
      for (const clip of [undefined, 0.5]) {
        const a = model(false, precision), b = model(true, precision);
        assert.deepEqual(Array.from(b.ps.data), Array.from(a.ps.data));
        const oa = make(), ob = make();
        for (let k = 0; k < bs.length; k++) {
          trainStep(a, oa, bs[k], clip);
          trainStep(b, ob, bs[k], clip);
          // Without clipping bit for bit; the clipping norm sums in another order (dense runs + touched rows).
          if (clip === undefined) assert.deepEqual(Array.from(b.ps.data), Array.from(a.ps.data), `step ${k}`);
          else for (let i = 0; i < a.ps.data.length; i++) assert.ok(Math.abs(b.ps.data[i] - a.ps.data[i]) <= (precision === 'float32' ? 1e-6 : 1e-14), `step ${k} [${i}]`);
        }
      }
      const b = model(true, precision), ob = make();
      for (const ids of bs) trainStep(b, ob, ids, 0.5);
      const used = new Set(bs.flat());
      const table0 = model(true, precision).ps.view('embedding.table');
      const table = b.ps.view('embedding.table');
      for (let r = 0; r < b.V; r++) if (!used.has(r)) for (let j = 0; j < b.D; j++) assert.equal(table[r * b.D + j], table0[r * b.D + j]);
    });
  }
}

test('sparse Adam equals torch.optim.SparseAdam on a sparse nn.Embedding (float64 trajectory)', () => {
  const fx = JSON.parse(readFileSync('test/fixtures/optim/sparse-adam.json', 'utf8')) as {
    V: number; D: number; table0: number[]; batches: number[][]; R: number[][]; config: { type: 'adam' } & Record<string, number>; trajectory: number[][];
  };
  const ps = new ParamSet();
  const emb = new Embedding({ vocabSize: fx.V, dim: fx.D, sparse: true }).build(ps);
  ps.finalize('float64');
  ps.view('embedding.table').set(fx.table0);
  const opt = createOptimizer(fx.config);
  fx.batches.forEach((ids, t) => {
    ps.zeroGrad();
    const e = emb.forward(ids);
    const de = new Float64Array(e.length);
    ids.forEach((id, i) => { for (let j = 0; j < fx.D; j++) de[i * fx.D + j] = fx.R[id][j] + e[i * fx.D + j]; });
    emb.backward(de);
    opt.step(ps);
    const got = ps.view('embedding.table');
    for (let i = 0; i < got.length; i++) assert.ok(Math.abs(got[i] - fx.trajectory[t][i]) < 1e-12, `step ${t + 1}, value ${i}: ${got[i]} vs ${fx.trajectory[t][i]}`);
  });
});

test('sparse Adam (float32): only touched rows change, their moments follow the lazy rule; dense rows get dense Adam', () => {
  const a = model(false, 'float32'), b = model(true, 'float32');
  const oa = new Adam({ lr: 0.01 }), ob = new Adam({ lr: 0.01 });
  const bs = batches(9, a.V);
  for (const ids of bs) { trainStep(a, oa, ids); trainStep(b, ob, ids); }
  // The dense layer (not sparse) follows dense Adam in both models only while the embeddings agree; after the
  // first step they differ, so compare the first step only.
  const a1 = model(false, 'float32'), b1 = model(true, 'float32');
  const oa1 = new Adam({ lr: 0.01 }), ob1 = new Adam({ lr: 0.01 });
  trainStep(a1, oa1, bs[0]); trainStep(b1, ob1, bs[0]);
  assert.deepEqual(Array.from(b1.ps.view('out.W')), Array.from(a1.ps.view('out.W')));
  const used = new Set(bs.flat());
  const t0 = model(true, 'float32').ps.view('embedding.table'), t = b.ps.view('embedding.table');
  for (let r = 0; r < b.V; r++) for (let j = 0; j < b.D; j++) {
    if (used.has(r)) assert.notEqual(t[r * b.D + j], t0[r * b.D + j]);
    else assert.equal(t[r * b.D + j], t0[r * b.D + j]);
  }
  // Dense Adam moves rows that were touched once and never again; lazy Adam leaves them after their last touch.
  const ta = a.ps.view('embedding.table');
  assert.ok(Array.from(ta).some((v, i) => v !== t[i]));
});

test('sparse bookkeeping: zeroGrad clears only touched rows, norms agree with the dense buffer, errors name the option', () => {
  const m = model(true, 'float64');
  const { ps, emb, D } = m;
  assert.ok(ps.hasSparse && ps.isSparse('embedding.table') && !ps.isSparse('out.W'));
  const e = emb.forward([3, 3, 7, -1]);
  emb.backward(Float64Array.from({ length: e.length }, (_, i) => i + 1));
  assert.deepEqual(Array.from(ps.sparseRows()[0].rows), [3, 7]);
  ps.gradView('out.b').fill(2);
  const dense = Float64Array.from(ps.grad);
  assert.ok(Math.abs(gradNorm(ps) - gradNorm(dense)) < 1e-12);
  const norm = clipGradNorm(ps, 1);
  assert.ok(Math.abs(norm - gradNorm(dense)) < 1e-12);
  assert.ok(Math.abs(gradNorm(ps) - 1) < 1e-5);
  ps.zeroGrad();
  assert.ok(ps.grad.every((v) => v === 0));
  assert.equal(ps.sparseRows()[0].rows.length, 0);
  assert.equal(D, 5);
  emb.forward([1]); emb.backward(new Float64Array(D).fill(1));
  for (const [opt, flag] of [[new SGD({ momentum: 0.9 }), 'momentum'], [new SGD({ weightDecay: 0.1 }), 'weightDecay'],
    [new Adam({ weightDecay: 0.01 }), 'weightDecay'], [new AdaGrad({ weightDecay: 0.01 }), 'weightDecay'], [new RMSProp(), 'sparse']] as const) {
    assert.throws(() => opt.step(ps), (err: unknown) => err instanceof WordloomError && err.flag === flag, `${opt.type} ${flag}`);
  }
  assert.throws(() => ps.touchRows('out.W', [0]), /not a sparse parameter/);
  assert.throws(() => ps.touchRows('embedding.table', [40]), /outside/);
});
