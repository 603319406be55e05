// Element-wise kernels of every WASM backend against the reference: dot, axpy, scale, sigmoid, tanh and
// their backward passes, addBias, biasBackward — many lengths (SIMD bodies and scalar tails), heap views
// at odd offsets, non-heap arrays, aliasing out = x, Float64 fallback, and every interface method present.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { availableKernels, getKernels, referenceKernels, type KernelBackend } from '../../src/kernels/index.ts';
import { Rng } from '../../src/util/rng.ts';

const wasmNames = availableKernels().filter((n) => n.startsWith('wasm'));
const LENGTHS = [1, 2, 3, 4, 5, 7, 8, 13, 15, 16, 17, 31, 63, 65, 100, 1027];

function close(got: ArrayLike<number>, want: ArrayLike<number>, tol: (i: number) => number, what: string): void {
  assert.equal(got.length, want.length, `${what}: length`);
  for (let i = 0; i < want.length; i++) {
    if (Number.isNaN(want[i])) { assert.ok(Number.isNaN(got[i]), `${what}[${i}]: expected NaN, got ${got[i]}`); continue; }
    const d = Math.abs(got[i] - want[i]);
    if (!(d <= tol(i))) assert.fail(`${what}[${i}] = ${got[i]}, reference ${want[i]} (|diff| ${d} > ${tol(i)})`);
  }
}

/** An input array: a heap view at an odd offset, or a plain Float32Array. */
function arr(b: KernelBackend, n: number, heap: boolean, off: number, fill: (i: number) => number): Float32Array {
  const a = heap ? b.alloc(n + off).subarray(off) : new Float32Array(n + off).subarray(off);
  for (let i = 0; i < n; i++) a[i] = fill(i);
  return a;
}

for (const name of wasmNames) {
  const b = getKernels(name);

  test(`${name}: every KernelBackend method of the reference exists (fallback for unported ones)`, () => {
    for (const k of Object.keys(referenceKernels)) assert.equal(typeof (b as unknown as Record<string, unknown>)[k], typeof (referenceKernels as unknown as Record<string, unknown>)[k], k);
  });

  test(`${name}: dot, axpy, scale`, () => {
    const rng = new Rng(21);
    for (const n of LENGTHS) for (const heap of [true, false]) {
      const off = n % 3;
      const x = arr(b, n, heap, off, () => rng.uniform(-2, 2)), y = arr(b, n, !heap || n % 2 === 0, off + 1, () => rng.uniform(-2, 2));
      let absSum = 0;
      for (let i = 0; i < n; i++) absSum += Math.abs(x[i] * y[i]);
      const d = b.dot(n, x, y), r = referenceKernels.dot(n, x, y);
      assert.ok(Math.abs(d - r) <= (n + 2) * 1.2e-7 * absSum, `dot n=${n}: ${d} vs ${r}`);
      const y1 = Float32Array.from(y), y2 = Float32Array.from(y);
      b.axpy(n, -0.3, x, y); referenceKernels.axpy(n, -0.3, x, y2);
      close(y, y2, (i) => 3e-7 * (Math.abs(y1[i]) + 0.3 * Math.abs(x[i])), `axpy n=${n}`);
      const x2 = Float32Array.from(x);
      b.scale(n, 1.7, x); referenceKernels.scale(n, 1.7, x2);
      close(x, x2, (i) => 2e-7 * Math.abs(x2[i]), `scale n=${n}`);
    }
    // Only the first n elements are touched.
    const y = b.alloc(10).fill(1), x = b.alloc(10).fill(2);
    b.axpy(5, 1, x, y); b.scale(3, 0, x);
    assert.deepEqual([...y], [3, 3, 3, 3, 3, 1, 1, 1, 1, 1]);
    assert.deepEqual([...x], [0, 0, 0, 2, 2, 2, 2, 2, 2, 2]);
  });

  test(`${name}: sigmoid and tanh match Math.exp / Math.tanh (≤ 1e-6 relative), including extremes and NaN`, () => {
    const rng = new Rng(22);
    const special = [0, -0, 1e-8, -1e-8, 1e-3, 0.5, -0.5, 1, -1, 5, -5, 7.9, -7.9, 8, 9, 12, -12, 20, -20, 40, -40, 87, -87, 88, -88, 89, -89, 100, -100, 1e30, -1e30, Infinity, -Infinity, NaN];
    for (const n of [...LENGTHS, special.length]) for (const heap of [true, false]) {
      const src = n === special.length ? (i: number) => special[i] : () => rng.uniform(-12, 12);
      const x = arr(b, n, heap, n % 4, src);
      const xs = Float32Array.from(x);
      for (const f of ['sigmoid', 'tanh'] as const) {
        const out = arr(b, n, heap, 1, () => 0), want = new Float32Array(n);
        b[f](n, x, out); referenceKernels[f](n, xs, want);
        close(out, want, (i) => 1e-6 * Math.abs(want[i]) + 1e-30, `${f} n=${n}`);
        assert.deepEqual(x, xs, `${f} must not modify x`);
        // In place (out aliases x).
        const inplace = arr(b, n, heap, 2, (i) => xs[i]);
        b[f](n, inplace, inplace);
        assert.deepEqual(inplace, out, `${f} in place`);
      }
    }
  });

  test(`${name}: sigmoidBackward and tanhBackward accumulate into dx`, () => {
    const rng = new Rng(23);
    for (const n of LENGTHS) for (const heap of [true, false]) {
      const y = arr(b, n, heap, 1, () => rng.uniform(-1, 1)), dy = arr(b, n, heap, 2, () => rng.uniform(-3, 3));
      for (const f of ['sigmoidBackward', 'tanhBackward'] as const) {
        const dx = arr(b, n, heap, 3, () => rng.uniform(-1, 1)), dx0 = Float32Array.from(dx), want = Float32Array.from(dx);
        b[f](n, y, dy, dx); referenceKernels[f](n, y, dy, want);
        close(dx, want, (i) => 4e-7 * (Math.abs(dx0[i]) + 2 * Math.abs(dy[i])), `${f} n=${n}`);
      }
    }
  });

  test(`${name}: addBias and biasBackward`, () => {
    const rng = new Rng(24);
    for (const rows of [1, 3, 8]) for (const n of [1, 3, 4, 5, 17, 64, 65]) for (const heap of [true, false]) {
      const bias = arr(b, n, heap, 1, () => rng.uniform(-1, 1));
      const X = arr(b, rows * n, heap, 3, () => rng.uniform(-1, 1)), want = Float32Array.from(X);
      b.addBias(rows, n, bias, X); referenceKernels.addBias(rows, n, bias, want);
      assert.deepEqual(X, want, `addBias ${rows}×${n}`); // one float32 add per element: exact
      const db = arr(b, n, heap, 2, () => rng.uniform(-1, 1)), wantDb = Float32Array.from(db);
      b.biasBackward(rows, n, X, db); referenceKernels.biasBackward(rows, n, X, wantDb);
      close(db, wantDb, () => 1e-6 * (rows + 1), `biasBackward ${rows}×${n}`);
    }
  });

  test(`${name}: Float64 arguments run the reference`, () => {
    const rng = new Rng(25);
    const n = 9;
    const x = rng.fillUniform(new Float64Array(n), -3, 3), y = rng.fillUniform(new Float64Array(n), -3, 3);
    assert.equal(b.dot(n, x, y), referenceKernels.dot(n, x, y));
    for (const f of ['sigmoid', 'tanh'] as const) {
      const o1 = new Float64Array(n), o2 = new Float64Array(n);
      b[f](n, x, o1); referenceKernels[f](n, x, o2);
      assert.deepEqual(o1, o2);
    }
    const y1 = Float64Array.from(y), y2 = Float64Array.from(y);
    b.axpy(n, 0.1, x, y1); referenceKernels.axpy(n, 0.1, x, y2);
    assert.deepEqual(y1, y2);
    const X1 = rng.fillUniform(new Float64Array(3 * n), -1, 1), X2 = Float64Array.from(X1);
    b.addBias(3, n, x, X1); referenceKernels.addBias(3, n, x, X2);
    assert.deepEqual(X1, X2);
    // Mixed: a float32 x with a float64 out also takes the reference path.
    const xf = Float32Array.from(x), o1 = new Float64Array(n), o2 = new Float64Array(n);
    b.tanh(n, xf, o1); referenceKernels.tanh(n, xf, o2);
    assert.deepEqual(o1, o2);
  });
}
