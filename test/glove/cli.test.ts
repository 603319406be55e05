// `wordloom glove` and `wordloom glove ratios` end to end (child processes): output file in GloVe text
// format, --json summary, no silent overwrite, flag errors, temporary files removed on error and on
// Ctrl-C (SIGINT).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, readdirSync, readFileSync, writeFileSync, mkdirSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadVectors } from '../../src/embeddings/index.ts';

const dir = mkdtempSync(join(tmpdir(), 'wl-glove-cli-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));
const corpus = 'data/corpus/lee_background.txt.gz';
const cli = (args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { encoding: 'utf8' });

test('glove trains, writes GloVe text vectors and a --json summary; refuses to overwrite', () => {
  const out = join(dir, 'vec.txt');
  const tmp = join(dir, 'tmp1'); mkdirSync(tmp);
  const args = ['glove', '--train', corpus, '--output', out, '--vector-size', '12', '--window-size', '5', '--x-max', '10', '--iter', '3', '--min-count', '5', '--temp-dir', tmp, '--json'];
  const r = cli(args);
  assert.equal(r.status, 0, r.stderr);
  const j = JSON.parse(r.stdout);
  assert.equal(j.iterations, 3);
  assert.equal(j.costs.length, 3);
  assert.ok(j.costs[2] < j.costs[0]);
  assert.equal(j.format, 'glove');
  assert.ok(j.stats.nonZeros > 1000);
  const first = readFileSync(out, 'utf8').split('\n')[0].split(' ');
  assert.equal(first.length, 13); // word + 12 numbers, no header line (GloVe format)
  const v = loadVectors(out);
  assert.equal(v.dim, 12);
  assert.equal(v.size, j.words);
  assert.deepEqual(readdirSync(tmp), []);
  const again = cli(args);
  assert.equal(again.status, 2);
  assert.match(again.stderr, /refusing to overwrite/);
});

test('bad flags and missing files are errors naming the flag/file', () => {
  const a = cli(['glove', '--train', corpus, '--output', join(dir, 'x.txt'), '--x-max', 'abc']);
  assert.notEqual(a.status, 0);
  assert.match(a.stderr, /--x-max/);
  const b = cli(['glove', '--train', join(dir, 'nope.txt'), '--output', join(dir, 'x.txt')]);
  assert.equal(b.status, 2);
  assert.match(b.stderr, /nope\.txt/);
  const c = cli(['glove', '--output', join(dir, 'x.txt')]);
  assert.equal(c.status, 2);
  assert.match(c.stderr, /--train/);
});

test('temporary files are removed when the run fails', () => {
  const tmp = join(dir, 'tmp2'); mkdirSync(tmp);
  const bogus = join(dir, 'bogus.ckpt');
  writeFileSync(bogus, 'not a checkpoint');
  const r = cli(['glove', '--train', corpus, '--output', join(dir, 'y.txt'), '--vector-size', '8', '--iter', '2', '--resume', bogus, '--temp-dir', tmp]);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /not a wordloom GloVe checkpoint/);
  assert.deepEqual(readdirSync(tmp), []);
});

test('Ctrl-C (SIGINT) removes the temporary files', { timeout: 90000 }, async () => {
  const tmp = join(dir, 'tmp3'); mkdirSync(tmp);
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'glove', '--train', 'data/corpus/imdb_unsup.txt.gz',
    '--output', join(dir, 'z.txt'), '--temp-dir', tmp, '--quiet'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => { stderr += d; });
  const exited = new Promise<number | null>((res) => child.on('exit', (code) => res(code)));
  // Wait until the run has created its temp dir and started writing into it.
  const t0 = Date.now();
  for (;;) {
    const subs = readdirSync(tmp);
    if (subs.length && readdirSync(join(tmp, subs[0])).length) break;
    if (Date.now() - t0 > 60000) { child.kill('SIGKILL'); assert.fail('temp dir never appeared'); }
    await new Promise((r) => setTimeout(r, 50));
  }
  child.kill('SIGINT');
  const code = await exited;
  assert.equal(code, 130, stderr);
  assert.match(stderr, /interrupted/);
  assert.deepEqual(readdirSync(tmp), []);
});

test('Ctrl-C during training (1 thread, main-thread kernel) also removes the temporary files', { timeout: 90000 }, async () => {
  const tmp = join(dir, 'tmp4'); mkdirSync(tmp);
  const ckpt = join(dir, 'sig.ckpt');
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'glove', '--train', corpus, '--output', join(dir, 'w.txt'),
    '--vector-size', '50', '--iter', '100000', '--checkpoint-every', '1', '--checkpoint', ckpt, '--temp-dir', tmp, '--quiet'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => { stderr += d; });
  const exited = new Promise<number | null>((res) => child.on('exit', (code) => res(code)));
  const t0 = Date.now();
  while (!existsSync(ckpt)) { // the first checkpoint: training has started
    if (Date.now() - t0 > 60000) { child.kill('SIGKILL'); assert.fail('no checkpoint appeared'); }
    await new Promise((r) => setTimeout(r, 50));
  }
  assert.ok(readdirSync(tmp).length > 0);
  child.kill('SIGINT');
  assert.equal(await exited, 130, stderr);
  assert.deepEqual(readdirSync(tmp), []);
});

test('glove ratios prints P(k|i) and the ratio (text and --json)', () => {
  const p = join(dir, 'ice.txt');
  writeFileSync(p, 'ice is solid water\nsteam is gas water\nice water\n');
  const r = cli(['glove', 'ratios', '--corpus', p, '--probe', 'ice,steam', '--context', 'solid,gas,water', '--window-size', '3', '--json']);
  assert.equal(r.status, 0, r.stderr);
  const j = JSON.parse(r.stdout);
  // ice: line 1 contexts is(1), solid(1/2), water(1/3); line 3 water(1) → X_ice = 1 + 1/2 + 1/3 + 1
  assert.ok(Math.abs(j.rowSums[0] - (1 + 1 / 2 + 1 / 3 + 1)) < 1e-12);
  assert.ok(Math.abs(j.p[0][0] - (1 / 2) / j.rowSums[0]) < 1e-12);
  assert.equal(j.p[0][1], 0);
  assert.equal(j.ratio[1], 0);
  const t = cli(['glove', 'ratios', '--corpus', p, '--window-size', '3']);
  assert.equal(t.status, 0, t.stderr);
  assert.match(t.stdout, /P\(k\|ice\)\/P\(k\|steam\)/);
});
