// Runs the test suite with node's built-in test runner (prints pass/fail counts).
// Usage: node scripts/run-tests.mjs [filter...]   — filters match test file paths.
// Test files are TypeScript (test/**/*.test.ts), loaded through tsx.
import { readdirSync, statSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

function walk(dir, out = []) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else if (name.endsWith('.test.ts')) out.push(p);
  }
  return out;
}
if (!existsSync('src/kernels/wasm/generated/binaries.ts')) {
  const r = spawnSync('npm', ['run', 'build:wasm'], { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
const filters = process.argv.slice(2);
let files = walk('test').sort();
if (filters.length) files = files.filter((f) => filters.some((s) => f.includes(s)));
if (!files.length) { console.error('no test files matched'); process.exit(1); }
const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=1', ...files], { stdio: 'inherit' });
process.exit(r.status ?? 1);
