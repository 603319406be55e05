// Architecture rule: imports only go from higher folders to lower ones
// util → kernels → nn → text → embeddings → tasks → web → cli (the CLI is the top: `wordloom serve`/`start` start the
// playground server in src/web/). Also: no Math.random in src/.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, dirname, resolve } from 'node:path';

const LAYERS = ['util', 'kernels', 'nn', 'text', 'embeddings', 'tasks', 'web', 'cli'];

function walk(dir: string, out: string[] = []): string[] {
  for (const n of readdirSync(dir)) {
    const p = join(dir, n);
    if (statSync(p).isDirectory()) { if (n !== 'generated' && n !== 'as') walk(p, out); } else if (p.endsWith('.ts')) out.push(p);
  }
  return out;
}
const layerOf = (file: string) => relative('src', file).split('/')[0];

test('imports never go from a lower layer to a higher one', () => {
  const bad: string[] = [];
  for (const f of walk('src')) {
    const from = LAYERS.indexOf(layerOf(f));
    if (from < 0) continue;
    const src = readFileSync(f, 'utf8');
    for (const m of src.matchAll(/(?:import|export)[^'"]*from\s+['"](\.[^'"]+)['"]|import\(\s*['"](\.[^'"]+)['"]\s*\)/g)) {
      const target = resolve(dirname(f), m[1] ?? m[2]);
      const to = LAYERS.indexOf(relative(resolve('src'), target).split('/')[0]);
      if (to > from) bad.push(`${f} imports ${m[1] ?? m[2]}`);
    }
  }
  assert.deepEqual(bad, []);
});

test('no Math.random in src (seeded RNG everywhere)', () => {
  const bad = walk('src').filter((f) => /Math\.random\s*\(/.test(readFileSync(f, 'utf8')));
  assert.deepEqual(bad, []);
});
