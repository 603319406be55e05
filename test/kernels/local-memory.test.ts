// The non-shared-memory fallback (browser pages without cross-origin isolation), forced in a child process
// with WORDLOOM_SHARED_MEMORY=0: the WASM kernels still load and agree with the reference; threads stay at 1.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';

function run(env: Record<string, string>) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'test/fixtures/kernels/local-memory-check.ts'], {
    encoding: 'utf8', env: { ...process.env, ...env },
  });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout) as { backend: string; shared: boolean; inHeap: boolean; threads: number; err: number };
}

test('non-shared WASM memory fallback works (no threads)', () => {
  const o = run({ WORDLOOM_SHARED_MEMORY: '0' });
  assert.equal(o.backend, 'wasm-relaxed-simd');
  assert.equal(o.shared, false);
  assert.equal(o.inHeap, true);
  assert.equal(o.threads, 1);
  assert.ok(o.err < 1e-5, `max error ${o.err}`);
});

test('shared WASM memory by default', () => {
  const o = run({});
  assert.equal(o.shared, true);
  assert.equal(o.threads, 2);
  assert.ok(o.err < 1e-5, `max error ${o.err}`);
});
