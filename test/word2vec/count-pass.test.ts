// The parallel vocabulary pass (worker threads tokenize batches of lines, the main thread merges them in order)
// gives exactly what the one-thread pass gives: the same tokens and lines, the same count for every word and
// the same token stream in the cache file (ids differ, words do not) — with tiny batches, so words first seen
// by one worker reappear in the other's batches, and with empty lines, Unicode and a missing final newline.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { countPass, countPassParallel, W2VPool } from '../../src/embeddings/word2vec/train-node.ts';
import { Tokenizer } from '../../src/text/tokenizer.ts';
import { silentProgress } from '../../src/util/progress.ts';
import { Rng } from '../../src/util/rng.ts';
import { WordloomError } from '../../src/util/errors.ts';

const dir = mkdtempSync(join(tmpdir(), 'w2v-count-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function decode(cp: { types: string[]; cacheFile: string }): string[] {
  const b = readFileSync(cp.cacheFile);
  const ids = new Int32Array(b.buffer, b.byteOffset, b.length >> 2);
  return Array.from(ids, (id) => (id < 0 ? '\n' : cp.types[id]));
}

for (const whitespace of [false, true]) test(`parallel vocabulary pass equals the one-thread pass (counts, lines, token stream)${whitespace ? ', whitespace tokenizer' : ''}`, async () => {
  const rng = new Rng(3);
  const vocab = ['the', 'Cat', 'naïve', 'café', 'Straße', 'x', 'don\'t', '42', 'ÉTÉ', 'zebra', '日本語', 'a-b'];
  const lines: string[] = [];
  for (let i = 0; i < 400; i++) {
    const n = rng.int(4) === 0 ? 0 : rng.int(30);
    lines.push(Array.from({ length: n }, () => (rng.next() < 0.1 ? `w${rng.int(500)}` : vocab[rng.int(vocab.length)])).join(' '));
  }
  const file = join(dir, 'c.txt');
  writeFileSync(file, lines.join('\n')); // no final newline
  const tok = { lowercase: true, punctuation: false, whitespace };
  const one = await countPass(file, new Tokenizer(tok), dir, silentProgress);
  const pool = new W2VPool(2, tok);
  try {
    const par = await countPassParallel(file, pool, dir, silentProgress, 64);
    assert.equal(par.tokens, one.tokens);
    assert.equal(par.lines, one.lines);
    const counts = (cp: typeof one) => new Map(cp.types.map((w, i) => [w, cp.counts[i]]));
    assert.deepEqual(counts(par), counts(one));
    assert.deepEqual(decode(par), decode(one));
    rmSync(par.cacheDir, { recursive: true, force: true });
    await assert.rejects(countPassParallel(join(dir, 'missing.txt'), pool, dir, silentProgress), WordloomError);
  } finally {
    await pool.terminate();
    rmSync(one.cacheDir, { recursive: true, force: true });
  }
});
