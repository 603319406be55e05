// The inference path (tokenizer, vocabulary, encoding, dataset parsing, classifier forward pass and model decoding)
// must not import node:* modules, directly or through anything it imports (the web playground predicts in the page).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nodeImports } from '../helpers/imports.ts';


for (const entry of ['src/tasks/sentiment/model.ts', 'src/text/tokenizer.ts', 'src/text/vocabulary.ts', 'src/text/encoding.ts', 'src/text/datasets.ts',
  'src/tasks/sentiment/metrics.ts', 'src/tasks/sentiment/train.ts', 'src/tasks/sentiment/svg.ts', 'src/text/targets.ts',
  'src/tasks/sentiment/ngram.ts', 'src/tasks/sentiment/evaluate.ts', 'src/embeddings/fasttext/train.ts', 'src/kernels/fasttext-reference.ts',
  'src/tasks/sentiment/explain.ts', 'src/tasks/sentiment/load.ts']) {
  test(`${entry} is browser-safe (no node:* imports in its import graph)`, () => {
    assert.deepEqual(nodeImports(entry), []);
  });
}

test('the checker does catch Node imports (train-node.ts reads files)', () => {
  assert.ok(nodeImports('src/tasks/sentiment/train-node.ts').some((l) => l.includes('node:fs')));
});
