import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../src/util/rng.ts';

test('same seed gives the same stream; different seeds differ', () => {
  const a = new Rng(42), b = new Rng(42), c = new Rng(43);
  const xs = Array.from({ length: 5 }, () => a.nextU32());
  assert.deepEqual(xs, Array.from({ length: 5 }, () => b.nextU32()));
  assert.notDeepEqual(xs, Array.from({ length: 5 }, () => c.nextU32()));
});

test('uniform mean and normal moments are right', () => {
  const r = new Rng(7);
  let s = 0, s2 = 0, u = 0;
  const n = 200000;
  for (let i = 0; i < n; i++) { const x = r.normal(); s += x; s2 += x * x; u += r.next(); }
  assert.ok(Math.abs(s / n) < 0.01);
  assert.ok(Math.abs(s2 / n - 1) < 0.02);
  assert.ok(Math.abs(u / n - 0.5) < 0.005);
});

test('state save/restore continues the same stream', () => {
  const r = new Rng(3);
  r.next();
  const st = r.getState();
  const x = [r.next(), r.next()];
  r.setState(st);
  assert.deepEqual([r.next(), r.next()], x);
});
