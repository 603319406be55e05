// `npm run bench`: runs every bench/*.bench.ts one after another (never two at once: 2 shared cores),
// under a lock so no other timed run overlaps. Each bench prints its table with ratios against the peer
// and writes bench/results/<name>.json. Usage: npm run bench [-- <filter>] [-- --quick]
import { readdirSync, mkdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
const args = process.argv.slice(2);
const quick = args.includes('--quick');
const filters = args.filter((a) => !a.startsWith('--'));
mkdirSync('bench/results', { recursive: true });
let files = readdirSync('bench').filter((f) => f.endsWith('.bench.ts')).sort();
if (filters.length) files = files.filter((f) => filters.some((s) => f.includes(s)));
let failed = 0;
for (const f of files) {
  console.log(`\n=== bench/${f} ===`);
  const r = spawnSync('flock', ['/tmp/wordloom-bench.lock', process.execPath, '--import', 'tsx', `bench/${f}`, ...(quick ? ['--quick'] : [])], { stdio: 'inherit' });
  if (r.status !== 0) { failed++; console.error(`bench/${f} failed (exit ${r.status})`); }
}
process.exit(failed ? 1 : 0);
