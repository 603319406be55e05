// The inference path (tokenizer, vocabulary, encoding, dataset parsing, classifier forward pass and model decoding)
// must not import node:* modules, directly or through anything it imports (the web playground predicts in the page).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, resolve, relative } from 'node:path';

function nodeImports(entry: string): string[] {
  const seen = new Set<string>();
  const bad: string[] = [];
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const src = readFileSync(file, 'utf8');
    // Static imports only (`import type` is erased; guarded dynamic imports such as the kernel loader's Node-only
    // worker pool are allowed by the conventions).
    for (const m of src.matchAll(/(?:^|\n)\s*(?:import|export)\s+(?!type\s)[^;]*?from\s+['"]([^'"]+)['"]/g)) {
      const spec = m[1];
      if (spec.startsWith('node:') || ['fs', 'path', 'os', 'zlib', 'child_process', 'worker_threads'].includes(spec)) bad.push(`${relative('.', file)} imports ${spec}`);
      else if (spec.startsWith('.')) visit(resolve(dirname(file), spec));
    }
  };
  visit(resolve(entry));
  return bad;
}

for (const entry of ['src/tasks/sentiment/model.ts', 'src/text/tokenizer.ts', 'src/text/vocabulary.ts', 'src/text/encoding.ts', 'src/text/datasets.ts',
  'src/tasks/sentiment/metrics.ts', 'src/tasks/sentiment/train.ts', 'src/tasks/sentiment/svg.ts']) {
  test(`${entry} is browser-safe (no node:* imports in its import graph)`, () => {
    assert.deepEqual(nodeImports(entry), []);
  });
}

test('the checker does catch Node imports (train-node.ts reads files)', () => {
  assert.ok(nodeImports('src/tasks/sentiment/train-node.ts').some((l) => l.includes('node:fs')));
});
