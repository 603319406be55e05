// Targets from one rating column (polarity / stars10 / stars5), their errors, gzip reading, and the seeded dev split
// of a directory with train + test files but no dev file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { applyTarget, parseRating, ratingToTarget, TARGET_LABELS } from '../../src/text/targets.ts';
import { loadSplits, readLabelledFile } from '../../src/text/datasets-node.ts';
import { readTextFile } from '../../src/util/fs-node.ts';

const ex = (label: string, line: number) => ({ text: `t${line}`, label, file: 'r.jsonl', line });

test('targets: polarity, stars10, stars5 from ratings; label unchanged', () => {
  const xs = [1, 2, 3, 4, 7, 8, 9, 10].map((r, i) => ex(String(r), i + 1));
  assert.deepEqual(applyTarget(xs, 'polarity').map((e) => e.label), ['neg', 'neg', 'neg', 'neg', 'pos', 'pos', 'pos', 'pos']);
  assert.deepEqual(applyTarget(xs, 'stars10').map((e) => e.label), ['1', '2', '3', '4', '7', '8', '9', '10']);
  assert.deepEqual(applyTarget(xs, 'stars5').map((e) => e.label), ['1', '1', '2', '2', '4', '4', '5', '5']);
  assert.deepEqual([5, 6].map((r) => ratingToTarget(r, 'stars5')), ['3', '3']);
  assert.deepEqual(applyTarget([ex('pos', 1)], 'label').map((e) => e.label), ['pos']);
  assert.equal(parseRating('8.0'), 8);
  assert.deepEqual(TARGET_LABELS.stars5, ['1', '2', '3', '4', '5']);
});

test('targets: a 5/6 rating under polarity and a non-rating label are errors naming file, line and column', () => {
  assert.throws(() => applyTarget([ex('8', 1), ex('5', 2)], 'polarity'), /^WordloomError: r\.jsonl:2 --target: rating 5 is neither/);
  assert.throws(() => applyTarget([ex('6', 3)], 'polarity'), /r\.jsonl:3 --target: rating 6/);
  for (const bad of ['pos', '0', '11', '7.5', '', '-3']) {
    assert.throws(() => applyTarget([ex('3', 1), ex(bad, 4)], 'stars5', 'stars'), (e: Error) =>
      e.message.startsWith('r.jsonl:4 --label-column: column "stars" holds') && e.message.includes('integer star rating 1–10'));
  }
});

test('files: gzip is read by magic bytes (any name); strict UTF-8 applies after decompression; corrupt gzip names the file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'wl-gz-'));
  const f = join(dir, 'reviews.jsonl.gz');
  writeFileSync(f, gzipSync(Buffer.from('{"text":"great film","rating":9}\n{"text":"dull","rating":2}\n')));
  assert.deepEqual(readLabelledFile(f, { target: 'polarity' }).map((e) => [e.text, e.label, e.line]), [['great film', 'pos', 1], ['dull', 'neg', 2]]);
  assert.deepEqual(readLabelledFile(f, { target: 'stars5' }).map((e) => e.label), ['5', '1']);
  const noName = join(dir, 'plain-name.txt');
  writeFileSync(noName, gzipSync(Buffer.from('héllo\n')));
  assert.equal(readTextFile(noName), 'héllo\n');
  const bad = join(dir, 'bad.tsv.gz');
  writeFileSync(bad, gzipSync(Buffer.concat([Buffer.from('1\tok\n0\tcaf'), Buffer.from([0xe9]), Buffer.from('\n')])));
  assert.throws(() => readLabelledFile(bad), new RegExp(`${bad}:2: invalid UTF-8`));
  const corrupt = join(dir, 'corrupt.jsonl.gz');
  writeFileSync(corrupt, gzipSync(Buffer.from('{"text":"a","label":1}\n'.repeat(50))).subarray(0, 30));
  assert.throws(() => readLabelledFile(corrupt), new RegExp(`${corrupt}: corrupt gzip data`));
});

test('directory with train + test but no dev: seeded, disjoint dev split out of train; --test with a single file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'wl-split-'));
  const rows = (n: number, tag: string) => Array.from({ length: n }, (_, i) => JSON.stringify({ id: i, rating: i % 2 ? 8 : 3, text: `${tag} ${i}` })).join('\n') + '\n';
  writeFileSync(join(dir, 'train.jsonl.gz'), gzipSync(Buffer.from(rows(200, 'tr'))));
  writeFileSync(join(dir, 'test.jsonl.gz'), gzipSync(Buffer.from(rows(30, 'te'))));
  const a = loadSplits(dir, { seed: 3, target: 'polarity' }), b = loadSplits(dir, { seed: 3, target: 'polarity' });
  const c = loadSplits(dir, { seed: 4, target: 'polarity', devFraction: 0.25 });
  assert.deepEqual([a.train.length, a.dev.length, a.test.length], [180, 20, 30]);
  assert.deepEqual([c.train.length, c.dev.length], [150, 50]);
  assert.deepEqual(a.dev.map((e) => e.text), b.dev.map((e) => e.text));
  assert.notDeepEqual(a.dev.map((e) => e.text), loadSplits(dir, { seed: 4, target: 'polarity' }).dev.map((e) => e.text));
  const tr = new Set(a.train.map((e) => e.text));
  assert.ok(a.dev.every((e) => !tr.has(e.text)));
  assert.equal(new Set([...a.train, ...a.dev].map((e) => e.text)).size, 200);
  assert.ok(a.test.every((e) => e.text.startsWith('te')));
  assert.deepEqual(new Set(a.train.map((e) => e.label)), new Set(['neg', 'pos']));
  assert.match(a.sources.test, /test\.jsonl\.gz$/);
  const one = loadSplits(join(dir, 'train.jsonl.gz'), { seed: 3, testFile: join(dir, 'test.jsonl.gz'), target: 'stars10' });
  assert.deepEqual([one.train.length, one.dev.length, one.test.length], [180, 20, 30]);
  assert.deepEqual(one.dev.map((e) => e.text), a.dev.map((e) => e.text));
  assert.deepEqual(new Set(one.test.map((e) => e.label)), new Set(['3', '8']));
  const split3 = loadSplits(join(dir, 'train.jsonl.gz'), { seed: 3 });
  assert.deepEqual([split3.train.length, split3.dev.length, split3.test.length], [160, 20, 20]);
});
