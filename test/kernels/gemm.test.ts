// SGEMM of every WASM backend against the reference: all transposes, odd and block-crossing sizes,
// alpha/beta, leading dimensions wider than the rows, views at odd offsets in the heap, Float32Arrays
// outside the heap (copied through scratch), and the Float64 fallback.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { availableKernels, getKernels, referenceKernels, inHeap, type KernelBackend } from '../../src/kernels/index.ts';
import { Rng } from '../../src/util/rng.ts';

const wasmNames = availableKernels().filter((n) => n.startsWith('wasm'));

test('WASM backends are available here (Node 20 has WebAssembly SIMD)', () => {
  assert.ok(wasmNames.includes('wasm-simd'), `available: ${availableKernels().join(', ')}`);
});

interface Case { tA: boolean; tB: boolean; M: number; N: number; K: number; alpha: number; beta: number; padA: number; padB: number; padC: number; off: number; heap: boolean }

/** Runs one case on `b` and on the reference; asserts |C − Cref| ≤ (K+4)·1.2e-7·(|alpha|·|A||B| + |beta||C0|). */
function check(b: KernelBackend, c: Case, rng: Rng): void {
  const { tA, tB, M, N, K, alpha, beta, padA, padB, padC, off } = c;
  const aRows = tA ? K : M, aCols = tA ? M : K, bRows = tB ? N : K, bCols = tB ? K : N;
  const lda = aCols + padA, ldb = bCols + padB, ldc = N + padC;
  const mk = (n: number): Float32Array => {
    const buf = c.heap ? b.alloc(n + off) : new Float32Array(n + off);
    rng.fillUniform(buf, -1, 1);
    return buf.subarray(off);
  };
  const A = mk(Math.max(1, aRows * lda)), B = mk(Math.max(1, bRows * ldb)), C = mk(M * ldc);
  if (beta === 0) for (let i = 0; i < C.length; i += 3) C[i] = NaN; // must not propagate when beta = 0
  const C0 = Float32Array.from(C);
  const ref = Float32Array.from(C0);
  referenceKernels.sgemm(tA, tB, M, N, K, alpha, A, lda, B, ldb, beta, ref, ldc);
  // Error bound from the same product on absolute values.
  const absA = A.map(Math.abs), absB = B.map(Math.abs);
  const bound = C0.map((v) => (beta === 0 ? 0 : Math.abs(beta * v)));
  referenceKernels.sgemm(tA, tB, M, N, K, Math.abs(alpha), absA, lda, absB, ldb, 1, bound, ldc);
  b.sgemm(tA, tB, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc);
  for (let i = 0; i < M; i++) {
    for (let j = 0; j < ldc; j++) {
      const k = i * ldc + j;
      if (j >= N) { assert.ok(Object.is(C[k], C0[k]), `${b.name} wrote padding C[${i},${j}] (${JSON.stringify(c)})`); continue; }
      const tol = (K + 4) * 1.2e-7 * bound[k] + 1e-30;
      if (!(Math.abs(C[k] - ref[k]) <= tol)) {
        assert.fail(`${b.name} ${JSON.stringify(c)}: C[${i},${j}] = ${C[k]}, reference ${ref[k]} (tol ${tol})`);
      }
    }
  }
  if (c.heap) { b.free(A); b.free(B); b.free(C); }
}

const EDGE = [1, 5, 7, 13, 63, 65];

for (const name of wasmNames) {
  test(`${name}: sgemm equals the reference for odd edge sizes (and 2–4 rows: few-row path) and all four layouts`, () => {
    const b = getKernels(name);
    const rng = new Rng(11);
    for (const tA of [false, true]) for (const tB of [false, true]) {
      for (const M of [...EDGE, 2, 3, 4]) for (const N of EDGE) for (const K of EDGE) {
        check(b, { tA, tB, M, N, K, alpha: 1, beta: 0, padA: 0, padB: 0, padC: 0, off: 0, heap: true }, rng);
      }
    }
  });

  test(`${name}: sgemm alpha/beta, wide leading dimensions, odd offsets, non-heap arrays`, () => {
    const b = getKernels(name);
    const rng = new Rng(12);
    const ab: Array<[number, number]> = [[1, 0], [1, 1], [-0.5, 0.3], [0, 0.7], [0, 0], [2, 0], [1.5, -1]];
    let n = 0;
    for (const tA of [false, true]) for (const tB of [false, true]) for (const [alpha, beta] of ab) {
      for (const [M, N, K] of [[7, 13, 5], [13, 17, 31], [6, 8, 4], [1, 9, 33], [3, 37, 19], [12, 1, 3]]) {
        for (const heap of [true, false]) {
          const off = [0, 1, 3, 5][n % 4];
          const pad = [0, 1, 3, 7][(n >> 1) % 4];
          check(b, { tA, tB, M, N, K, alpha, beta, padA: pad, padB: (pad * 3) % 5, padC: (pad + 2) % 4, off, heap }, rng);
          n++;
        }
      }
    }
  });

  test(`${name}: sgemm across block boundaries (M > MC, K > KC, N > NC) and training shapes`, () => {
    const b = getKernels(name);
    const rng = new Rng(13);
    const shapes: Array<[number, number, number]> = [[100, 2053, 300], [97, 40, 513], [64, 228, 512]];
    for (const [M, N, K] of shapes) {
      for (const tA of [false, true]) for (const tB of [false, true]) {
        if (M * N * K > 2e7 && (tA || tB)) continue; // keep the test fast: one layout for the largest shape
        check(b, { tA, tB, M, N, K, alpha: 0.75, beta: 1, padA: 2, padB: 1, padC: 3, off: 1, heap: true }, rng);
      }
    }
  });

  test(`${name}: sgemm row counts around the tile heights (MR-tall tiles, a 4-wide last panel, scratch edge tiles)`, () => {
    // MR is 6 (relaxed build) or 5 (plain SIMD build); a last row panel of ≤ 4 rows runs the 4×8 kernel.
    const b = getKernels(name);
    const rng = new Rng(15);
    const ab: Array<[number, number]> = [[1, 0], [1, 1], [0.75, 1], [-1.25, 0], [2, 0.5]];
    let n = 0;
    for (const M of [4, 5, 6, 8, 9, 10, 11, 12, 16, 17, 64, 65, 66]) for (const tA of [false, true]) for (const tB of [false, true]) {
      const [alpha, beta] = ab[n++ % ab.length];
      check(b, { tA, tB, M, N: n % 3 === 0 ? 19 : 24, K: n % 2 ? 300 : 37, alpha, beta, padA: n % 3, padB: 0, padC: n % 2, off: 0, heap: true }, rng);
    }
  });

  test(`${name}: sgemm with Float64 arrays runs the reference (float64 gradient checks)`, () => {
    const b = getKernels(name);
    const rng = new Rng(14);
    const M = 5, N = 7, K = 9;
    const A = rng.fillUniform(new Float64Array(M * K), -1, 1), B = rng.fillUniform(new Float64Array(K * N), -1, 1);
    const C = rng.fillUniform(new Float64Array(M * N), -1, 1), ref = Float64Array.from(C);
    b.sgemm(false, false, M, N, K, 0.3, A, K, B, N, 0.5, C, N);
    referenceKernels.sgemm(false, false, M, N, K, 0.3, A, K, B, N, 0.5, ref, N);
    assert.deepEqual(C, ref); // bit-identical: same code path, float64 precision
    // float64 results carry more precision than float32 could.
    assert.ok(C.some((v) => Math.fround(v) !== v));
  });

  test(`${name}: sgemm validates leading dimensions and array lengths`, () => {
    const b = getKernels(name);
    const A = b.alloc(12), B = b.alloc(12), C = b.alloc(9);
    assert.throws(() => b.sgemm(false, false, 3, 3, 4, 1, A, 3, B, 3, 0, C, 3), RangeError);
    assert.throws(() => b.sgemm(false, false, 3, 3, 4, 1, A, 4, B, 3, 0, C.subarray(1), 3), RangeError);
    assert.ok(inHeap(A) && inHeap(C.subarray(1)));
  });
}
