// The gradient checker itself must catch wrong gradients (so the layer checks can fail), and the
// initialisers must produce what they promise.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gradCheck } from '../../src/nn/gradcheck.ts';
import { orthogonal, glorotUniform } from '../../src/nn/init.ts';
import { Rng } from '../../src/util/rng.ts';

test('gradCheck accepts a correct gradient and rejects a slightly wrong one', () => {
  const x = Float64Array.from([0.3, -1.2, 2.0]);
  const g = new Float64Array(3);
  const loss = () => Math.sin(x[0]) * x[1] + x[2] ** 3;
  const good = () => { g[0] = Math.cos(x[0]) * x[1]; g[1] = Math.sin(x[0]); g[2] = 3 * x[2] ** 2; };
  const ok = gradCheck(loss, good, [{ name: 'x', value: x, grad: g }]);
  assert.ok(ok.ok && ok.checked === 3 && ok.maxRelError < 1e-8, JSON.stringify(ok));
  const bad = () => { good(); g[2] *= 1.001; };
  const r = gradCheck(loss, bad, [{ name: 'x', value: x, grad: g }]);
  assert.equal(r.ok, false);
  assert.equal(r.failureCount, 1);
  assert.equal(r.failures[0].index, 2);
  assert.deepEqual(Array.from(x), [0.3, -1.2, 2.0], 'values restored');
  const sub = gradCheck(loss, good, [{ name: 'x', value: x, grad: g }], { maxPerTarget: 2 });
  assert.equal(sub.checked, 2);
});

test('orthogonal: tall, square and wide matrices (strided) are (semi-)orthogonal; glorot bounds', () => {
  for (const [rows, cols] of [[7, 3], [5, 5], [3, 8]]) {
    const ld = cols + 2;
    const a = new Float64Array(rows * ld).fill(42);
    orthogonal(new Rng(rows * 10 + cols), a, rows, cols, 1, ld);
    const small = Math.min(rows, cols);
    for (let i = 0; i < small; i++) for (let j = 0; j < small; j++) {
      let s = 0;
      if (rows >= cols) for (let p = 0; p < rows; p++) s += a[p * ld + i] * a[p * ld + j]; // QᵀQ = I
      else for (let p = 0; p < cols; p++) s += a[i * ld + p] * a[j * ld + p];           // QQᵀ = I
      assert.ok(Math.abs(s - (i === j ? 1 : 0)) < 1e-12, `${rows}x${cols} (${i},${j}) = ${s}`);
    }
    for (let i = 0; i < rows; i++) for (let j = cols; j < ld; j++) assert.equal(a[i * ld + j], 42, 'padding untouched');
  }
  const w = new Float32Array(1000);
  glorotUniform(new Rng(1), w, 10, 100, 10, 100);
  const l = Math.sqrt(6 / 110);
  assert.ok(w.every((v) => Math.abs(v) <= l));
  assert.ok(Math.max(...w) > 0.9 * l && Math.min(...w) < -0.9 * l);
});
