// `wordloom kernels --json`: reports the active backend, relaxed-SIMD support and a self-test whose sgemm
// results agree with the reference (no timing assertions: GFLOP/s only has to be a positive number).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';

test('wordloom kernels --json', () => {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'kernels', '--json', '--seconds', '0.01', '--threads', '2'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const info = JSON.parse(r.stdout);
  assert.equal(info.active, 'wasm-relaxed-simd');
  assert.equal(info.relaxedSimd, true);
  assert.deepEqual(info.available, ['wasm-relaxed-simd', 'wasm-simd', 'reference']);
  assert.equal(info.threads, 1);
  const names = info.selfTest.map((t: { backend: string; threads: number }) => `${t.backend}×${t.threads}`);
  assert.deepEqual(names, ['wasm-relaxed-simd×1', 'wasm-relaxed-simd×2', 'wasm-simd×1', 'wasm-simd×2', 'reference×1']);
  for (const t of info.selfTest) {
    assert.ok(t.gflops > 0);
    assert.ok(t.maxAbsError < 1e-5, `${t.backend}: max error ${t.maxAbsError}`);
  }
});

test('WORDLOOM_KERNELS selects the backend', () => {
  for (const name of ['reference', 'wasm-simd']) {
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'kernels', '--json', '--seconds', '0.01'], {
      encoding: 'utf8', env: { ...process.env, WORDLOOM_KERNELS: name },
    });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(JSON.parse(r.stdout).active, name);
  }
});
