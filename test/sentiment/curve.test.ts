// Learning curve: runs the variants on subsets, reuses a points file (piecewise runs), renders table and SVG.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCurve, formatCurveTable, readPoints } from '../../src/tasks/sentiment/curve-node.ts';
import { lineChartSvg } from '../../src/tasks/sentiment/svg.ts';

function data(): string {
  const dir = mkdtempSync(join(tmpdir(), 'wl-curve-'));
  const mk = (n: number, off: number) => Array.from({ length: n }, (_, i) => {
    const y = (i + off) % 2;
    return `${y}\tthe film was ${y ? 'great' : 'awful'} ${['really', 'and', 'so'][i % 3]}`;
  }).join('\n');
  writeFileSync(join(dir, 'train.tsv'), mk(80, 0));
  writeFileSync(join(dir, 'dev.tsv'), mk(20, 1));
  writeFileSync(join(dir, 'test.tsv'), mk(20, 0));
  // A tiny vectors file in GloVe text format.
  writeFileSync(join(dir, 'vec.txt'), ['the 0.1 0.2 0.3 0.4', 'great 0.9 0.1 0.0 0.2', 'awful -0.9 0.0 0.1 -0.2'].join('\n') + '\n');
  return dir;
}

test('curve: points for every variant and fraction, reused from the points file, table and SVG', () => {
  const dir = data();
  const pts = join(dir, 'points.jsonl');
  const cfg = { embeddingDim: 4, hiddenSize: 6, epochs: 2, batchSize: 10, lr: 0.02, vectorsFile: join(dir, 'vec.txt'), phrases: false };
  const a = runCurve({ data: dir, fractions: [0.5, 1], variants: ['onehot', 'pretrained-frozen'], config: cfg, pointsFile: pts, svg: join(dir, 'c.svg') });
  assert.equal(a.length, 4);
  assert.deepEqual(a.map((p) => [p.variant, p.fraction]), [['onehot', 0.5], ['pretrained-frozen', 0.5], ['onehot', 1], ['pretrained-frozen', 1]]);
  assert.equal(a[0].trainSentences, 40);
  for (const p of a) assert.ok(p.testAccuracy >= 0 && p.testAccuracy <= 1 && p.secondsPerEpoch > 0);
  assert.equal(readPoints(pts).length, 4);
  // Second run: nothing retrained (same numbers, file not grown).
  const b = runCurve({ data: dir, fractions: [0.5, 1], variants: ['onehot', 'pretrained-frozen'], config: cfg, pointsFile: pts });
  assert.deepEqual(b, a);
  assert.equal(readPoints(pts).length, 4);
  const table = formatCurveTable(a);
  assert.match(table, /^variant\s+50%\s+100%/);
  assert.match(table, /\nonehot\s+\d+\.\d\d\s+\d+\.\d\d/);
  const svg = readFileSync(join(dir, 'c.svg'), 'utf8');
  assert.match(svg, /^<svg /);
  assert.equal((svg.match(/<polyline/g) ?? []).length, 2);
  writeFileSync(pts, '{"variant":"onehot","fraction":0.5}\nnot json\n');
  assert.throws(() => readPoints(pts), /points\.jsonl:2: bad curve point/);
});

test('svg: escapes names, handles empty series', () => {
  const s = lineChartSvg({ title: 'a<b', xLabel: 'x', yLabel: 'y', series: [{ name: 'r&d', points: [] }] });
  assert.match(s, /a&lt;b/);
  assert.match(s, /r&amp;d/);
});
