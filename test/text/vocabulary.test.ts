// Vocabulary (specials, min-count, max-size, OOV stats, JSON round trip) and encoding (one-hot, padding, bucketing).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Vocabulary, PAD, UNK, EOS, BOS } from '../../src/text/vocabulary.ts';
import { oneHot, fromOneHot, padBatch, makeBatches } from '../../src/text/encoding.ts';
import { Rng } from '../../src/util/rng.ts';
import { WordloomError } from '../../src/util/errors.ts';

const corpus = [['the', 'movie', 'is', 'good'], ['the', 'movie', 'is', 'bad'], ['the', 'plot', '!']];

test('specials first, then by count with first-appearance ties; min-count and max-size', () => {
  const v = Vocabulary.build(corpus);
  assert.deepEqual(v.tokens.slice(0, 3), [PAD, UNK, EOS]);
  assert.deepEqual(v.tokens.slice(3), ['the', 'movie', 'is', 'good', 'bad', 'plot', '!']);
  assert.equal(v.count('the'), 3);
  assert.equal(v.id('nope'), v.unkId);
  assert.deepEqual(Vocabulary.build(corpus, { minCount: 2 }).tokens.slice(3), ['the', 'movie', 'is']);
  assert.deepEqual(Vocabulary.build(corpus, { maxSize: 5 }).tokens, [PAD, UNK, EOS, 'the', 'movie']);
  const vb = Vocabulary.build(corpus, { bos: true });
  assert.equal(vb.token(3), BOS);
  assert.deepEqual([...vb.encode(['the'], { bos: true, eos: true })], [3, 4, 2]);
  assert.throws(() => Vocabulary.build(corpus, { minCount: 0 }), WordloomError);
  assert.throws(() => Vocabulary.build(corpus, { maxSize: 2 }), /--max-vocab/);
});

test('encode reports the OOV rate; decode inverts', () => {
  const v = Vocabulary.build(corpus, { minCount: 2 });
  const { ids, stats } = v.encodeAll([['the', 'movie', 'rocks'], ['is', 'great']]);
  assert.deepEqual([...ids[0]], [3, 4, 1]);
  assert.equal(stats.tokens, 5);
  assert.equal(stats.unknown, 2);
  assert.equal(stats.oovRate, 0.4);
  assert.deepEqual(v.decode(ids[1]), ['is', UNK]);
  assert.deepEqual([...v.encode(['the'], { eos: true })], [3, 2]);
});

test('JSON round trip; corrupt JSON is an error naming the source', () => {
  const v = Vocabulary.build(corpus);
  const w = Vocabulary.parse(v.serialize(), 'v.json');
  assert.deepEqual(w.tokens, v.tokens);
  assert.deepEqual(w.counts, v.counts);
  assert.throws(() => Vocabulary.parse('{', 'bad.json'), /bad\.json: invalid JSON/);
  const j = v.toJSON();
  j.tokens[4] = 'the';
  assert.throws(() => Vocabulary.fromJSON(j, 'dup.json'), /dup\.json: .*duplicate token "the"/);
  assert.throws(() => Vocabulary.fromJSON({ ...v.toJSON(), tokens: ['x', ...v.tokens.slice(1)] }, 'f.json'), /must start with/);
});

test('one-hot encoding is explicit and invertible; [PAD] rows are zero', () => {
  const x = oneHot([3, 0, 5], 6);
  assert.equal(x.length, 18);
  assert.deepEqual([...x.subarray(0, 6)], [0, 0, 0, 1, 0, 0]);
  assert.deepEqual([...x.subarray(6, 12)], [0, 0, 0, 0, 0, 0]);
  assert.deepEqual([...fromOneHot(x, 6)], [3, 0, 5]);
  assert.throws(() => oneHot([7], 6), /out of range/);
});

test('padBatch is time-major with masks and lengths', () => {
  const b = padBatch([[5, 6, 7], [8]], { labels: [1, 0] });
  assert.equal(b.steps, 3);
  assert.equal(b.batch, 2);
  assert.deepEqual([...b.ids], [5, 8, 6, 0, 7, 0]);
  assert.deepEqual([...b.mask], [1, 1, 1, 0, 1, 0]);
  assert.deepEqual([...b.lengths], [3, 1]);
  assert.deepEqual([...b.labels!], [1, 0]);
});

test('makeBatches: every example once, bucketing reduces padding, seeded', () => {
  const rng = new Rng(3);
  const seqs = Array.from({ length: 200 }, (_, i) => Array.from({ length: 1 + ((i * 37) % 40) }, () => 3));
  const labels = seqs.map((_, i) => i % 5);
  const plain = makeBatches(seqs, labels, { batchSize: 16, shuffle: true }, new Rng(1));
  const buck = makeBatches(seqs, labels, { batchSize: 16, shuffle: true, bucket: true }, new Rng(1));
  for (const bs of [plain, buck]) {
    const seen = bs.flatMap((b) => [...b.indices]).sort((a, c) => a - c);
    assert.deepEqual(seen, seqs.map((_, i) => i));
    for (const b of bs) for (let k = 0; k < b.batch; k++) assert.equal(b.labels![k], labels[b.indices[k]]);
  }
  const pad = (bs: typeof plain) => bs.reduce((a, b) => a + b.steps * b.batch, 0);
  assert.ok(pad(buck) < pad(plain), `bucketed ${pad(buck)} vs ${pad(plain)}`);
  const again = makeBatches(seqs, labels, { batchSize: 16, shuffle: true, bucket: true }, new Rng(1));
  assert.deepEqual(again.map((b) => [...b.indices]), buck.map((b) => [...b.indices]));
  assert.throws(() => makeBatches(seqs, labels, { shuffle: true }), /seeded Rng/);
  assert.equal(makeBatches([[1, 2, 3, 4]], [0], { maxLength: 2 })[0].steps, 2);
  void rng;
});
