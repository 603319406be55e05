// The package entry points export the documented API, and the browser entry pulls in no node:* module.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nodeImports } from './helpers/imports.ts';

test('the Node entry exports the main API and it works end to end', async () => {
  const wl = await import('../src/index.ts');
  for (const name of ['Rng', 'K', 'ParamSet', 'LSTM', 'GRU', 'SimpleRNN', 'SequenceModel', 'Tokenizer', 'Vocabulary',
    'WordVectors', 'loadVectors', 'saveVectors', 'SentimentClassifier', 'trainSentiment', 'trainMemory', 'readCorpusLines']) {
    assert.ok(name in wl, `missing export ${name}`);
  }
  const v = wl.loadVectors('data/glove-subset/glove.6B.50d.top2446.txt');
  assert.equal(v.analogy('paris', 'france', 'tokyo')[0].word, 'japan');
});

test('the browser entry never reaches a node:* import', () => {
  const seen = new Set<string>();
  assert.deepEqual(nodeImports('src/browser.ts', seen), []);
  assert.ok(seen.size > 20, 'the walk followed the imports');
});
