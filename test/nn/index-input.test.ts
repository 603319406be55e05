// Token-id input of the first recurrent layer (IndexInput): a row gather of W forward and a scatter-add into dW
// backward, instead of a dense one-hot matrix × W. Float64 finite-difference gradient checks, and equality with the
// dense one-hot path (oneHot(ids, V, { padZero: true })) on outputs, last states and every parameter gradient, for
// RNN / GRU / LSTM, stacked, bidirectional, masked, with initial states; float32 (WASM kernels) too.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ParamSet } from '../../src/nn/params.ts';
import { LSTM } from '../../src/nn/lstm.ts';
import { gradCheck, paramTargets, formatGradCheck } from '../../src/nn/gradcheck.ts';
import { oneHot } from '../../src/text/encoding.ts';
import { Rng } from '../../src/util/rng.ts';
import { buildSequenceModel as build } from '../helpers/sequence.ts';
import { WordloomError } from '../../src/util/errors.ts';

/** Time-major ids [T][B]: random words 1..V−1, some [PAD] = 0 inside sequences (an all-zero one-hot row), 0 in the padding. */
function makeIds(T: number, B: number, V: number, lengths: readonly number[] | null, seed: number): Int32Array {
  const r = new Rng(seed), ids = new Int32Array(T * B);
  for (let t = 0; t < T; t++) for (let b = 0; b < B; b++) {
    const valid = !lengths || t < lengths[b];
    ids[t * B + b] = valid ? (r.int(5) === 0 ? 0 : 1 + r.int(V - 1)) : 0;
  }
  return ids;
}

const CONFIGS = [
  { layers: 1, bi: false, masked: true },
  { layers: 1, bi: false, masked: false },
  { layers: 2, bi: false, masked: true },
  { layers: 1, bi: true, masked: true },
  { layers: 2, bi: true, masked: true },
  { layers: 2, bi: true, masked: false },
] as const;

for (const cell of ['rnn', 'gru', 'lstm'] as const) {
  for (const { layers, bi, masked } of CONFIGS) {
    const what = `${cell}, ${layers} layer(s), ${bi ? 'bidirectional' : 'unidirectional'}, ${masked ? 'masked' : 'full'}`;

    test(`index input: float64 gradient check (${what})`, () => {
      const T = 4, B = 3, V = 6, N = 2;
      const { m, ps } = build({ cell, inputSize: V, hiddenSize: N, numLayers: layers, bidirectional: bi }, 'float64');
      const D = m.outputSize, lengths = masked ? [4, 1, 3] : null;
      const ids = makeIds(T, B, V, lengths, 3);
      ids[0] = 0; ids[1] = V - 1; // a pad id at t = 0 and the last row of W
      const rng = new Rng(5);
      const R = rng.fillUniform(new Float64Array(T * B * D), -1, 1), R2 = rng.fillUniform(new Float64Array(B * D), -1, 1);
      const loss = () => {
        const { outputs, last } = m.forward({ ids }, T, B, lengths);
        let L = 0;
        for (let i = 0; i < outputs.length; i++) L += R[i] * outputs[i];
        for (let i = 0; i < last.length; i++) L += R2[i] * last[i] + 0.5 * last[i] * last[i];
        return L;
      };
      const grads = () => {
        ps.zeroGrad();
        const { last } = m.forward({ ids }, T, B, lengths);
        const dLast = Float64Array.from(R2);
        for (let i = 0; i < last.length; i++) dLast[i] += last[i];
        m.backward(R, dLast, null);
      };
      const r = gradCheck(loss, grads, paramTargets(ps));
      assert.ok(r.ok, formatGradCheck(r));
      // Rows of W_x for ids never seen (and the pad row) get exactly zero gradient.
      grads();
      const seen = new Set<number>();
      for (let i = 0; i < T * B; i++) if (ids[i] !== 0 && (!lengths || Math.floor(i / B) < lengths[i % B])) seen.add(ids[i]);
      for (const dir of bi ? ['fwd', 'bwd'] : ['fwd']) {
        const gN = ps.get(`seq.l0.${dir}.W_${cell === 'lstm' ? 'ifgo' : cell === 'gru' ? 'zrh' : 'h'}`);
        const dW = ps.gradView(gN), w = dW.length / V;
        for (let v = 0; v < V; v++) if (!seen.has(v)) for (let j = 0; j < w; j++) assert.equal(dW[v * w + j], 0, `row ${v} untouched`);
      }
    });

    test(`index input equals the dense one-hot path: outputs, last, all gradients (${what})`, () => {
      const T = 5, B = 4, V = 9, N = 3;
      const lengths = masked ? [5, 2, 4, 1] : null;
      const ids = makeIds(T, B, V, lengths, 7);
      for (const precision of ['float64', 'float32'] as const) {
        const tol = precision === 'float64' ? 1e-12 : 2e-6;
        const opts = { cell, inputSize: V, hiddenSize: N, numLayers: layers, bidirectional: bi };
        const dense = build(opts, precision, 4), index = build(opts, precision, 4);
        const oh = oneHot(ids, V, { padZero: true });
        const x = precision === 'float64' ? Float64Array.from(oh) : oh;
        const D = dense.m.outputSize, nState = layers * (bi ? 2 : 1) * B * N;
        const rng = new Rng(9);
        const mk = (n: number) => (precision === 'float64' ? rng.fillUniform(new Float64Array(n), -1, 1) : rng.fillUniform(new Float32Array(n), -1, 1));
        const dOut = mk(T * B * D), dLast = mk(B * D), h0 = mk(nState), c0 = cell === 'lstm' ? mk(nState) : null;
        const state = { h0, c0 };
        const a = dense.m.forward(x, T, B, lengths, state);
        const outA = Array.from(a.outputs), lastA = Array.from(a.last);
        const b = index.m.forward({ ids, padId: 0 }, T, B, lengths, state);
        // Forward: the gather is the one-hot GEMM exactly (all other products are exact zeros).
        assert.deepEqual(Array.from(b.outputs), outA);
        assert.deepEqual(Array.from(b.last), lastA);
        const dhA = new Float64Array(nState), dcA = new Float64Array(nState), dhB = new Float64Array(nState), dcB = new Float64Array(nState);
        dense.ps.zeroGrad(); index.ps.zeroGrad();
        dense.m.forward(x, T, B, lengths, state);
        dense.m.backward(dOut, dLast, null, { h0: dhA, c0: c0 ? dcA : null });
        index.m.forward({ ids }, T, B, lengths, state);
        index.m.backward(dOut, dLast, null, { h0: dhB, c0: c0 ? dcB : null });
        for (const s of dense.ps.list()) {
          const ga = dense.ps.gradView(s), gb = index.ps.gradView(s.name);
          let maxAbs = 0;
          for (let i = 0; i < ga.length; i++) maxAbs = Math.max(maxAbs, Math.abs(ga[i]));
          for (let i = 0; i < ga.length; i++) assert.ok(Math.abs(ga[i] - gb[i]) <= tol * Math.max(1, maxAbs), `${precision} ${s.name}[${i}]: ${ga[i]} vs ${gb[i]}`);
        }
        for (let i = 0; i < nState; i++) {
          assert.ok(Math.abs(dhA[i] - dhB[i]) <= tol, `dh0[${i}]`);
          assert.ok(Math.abs(dcA[i] - dcB[i]) <= tol, `dc0[${i}]`);
        }
      }
    });
  }
}

test('index input: dropout between layers, a pad id of −1, a single cell driven directly, batch growth', () => {
  const T = 4, B = 3, V = 7, N = 3, lengths = [4, 2, 3];
  const opts = { cell: 'gru' as const, inputSize: V, hiddenSize: N, numLayers: 2, bidirectional: true, dropout: 0.3 };
  const dense = build(opts, 'float64', 2), index = build(opts, 'float64', 2);
  // padId −1 (the Embedding layer's convention): id 0 is then an ordinary word.
  const ids = makeIds(T, B, V, lengths, 5);
  for (let t = 0; t < T; t++) for (let b = 0; b < B; b++) if (t >= lengths[b]) ids[t * B + b] = -1;
  const x = new Float64Array(T * B * V);
  for (let i = 0; i < T * B; i++) if (ids[i] >= 0) x[i * V + ids[i]] = 1;
  const R = new Rng(3).fillUniform(new Float64Array(T * B * dense.m.outputSize), -1, 1);
  dense.ps.zeroGrad(); index.ps.zeroGrad();
  const a = dense.m.forward(x, T, B, lengths, { training: true, rng: new Rng(8) });
  const b = index.m.forward({ ids, padId: -1 }, T, B, lengths, { training: true, rng: new Rng(8) });
  assert.deepEqual(Array.from(b.outputs), Array.from(a.outputs));
  dense.m.backward(R, null, null); index.m.backward(R, null, null);
  for (let i = 0; i < dense.ps.grad.length; i++) assert.ok(Math.abs(dense.ps.grad[i] - index.ps.grad[i]) < 1e-12, `grad[${i}]`);

  // A cell on its own: LSTM.forward(ws, { ids }) = LSTM.forward(ws, oneHot rows).
  const cell = new LSTM({ inputSize: V, hiddenSize: N });
  const ps = new ParamSet();
  cell.build(ps); ps.finalize('float64'); cell.initialize(new Rng(1));
  const ids2 = makeIds(T, B, V, null, 6);
  const ws1 = cell.createWorkspace(), ws2 = cell.createWorkspace();
  const h1 = cell.forward(ws1, Float64Array.from(oneHot(ids2, V)), T, B);
  const h2 = cell.forward(ws2, { ids: ids2 }, T, B);
  assert.deepEqual(Array.from(h2), Array.from(h1));
  assert.throws(() => cell.backward(ws2, new Float64Array(T * B * N), new Float64Array(T * B * V)), /no input gradient/);

  // Growing T and B (buffers reallocated, reversed ids regrown) still matches the dense path.
  const T2 = 7, B2 = 6, ids3 = makeIds(T2, B2, V, null, 9);
  const x3 = Float64Array.from(oneHot(ids3, V));
  assert.deepEqual(Array.from(index.m.forward({ ids: ids3 }, T2, B2).outputs), Array.from(dense.m.forward(x3, T2, B2).outputs));
});

test('index input: errors name the ids / dx', () => {
  const T = 2, B = 2, V = 5;
  const { m } = build({ cell: 'lstm', inputSize: V, hiddenSize: 2, bidirectional: true }, 'float32');
  const err = (re: RegExp) => (e: unknown) => e instanceof WordloomError && re.test(e.message);
  assert.throws(() => m.forward({ ids: Int32Array.of(1, 2, 5, 0) }, T, B), err(/id 5 at position 2 is outside 0\.\.4/));
  assert.throws(() => m.forward({ ids: Int32Array.of(1, -1, 2, 0) }, T, B), err(/id -1/));
  assert.throws(() => m.forward({ ids: Int32Array.of(1, 2, 3) }, T, B), err(/3 ids, expected T·B = 4/));
  assert.throws(() => m.forward({ ids: [1, 2, 3, 4] as unknown as Int32Array }, T, B), err(/Int32Array/));
  m.forward({ ids: Int32Array.of(1, 2, 3, 0) }, T, B, [2, 1]);
  assert.throws(() => m.backward(null, new Float32Array(B * 4), new Float32Array(T * B * V)), err(/pass dx = null/));
  m.backward(null, new Float32Array(B * 4), null);
});
