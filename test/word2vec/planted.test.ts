// word2vec end to end on the planted-synonym fixture (test/fixtures/word2vec/make-corpus.mjs): every
// objective (full softmax, negative sampling, hierarchical softmax; skip-gram and CBOW; 1 and 2 threads)
// must make each planted synonym's nearest neighbour its partner. Also determinism and checkpoint/resume.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { trainWord2VecFile, type TrainFileOptions } from '../../src/embeddings/word2vec/train-node.ts';

const CORPUS = 'test/fixtures/word2vec/planted.txt';
const PAIRS: [string, string][] = JSON.parse(readFileSync('test/fixtures/word2vec/planted-pairs.json', 'utf8'));
const BASE: Partial<TrainFileOptions> = { size: 24, window: 3, minCount: 1, sample: 0, iter: 8, seed: 7, chunkWords: 4000 };

async function plantedNeighbours(extra: Partial<TrainFileOptions>): Promise<{ misses: string[]; loss: number[] }> {
  const r = await trainWord2VecFile({ train: CORPUS, ...BASE, ...extra });
  const misses: string[] = [];
  for (const [a, b] of PAIRS) {
    for (const [x, y] of [[a, b], [b, a]]) {
      const nn = r.vectors.mostSimilar({ positive: [x], topn: 1 })[0].word;
      if (nn !== y) misses.push(`${x}→${nn} (want ${y})`);
    }
  }
  return { misses, loss: r.stats.epochLoss };
}

const cases: [string, Partial<TrainFileOptions>][] = [
  ['full softmax, skip-gram', { fullSoftmax: true, negative: 0, iter: 4 }],
  ['full softmax, CBOW', { fullSoftmax: true, negative: 0, cbow: true, iter: 4 }],
  ['negative sampling, skip-gram', { negative: 5 }],
  ['negative sampling, CBOW', { negative: 5, cbow: true }],
  ['hierarchical softmax, skip-gram', { negative: 0, hs: true }],
  ['hierarchical softmax, CBOW', { negative: 0, hs: true, cbow: true }],
  ['negative sampling, skip-gram, shared negatives (Ji et al.)', { negative: 5, sharedNegatives: true }],
  ['negative sampling, CBOW, shared negatives', { negative: 5, cbow: true, sharedNegatives: true }],
  ['negative sampling, classic word2vec.c loop (no shared negatives)', { negative: 5, sharedNegatives: false }],
  ['negative sampling, skip-gram, 2 Hogwild threads', { negative: 5, threads: 2, chunkWords: 1000 }],
  ['negative sampling, skip-gram, reference kernel', { negative: 5, kernel: 'reference' }],
];
for (const [name, extra] of cases) {
  test(`planted synonyms are nearest neighbours: ${name}`, async () => {
    const { misses, loss } = await plantedNeighbours(extra);
    assert.deepEqual(misses, []);
    assert.ok(loss[loss.length - 1] < loss[0], `loss should fall: ${loss.join(' ')}`);
  });
}

test('control: an (almost) untrained model fails the planted-synonym check', async () => {
  const { misses } = await plantedNeighbours({ negative: 5, alpha: 1e-7, iter: 1 });
  assert.ok(misses.length > 8, `expected most pairs to miss, got ${misses.length} misses`);
});

test('same seed and 1 thread ⇒ bit-identical vectors; another seed differs', async () => {
  const a = await trainWord2VecFile({ train: CORPUS, ...BASE, iter: 2 });
  const b = await trainWord2VecFile({ train: CORPUS, ...BASE, iter: 2 });
  const c = await trainWord2VecFile({ train: CORPUS, ...BASE, iter: 2, seed: 8 });
  assert.deepEqual(Buffer.from(a.vectors.data.buffer, a.vectors.data.byteOffset, a.vectors.data.byteLength),
    Buffer.from(b.vectors.data.buffer, b.vectors.data.byteOffset, b.vectors.data.byteLength));
  assert.notDeepEqual(Array.from(a.vectors.data.subarray(0, 50)), Array.from(c.vectors.data.subarray(0, 50)));
});

test('an interrupted run resumed from its checkpoint equals an uninterrupted run (1 thread)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'w2v-ckpt-'));
  try {
    const ckpt = join(dir, 'run.ckpt');
    const opts = { train: CORPUS, ...BASE, iter: 3, chunkWords: 3000 };
    const full = await trainWord2VecFile(opts);
    const part = await trainWord2VecFile({ ...opts, checkpoint: ckpt, haltAfterChunks: 8 });
    assert.equal(part.stats.halted, true);
    assert.ok(existsSync(ckpt));
    const rest = await trainWord2VecFile({ train: CORPUS, resume: ckpt });
    assert.deepEqual(rest.stats.resumedFrom, { epoch: 1, chunk: 2 });
    assert.deepEqual(Array.from(rest.vectors.data), Array.from(full.vectors.data));
  } finally { rmSync(dir, { recursive: true, force: true }); }
});
