// `wordloom word2vec` end to end: output in every format readable by the vectors API, --json, --save-vocab /
// --read-vocab, and user errors (missing file, empty corpus, invalid UTF-8, bad flags, no silent overwrite).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseVectors } from '../../src/embeddings/formats.ts';

const CORPUS = 'test/fixtures/word2vec/planted.txt';
const dir = mkdtempSync(join(tmpdir(), 'w2v-cli-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));

function run(...args: string[]): { code: number; out: string; err: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'word2vec', ...args], { encoding: 'utf8' });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}
const small = ['--train', CORPUS, '--size', '16', '--min-count', '1', '--iter', '2', '--quiet'];

test('trains, writes binary vectors and the vocabulary, prints a JSON summary', () => {
  const out = join(dir, 'v.bin'), voc = join(dir, 'vocab.txt');
  const r = run(...small, '--output', out, '--binary', '1', '--save-vocab', voc, '--json');
  assert.equal(r.code, 0, r.err);
  const s = JSON.parse(r.out);
  assert.equal(s.vocabSize, 69);
  assert.equal(s.wordsTrained, 2 * s.trainWords);
  assert.equal(s.format, 'word2vec-binary');
  const v = parseVectors(readFileSync(out));
  assert.equal(v.size, 69);
  assert.equal(v.dim, 16);
  assert.equal(readFileSync(voc, 'utf8').trim().split('\n').length, 69);
  // --read-vocab with a vocabulary limited to 10 words
  const voc10 = join(dir, 'vocab10.txt');
  writeFileSync(voc10, readFileSync(voc, 'utf8').split('\n').slice(0, 10).join('\n') + '\n');
  const r2 = run(...small, '--read-vocab', voc10, '--output', join(dir, 'v10.txt'), '--json');
  assert.equal(r2.code, 0, r2.err);
  assert.equal(JSON.parse(r2.out).vocabSize, 10);
  assert.equal(parseVectors(readFileSync(join(dir, 'v10.txt'))).size, 10);
});

test('user errors name the file, line or flag and exit 2 without a stack trace', () => {
  const out = join(dir, 'x.txt');
  const missing = run('--train', join(dir, 'nope.txt'), '--output', out);
  assert.equal(missing.code, 2); assert.match(missing.err, /nope\.txt.*not found/);
  writeFileSync(join(dir, 'empty.txt'), '');
  const empty = run('--train', join(dir, 'empty.txt'), '--output', out);
  assert.equal(empty.code, 2); assert.match(empty.err, /empty\.txt.*no words/);
  writeFileSync(join(dir, 'bad.txt'), Buffer.concat([Buffer.from('good line\nsecond '), Buffer.from([0xff, 0xfe]), Buffer.from(' line\n')]));
  const bad = run('--train', join(dir, 'bad.txt'), '--output', out);
  assert.equal(bad.code, 2); assert.match(bad.err, /bad\.txt:\d+: invalid UTF-8/); // line as reported by src/text/corpus-node.ts
  const both = run(...small, '--softmax', 'full', '--negative', '5', '--output', out);
  assert.equal(both.code, 2); assert.match(both.err, /--softmax/);
  const none = run(...small, '--negative', '0', '--output', out);
  assert.equal(none.code, 2); assert.match(none.err, /--negative.*no objective/);
  const minc = run(...small, '--min-count', '100000', '--output', out);
  assert.equal(minc.code, 2); assert.match(minc.err, /--min-count/);
  const flag = run(...small, '--size', 'abc', '--output', out);
  assert.notEqual(flag.code, 0); assert.match(flag.err, /--size/);
  assert.equal(existsSync(out), false);
  writeFileSync(out, 'keep me');
  const over = run(...small, '--output', out);
  assert.equal(over.code, 2); assert.match(over.err, /exists.*--force/);
  assert.equal(readFileSync(out, 'utf8'), 'keep me');
  assert.equal(run(...small, '--output', out, '--force').code, 0);
  assert.notEqual(readFileSync(out, 'utf8'), 'keep me');
});
