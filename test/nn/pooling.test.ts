// Pooling over valid steps (masked mean, masked max, additive attention): float64 gradient checks over the inputs
// and the attention parameters, padding never contributes, attention weights are a distribution over valid steps.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ParamSet } from '../../src/nn/params.ts';
import { gradCheck, paramTargets, formatGradCheck } from '../../src/nn/gradcheck.ts';
import { meanPoolForward, meanPoolBackward, maxPoolForward, maxPoolBackward, AttentionPooling } from '../../src/nn/pooling.ts';
import { Rng } from '../../src/util/rng.ts';
import { WordloomError } from '../../src/util/errors.ts';

const T = 5, B = 3, D = 4;
const lengths = Int32Array.from([5, 2, 3]);

function setup(seed: number): { x: Float64Array; dx: Float64Array; R: Float64Array } {
  const rng = new Rng(seed);
  const x = new Float64Array(T * B * D), R = new Float64Array(B * D);
  rng.fillUniform(x, -1, 1); rng.fillUniform(R, -1, 1);
  return { x, dx: new Float64Array(T * B * D), R };
}

/** L = Σ R⊙z + ½ Σ z²  (a loss whose gradient dz = R + z is not constant). */
const lossOf = (z: ArrayLike<number>, R: Float64Array) => { let L = 0; for (let i = 0; i < B * D; i++) L += R[i] * z[i] + 0.5 * z[i] * z[i]; return L; };
const dzOf = (z: ArrayLike<number>, R: Float64Array) => Float64Array.from(R, (r, i) => r + z[i]);

/** Gradient w.r.t. padded positions must be exactly zero. */
function assertNoPadGrad(dx: Float64Array): void {
  for (let t = 0; t < T; t++) for (let b = 0; b < B; b++) {
    if (t < lengths[b]) continue;
    for (let j = 0; j < D; j++) assert.equal(dx[(t * B + b) * D + j], 0, `padded (t=${t}, b=${b}) got a gradient`);
  }
}

test('masked mean pooling: value, float64 gradient check, padding ignored', () => {
  const { x, dx, R } = setup(1);
  const z = new Float64Array(B * D);
  meanPoolForward(z, x, T, B, D, lengths);
  let s = 0;
  for (let t = 0; t < 2; t++) s += x[(t * B + 1) * D + 2];
  assert.ok(Math.abs(z[1 * D + 2] - s / 2) < 1e-12);
  const loss = () => { meanPoolForward(z, x, T, B, D, lengths); return lossOf(z, R); };
  const grads = () => { dx.fill(0); meanPoolForward(z, x, T, B, D, lengths); meanPoolBackward(dx, dzOf(z, R), T, B, D, lengths); };
  const r = gradCheck(loss, grads, [{ name: 'x', value: x, grad: dx }]);
  assert.ok(r.ok, formatGradCheck(r));
  grads(); assertNoPadGrad(dx);
});

test('masked max pooling: value, float64 gradient check, padding ignored even when larger', () => {
  const { x, dx, R } = setup(2);
  // Padded steps hold the largest values: they must not win.
  for (let t = 0; t < T; t++) for (let b = 0; b < B; b++) if (t >= lengths[b]) for (let j = 0; j < D; j++) x[(t * B + b) * D + j] = 10;
  const z = new Float64Array(B * D), am = new Int32Array(B * D);
  maxPoolForward(z, am, x, T, B, D, lengths);
  for (let b = 0; b < B; b++) for (let j = 0; j < D; j++) {
    let m = -Infinity;
    for (let t = 0; t < lengths[b]; t++) m = Math.max(m, x[(t * B + b) * D + j]);
    assert.equal(z[b * D + j], m);
    assert.ok(am[b * D + j] < lengths[b]);
  }
  const loss = () => { maxPoolForward(z, am, x, T, B, D, lengths); return lossOf(z, R); };
  const grads = () => { dx.fill(0); maxPoolForward(z, am, x, T, B, D, lengths); maxPoolBackward(dx, dzOf(z, R), am, B, D); };
  const r = gradCheck(loss, grads, [{ name: 'x', value: x, grad: dx }], { eps: 1e-7 });
  assert.ok(r.ok, formatGradCheck(r));
  grads(); assertNoPadGrad(dx);
});

test('attention pooling: float64 gradient check over W, b, v and x; weights sum to 1 over valid steps', () => {
  const { x, dx, R } = setup(3);
  const att = new AttentionPooling({ inputSize: D, attentionSize: 3 });
  const ps = new ParamSet(); att.build(ps); ps.finalize('float64');
  att.initialize(new Rng(4));
  new Rng(5).fillUniform(ps.view('attn.b'), -0.5, 0.5);
  const loss = () => lossOf(att.forward(x, T, B, lengths), R);
  const grads = () => {
    ps.zeroGrad(); dx.fill(0);
    const z = att.forward(x, T, B, lengths);
    att.backward(dzOf(z, R), dx);
  };
  const r = gradCheck(loss, grads, [...paramTargets(ps), { name: 'x', value: x, grad: dx }]);
  assert.ok(r.ok, formatGradCheck(r));
  grads(); assertNoPadGrad(dx);
  const z = Float64Array.from(att.forward(x, T, B, lengths));
  const w = att.weights;
  for (let b = 0; b < B; b++) {
    let s = 0;
    const zb = new Float64Array(D);
    for (let t = 0; t < T; t++) {
      const a = w[t * B + b];
      if (t >= lengths[b]) assert.equal(a, 0);
      else assert.ok(a > 0);
      s += a;
      for (let j = 0; j < D; j++) zb[j] += a * x[(t * B + b) * D + j];
    }
    assert.ok(Math.abs(s - 1) < 1e-12, `weights of ${b} sum to ${s}`);
    for (let j = 0; j < D; j++) assert.ok(Math.abs(zb[j] - z[b * D + j]) < 1e-12);
  }
  // Changing a padded input changes nothing.
  x[((T - 1) * B + 1) * D] = 100;
  const z2 = att.forward(x, T, B, lengths);
  for (let i = 0; i < B * D; i++) assert.ok(Math.abs(z2[i] - z[i]) < 1e-12);
});

test('attention pooling: options validated', () => {
  assert.throws(() => new AttentionPooling({ inputSize: 0 }), WordloomError);
  assert.throws(() => new AttentionPooling({ inputSize: 4, attentionSize: 1.5 }), WordloomError);
  const a = new AttentionPooling({ inputSize: 6, attentionSize: 2 });
  assert.equal(a.paramCount(), 6 * 2 + 2 + 2);
});
