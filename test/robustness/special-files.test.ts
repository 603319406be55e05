// Robustness, class 3: atomic writes must not replace what they should not. A device or FIFO is written
// directly (it stays a device / FIFO: `--force` onto /dev/full once turned it into a regular file); a symlink is
// written through (the link stays, its target gets the new content atomically).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { lstatSync, mkdtempSync, readFileSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeFileAtomic } from '../../src/util/fs-node.ts';
import { assertOneLineError, cli } from './helpers.ts';

const dir = mkdtempSync(join(tmpdir(), 'wl-robust-special-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));
const V = 'data/embedding-formats/test_glove.txt';

/** Make a FIFO; false where mkfifo is missing. */
function mkfifo(path: string): boolean {
  return spawnSync('mkfifo', [path]).status === 0;
}

/** A reader of the FIFO (like `cat fifo > out`); resolves with what it read. */
function readFifo(path: string): Promise<string> {
  const child = spawn('cat', [path], { stdio: ['ignore', 'pipe', 'ignore'] });
  let out = '';
  child.stdout.on('data', (d) => { out += d; });
  return new Promise((res) => child.on('close', () => res(out))); // 'close': after stdout is drained ('exit' can come first)
}

test('--force onto a FIFO writes into the FIFO and leaves it a FIFO', { timeout: 60_000 }, async (t) => {
  const fifo = join(dir, 'out.fifo');
  if (!mkfifo(fifo)) { t.skip('no mkfifo'); return; }
  const got = readFifo(fifo);
  const r = cli(['vectors', 'convert', '--vectors', V, '--output', fifo, '--to', 'glove', '--force']);
  assert.equal(r.status, 0, r.stderr);
  assert.ok(lstatSync(fifo).isFIFO(), 'still a FIFO');
  const text = await got;
  assert.match(text, /^the /);
  assert.equal(text.split('\n').filter(Boolean).length, 76);
});

test('a character device is written directly, never replaced by a regular file', (t) => {
  // A private copy of /dev/null and /dev/full (needs CAP_MKNOD, e.g. root): never risk the real ones.
  const nul = join(dir, 'null'), full = join(dir, 'full');
  if (spawnSync('mknod', [nul, 'c', '1', '3']).status !== 0 || spawnSync('mknod', [full, 'c', '1', '7']).status !== 0) { t.skip('cannot mknod here'); return; }
  writeFileAtomic(nul, 'data\n', { overwrite: true });
  assert.ok(lstatSync(nul).isCharacterDevice(), 'still a device');
  const r = cli(['vectors', 'convert', '--vectors', V, '--output', full, '--force']);
  assertOneLineError(r, /no space left/, /--output/);
  assert.ok(lstatSync(full).isCharacterDevice(), '--force onto a full device leaves the device');
  const n = cli(['vectors', 'convert', '--vectors', V, '--output', nul]);
  assert.equal(n.status, 0, n.stderr); // nothing is replaced: no --force needed
  assert.ok(lstatSync(nul).isCharacterDevice());
});

test('--output /dev/stdout writes to the open descriptor (never replaces the file behind it)', () => {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'vectors', 'convert', '--vectors', V, '--output', '/dev/stdout', '--to', 'glove'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout.split('\n').filter((l) => /^\S+( -?\d)/.test(l)).length, 76);
});

test('a symlink is written through: the link stays, the target is replaced atomically; --force is needed', () => {
  const target = join(dir, 'target.txt'), link = join(dir, 'link.txt');
  writeFileSync(target, 'old\n');
  symlinkSync(target, link);
  const no = cli(['vectors', 'convert', '--vectors', V, '--output', link, '--to', 'glove']);
  assertOneLineError(no, /--force/);
  assert.equal(readFileSync(target, 'utf8'), 'old\n');
  const r = cli(['vectors', 'convert', '--vectors', V, '--output', link, '--to', 'glove', '--force']);
  assert.equal(r.status, 0, r.stderr);
  assert.ok(lstatSync(link).isSymbolicLink(), 'the link is still a link');
  assert.equal(readlinkSync(link), target);
  assert.equal(readFileSync(target, 'utf8').split('\n').filter(Boolean).length, 76);
  // A dangling link: its target is created.
  const ghost = join(dir, 'ghost.txt'), dangling = join(dir, 'dangling.txt');
  symlinkSync(ghost, dangling);
  writeFileAtomic(dangling, 'new\n', { overwrite: false });
  assert.ok(lstatSync(dangling).isSymbolicLink());
  assert.equal(readFileSync(ghost, 'utf8'), 'new\n');
});

test('streamed outputs (sentiment predict --output) follow the same rules: a symlink stays, a FIFO stays a FIFO', { timeout: 120_000 }, async (t) => {
  const input = join(dir, 'reviews.jsonl');
  writeFileSync(input, '{"text":"A wonderful, moving film."}\n{"text":"Dull and far too long."}\n');
  const model = 'data/models/review-rnn.wl';
  const target = join(dir, 'pred-target.jsonl'), link = join(dir, 'pred-link.jsonl');
  writeFileSync(target, 'old\n');
  symlinkSync(target, link);
  assertOneLineError(cli(['sentiment', 'predict', '--model', model, '--input', input, '--output', link]), /--force/);
  const r = cli(['sentiment', 'predict', '--model', model, '--input', input, '--output', link, '--force']);
  assert.equal(r.status, 0, r.stderr);
  assert.ok(lstatSync(link).isSymbolicLink(), 'the link is still a link');
  assert.equal(readFileSync(target, 'utf8').split('\n').filter(Boolean).length, 2);
  const fifo = join(dir, 'pred.fifo');
  if (!mkfifo(fifo)) { t.skip('no mkfifo'); return; }
  const got = readFifo(fifo);
  const f = cli(['sentiment', 'predict', '--model', model, '--input', input, '--output', fifo]);
  assert.equal(f.status, 0, f.stderr);
  assert.ok(lstatSync(fifo).isFIFO(), 'still a FIFO');
  const text = await got;
  assert.equal(text.split('\n').filter(Boolean).length, 2, `read: ${JSON.stringify(text)}; stderr: ${f.stderr}`);
});
