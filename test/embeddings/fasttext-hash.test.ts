// fastText word hashes and word n-gram ids: equal to the values the fasttext binary confirmed
// (test/fixtures/fasttext-hash/make.py) and to an independent BigInt implementation of the C++ definition.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fasttextHash, addWordNgrams, wordNgramCount } from '../../src/embeddings/fasttext/hash.ts';
import { Rng } from '../../src/util/rng.ts';

interface Fixture { bucket: number; wordNgrams: number; probes: Array<{ line: string; tokens: string[]; hashes: number[]; buckets: number[] }> }
const fx = JSON.parse(readFileSync('test/fixtures/fasttext-hash/expected.json', 'utf8')) as Fixture;

// Independent: Dictionary::hash over signed bytes, addWordNgrams with int32 → uint64 sign extension, in BigInt.
function hashBig(word: string): number {
  let h = 2166136261n;
  for (const b of Buffer.from(word, 'utf8')) {
    h ^= BigInt.asUintN(32, BigInt(b >= 128 ? b - 256 : b));
    h = (h * 16777619n) & 0xffffffffn;
  }
  return Number(h);
}
function ngramsBig(hashes: number[], n: number, bucket: number, nwords: number): number[] {
  const out: number[] = [];
  const u64 = (x: number) => BigInt.asUintN(64, BigInt(x | 0));
  for (let i = 0; i < hashes.length; i++) {
    let h = u64(hashes[i]);
    for (let j = i + 1; j < hashes.length && j < i + n; j++) {
      h = BigInt.asUintN(64, h * 116049371n + u64(hashes[j]));
      out.push(nwords + Number(h % BigInt(bucket)));
    }
  }
  return out;
}

test('fastText hashes: the values the fasttext binary confirmed (ASCII, accents, CJK, emoji, curly quotes)', () => {
  assert.ok(fx.probes.length >= 5);
  for (const p of fx.probes) {
    assert.deepEqual(p.tokens.map(fasttextHash), p.hashes, p.line);
    const out = new Int32Array(wordNgramCount(p.tokens.length, fx.wordNgrams));
    const end = addWordNgrams(p.hashes, p.hashes.length, fx.wordNgrams, fx.bucket, 0, out, 0);
    assert.equal(end, out.length);
    assert.deepEqual(Array.from(out), p.buckets, p.line);
  }
  // Hand-checkable anchors: FNV-1a of "" is the offset basis; a non-ASCII byte is XORed sign-extended.
  assert.equal(fasttextHash(''), 2166136261);
  assert.equal(fasttextHash('a'), Math.imul(2166136261 ^ 0x61, 16777619) >>> 0);
  assert.equal(fasttextHash('\u00e9'), Math.imul(Math.imul(2166136261 ^ 0xffffffc3, 16777619) ^ 0xffffffa9, 16777619) >>> 0);
});

test('fastText hashes: equal to an independent BigInt implementation on random words, n-gram orders and buckets', () => {
  const rng = new Rng(11);
  const alphabet = 'abcxyz€éñ日本😀\'-.';
  const chars = [...alphabet];
  for (let trial = 0; trial < 40; trial++) {
    const words = Array.from({ length: 1 + rng.int(12) }, () => Array.from({ length: 1 + rng.int(8) }, () => chars[rng.int(chars.length)]).join(''));
    const hashes = words.map(fasttextHash);
    assert.deepEqual(hashes, words.map(hashBig));
    const n = 1 + rng.int(5), bucket = [1, 7, 65536, 2000000, 2 ** 31 - 1][rng.int(5)], nwords = rng.int(1000);
    const out = new Int32Array(wordNgramCount(words.length, n) + 3);
    const end = addWordNgrams(hashes, hashes.length, n, bucket, nwords, out, 3);
    assert.deepEqual(Array.from(out.subarray(3, end)), n > 1 ? ngramsBig(hashes, n, bucket, nwords) : []);
  }
});
