// Dataset readers: SST trees (root / phrases, U+00A0 tokens), TSV/CSV/JSONL with column flags, labels, binarization, errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseSstTree, parseSstTrees, parseDelimited, parseLabelledRows, parseJsonl, LabelSet, binarize, labelCounts } from '../../src/text/datasets.ts';
import { loadSplits, readLabelledFile } from '../../src/text/datasets-node.ts';
import { WordloomError } from '../../src/util/errors.ts';

test('SST tree: root label, leaves, phrases; NO-BREAK SPACE stays inside a token', () => {
  const t = parseSstTree('(3 (2 (2 8\u00a01\\/2) (2 -LRB-)) (4 great))');
  assert.equal(t.label, '3');
  assert.deepEqual(t.leaves, ['8\u00a01\\/2', '-LRB-', 'great']);
  assert.equal(t.nodes.length, 5);
  const roots = parseSstTrees('(3 (2 a) (4 great))\n\n(1 (1 bad) (2 film))\n');
  assert.deepEqual(roots.map((e) => [e.text, e.label, e.line]), [['a great', '3', 1], ['bad film', '1', 3]]);
  const ph = parseSstTrees('(3 (2 a) (4 great))\n(3 (2 a) (4 great))', { phrases: true });
  assert.deepEqual(ph.map((e) => [e.text, e.label, e.phrase]), [['a great', '3', false], ['a', '2', true], ['great', '4', true], ['a great', '3', false]]);
  assert.equal(parseSstTrees('(2 (2 8\u00a01\\/2) (2 x))')[0].text, '8\u00a01/2 x');
  assert.throws(() => parseSstTrees('(3 (2 a) (4 great)\n', { file: 'tr.txt' }), /tr\.txt:1: SST tree: unbalanced/);
  assert.throws(() => parseSstTrees('ok\n(3 x)', { file: 'tr.txt' }), /tr\.txt:1/);
});

test('the real SST files: counts and SST-2 sizes match the README', () => {
  const s = loadSplits('data/sst');
  assert.deepEqual([s.train.length, s.dev.length, s.test.length], [8544, 1101, 2210]);
  const L = LabelSet.infer(s.train);
  assert.deepEqual(labelCounts(s.test, L), [279, 633, 389, 510, 399]);
  assert.deepEqual([binarize(s.train, L.names).length, binarize(s.dev, L.names).length, binarize(s.test, L.names).length], [6920, 872, 1821]);
  const tsv = readLabelledFile('data/sst/test.tsv');
  assert.deepEqual(tsv.map((e) => e.label), s.test.map((e) => e.label));
});

test('CSV with quotes and newlines; TSV; columns by name or index', () => {
  const rows = parseDelimited('id,review,stars\n1,"Great, ""really""\nfun",5\n2,meh,2\n', ',');
  assert.deepEqual(rows.map((r) => r.line), [1, 2, 4]);
  const ex = parseLabelledRows(rows, { textColumn: 'review', labelColumn: 'stars', file: 'r.csv' });
  assert.deepEqual(ex.map((e) => [e.text, e.label, e.line]), [['Great, "really"\nfun', '5', 2], ['meh', '2', 4]]);
  const auto = parseLabelledRows(parseDelimited('text\tlabel\nnice\tpos\n', '\t'));
  assert.deepEqual(auto.map((e) => [e.text, e.label]), [['nice', 'pos']]);
  const noHeader = parseLabelledRows(parseDelimited('3\tgood one\n1\tbad\n', '\t'));
  assert.deepEqual(noHeader.map((e) => e.label), ['3', '1']);
  assert.throws(() => parseLabelledRows(parseDelimited('3\tgood\n1\tbad\textra\n', '\t'), { file: 'x.tsv' }), /x\.tsv:2: ragged row/);
  assert.throws(() => parseLabelledRows(parseDelimited('a,b\n1,2\n', ','), { textColumn: 'text', file: 'y.csv' }), /y\.csv:1 --text-column: no column "text"/);
  assert.throws(() => parseDelimited('a,"b\n', ',', 'z.csv'), /z\.csv:1: unterminated/);
});

test('JSONL with named fields; errors name the line', () => {
  const ex = parseJsonl('{"text":"good","label":1}\n\n{"review":"bad","rating":0}\n', { file: 'd.jsonl' });
  assert.deepEqual(ex.map((e) => [e.text, e.label, e.line]), [['good', '1', 1], ['bad', '0', 3]]);
  const ok = parseJsonl('{"text":"good","label":1}\n{"text":"bad","label":"0"}\n');
  assert.deepEqual(ok.map((e) => [e.text, e.label]), [['good', '1'], ['bad', '0']]);
  assert.deepEqual(parseJsonl('{"body":"x","y":2}', { textColumn: 'body', labelColumn: 'y' }).map((e) => e.label), ['2']);
  assert.throws(() => parseJsonl('{"text":"a","label":1}\n{oops', { file: 'd.jsonl' }), /d\.jsonl:2: invalid JSON/);
  assert.throws(() => parseJsonl('{"text":"a"}', { file: 'd.jsonl' }), /d\.jsonl:1 --label-column: no field/);
});

test('labels: numeric order, unknown label names file and line, binarization', () => {
  const L = LabelSet.infer([{ text: 'a', label: '10' }, { text: 'b', label: '2' }, { text: 'c', label: '1' }]);
  assert.deepEqual(L.names, ['1', '2', '10']);
  assert.equal(L.index('2.0'), 1);
  assert.throws(() => L.index('7', { file: 't.tsv', line: 9 }), (e: unknown) => e instanceof WordloomError && /t\.tsv:9: unknown label "7"/.test(e.message));
  const b = binarize(['0', '1', '2', '3', '4'].map((l) => ({ text: l, label: l })), ['0', '1', '2', '3', '4']);
  assert.deepEqual(b.map((e) => [e.text, e.label]), [['0', '0'], ['1', '0'], ['3', '1'], ['4', '1']]);
});

test('files: non-UTF-8 bytes and missing files are errors naming the file; single files are split with a seed', () => {
  const dir = mkdtempSync(join(tmpdir(), 'wl-ds-'));
  const bad = join(dir, 'bad.tsv');
  writeFileSync(bad, Buffer.concat([Buffer.from('1\tok\n0\tcaf'), Buffer.from([0xe9]), Buffer.from('\n')]));
  assert.throws(() => readLabelledFile(bad), new RegExp(`${bad}:2: invalid UTF-8`));
  assert.throws(() => loadSplits(join(dir, 'nope')), /data path not found/);
  const f = join(dir, 'data.tsv');
  writeFileSync(f, Array.from({ length: 50 }, (_, i) => `${i % 2}\ttext ${i}`).join('\n'));
  const a = loadSplits(f, { seed: 5 }), b = loadSplits(f, { seed: 5 });
  assert.deepEqual([a.train.length, a.dev.length, a.test.length], [40, 5, 5]);
  assert.deepEqual(a.dev.map((e) => e.text), b.dev.map((e) => e.text));
  const all = new Set([...a.train, ...a.dev, ...a.test].map((e) => e.text));
  assert.equal(all.size, 50);
  const rt = loadSplits('data/rt-polarity');
  assert.equal(rt.train.length + rt.dev.length + rt.test.length, 10662);
});
