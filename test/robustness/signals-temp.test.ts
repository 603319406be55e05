// Robustness, class 4: signals and temporary files. Ctrl-C (SIGINT) or SIGTERM during training removes the
// trainer's temporary folder (word2vec's token cache, GloVe's runs) and exits 130 / 143; folders left by a
// killed run (SIGKILL) are removed by the next run, older-style ones reported. Each child gets its own TMPDIR,
// so the assertions see only its folders (and never touch other runs' on a shared machine).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HOST, TempDir, sweepStaleTempDirs } from '../../src/util/temp-node.ts';
import { cli, cliAsync, writeCorpus } from './helpers.ts';

const dir = mkdtempSync(join(tmpdir(), 'wl-robust-sig-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));
const corpus = join(dir, 'corpus.txt');
writeCorpus(corpus, 2000);

const wordloomDirs = (d: string) => readdirSync(d).filter((n) => n.startsWith('wordloom-'));

/** Start a run that trains for minutes, wait for its first training progress line, send `sig`, check the cleanup. */
async function interrupt(args: string[], sig: NodeJS.Signals, progress: RegExp): Promise<void> {
  const tmp = mkdtempSync(join(dir, 'tmp-'));
  const run = cliAsync(args, { TMPDIR: tmp, WORDLOOM_PROGRESS: '1' });
  await run.waitFor(progress);
  assert.equal(wordloomDirs(tmp).length, 1, `the run has its temporary folder: ${readdirSync(tmp)}`);
  run.child.kill(sig);
  const { code } = await run.exited;
  assert.equal(code, sig === 'SIGINT' ? 130 : 143, run.stderr());
  assert.match(run.stderr(), /interrupted/);
  assert.doesNotMatch(run.stderr(), /\n\s+at /);
  assert.deepEqual(wordloomDirs(tmp), [], 'no wordloom-* folder remains');
}

const w2v = (threads: number) => ['word2vec', '--train', corpus, '--output', join(dir, 'v.txt'), '--size', '16', '--iter', '100000', '--threads', String(threads), '--force'];

test('word2vec: Ctrl-C (SIGINT) during training removes the token cache, exit 130', { timeout: 120_000 }, async () => {
  await interrupt(w2v(1), 'SIGINT', /\ntrain: /);
});

test('word2vec with 2 threads: SIGTERM during training removes the token cache, exit 143', { timeout: 120_000 }, async () => {
  await interrupt(w2v(2), 'SIGTERM', /\ntrain: /);
});

test('GloVe: SIGTERM during training removes its temporary folder, exit 143', { timeout: 120_000 }, async () => {
  await interrupt(['glove', '--train', corpus, '--output', join(dir, 'g.txt'), '--vector-size', '16', '--iter', '100000', '--force'], 'SIGTERM', /iter: 001/);
});

test('folders of killed runs are removed by the next run; older-style ones are reported, not touched', { timeout: 120_000 }, () => {
  const tmp = mkdtempSync(join(dir, 'stale-'));
  const dead = spawnSync(process.execPath, ['-e', 'process.exit(0)']).pid!; // a pid whose process is gone
  const stale = join(tmp, `wordloom-w2v-${dead}-${HOST}-AbC123`);
  const legacy = join(tmp, 'wordloom-glove-XyZ789');
  const otherHost = join(tmp, `wordloom-w2v-${dead}-00000000-AbC123`);
  for (const d of [stale, legacy, otherHost]) mkdirSync(d);
  const r = cli(['word2vec', '--train', corpus, '--output', join(dir, 'v2.txt'), '--size', '8', '--iter', '1', '--quiet', '--force'], { TMPDIR: tmp });
  assert.equal(r.status, 0, r.stderr);
  assert.ok(!existsSync(stale), 'the dead run\'s folder is removed');
  assert.match(r.stderr, new RegExp(`removed .*wordloom-w2v-${dead}-`));
  assert.ok(existsSync(legacy), 'an older-style folder is left alone');
  assert.match(r.stderr, /wordloom-glove-XyZ789 looks like temporary files of an interrupted run/);
  assert.ok(existsSync(otherHost), 'a folder of another host is not judged by its pid');
  assert.deepEqual(wordloomDirs(tmp).sort(), ['wordloom-glove-XyZ789', `wordloom-w2v-${dead}-00000000-AbC123`].sort(), 'the run removed its own folder');
});

test('TempDir: named with job, pid and host; a live process\'s folder is never swept', () => {
  const t = new TempDir('test', dir);
  assert.match(t.path, new RegExp(`wordloom-test-${process.pid}-${HOST}-[A-Za-z0-9]{6}$`));
  const lines: string[] = [];
  const s = sweepStaleTempDirs(dir, (l) => lines.push(l));
  assert.deepEqual(s.removed, []);
  assert.ok(existsSync(t.path));
  t.dispose();
  t.dispose(); // idempotent
  assert.ok(!existsSync(t.path));
});
