// GloVe training: the gradient of the objective against float64 finite differences, the AdaGrad step
// of the kernel against that gradient, loss decreasing, spill-vs-unlimited and checkpoint/resume giving
// identical vectors (one thread), Hogwild threads training, and the seeded shuffle.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gloveAdaGradReference, gloveObjectiveGrad } from '../../src/kernels/glove-reference.ts';
import { trainGloveOnFiles } from '../../src/embeddings/glove/pipeline-node.ts';
import { resolveGloveOptions } from '../../src/embeddings/glove/options.ts';
import { gloveWasmAvailable } from '../../src/embeddings/glove/train-node.ts';
import { allocF32, allocU8, freeHeap, heapPtr, wasmExports } from '../../src/kernels/index.ts';
import type { GloveWasmExports } from '../../src/embeddings/glove/train-kernel-node.ts';
import { Rng } from '../../src/util/rng.ts';
import { WordloomError } from '../../src/util/errors.ts';

const dir = mkdtempSync(join(tmpdir(), 'wl-glove-train-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));
const corpus = 'data/corpus/lee_background.txt.gz';
const small = { vectorSize: 16, windowSize: 5, xMax: 10, minCount: 5 };

function records(n: number, V: number, rng: Rng) {
  const buf = new ArrayBuffer(16 * n);
  const ri = new Uint32Array(buf), rf = new Float32Array(buf);
  for (let k = 0; k < n; k++) {
    ri[4 * k] = rng.int(V); ri[4 * k + 1] = rng.int(V);
    rf[4 * k + 2] = Math.log(1 + 20 * rng.next()); rf[4 * k + 3] = 0.1 + 0.9 * rng.next();
  }
  return { ri, rf };
}

test('gradient of J = Σ f (wᵀw̃ + b + b̃ − log X)² matches float64 finite differences', () => {
  const rng = new Rng(3);
  const V = 4, d = 5, n = 12;
  const { ri, rf } = records(n, V, rng);
  const W = new Float64Array(2 * V * (d + 1));
  rng.fillUniform(W, -0.5, 0.5);
  const grad = new Float64Array(W.length);
  gloveObjectiveGrad(W, d, V, ri, rf, 0, n, grad);
  const h = 1e-6;
  let maxErr = 0;
  for (let p = 0; p < W.length; p++) {
    const keep = W[p];
    W[p] = keep + h; const jp = gloveObjectiveGrad(W, d, V, ri, rf, 0, n, null);
    W[p] = keep - h; const jm = gloveObjectiveGrad(W, d, V, ri, rf, 0, n, null);
    W[p] = keep;
    const num = (jp - jm) / (2 * h);
    maxErr = Math.max(maxErr, Math.abs(num - grad[p]) / Math.max(1, Math.abs(num)));
  }
  assert.ok(maxErr < 1e-7, `max relative error ${maxErr}`);
  assert.ok(grad.some((g) => Math.abs(g) > 1e-3), 'gradient is not trivially zero');
});

test('one AdaGrad step of the kernel is θ − η·(½∂J/∂θ)/√G, then G += (½∂J/∂θ)²', () => {
  const rng = new Rng(5);
  const V = 3, d = 4;
  const { ri, rf } = records(1, V, rng);
  ri[1] = (ri[0] + 1) % V; // distinct word and context rows
  const W = new Float64Array(2 * V * (d + 1));
  rng.fillUniform(W, -0.5, 0.5);
  const G = new Float64Array(W.length);
  rng.fillUniform(G, 1, 2);
  const W0 = W.slice(), G0 = G.slice();
  const grad = new Float64Array(W.length);
  const J = gloveObjectiveGrad(W0, d, V, ri, rf, 0, 1, grad);
  const eta = 0.05;
  const cost = gloveAdaGradReference(W, G, d, V, ri, rf, 0, 1, eta, new Float64Array(2 * d));
  assert.ok(Math.abs(cost - J / 2) < 1e-12);
  for (let p = 0; p < W.length; p++) {
    const g = grad[p] / 2;
    assert.ok(Math.abs(W[p] - (W0[p] - (eta * g) / Math.sqrt(G0[p]))) < 1e-12, `W[${p}]`);
    assert.ok(Math.abs(G[p] - (G0[p] + eta * eta * g * g)) < 1e-12, `G[${p}]`);
  }
});

test('training cost decreases every iteration', async () => {
  const r = await trainGloveOnFiles([corpus], { ...small, iter: 6, seed: 2 }, { tempDir: dir });
  assert.equal(r.costs.length, 6);
  for (let k = 1; k < r.costs.length; k++) assert.ok(r.costs[k] < r.costs[k - 1], `iter ${k + 1}: ${r.costs[k]} ≥ ${r.costs[k - 1]}`);
  assert.ok(r.costs[5] < 0.7 * r.costs[0]);
  assert.equal(r.vectors.length, r.words.length * 16);
  assert.ok(r.vectors.every(Number.isFinite));
});

test('a tiny --memory budget (spilling sorted runs, small shuffle buffers) gives the same vectors as an unlimited one (1 thread)', async () => {
  const a = await trainGloveOnFiles([corpus], { ...small, iter: 3, memory: 4 }, { tempDir: dir });
  const b = await trainGloveOnFiles([corpus], { ...small, iter: 3, memory: 0.00005 }, { tempDir: dir });
  assert.equal(a.stats.runs, 0);
  assert.ok(b.stats.runs > 10, `runs ${b.stats.runs}`);
  assert.deepEqual(b.words, a.words);
  assert.deepEqual(b.costs, a.costs);
  assert.deepEqual(b.vectors, a.vectors);
  // and another seed gives other vectors
  const c = await trainGloveOnFiles([corpus], { ...small, iter: 1, seed: 9 }, { tempDir: dir });
  assert.notDeepEqual(c.vectors, a.vectors);
});

test('checkpoint/resume continues exactly (no cost spike): 2 + 2 iterations = 4 iterations', async () => {
  const ckpt = join(dir, 'run.ckpt');
  const full = await trainGloveOnFiles([corpus], { ...small, iter: 4 }, { tempDir: dir });
  const first = await trainGloveOnFiles([corpus], { ...small, iter: 2 }, { tempDir: dir, checkpointEvery: 2, checkpointPath: ckpt });
  assert.ok(existsSync(ckpt));
  const resumed = await trainGloveOnFiles([corpus], { ...small, iter: 4 }, { tempDir: dir, resume: ckpt });
  assert.deepEqual(first.costs, full.costs.slice(0, 2));
  assert.deepEqual(resumed.costs, full.costs);
  assert.ok(resumed.costs[2] < resumed.costs[1]);
  assert.deepEqual(resumed.vectors, full.vectors);
  // A checkpoint from another vocabulary or vector size is refused.
  await assert.rejects(trainGloveOnFiles([corpus], { ...small, minCount: 3, iter: 4 }, { tempDir: dir, resume: ckpt }), /--min-count 5/);
  await assert.rejects(trainGloveOnFiles([corpus], { ...small, vectorSize: 8, iter: 4 }, { tempDir: dir, resume: ckpt }), /--vector-size/);
});

test('Hogwild with 2 worker threads trains (cost decreases, finite vectors, temp dir cleaned)', async () => {
  const r = await trainGloveOnFiles([corpus], { ...small, iter: 3, threads: 2 }, { tempDir: dir });
  assert.ok(r.costs[2] < r.costs[0]);
  assert.ok(r.vectors.every(Number.isFinite));
});

test('model 1 = W, model 2 = W + W̃; options are validated with the flag name', async () => {
  const m1 = await trainGloveOnFiles([corpus], { ...small, iter: 1, model: 1 }, { tempDir: dir });
  const m2 = await trainGloveOnFiles([corpus], { ...small, iter: 1, model: 2 }, { tempDir: dir });
  const { W, V, d } = m2.params;
  assert.equal(m1.vectors[d + 1], W[(d + 1) + 1]); // row 1, column 1 (same seed, same params)
  assert.equal(m2.vectors[3], Math.fround(W[3] + W[V * (d + 1) + 3]));
  assert.throws(() => resolveGloveOptions({ xMax: -1 }), (e: Error) => e instanceof WordloomError && /--x-max/.test(e.message));
  assert.throws(() => resolveGloveOptions({ threads: 0 }), /--threads/);
  assert.throws(() => resolveGloveOptions({ memory: 0 }), /--memory/);
});

test('the WASM SIMD kernel matches the reference kernel (d = 13: SIMD body + scalar tail)', { skip: !gloveWasmAvailable() && 'no WASM here' }, () => {
  const rng = new Rng(11);
  const V = 7, d = 13, n = 500;
  const { ri, rf } = records(n, V, rng);
  const W0 = new Float32Array(2 * V * (d + 1));
  rng.fillUniform(W0, -0.5, 0.5);
  const Wr = W0.slice(), Gr = new Float32Array(W0.length).fill(1);
  const costR = gloveAdaGradReference(Wr, Gr, d, V, ri, rf, 0, n, 0.05, new Float32Array(2 * d));
  const Ww = allocF32(W0.length), Gw = allocF32(W0.length), rec = allocU8(16 * n), tmp = allocF32(2 * d);
  try {
    Ww.set(W0); Gw.fill(1); rec.set(new Uint8Array(ri.buffer));
    const x = wasmExports() as unknown as GloveWasmExports;
    const costW = x.gloveAdaGrad(heapPtr(Ww), heapPtr(Gw), d, V, heapPtr(rec), n, 0.05, heapPtr(tmp));
    assert.ok(Math.abs(costW - costR) < 1e-4 * Math.abs(costR), `${costW} vs ${costR}`);
    let maxW = 0, maxG = 0;
    for (let k = 0; k < W0.length; k++) { maxW = Math.max(maxW, Math.abs(Ww[k] - Wr[k])); maxG = Math.max(maxG, Math.abs(Gw[k] - Gr[k]) / Gr[k]); }
    assert.ok(maxW < 1e-4 && maxG < 1e-4, `max |ΔW| ${maxW}, max rel ΔG ${maxG}`);
    assert.ok(W0.some((v, k) => Math.abs(v - Wr[k]) > 1e-3), 'the pass changed the weights');
  } finally { for (const b of [Ww, Gw, rec, tmp]) freeHeap(b); }
});

test('the reference kernel trains to nearly the same cost as WASM (pipeline, 1 thread)', async () => {
  const r = await trainGloveOnFiles([corpus], { ...small, iter: 2 }, { tempDir: dir, kernel: 'reference' });
  assert.equal(r.kernel, 'reference');
  if (!gloveWasmAvailable()) return;
  const w = await trainGloveOnFiles([corpus], { ...small, iter: 2 }, { tempDir: dir, kernel: 'wasm' });
  assert.equal(w.kernel, 'wasm');
  for (let k = 0; k < 2; k++) assert.ok(Math.abs(w.costs[k] - r.costs[k]) < 1e-3 * r.costs[k], `${w.costs[k]} vs ${r.costs[k]}`);
});
