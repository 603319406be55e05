// The sequence runner: float64 gradient checks of stacked / bidirectional / masked models for every cell,
// padding semantics (zero outputs, carried states, padded inputs irrelevant), and per-sequence equivalence.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ParamSet } from '../../src/nn/params.ts';
import { SequenceModel } from '../../src/nn/sequence.ts';
import { cellParamCount } from '../../src/nn/param-count.ts';
import { gradCheck, paramTargets, formatGradCheck } from '../../src/nn/gradcheck.ts';
import { Rng } from '../../src/util/rng.ts';
import { buildSequenceModel as build } from '../helpers/sequence.ts';

for (const cell of ['rnn', 'gru', 'lstm'] as const) {
  for (const [layers, bi, masked] of [[1, false, true], [2, false, true], [2, false, false], [1, true, true], [2, true, true], [2, true, false]] as const) {
    test(`sequence ${cell}: gradient check, ${layers} layer(s), ${bi ? 'bidirectional' : 'unidirectional'}, ${masked ? 'masked' : 'full'}`, () => {
      const T = 4, B = 3, d = 3, N = 2;
      const { m, ps } = build({ cell, inputSize: d, hiddenSize: N, numLayers: layers, bidirectional: bi });
      const D = m.outputSize;
      assert.equal(D, bi ? 2 * N : N);
      assert.equal(m.paramCount(), ps.count());
      let expect = 0;
      for (let k = 0; k < layers; k++) expect += (bi ? 2 : 1) * cellParamCount(cell, k === 0 ? d : D, N);
      assert.equal(m.paramCount(), expect);
      const rng = new Rng(5);
      const x = rng.fillUniform(new Float64Array(T * B * d), -1, 1);
      const dx = new Float64Array(T * B * d);
      const R = rng.fillUniform(new Float64Array(T * B * D), -1, 1);
      const R2 = rng.fillUniform(new Float64Array(B * D), -1, 1);
      const lengths = masked ? [4, 1, 3] : null;
      const loss = () => {
        const { outputs, last } = m.forward(x, T, B, lengths);
        let L = 0;
        for (let i = 0; i < outputs.length; i++) L += R[i] * outputs[i];
        for (let i = 0; i < last.length; i++) L += R2[i] * last[i] + 0.5 * last[i] * last[i];
        return L;
      };
      const grads = () => {
        ps.zeroGrad(); dx.fill(0);
        const { last } = m.forward(x, T, B, lengths);
        const dLast = Float64Array.from(R2);
        for (let i = 0; i < last.length; i++) dLast[i] += last[i];
        m.backward(R, dLast, dx);
      };
      const r = gradCheck(loss, grads, [...paramTargets(ps), { name: 'x', value: x, grad: dx }]);
      assert.ok(r.ok, formatGradCheck(r));
      if (masked) {
        const { outputs } = m.forward(x, T, B, lengths);
        for (let t = 0; t < T; t++) for (let b = 0; b < B; b++) for (let j = 0; j < D; j++) {
          if (t >= lengths![b]) {
            assert.equal(outputs[(t * B + b) * D + j], 0, 'padded outputs are zero');
            if (j < d) assert.equal(dx[(t * B + b) * d + j], 0, 'padded inputs get no gradient');
          }
        }
      }
    });
  }

  test(`sequence ${cell}: padded batch equals each sequence run alone; last = fwd at L−1 and bwd at 0`, () => {
    const T = 6, B = 3, d = 3, N = 4;
    const { m } = build({ cell, inputSize: d, hiddenSize: N, numLayers: 2, bidirectional: true });
    const D = m.outputSize;
    const lengths = [6, 2, 4];
    const rng = new Rng(21);
    const x = rng.fillUniform(new Float64Array(T * B * d), -1, 1);
    // Garbage in the padding must not matter.
    const x2 = Float64Array.from(x);
    for (let t = 0; t < T; t++) for (let b = 0; b < B; b++) if (t >= lengths[b]) for (let k = 0; k < d; k++) x2[(t * B + b) * d + k] = 100 * (k + 1);
    const a = m.forward(x, T, B, lengths);
    const outA = Float64Array.from(a.outputs), lastA = Float64Array.from(a.last);
    const b2 = m.forward(x2, T, B, lengths);
    assert.deepEqual(Array.from(b2.outputs), Array.from(outA));
    assert.deepEqual(Array.from(b2.last), Array.from(lastA));
    for (let b = 0; b < B; b++) {
      const L = lengths[b];
      const xs = new Float64Array(L * d);
      for (let t = 0; t < L; t++) for (let k = 0; k < d; k++) xs[t * d + k] = x[(t * B + b) * d + k];
      const s = m.forward(xs, L, 1, null);
      for (let t = 0; t < L; t++) for (let j = 0; j < D; j++) {
        assert.ok(Math.abs(s.outputs[t * D + j] - outA[(t * B + b) * D + j]) < 1e-12, `seq ${b} t ${t} j ${j}`);
      }
      for (let j = 0; j < D; j++) assert.ok(Math.abs(s.last[j] - lastA[b * D + j]) < 1e-12);
      // last = [fwd output at L−1 | bwd output at 0]
      for (let j = 0; j < N; j++) {
        assert.equal(lastA[b * D + j], outA[((L - 1) * B + b) * D + j]);
        assert.equal(lastA[b * D + N + j], outA[(0 * B + b) * D + N + j]);
      }
    }
  });
}

test('sequence model: float32 matches float64, same seed ⇒ same result, config round-trips', () => {
  const T = 7, B = 4, d = 5, N = 6;
  const opts = { cell: 'lstm' as const, inputSize: d, hiddenSize: N, numLayers: 2, bidirectional: true, name: 'enc' };
  const f32 = build(opts, 'float32', 3), f64 = build(opts, 'float64', 3);
  assert.deepEqual(Array.from(f32.ps.data).slice(0, 50), Array.from(new Float32Array(f64.ps.data.slice(0, 50))));
  const x64 = new Rng(8).fillUniform(new Float64Array(T * B * d), -1, 1);
  const o32 = f32.m.forward(Float32Array.from(x64), T, B, [7, 3, 5, 1]).outputs;
  const o64 = f64.m.forward(x64, T, B, [7, 3, 5, 1]).outputs;
  for (let i = 0; i < o64.length; i++) assert.ok(Math.abs(o32[i] - o64[i]) < 1e-5);
  const again = build(opts, 'float32', 3);
  assert.deepEqual(Array.from(again.m.forward(Float32Array.from(x64), T, B, [7, 3, 5, 1]).outputs), Array.from(o32));
  const cfg = JSON.parse(JSON.stringify(f32.m.getConfig()));
  assert.deepEqual(SequenceModel.fromConfig(cfg).getConfig(), f32.m.getConfig());
  assert.equal(f32.ps.list()[0].name, 'enc.l0.fwd.W_ifgo');
  assert.throws(() => new SequenceModel({ ...opts, numLayers: 0 }), /numLayers/);
  assert.throws(() => new SequenceModel({ ...opts, cell: 'xyz' as 'lstm' }), /cell/);
});

test('wordloom params builds the real layer (paramCount agrees with the formula) and keeps its output format', async () => {
  const { spawnSync } = await import('node:child_process');
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'params', '--cell', 'gru', '--input', '3', '--hidden', '5', '--json'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout), { cell: 'gru', input: 3, hidden: 5, params: 135, formula: '3(N·d + N² + N)' });
});

test('sequence model: inter-layer dropout (seeded) is gradient-checked, inactive at inference; dispose/regrow', () => {
  const T = 4, B = 3, d = 3, N = 3, L = 3;
  const { m, ps } = build({ cell: 'gru', inputSize: d, hiddenSize: N, numLayers: L, bidirectional: true, dropout: 0.4 });
  const ref = build({ cell: 'gru', inputSize: d, hiddenSize: N, numLayers: L, bidirectional: true });
  ref.ps.data.set(ps.data);
  const D = m.outputSize, lengths = [4, 2, 3];
  const rng = new Rng(4);
  const x = rng.fillUniform(new Float64Array(T * B * d), -1, 1), dx = new Float64Array(T * B * d);
  const R = rng.fillUniform(new Float64Array(T * B * D), -1, 1);
  // Inference: identical to the model without dropout.
  assert.deepEqual(Array.from(m.forward(x, T, B, lengths).outputs), Array.from(ref.m.forward(x, T, B, lengths).outputs));
  // Training: different outputs, same seed ⇒ same masks.
  const train = () => m.forward(x, T, B, lengths, { training: true, rng: new Rng(99) });
  const o1 = Array.from(train().outputs);
  assert.notDeepEqual(o1, Array.from(ref.m.forward(x, T, B, lengths).outputs));
  assert.deepEqual(Array.from(train().outputs), o1);
  const loss = () => { const { outputs } = train(); let s = 0; for (let i = 0; i < outputs.length; i++) s += R[i] * outputs[i]; return s; };
  const grads = () => { ps.zeroGrad(); dx.fill(0); train(); m.backward(R, null, dx); };
  const r = gradCheck(loss, grads, [...paramTargets(ps), { name: 'x', value: x, grad: dx }]);
  assert.ok(r.ok, formatGradCheck(r));
  assert.throws(() => m.forward(x, T, B, lengths, { training: true }), /rng/);
  m.dispose();
  assert.deepEqual(Array.from(train().outputs), o1);
  // Growing T and B reallocates and still agrees with a fresh model.
  const T2 = 9, B2 = 5, x2 = rng.fillUniform(new Float64Array(T2 * B2 * d), -1, 1);
  assert.deepEqual(Array.from(m.forward(x2, T2, B2).outputs), Array.from(ref.m.forward(x2, T2, B2).outputs));
  assert.throws(() => new SequenceModel({ cell: 'lstm', inputSize: 2, hiddenSize: 2, dropout: 1 }), /dropout/);
});

test('sequence model: unidirectional, unpadded, per-step loss only (no-copy paths) — gradient check', () => {
  for (const cell of ['rnn', 'gru', 'lstm'] as const) {
    const T = 5, B = 2, d = 3, N = 3;
    const { m, ps } = build({ cell, inputSize: d, hiddenSize: N, numLayers: 2 });
    const rng = new Rng(31);
    const x = rng.fillUniform(new Float64Array(T * B * d), -1, 1), dx = new Float64Array(T * B * d);
    const R = rng.fillUniform(new Float64Array(T * B * N), -1, 1);
    const loss = () => { const { outputs } = m.forward(x, T, B); let s = 0; for (let i = 0; i < outputs.length; i++) s += R[i] * outputs[i] + 0.25 * outputs[i] ** 2; return s; };
    const grads = () => {
      ps.zeroGrad(); dx.fill(0);
      const { outputs } = m.forward(x, T, B);
      const dOut = Float64Array.from(R, (r, i) => r + 0.5 * outputs[i]);
      m.backward(dOut, null, dx);
    };
    const r = gradCheck(loss, grads, [...paramTargets(ps), { name: 'x', value: x, grad: dx }]);
    assert.ok(r.ok, `${cell}: ${formatGradCheck(r)}`);
  }
});

for (const cell of ['rnn', 'gru', 'lstm'] as const) {
  test(`sequence ${cell}: initial states h0${cell === 'lstm' ? '/c0' : ''} per layer and direction — gradient check of dL/dh0${cell === 'lstm' ? ', dL/dc0' : ''}`, () => {
    const T = 4, B = 3, d = 3, N = 2, layers = 2;
    const { m, ps } = build({ cell, inputSize: d, hiddenSize: N, numLayers: layers, bidirectional: true });
    const D = m.outputSize, S = layers * 2 * B * N;
    const rng = new Rng(41);
    const x = rng.fillUniform(new Float64Array(T * B * d), -1, 1), dx = new Float64Array(T * B * d);
    const h0 = rng.fillUniform(new Float64Array(S), -1, 1), dh0 = new Float64Array(S);
    const c0 = cell === 'lstm' ? rng.fillUniform(new Float64Array(S), -1, 1) : null, dc0 = c0 ? new Float64Array(S) : null;
    const R = rng.fillUniform(new Float64Array(T * B * D), -1, 1), R2 = rng.fillUniform(new Float64Array(B * D), -1, 1);
    const lengths = [4, 1, 3];
    const loss = () => {
      const { outputs, last } = m.forward(x, T, B, lengths, { h0, c0 });
      let L = 0;
      for (let i = 0; i < outputs.length; i++) L += R[i] * outputs[i];
      for (let i = 0; i < last.length; i++) L += R2[i] * last[i] + 0.5 * last[i] * last[i];
      return L;
    };
    const grads = () => {
      ps.zeroGrad(); dx.fill(0); dh0.fill(0); dc0?.fill(0);
      const { last } = m.forward(x, T, B, lengths, { h0, c0 });
      const dLast = Float64Array.from(R2, (r, i) => r + last[i]);
      m.backward(R, dLast, dx, { h0: dh0, c0: dc0 });
    };
    const targets = [...paramTargets(ps), { name: 'x', value: x, grad: dx }, { name: 'h0', value: h0, grad: dh0 }];
    if (c0 && dc0) targets.push({ name: 'c0', value: c0, grad: dc0 });
    const r = gradCheck(loss, grads, targets);
    assert.ok(r.ok, formatGradCheck(r));
    assert.ok(dh0.every((v) => Number.isFinite(v)) && dh0.some((v) => v !== 0));
    // Zeros given as h0 equal no h0 at all (the skipped step-0 products change nothing).
    const zeros = new Float64Array(S);
    assert.deepEqual(Array.from(m.forward(x, T, B, lengths, { h0: zeros, c0: c0 ? zeros : null }).outputs), Array.from(m.forward(x, T, B, lengths).outputs));
    // Errors name the option.
    assert.throws(() => m.forward(x, T, B, lengths, { h0: new Float64Array(S - 1) }), /h0/);
    if (cell !== 'lstm') assert.throws(() => m.forward(x, T, B, lengths, { c0: new Float64Array(S) }), /c0/);
    m.forward(x, T, B, lengths);
    assert.throws(() => m.backward(R, null, null, { h0: dh0 }), /pass h0 to forward/);
  });
}

test('sequence model: float32 (WASM kernels) with initial states matches float64', () => {
  for (const cell of ['gru', 'lstm'] as const) {
    const T = 6, B = 5, d = 4, N = 8, S = 2 * B * N;
    const opts = { cell, inputSize: d, hiddenSize: N, numLayers: 1, bidirectional: true };
    const f32 = build(opts, 'float32', 5), f64 = build(opts, 'float64', 5);
    f64.ps.data.set(f32.ps.data);
    const rng = new Rng(6);
    const x = rng.fillUniform(new Float64Array(T * B * d), -1, 1), h0 = rng.fillUniform(new Float64Array(S), -1, 1);
    const c0 = rng.fillUniform(new Float64Array(S), -1, 1), R = rng.fillUniform(new Float64Array(T * B * 2 * N), -1, 1);
    const lengths = [6, 2, 5, 1, 3];
    const run = (m: SequenceModel, ps: ParamSet, F: Float32ArrayConstructor | Float64ArrayConstructor) => {
      const dh0 = new F(S), dc0 = new F(S);
      const { outputs } = m.forward(F.from(x), T, B, lengths, { h0: F.from(h0), c0: cell === 'lstm' ? F.from(c0) : null });
      const out = Array.from(outputs);
      ps.zeroGrad();
      m.backward(F.from(R), null, null, { h0: dh0, c0: cell === 'lstm' ? dc0 : null });
      return { out, grad: Array.from(ps.grad), dh0: Array.from(dh0), dc0: Array.from(dc0) };
    };
    const a = run(f32.m, f32.ps, Float32Array), b = run(f64.m, f64.ps, Float64Array);
    for (const k of ['out', 'grad', 'dh0', 'dc0'] as const) {
      for (let i = 0; i < b[k].length; i++) assert.ok(Math.abs(a[k][i] - b[k][i]) < 2e-5 * (1 + Math.abs(b[k][i])), `${cell} ${k}[${i}]: ${a[k][i]} vs ${b[k][i]}`);
    }
  }
});
