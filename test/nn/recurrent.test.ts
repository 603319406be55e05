// Float64 finite-difference gradient checks of the recurrent cells (SimpleRNN, GRU, LSTM), with and without
// padding masks and initial states, plus parameter counts against the closed formulas.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ParamSet } from '../../src/nn/params.ts';
import { LSTM } from '../../src/nn/lstm.ts';
import { GRU } from '../../src/nn/gru.ts';
import { SimpleRNN } from '../../src/nn/rnn.ts';
import type { RecurrentCell } from '../../src/nn/recurrent.ts';
import { cellParamCount, type CellType } from '../../src/nn/param-count.ts';
import { gradCheck, paramTargets, formatGradCheck } from '../../src/nn/gradcheck.ts';
import { Rng } from '../../src/util/rng.ts';
import { WordloomError } from '../../src/util/errors.ts';

function makeCell(cell: CellType, d: number, N: number): RecurrentCell {
  const o = { inputSize: d, hiddenSize: N };
  return cell === 'lstm' ? new LSTM(o) : cell === 'gru' ? new GRU(o) : new SimpleRNN(o);
}

for (const cell of ['rnn', 'gru', 'lstm'] as const) {
  test(`${cell}: paramCount equals the formula`, () => {
    for (const [d, N] of [[1, 1], [3, 5], [100, 128]]) {
      const c = makeCell(cell, d, N);
      assert.equal(c.paramCount(), cellParamCount(cell, d, N));
      const ps = new ParamSet();
      c.build(ps);
      assert.equal(ps.count(), cellParamCount(cell, d, N));
    }
  });

  for (const variant of ['full', 'masked', 'h0', 'masked-h0']) {
    test(`${cell}: float64 gradient check (${variant})`, () => {
      const T = 5, B = 3, d = 4, N = 3;
      const layer = makeCell(cell, d, N);
      const ps = new ParamSet();
      layer.build(ps);
      ps.finalize('float64');
      const rng = new Rng(7);
      layer.initialize(rng);
      // Non-trivial biases so every gate matters.
      for (const s of ps.list()) if (s.name.includes('.b_')) rng.fillUniform(ps.view(s), -0.5, 0.5);
      const x = rng.fillUniform(new Float64Array(T * B * d), -1, 1);
      const dx = new Float64Array(T * B * d);
      const R = rng.fillUniform(new Float64Array(T * B * N), -1, 1);
      const lengths = variant.startsWith('masked') ? [5, 2, 3] : null;
      const h0 = variant.endsWith('h0') ? rng.fillUniform(new Float64Array(B * N), -1, 1) : null;
      const c0 = variant.endsWith('h0') ? rng.fillUniform(new Float64Array(B * N), -1, 1) : null;
      const ws = layer.createWorkspace();
      // Loss = Σ_t R_t ⊙ h_t over every step INCLUDING padded ones (whose states are carried), plus a
      // quadratic term on the final state so the gradient is not linear in h.
      const loss = () => {
        const H = layer.forward(ws, x, T, B, lengths, h0, c0);
        let L = 0;
        for (let i = 0; i < H.length; i++) L += R[i] * H[i];
        const last = ws.last();
        for (let i = 0; i < last.length; i++) L += 0.5 * last[i] * last[i];
        return L;
      };
      const grads = () => {
        ps.zeroGrad(); dx.fill(0);
        loss();
        const dH = Float64Array.from(R);
        const last = ws.last(), off = (T - 1) * B * N;
        for (let i = 0; i < last.length; i++) dH[off + i] += last[i];
        layer.backward(ws, dH, dx);
      };
      loss(); // sizes the workspace (ws.dh0 / ws.dc0 exist from then on)
      const targets = [...paramTargets(ps), { name: 'x', value: x, grad: dx }];
      if (h0) targets.push({ name: 'h0', value: h0, grad: ws.dh0 });
      if (c0 && cell === 'lstm') targets.push({ name: 'c0', value: c0, grad: ws.dc0! });
      const r = gradCheck(loss, grads, targets);
      assert.ok(r.ok, formatGradCheck(r));
      assert.ok(r.checked > 50);
      if (variant.startsWith('masked')) {
        // Padded steps of x get no gradient; states are carried through padding.
        for (let t = 0; t < T; t++) for (let b = 0; b < B; b++) if (t >= lengths![b]) {
          for (let k = 0; k < d; k++) assert.equal(dx[(t * B + b) * d + k], 0);
        }
        const H = layer.forward(ws, x, T, B, lengths, h0, c0);
        for (let j = 0; j < N; j++) assert.equal(H[(4 * B + 1) * N + j], H[(1 * B + 1) * N + j]);
      }
    });
  }

  test(`${cell}: backward accumulates (+=) into gradients`, () => {
    const T = 3, B = 2, d = 2, N = 2;
    const layer = makeCell(cell, d, N);
    const ps = new ParamSet(); layer.build(ps); ps.finalize('float64');
    layer.initialize(new Rng(3));
    const x = new Rng(4).fillUniform(new Float64Array(T * B * d), -1, 1);
    const dH = new Rng(5).fillUniform(new Float64Array(T * B * N), -1, 1);
    const ws = layer.createWorkspace();
    layer.forward(ws, x, T, B);
    layer.backward(ws, dH, null);
    const once = Float64Array.from(ps.grad);
    layer.backward(ws, dH, null);
    for (let i = 0; i < once.length; i++) assert.ok(Math.abs(ps.grad[i] - 2 * once[i]) < 1e-12);
    assert.ok(once.some((v) => v !== 0));
  });
}

test('LSTM: forget bias initialised to 1 (gate order i,f,g,o), config round-trips through JSON', () => {
  const l = new LSTM({ inputSize: 3, hiddenSize: 4, name: 'enc' });
  const ps = new ParamSet(); l.build(ps); ps.finalize();
  l.initialize(new Rng(1));
  const b = ps.view('enc.b_ifgo');
  assert.deepEqual(Array.from(b), [0, 0, 0, 0, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0]);
  const l2 = LSTM.fromConfig(JSON.parse(JSON.stringify(l.getConfig())));
  assert.deepEqual(l2.getConfig(), l.getConfig());
  assert.deepEqual(ps.manifest().map((m) => m.name), ['enc.W_ifgo', 'enc.U_ifgo', 'enc.b_ifgo']);
});

test('recurrent initialisation: U gate blocks orthogonal, seeded', () => {
  const g = new GRU({ inputSize: 5, hiddenSize: 6 });
  const ps = new ParamSet(); g.build(ps); ps.finalize('float64');
  g.initialize(new Rng(9));
  const U = ps.view('gru.U_zrh'), N = 6;
  for (let k = 0; k < 3; k++) for (let i = 0; i < N; i++) for (let j = 0; j < N; j++) {
    let s = 0;
    for (let p = 0; p < N; p++) s += U[p * 3 * N + k * N + i] * U[p * 3 * N + k * N + j];
    assert.ok(Math.abs(s - (i === j ? 1 : 0)) < 1e-12, `block ${k} columns ${i},${j}: ${s}`);
  }
  const ps2 = new ParamSet(); const g2 = new GRU({ inputSize: 5, hiddenSize: 6 }); g2.build(ps2); ps2.finalize('float64');
  g2.initialize(new Rng(9));
  assert.deepEqual(Array.from(ps2.data), Array.from(ps.data));
});

test('recurrent options are validated with WordloomError naming the option', () => {
  assert.throws(() => new LSTM({ inputSize: 0, hiddenSize: 3 }), (e: unknown) => e instanceof WordloomError && /inputSize/.test(e.message));
  assert.throws(() => new GRU({ inputSize: 2, hiddenSize: 1.5 }), (e: unknown) => e instanceof WordloomError && /hiddenSize/.test(e.message));
  assert.throws(() => new LSTM({ inputSize: 2, hiddenSize: 2, forgetBias: NaN }), /forgetBias/);
  const l = new SimpleRNN({ inputSize: 2, hiddenSize: 2 });
  const ps = new ParamSet(); l.build(ps); ps.finalize();
  const ws = l.createWorkspace();
  assert.throws(() => l.forward(ws, new Float32Array(12), 3, 2, [3, 4]), /lengths/);
  assert.throws(() => l.forward(ws, new Float32Array(5), 3, 2), /input/);
});
