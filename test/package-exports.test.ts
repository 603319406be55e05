// The package entry points export the documented API, and the browser entry pulls in no node:* module.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

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
  const bad: string[] = [];
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const src = readFileSync(file, 'utf8');
    for (const m of src.matchAll(/^\s*(?:import|export)\s[^;]*?from\s+['"]([^'"]+)['"]/gm)) {
      const spec = m[1];
      if (/^\s*(?:import|export)\s+type\s/.test(m[0])) continue; // erased at compile time
      if (spec.startsWith('node:')) bad.push(`${file} imports ${spec}`);
      else if (spec.startsWith('.')) {
        const target = resolve(dirname(file), spec);
        if (existsSync(target)) visit(target);
      }
    }
  };
  visit(resolve('src/browser.ts'));
  assert.ok(seen.size > 20);
  assert.deepEqual(bad, []);
});
