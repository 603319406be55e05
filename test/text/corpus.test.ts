import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { gzipSync } from 'node:zlib';
import { readCorpusLines, firstInvalidUtf8 } from '../../src/text/corpus-node.ts';

const dir = mkdtempSync(join(tmpdir(), 'wl-corpus-'));

async function lines(p: string): Promise<string[]> {
  const out: string[] = [];
  for await (const { line } of readCorpusLines(p)) out.push(line);
  return out;
}

test('reads plain and gzip files the same, CRLF stripped', async () => {
  const text = 'one two\r\nthree\nfour five six\n';
  writeFileSync(join(dir, 'a.txt'), text);
  writeFileSync(join(dir, 'a.txt.gz'), gzipSync(Buffer.from(text)));
  assert.deepEqual(await lines(join(dir, 'a.txt')), ['one two', 'three', 'four five six']);
  assert.deepEqual(await lines(join(dir, 'a.txt.gz')), ['one two', 'three', 'four five six']);
});

test('invalid UTF-8 names the line that holds the bad bytes', async () => {
  const bytes = Buffer.concat([Buffer.from('fine\nstill fine é\nbad '), Buffer.from([0xff, 0xfe]), Buffer.from('\nmore\n')]);
  writeFileSync(join(dir, 'bad.txt'), bytes);
  await assert.rejects(lines(join(dir, 'bad.txt')), /bad\.txt:3: invalid UTF-8/);
});

test('firstInvalidUtf8 finds overlongs, surrogates and stray bytes; accepts a split tail', () => {
  assert.equal(firstInvalidUtf8(Buffer.from('héllo')), -1);
  assert.equal(firstInvalidUtf8(Buffer.from([0x61, 0xc0, 0x80])), 1); // overlong NUL
  assert.equal(firstInvalidUtf8(Buffer.from([0x61, 0xed, 0xa0, 0x80])), 1); // surrogate
  assert.equal(firstInvalidUtf8(Buffer.from([0x61, 0x62, 0x80])), 2); // stray continuation
  assert.equal(firstInvalidUtf8(Buffer.from([0x61, 0xe2, 0x82])), -1); // character continues in next chunk
});

test('a text8-style single huge line is cut at whitespace', async () => {
  const words = Array.from({ length: 5000 }, (_, i) => `w${i}`).join(' ');
  writeFileSync(join(dir, 'long.txt'), words);
  const out: string[] = [];
  for await (const { line } of readCorpusLines(join(dir, 'long.txt'), { maxLineChars: 1000 })) out.push(line);
  assert.ok(out.length > 10);
  assert.deepEqual(out.join(' ').split(' '), words.split(' '));
});
