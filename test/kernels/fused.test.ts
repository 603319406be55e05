// The WASM ports of the other areas' kernels (adamStep, LSTM/GRU pointwise cell math, sgemv) against the
// reference implementations: random inputs, odd sizes (SIMD bodies + scalar tails), heap and non-heap arrays,
// and the Float64 path (identical to the reference).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { availableKernels, getKernels, referenceKernels as R, type KernelBackend, type FloatArray } from '../../src/kernels/index.ts';
import { Rng } from '../../src/util/rng.ts';

const wasmNames = availableKernels().filter((n) => n.startsWith('wasm'));
const SIZES: Array<[number, number]> = [[1, 1], [1, 3], [2, 4], [3, 5], [5, 8], [4, 13], [7, 64], [2, 67]];

function mk(b: KernelBackend, n: number, heap: boolean, rng: Rng, lo: number, hi: number): Float32Array {
  const a = heap ? b.alloc(n + 1).subarray(1) : new Float32Array(n);
  for (let i = 0; i < n; i++) a[i] = rng.uniform(lo, hi);
  return a;
}
const copy = (a: Float32Array) => Float32Array.from(a);

function close(got: FloatArray, want: FloatArray, tol: number, what: string): void {
  assert.equal(got.length, want.length);
  for (let i = 0; i < want.length; i++) {
    const d = Math.abs(got[i] - want[i]);
    if (!(d <= tol * (1 + Math.abs(want[i])))) assert.fail(`${what}[${i}] = ${got[i]}, reference ${want[i]}`);
  }
}

for (const name of wasmNames) {
  const b = getKernels(name);

  test(`${name}: lstmCellForward / lstmCellBackward`, () => {
    const rng = new Rng(41);
    for (const [B, H] of SIZES) for (const heap of [true, false]) {
      const n = B * H, what = `B=${B} H=${H} heap=${heap}`;
      const G = mk(b, 4 * n, heap, rng, -6, 6), cPrev = mk(b, n, heap, rng, -2, 2);
      const c = mk(b, n, heap, rng, 0, 0), tc = mk(b, n, heap, rng, 0, 0), h = mk(b, n, heap, rng, 0, 0);
      const G2 = copy(G), c2 = copy(c), tc2 = copy(tc), h2 = copy(h);
      b.lstmCellForward(B, H, G, cPrev, c, tc, h);
      R.lstmCellForward(B, H, G2, cPrev, c2, tc2, h2);
      close(G, G2, 2e-6, `lstm G ${what}`); close(c, c2, 2e-6, `lstm c ${what}`);
      close(tc, tc2, 2e-6, `lstm tc ${what}`); close(h, h2, 2e-6, `lstm h ${what}`);
      const dh = mk(b, n, heap, rng, -1, 1), dc = mk(b, n, heap, rng, -1, 1), dG = mk(b, 4 * n, heap, rng, 5, 5);
      const dc2 = copy(dc), dG2 = copy(dG);
      b.lstmCellBackward(B, H, G2, cPrev, tc2, dh, dc, dG);
      R.lstmCellBackward(B, H, G2, cPrev, tc2, dh, dc2, dG2);
      close(dc, dc2, 2e-6, `lstm dc ${what}`); close(dG, dG2, 2e-6, `lstm dG ${what}`);
    }
  });

  test(`${name}: GRU gates/output forward and backward`, () => {
    const rng = new Rng(42);
    for (const [B, H] of SIZES) for (const heap of [true, false]) {
      const n = B * H, what = `B=${B} H=${H} heap=${heap}`;
      const G = mk(b, 3 * n, heap, rng, -6, 6), hPrev = mk(b, n, heap, rng, -1, 1);
      const rh = mk(b, n, heap, rng, 0, 0), h = mk(b, n, heap, rng, 0, 0);
      const G2 = copy(G), rh2 = copy(rh), h2 = copy(h);
      b.gruGatesForward(B, H, G, hPrev, rh); R.gruGatesForward(B, H, G2, hPrev, rh2);
      close(G, G2, 2e-6, `gru gates G ${what}`); close(rh, rh2, 2e-6, `gru rh ${what}`);
      b.gruOutputForward(B, H, G, hPrev, h); R.gruOutputForward(B, H, G2, hPrev, h2);
      close(G, G2, 2e-6, `gru out G ${what}`); close(h, h2, 2e-6, `gru h ${what}`);
      const dh = mk(b, n, heap, rng, -1, 1), dG = mk(b, 3 * n, heap, rng, 7, 7), dhPrev = mk(b, n, heap, rng, 7, 7);
      const dG2 = copy(dG), dhPrev2 = copy(dhPrev);
      b.gruOutputBackward(B, H, G2, hPrev, dh, dG, dhPrev); R.gruOutputBackward(B, H, G2, hPrev, dh, dG2, dhPrev2);
      close(dG, dG2, 2e-6, `gru out dG ${what}`); close(dhPrev, dhPrev2, 2e-6, `gru out dhPrev ${what}`);
      const drh = mk(b, n, heap, rng, -1, 1);
      b.gruGatesBackward(B, H, G2, hPrev, drh, dG, dhPrev); R.gruGatesBackward(B, H, G2, hPrev, drh, dG2, dhPrev2);
      close(dG, dG2, 2e-6, `gru gates dG ${what}`); close(dhPrev, dhPrev2, 2e-6, `gru gates dhPrev ${what}`);
    }
  });

  test(`${name}: adamStep (Adam and AdamW)`, () => {
    const rng = new Rng(43);
    for (const n of [1, 3, 4, 5, 17, 100, 1027]) for (const [l2, decay] of [[0, 1], [1e-4, 1], [0, 0.999]]) for (const heap of [true, false]) {
      const p = mk(b, n, heap, rng, -1, 1), g = mk(b, n, heap, rng, -1, 1), m = mk(b, n, heap, rng, -0.1, 0.1), v = mk(b, n, heap, rng, 0.01, 1);
      const p2 = copy(p), m2 = copy(m), v2 = copy(v);
      const t = 3, b1 = 0.9, b2 = 0.999, lr = 1e-3;
      b.adamStep(n, p, g, m, v, b1, b2, 1e-8, lr / (1 - b1 ** t), 1 / Math.sqrt(1 - b2 ** t), l2, decay);
      R.adamStep(n, p2, g, m2, v2, b1, b2, 1e-8, lr / (1 - b1 ** t), 1 / Math.sqrt(1 - b2 ** t), l2, decay);
      close(p, p2, 1e-6, `adam p n=${n}`); close(m, m2, 1e-6, `adam m n=${n}`); close(v, v2, 1e-6, `adam v n=${n}`);
    }
  });

  test(`${name}: sgemv (both orientations, alpha/beta, lda > N)`, () => {
    const rng = new Rng(44);
    for (const [M, N] of [[1, 1], [3, 5], [7, 13], [17, 8], [65, 63], [100, 300]]) for (const trans of [false, true]) {
      for (const [alpha, beta] of [[1, 0], [0.5, 1], [-2, 0.25]]) for (const heap of [true, false]) {
        const lda = N + (M % 3);
        const A = mk(b, M * lda, heap, rng, -1, 1), x = mk(b, trans ? M : N, heap, rng, -1, 1);
        const y = mk(b, trans ? N : M, heap, rng, -1, 1);
        if (beta === 0) y.fill(NaN); // overwritten, not propagated
        const want = copy(y);
        b.sgemv(trans, M, N, alpha, A, lda, x, beta, y);
        R.sgemv(trans, M, N, alpha, A, lda, x, beta, want);
        const k = trans ? M : N;
        close(y, want, (k + 4) * 1.2e-7 * Math.abs(alpha) + 1e-6, `sgemv ${M}×${N} trans=${trans} a=${alpha} b=${beta}`);
      }
    }
  });

  test(`${name}: fused kernels with Float64 arrays equal the reference exactly`, () => {
    const rng = new Rng(45);
    const B = 2, H = 5, n = B * H;
    const f64 = (k: number, lo: number, hi: number) => rng.fillUniform(new Float64Array(k), lo, hi) as Float64Array;
    const G = f64(4 * n, -3, 3), cPrev = f64(n, -1, 1), G2 = Float64Array.from(G);
    const o1 = [new Float64Array(n), new Float64Array(n), new Float64Array(n)], o2 = [new Float64Array(n), new Float64Array(n), new Float64Array(n)];
    b.lstmCellForward(B, H, G, cPrev, o1[0], o1[1], o1[2]);
    R.lstmCellForward(B, H, G2, cPrev, o2[0], o2[1], o2[2]);
    assert.deepEqual(G, G2); assert.deepEqual(o1, o2);
    const A = f64(n * 3, -1, 1), x = f64(3, -1, 1), y1 = new Float64Array(n), y2 = new Float64Array(n);
    b.sgemv(false, n, 3, 1, A, 3, x, 0, y1); R.sgemv(false, n, 3, 1, A, 3, x, 0, y2);
    assert.deepEqual(y1, y2);
  });
}
