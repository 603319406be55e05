// Optimizers: hand-computed steps, PyTorch trajectories (test/fixtures/optim/generate.py), convergence
// on a quadratic, state export/import (resume == uninterrupted), validation, gradient clipping.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { ParamSet } from '../../src/nn/params.ts';
import { SGD, Adam, AdaGrad, RMSProp, createOptimizer, clipGradNorm, gradNorm, type Optimizer, type OptimizerType } from '../../src/nn/optim.ts';
import { WordloomError } from '../../src/util/errors.ts';
import { Rng } from '../../src/util/rng.ts';

function params(values: number[], precision: 'float32' | 'float64' = 'float64'): ParamSet {
  const ps = new ParamSet();
  ps.add('w', [values.length]);
  ps.finalize(precision);
  ps.view('w').set(values);
  return ps;
}

function close(actual: ArrayLike<number>, expected: ArrayLike<number>, tol: number, what: string): void {
  assert.equal(actual.length, expected.length, what);
  for (let i = 0; i < expected.length; i++) {
    assert.ok(Math.abs(actual[i] - expected[i]) <= tol * (1 + Math.abs(expected[i])), `${what}[${i}]: ${actual[i]} vs ${expected[i]}`);
  }
}

test('SGD: p -= lr·g, with momentum buffer initialised to the first gradient (hand-computed)', () => {
  const ps = params([1, -2]);
  const opt = new SGD({ lr: 0.5, momentum: 0.9 });
  ps.gradView('w').set([0.2, 0.4]);
  opt.step(ps);
  close(ps.view('w'), [1 - 0.5 * 0.2, -2 - 0.5 * 0.4], 1e-12, 'step 1');
  ps.gradView('w').set([0.1, -0.2]);
  opt.step(ps);
  // buf = 0.9·[0.2, 0.4] + [0.1, −0.2] = [0.28, 0.16]
  close(ps.view('w'), [0.9 - 0.5 * 0.28, -2.2 - 0.5 * 0.16], 1e-12, 'step 2');
  assert.equal(opt.stepCount, 2);
});

test('Adam: first step moves every weight by ≈ lr·sign(g) (hand-computed)', () => {
  const ps = params([1, -2, 0.5]);
  const opt = new Adam({ lr: 0.01 });
  ps.gradView('w').set([3, -0.001, 0]);
  opt.step(ps);
  // m̂ = g, v̂ = g² ⇒ Δ = lr·g/(|g| + eps)
  close(ps.view('w'), [1 - 0.01 * 3 / (3 + 1e-8), -2 + 0.01 * 0.001 / (0.001 + 1e-8), 0.5], 1e-12, 'step 1');
});

test('AdaGrad and RMSProp: one hand-computed step', () => {
  const a = params([1]);
  const ada = new AdaGrad({ lr: 0.1, initialAccumulator: 1 });
  a.gradView('w')[0] = 2;
  ada.step(a);
  close(a.view('w'), [1 - 0.1 * 2 / (Math.sqrt(1 + 4) + 1e-10)], 1e-12, 'adagrad');
  const r = params([1]);
  const rms = new RMSProp({ lr: 0.1, rho: 0.9 });
  r.gradView('w')[0] = 2;
  rms.step(r);
  close(r.view('w'), [1 - 0.1 * 2 / (Math.sqrt(0.1 * 4) + 1e-8)], 1e-12, 'rmsprop');
});

interface Fixture { a: number[]; b: number[]; p0: number[]; cases: Array<{ name: string; config: { type: OptimizerType } & Record<string, unknown>; trajectory: number[][] }> }
const fx = JSON.parse(readFileSync('test/fixtures/optim/torch-trajectories.json', 'utf8')) as Fixture;

function quadGrad(ps: ParamSet, a: number[], b: number[]): void {
  const p = ps.view('w'), g = ps.gradView('w');
  for (let i = 0; i < p.length; i++) g[i] = a[i] * p[i] + b[i];
}

for (const c of fx.cases) {
  test(`matches torch.optim trajectory: ${c.name}`, () => {
    const ps = params(fx.p0);
    const opt = createOptimizer(c.config);
    for (let t = 0; t < c.trajectory.length; t++) {
      ps.zeroGrad();
      quadGrad(ps, fx.a, fx.b);
      opt.step(ps);
      close(ps.view('w'), c.trajectory[t], 1e-9, `${c.name} step ${t + 1}`);
    }
  });
}

test('every optimizer converges on an ill-conditioned quadratic (float32)', () => {
  const rng = new Rng(7);
  const n = 20;
  const a = Array.from({ length: n }, (_, i) => 0.5 + 4.5 * i / (n - 1));
  const b = Array.from({ length: n }, () => rng.uniform(-1, 1));
  const opt: Array<[string, () => Optimizer, number]> = [
    ['sgd', () => new SGD({ lr: 0.1 }), 500],
    ['sgd+nesterov', () => new SGD({ lr: 0.05, momentum: 0.9, nesterov: true }), 500],
    ['adam', () => new Adam({ lr: 0.05 }), 1500],
    ['adagrad', () => new AdaGrad({ lr: 0.5 }), 1500],
    ['rmsprop', () => new RMSProp({ lr: 0.01, centered: true, momentum: 0.5 }), 2000],
  ];
  for (const [name, make, steps] of opt) {
    const ps = params(Array.from({ length: n }, () => rng.uniform(-3, 3)), 'float32');
    const o = make();
    for (let s = 0; s < steps; s++) {
      if (s === Math.floor(0.75 * steps)) o.lr /= 10; // lr is mutable (schedules): settle the adaptive methods
      ps.zeroGrad(); quadGrad(ps, a, b); o.step(ps);
    }
    const p = ps.view('w');
    // optimum p* = −b/a
    const err = Math.max(...Array.from(p, (v, i) => Math.abs(v + b[i] / a[i])));
    assert.ok(err < 1e-2, `${name}: max |p − p*| = ${err}`);
  }
});

test('exportState/importState: a resumed run equals an uninterrupted one; config round-trips through JSON', () => {
  for (const cfg of [{ type: 'adam' as const, lr: 0.03 }, { type: 'sgd' as const, lr: 0.1, momentum: 0.8 }, { type: 'adagrad' as const, lr: 0.2 }, { type: 'rmsprop' as const, lr: 0.01, momentum: 0.3, centered: true }]) {
    const a = [1, 2, 0.5], b = [0.1, -0.3, 0.4];
    const full = params([1, 1, 1], 'float32');
    const o1 = createOptimizer(cfg);
    for (let s = 0; s < 10; s++) { full.zeroGrad(); quadGrad(full, a, b); o1.step(full); }

    const part = params([1, 1, 1], 'float32');
    const o2 = createOptimizer(cfg);
    for (let s = 0; s < 4; s++) { part.zeroGrad(); quadGrad(part, a, b); o2.step(part); }
    const st = o2.exportState();
    const o3 = createOptimizer(JSON.parse(JSON.stringify(o2.getConfig())));
    o3.importState(st, part);
    assert.equal(o3.stepCount, 4);
    for (let s = 0; s < 6; s++) { part.zeroGrad(); quadGrad(part, a, b); o3.step(part); }
    assert.deepEqual(Array.from(part.view('w')), Array.from(full.view('w')), cfg.type);
    assert.deepEqual(o3.getConfig(), o1.getConfig());
  }
});

test('importState rejects a wrong type, sizes and missing slots', () => {
  const ps = params([1, 2], 'float32');
  const adam = new Adam();
  ps.gradView('w').set([1, 1]);
  adam.step(ps);
  const st = adam.exportState();
  assert.throws(() => new SGD().importState(st, ps), /is for "adam"/);
  const other = params(new Array(40).fill(0), 'float32');
  assert.throws(() => new Adam().importState(st, other), WordloomError);
  assert.throws(() => new Adam().importState({ ...st, slots: { m: st.slots.m } }, ps), /missing slot "v"/);
});

test('options are validated and named', () => {
  assert.throws(() => new Adam({ lr: -1 }), (e: unknown) => e instanceof WordloomError && /lr/.test(e.message));
  assert.throws(() => new Adam({ beta1: 1 }), /beta1/);
  assert.throws(() => new SGD({ nesterov: true }), /nesterov/);
  assert.throws(() => new RMSProp({ rho: 1.5 }), /rho/);
  assert.throws(() => createOptimizer({ type: 'adam', lrr: 0.1 } as never), /unknown adam option "lrr"/);
  assert.throws(() => createOptimizer({ type: 'lbfgs' } as never), /unknown optimizer/);
});

test('clipGradNorm returns the global norm and rescales only above the threshold', () => {
  const ps = new ParamSet();
  ps.add('a', [2]); ps.add('b', [1]);
  ps.finalize('float64');
  ps.gradView('a').set([3, 0]); ps.gradView('b').set([4]);
  assert.equal(gradNorm(ps.grad), 5);
  assert.equal(clipGradNorm(ps, 10), 5);
  close(ps.gradView('a'), [3, 0], 0, 'unchanged');
  assert.equal(clipGradNorm(ps, 1), 5);
  close(Array.from(ps.grad).filter((x) => x !== 0), [0.6, 0.8], 1e-6, 'clipped');
  assert.ok(Math.abs(gradNorm(ps.grad) - 1) < 1e-6);
  assert.throws(() => clipGradNorm(ps, 0), /maxNorm/);
});
