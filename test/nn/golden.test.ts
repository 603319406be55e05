// Golden tests: our SequenceModel against PyTorch (torch.nn.LSTM / torch.nn.RNN, packed variable-length
// batches, stacked + bidirectional, with and without initial states h0/c0) and against an independent
// Cho et al. 2014 GRU under torch autograd.
// Fixtures and their generator: test/fixtures/golden/ (make_golden.py, run with /usr/bin/python3).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { ParamSet } from '../../src/nn/params.ts';
import { SequenceModel } from '../../src/nn/sequence.ts';
import { GATES, type CellType } from '../../src/nn/param-count.ts';

interface Tensor { shape: number[]; data: number[]; grad: number[] }
interface Fixture {
  cell: CellType; source: string; inputSize: number; hiddenSize: number; T: number; B: number; numLayers: number;
  bidirectional: boolean; lengths: number[]; x: number[]; R: number[]; R2: number[];
  torchParams?: Record<string, Tensor>; choParams?: Record<string, Tensor>;
  loss: number; outputs: number[]; last: number[]; dx: number[];
  /** *_h0 fixtures: initial states [layers·dirs][B][N] and their gradients. */
  h0?: number[]; c0?: number[]; dh0?: number[]; dc0?: number[];
}

const load = (name: string): Fixture => JSON.parse(readFileSync(new URL(`../fixtures/golden/${name}.json`, import.meta.url), 'utf8'));
const TOL = 1e-10;

function close(actual: ArrayLike<number>, expected: ArrayLike<number>, what: string): void {
  assert.equal(actual.length, expected.length, `${what}: length`);
  let worst = 0, at = -1;
  for (let i = 0; i < expected.length; i++) {
    const e = Math.abs(actual[i] - expected[i]);
    if (!(e <= worst)) { worst = e; at = i; }
  }
  assert.ok(worst <= TOL, `${what}: max |diff| ${worst} at ${at} (ours ${actual[at]}, reference ${expected[at]})`);
}

/**
 * PyTorch → wordloom mapping, per layer k and direction (suffix "" or "_reverse"):
 *   ours W [d_in][G·N]  = weight_ih_l{k}ᵀ   (torch [G·N][d_in]; gate blocks in the same order: LSTM i,f,g,o)
 *   ours U [N][G·N]     = weight_hh_l{k}ᵀ
 *   ours b [G·N]        = bias_ih_l{k} + bias_hh_l{k}     (torch has two biases; we have one per gate)
 * Gradients map the same way (dW = grad(weight_ih)ᵀ; db = grad(bias_ih) = grad(bias_hh)).
 */
function transpose(data: ArrayLike<number>, rows: number, cols: number): Float64Array {
  const out = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) out[j * rows + i] = data[i * cols + j];
  return out;
}

function mapTorch(f: Fixture, ps: ParamSet, m: SequenceModel): Map<string, Float64Array> {
  const expectedGrads = new Map<string, Float64Array>();
  const order = f.cell === 'lstm' ? 'ifgo' : 'h';
  const G = GATES[f.cell], N = f.hiddenSize;
  for (let k = 0; k < f.numLayers; k++) {
    const din = k === 0 ? f.inputSize : m.outputSize;
    for (const [dir, suffix] of (f.bidirectional ? [['fwd', ''], ['bwd', '_reverse']] : [['fwd', '']]) as [string, string][]) {
      const p = (n: string) => f.torchParams![`${n}_l${k}${suffix}`];
      const pre = `seq.l${k}.${dir}`;
      const wih = p('weight_ih'), whh = p('weight_hh'), bih = p('bias_ih'), bhh = p('bias_hh');
      assert.deepEqual(wih.shape, [G * N, din]);
      ps.view(`${pre}.W_${order}`).set(transpose(wih.data, G * N, din));
      ps.view(`${pre}.U_${order}`).set(transpose(whh.data, G * N, N));
      ps.view(`${pre}.b_${order}`).set(bih.data.map((v, i) => v + bhh.data[i]));
      expectedGrads.set(`${pre}.W_${order}`, transpose(wih.grad, G * N, din));
      expectedGrads.set(`${pre}.U_${order}`, transpose(whh.grad, G * N, N));
      close(bih.grad, bhh.grad, 'torch bias grads agree');
      expectedGrads.set(`${pre}.b_${order}`, Float64Array.from(bih.grad));
    }
  }
  return expectedGrads;
}

/** Cho GRU reference (math convention W_g [N][d], U_g [N][N]) → ours W [d][3N] = [W_zᵀ|W_rᵀ|W_hᵀ] etc. */
function mapCho(f: Fixture, ps: ParamSet): Map<string, Float64Array> {
  const N = f.hiddenSize, d = f.inputSize, P = f.choParams!;
  const W = new Float64Array(d * 3 * N), U = new Float64Array(N * 3 * N), b = new Float64Array(3 * N);
  const dW = new Float64Array(d * 3 * N), dU = new Float64Array(N * 3 * N), db = new Float64Array(3 * N);
  [...'zrh'].forEach((g, gi) => {
    for (let j = 0; j < N; j++) {
      for (let k = 0; k < d; k++) { W[k * 3 * N + gi * N + j] = P[`W_${g}`].data[j * d + k]; dW[k * 3 * N + gi * N + j] = P[`W_${g}`].grad[j * d + k]; }
      for (let k = 0; k < N; k++) { U[k * 3 * N + gi * N + j] = P[`U_${g}`].data[j * N + k]; dU[k * 3 * N + gi * N + j] = P[`U_${g}`].grad[j * N + k]; }
      b[gi * N + j] = P[`b_${g}`].data[j]; db[gi * N + j] = P[`b_${g}`].grad[j];
    }
  });
  ps.view('seq.l0.fwd.W_zrh').set(W); ps.view('seq.l0.fwd.U_zrh').set(U); ps.view('seq.l0.fwd.b_zrh').set(b);
  return new Map([['seq.l0.fwd.W_zrh', dW], ['seq.l0.fwd.U_zrh', dU], ['seq.l0.fwd.b_zrh', db]]);
}

for (const name of ['lstm', 'lstm_bi2', 'rnn', 'rnn_bi2', 'gru', 'lstm_bi2_h0', 'rnn_bi2_h0', 'gru_h0']) {
  test(`golden ${name}: outputs, last states, loss and all gradients match the reference`, () => {
    const f = load(name);
    const m = new SequenceModel({ cell: f.cell, inputSize: f.inputSize, hiddenSize: f.hiddenSize, numLayers: f.numLayers, bidirectional: f.bidirectional });
    const ps = new ParamSet();
    m.build(ps);
    ps.finalize('float64');
    const expectedGrads = f.torchParams ? mapTorch(f, ps, m) : mapCho(f, ps);
    assert.equal(expectedGrads.size, ps.list().length, 'every parameter is mapped');
    const x = Float64Array.from(f.x);
    const h0 = f.h0 ? Float64Array.from(f.h0) : null, c0 = f.c0 ? Float64Array.from(f.c0) : null;
    const { outputs, last } = m.forward(x, f.T, f.B, f.lengths, { h0, c0 });
    close(outputs, f.outputs, 'outputs');
    close(last, f.last, 'last');
    let L = 0;
    for (let i = 0; i < outputs.length; i++) L += outputs[i] * f.R[i];
    for (let i = 0; i < last.length; i++) L += last[i] * f.R2[i];
    assert.ok(Math.abs(L - f.loss) < TOL, `loss ${L} vs ${f.loss}`);
    ps.zeroGrad();
    const dx = new Float64Array(x.length);
    const dh0 = h0 ? new Float64Array(h0.length) : null, dc0 = c0 ? new Float64Array(c0.length) : null;
    m.backward(Float64Array.from(f.R), Float64Array.from(f.R2), dx, { h0: dh0, c0: dc0 });
    close(dx, f.dx, 'dL/dx');
    if (f.dh0) close(dh0!, f.dh0, 'dL/dh0');
    if (f.dc0) close(dc0!, f.dc0, 'dL/dc0');
    assert.equal(!!f.h0, !!h0);
    for (const [pname, g] of expectedGrads) close(ps.gradView(pname), g, `dL/d${pname}`);
  });
}
