// Robustness, class 1: file-system errors reach the user as ONE line naming the path and the flag, exit code 2
// (never a Node stack trace); a closed stdout ends the process quietly; the training commands check every
// output location (--output, --save-vocab, --checkpoint, --out, --save, --svg) before the first step.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync, mkdirSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeError, flagForFile } from '../../src/cli/report-error.ts';
import { checkWritable } from '../../src/util/fs-node.ts';
import { WordloomError } from '../../src/util/errors.ts';
import { CLI, assertOneLineError, cli, writeCorpus } from './helpers.ts';

const dir = mkdtempSync(join(tmpdir(), 'wl-robust-fs-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));
const V = 'data/embedding-formats/test_glove.txt';
const corpus = join(dir, 'corpus.txt');
writeCorpus(corpus, 400);
const aFile = join(dir, 'a-file');
writeFileSync(aFile, 'not a folder\n');

test('convert --output into a missing folder, onto a folder, under a file: one line with path and flag, exit 2', () => {
  const missing = join(dir, 'no-such-folder', 'x.txt');
  assertOneLineError(cli(['vectors', 'convert', '--vectors', V, '--output', missing]), /no-such-folder/, /--output/);
  assertOneLineError(cli(['vectors', 'convert', '--vectors', V, '--output', dir, '--force']), new RegExp(dir.replace(/[/.]/g, '\\$&')), /--output/, /directory|folder/);
  assertOneLineError(cli(['vectors', 'convert', '--vectors', V, '--output', join(aFile, 'x.txt'), '--force']), /a-file/, /--output/, /not a directory|ENOTDIR/);
});

test('a full disk (a /dev/full device) is one line naming the path (ENOSPC), exit 2', (t) => {
  // A private copy of /dev/full (needs CAP_MKNOD): never the real one — the code before this suite replaced it
  // with a regular file on --force.
  const full = join(dir, 'full');
  if (spawnSync('mknod', [full, 'c', '1', '7']).status !== 0) { t.skip('cannot mknod here'); return; }
  assertOneLineError(cli(['vectors', 'convert', '--vectors', V, '--output', full, '--force']), /full/, /--output/, /no space left/);
});

test('permission denied is one line naming the path and the flag, exit 2', () => {
  const ro = join(dir, 'read-only');
  mkdirSync(ro, { mode: 0o500 });
  // root ignores folder modes; /sys refuses new files even to root (EACCES) where it exists.
  const target = process.getuid?.() === 0 ? (existsSync('/sys/kernel') ? '/sys/wordloom-probe.txt' : null) : join(ro, 'x.txt');
  if (!target) return;
  assertOneLineError(cli(['vectors', 'convert', '--vectors', V, '--output', target]), /wordloom-probe|read-only/, /--output/, /permission denied|not permitted|read-only/);
});

test('training commands check every output location before the first step', { timeout: 240_000 }, () => {
  const nowhere = join(dir, 'missing', 'f');
  // The corpus would train fine: only the output location is wrong, and it is named before any training.
  assertOneLineError(cli(['word2vec', '--train', corpus, '--output', join(dir, 'v.txt'), '--save-vocab', nowhere, '--size', '8', '--iter', '1', '--quiet']),
    /--save-vocab/, /missing/);
  assert.ok(!existsSync(join(dir, 'v.txt')), 'no output written when another output location is bad');
  assertOneLineError(cli(['word2vec', '--train', corpus, '--output', join(dir, 'v.txt'), '--checkpoint', nowhere, '--size', '8', '--iter', '1', '--quiet']), /--checkpoint/);
  assertOneLineError(cli(['glove', '--train', corpus, '--output', join(dir, 'g.txt'), '--checkpoint-every', '1', '--checkpoint', nowhere, '--quiet']), /--checkpoint/);
  assertOneLineError(cli(['glove', '--train', corpus, '--output', nowhere, '--quiet']), /--output/);
  assertOneLineError(cli(['memory', '--quick', '--save', nowhere]), /--save/);
  assertOneLineError(cli(['memory', 'sweep', '--quick', '--out', nowhere]), /--out/);
  const sd = join(dir, 'sd');
  mkdirSync(sd);
  for (const s of ['train', 'dev', 'test']) writeFileSync(join(sd, `${s}.tsv`), '0\tbad movie\n1\tgood movie\n');
  assertOneLineError(cli(['sentiment', 'train', '--data', sd, '--out', nowhere, '--embeddings', 'random', '--epochs', '1']), /--out/);
  assertOneLineError(cli(['sentiment', 'curve', '--data', sd, '--svg', nowhere, '--embeddings', 'random', '--epochs', '1']), /--svg/);
});

test('a closed stdout (`wordloom vectors neighbors … | head -1`) ends quietly', { timeout: 60_000 }, async () => {
  const words = Array.from({ length: 400 }, () => 'the');
  const child = spawn(process.execPath, [...CLI, 'vectors', 'neighbors', '--vectors', V, '--topn', '70', ...words], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => { stderr += d; });
  child.stdout.once('data', () => child.stdout.destroy()); // read one chunk, then close the pipe: as `head -1`
  const code = await new Promise<number | null>((res) => child.on('exit', (c) => res(c)));
  assert.equal(stderr, '', 'nothing on stderr');
  assert.equal(code, 0);
});

test('describeError: Node fs errors become one line with the path and the flag found on the command line', () => {
  const enoent = Object.assign(new Error("ENOENT: no such file or directory, open 'out/x.txt'"), { code: 'ENOENT', path: 'out/x.txt', syscall: 'open' });
  const d = describeError(enoent, ['vectors', 'convert', '--vectors', 'a.txt', '--output', 'out/x.txt']);
  assert.equal(d.exitCode, 2);
  assert.equal(d.message, 'wordloom: out/x.txt: no such file or directory (ENOENT) (--output)');
  assert.equal(flagForFile('run/model.wl.ckpt', ['sentiment', 'train', '--out=run/model.wl']), '--out');
  assert.equal(flagForFile('elsewhere.txt', ['--out', 'run/model.wl']), undefined);
  const w = describeError(new WordloomError('bad magic', { file: 'm.wl' }), ['--model', 'm.wl']);
  assert.equal(w.message, 'wordloom: m.wl: bad magic (--model)');
  const bug = describeError(new TypeError('x is undefined'), []);
  assert.equal(bug.exitCode, 1);
  assert.doesNotMatch(bug.message, /\n/);
});

test('checkWritable: an existing file needs force; a device passes; a folder, a missing folder and a file as a folder do not', () => {
  assert.throws(() => checkWritable(aFile, '--output'), /--output: refusing to overwrite: exists/);
  checkWritable(aFile, '--output', { force: true });
  checkWritable(join(dir, 'new.txt'), '--output');
  assert.equal(readdirSync(dir).filter((n) => n.startsWith('.wordloom-probe')).length, 0, 'the probe file is removed');
  if (existsSync('/dev/null')) checkWritable('/dev/null', '--output');
  assert.throws(() => checkWritable(dir, '--output', { force: true }), /--output: is a directory/);
  assert.throws(() => checkWritable(join(dir, 'nope', 'x'), '--output'), /--output: folder .* does not exist/);
  assert.throws(() => checkWritable(join(aFile, 'x'), '--output'), /--output: .*ENOTDIR/);
});
