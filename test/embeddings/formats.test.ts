// Word-vector formats: gensim's test files, the real GloVe subset, byte-exact round trips, the number
// parser against parseFloat/Math.fround, and every malformed-input case (strict and lenient).
import { CHECKSUM_TRAILER_BYTES, checksumTrailer } from '../../src/kernels/checksum.ts';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  parseVectors, vectorsToBytes, detectFormat, loadVectors, saveVectors, parseFloatBytes, formatFloat32,
  WordVectors, VECTOR_FORMATS, type VectorFormat,
} from '../../src/embeddings/index.ts';
import { WordloomError } from '../../src/util/errors.ts';
import { Rng } from '../../src/util/rng.ts';

const DIR = 'data/embedding-formats/';
const GLOVE = 'data/glove-subset/glove.6B.50d.top2446.txt';
const bytes = (s: string) => new TextEncoder().encode(s);
const bitsEqual = (a: Float32Array, b: Float32Array) =>
  a.length === b.length && Buffer.compare(Buffer.from(a.buffer, a.byteOffset, a.byteLength), Buffer.from(b.buffer, b.byteOffset, b.byteLength)) === 0;

function throwsAt(fn: () => unknown, re: RegExp, line?: number) {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof WordloomError, `expected WordloomError, got ${e}`);
    assert.match(e.message, re);
    if (line !== undefined) assert.equal(e.line, line, e.message);
    return true;
  });
}

test('gensim test files: sizes, dims, first words, detected format (README table)', () => {
  const cases: [string, VectorFormat, number, number, string][] = [
    ['test_glove.txt', 'glove', 76, 50, 'the'],
    ['word2vec_pre_kv_c', 'word2vec', 1750, 10, 'the'],
    ['toy-model.vec', 'fasttext', 22, 5, 'the'],
    ['high_precision.kv.txt', 'word2vec', 2, 2, 'kangaroo.n.01'],
    ['high_precision.kv.bin', 'word2vec-binary', 2, 2, 'kangaroo.n.01'],
    ['euclidean_vectors.bin', 'word2vec-binary', 2747, 10, 'the'],
    ['EN.1-10.cbow1_wind5_hs0_neg10_size300_smpl1e-05.txt', 'fasttext', 20, 300, 'one'],
    ['lee_fasttext.vec', 'fasttext', 1762, 10, 'the'],
    ['crime-and-punishment.vec', 'fasttext', 291, 5, 'и'],
  ];
  for (const [f, fmt, n, d, w0] of cases) {
    const v = loadVectors(DIR + f);
    assert.equal(v.source.format, fmt, f);
    assert.equal(detectFormat(readFileSync(DIR + f)), fmt, f);
    assert.equal(v.size, n, f);
    assert.equal(v.dim, d, f);
    assert.equal(v.words[0], w0, f);
  }
  const g = loadVectors(GLOVE);
  assert.equal(g.size, 2446);
  assert.equal(g.dim, 50);
  assert.deepEqual([g.words[0], g.words[1], g.words[2], g.words[2444], g.words[2445]], ['the', ',', '.', 'attempts', 'handed']);
});

test('Unicode words (test_glove: ö é ü हु हि या; Cyrillic) survive load and round trip', () => {
  const v = loadVectors(DIR + 'test_glove.txt');
  for (const w of ['ö', 'é', 'ü', 'हु', 'हि', 'या']) assert.ok(v.has(w), w);
  const c = loadVectors(DIR + 'crime-and-punishment.vec');
  const back = parseVectors(vectorsToBytes(c, { format: 'word2vec-binary' }));
  assert.deepEqual(back.words, c.words);
});

test('number parser equals Math.fround(parseFloat) on every token of the text test files', () => {
  const files = ['test_glove.txt', 'word2vec_pre_kv_c', 'toy-model.vec', 'high_precision.kv.txt', 'lee_fasttext.vec',
    'crime-and-punishment.vec', 'EN.1-10.cbow1_wind5_hs0_neg10_size300_smpl1e-05.txt'].map((f) => DIR + f).concat([GLOVE]);
  const f32 = new Float32Array(1);
  const out = { value: 0, end: 0 };
  let checked = 0;
  for (const f of files) {
    const text = readFileSync(f, 'utf8');
    const v = loadVectors(f);
    const lines = text.split('\n').filter((l) => l.trim());
    const body = /^\d+ \d+\s*$/.test(lines[0]) ? lines.slice(1) : lines;
    body.forEach((line, r) => {
      const toks = line.trim().split(' ').slice(1);
      toks.forEach((t, j) => {
        f32[0] = parseFloat(t);
        assert.ok(Object.is(v.data[r * v.dim + j], f32[0]), `${f} row ${r} value ${j}: ${t}`);
        checked++;
      });
    });
  }
  // edge tokens, straight through parseFloatBytes
  for (const t of ['0', '-0', '.5', '5.', '+3', '1E5', '1e-50', '-8.269973595356034e-05', '123456789012345678901',
    '0.000000000000000000001234', '3.4028234663852886e38', '1e-45', '0.1', '-0.0007369244245224787', '00012.50']) {
    const b = bytes(t);
    parseFloatBytes(b, 0, b.length, out);
    assert.ok(Object.is(out.value, parseFloat(t)), `${t}: ${out.value} vs ${parseFloat(t)}`);
    assert.equal(out.end, b.length);
  }
  for (const t of ['nan', 'inf', '-Infinity', '1.2.3', '-', '1e', '0x10', '1,5', '.', 'e5']) {
    const b = bytes(t);
    parseFloatBytes(b, 0, b.length, out);
    assert.ok(Number.isNaN(out.value), `${t} should be rejected`);
  }
  assert.ok(checked > 100000, `checked ${checked} values`);
});

test('formatFloat32: shortest round-tripping decimal for random float32 values', () => {
  const rng = new Rng(7);
  const f32 = new Float32Array(1), u32 = new Uint32Array(f32.buffer);
  for (let i = 0; i < 20000; i++) {
    u32[0] = rng.nextU32();
    if (!Number.isFinite(f32[0])) continue;
    const x = f32[0];
    const s = formatFloat32(x);
    assert.ok(Object.is(Math.fround(parseFloat(s)), x), `${x} -> ${s}`);
    const digits = s.replace(/^-/, '').replace(/e.*$/, '').replace('.', '').replace(/^0+/, '').replace(/0+$/, '');
    assert.ok(digits.length <= 9, s);
  }
  assert.equal(formatFloat32(6.3681e-05), '6.3681e-05');
  assert.equal(formatFloat32(0.418), '0.418');
  assert.equal(formatFloat32(-2), '-2');
});

test('byte-exact round trips of files in the spelling we write (GloVe, fastText .vec, gensim binary)', () => {
  for (const f of [GLOVE, DIR + 'test_glove.txt', DIR + 'toy-model.vec', DIR + 'lee_fasttext.vec', DIR + 'crime-and-punishment.vec']) {
    const src = readFileSync(f);
    const v = parseVectors(src, { file: f });
    assert.equal(Buffer.compare(Buffer.from(vectorsToBytes(v, { format: v.source.format as VectorFormat })), src), 0, f);
  }
  for (const f of ['high_precision.kv.bin', 'euclidean_vectors.bin']) {
    const src = readFileSync(DIR + f);
    const v = parseVectors(src);
    assert.equal(Buffer.compare(Buffer.from(vectorsToBytes(v, { binary: true, newline: false })), src), 0, f);
  }
});

test('every format round-trips: same words and identical float32 bits; re-serialisation is byte-identical', () => {
  const g = loadVectors(GLOVE);
  const hp = loadVectors(DIR + 'high_precision.kv.txt');
  for (const v of [g, hp]) {
    for (const format of VECTOR_FORMATS) {
      const b1 = vectorsToBytes(v, { format });
      const back = parseVectors(b1);
      assert.equal(back.source.format, format, format);
      assert.deepEqual(back.words, v.words, format);
      assert.ok(bitsEqual(back.data, v.data), format);
      assert.equal(Buffer.compare(Buffer.from(vectorsToBytes(back, { format })), Buffer.from(b1)), 0, format);
    }
  }
  // word2vec binary with and without the newline after each vector read the same
  const withNl = parseVectors(vectorsToBytes(g, { binary: true, newline: true }));
  const noNl = parseVectors(vectorsToBytes(g, { binary: true, newline: false }));
  assert.ok(bitsEqual(withNl.data, noNl.data));
  assert.deepEqual(withNl.words, noNl.words);
  // high precision: values are float32 of the decimal
  assert.ok(Object.is(hp.vector('kangaroo.n.01')[1], Math.fround(-8.269973595356034e-05)));
  // the .bin of the same vectors holds them rounded to ~11 mantissa bits (gensim reads the same numbers)
  const hpb = loadVectors(DIR + 'high_precision.kv.bin');
  assert.deepEqual(Array.from(hpb.data), [-0.0007367134094238281, -8.26716423034668e-05, -0.0008544921875, 0.0007696151733398438]);
  for (let i = 0; i < 4; i++) assert.ok(Math.abs(hpb.data[i] - hp.data[i]) < 1e-6);
});

test('limit reads the first N words of every format', () => {
  const g = loadVectors(GLOVE);
  for (const format of VECTOR_FORMATS) {
    const v = parseVectors(vectorsToBytes(g, { format }), { limit: 100 });
    assert.equal(v.size, 100, format);
    assert.deepEqual(v.words, g.words.slice(0, 100));
    assert.ok(bitsEqual(v.data, g.data.subarray(0, 100 * 50)));
  }
});

test('pretrained.vec (header 3, one row, trailing spaces): clear error, lenient loads and counts', () => {
  throwsAt(() => loadVectors(DIR + 'pretrained.vec'), /pretrained\.vec.*header says 3 words but the file ends after 1/);
  const v = loadVectors(DIR + 'pretrained.vec', { lenient: true });
  assert.deepEqual(v.words, ['dummy']);
  assert.equal(v.dim, 5);
  assert.equal(v.source.headerCount, 3);
  assert.ok(Object.is(v.data[4], Math.fround(0.032043)));
});

test('malformed text input is a WordloomError naming file and line; lenient skips and counts', () => {
  const good = 'a 1 2 3\nb 4 5 6\n';
  const cases: [string, RegExp, number][] = [
    ['a 1 2 3\nb 4 5\n', /expected 3 values.*found 2/, 2],
    ['a 1 2 3\nb 4 5 6 7\n', /expected 3 values.*found 4/, 2],
    ['a 1 2 3\nb 4 x 6\n', /not a number: 'x'/, 2],
    ['a 1 2 3\nb 4 NaN 6\n', /non-finite value 'NaN'/, 2],
    ['a 1 2 3\nb inf 5 6\n', /non-finite value 'inf'/, 2],
    ['a 1 2 3\nb 1e39 5 6\n', /float32 range/, 2],
    ['a 1 2 3\na 4 5 6\n', /duplicate word "a" \(first on line 1;/, 2],
    ['a 1 2 3\nb\n', /no values/, 2],
    ['a 1 2 3\nc 7 8 9\nb 4 5', /expected 3 values.*found 2.*truncated/, 3],
    ['2 3\na 1 2 3\nb 4 5 6\nc 7 8 9\n', /header says 2 words but the file has more rows/, 4],
    ['3 3\na 1 2 3\nb 4 5 6\n', /header says 3 words but the file ends after 2/, -1],
    ['2 3\na 1 2 3\nb 4 5\n', /expected 3 values/, 3],
  ];
  for (const [text, re, line] of cases) {
    throwsAt(() => parseVectors(bytes(text), { file: 'x.txt' }), new RegExp('x\\.txt.*' + re.source), line < 0 ? undefined : line);
    if (line > 0) {
      const v = parseVectors(bytes(text), { file: 'x.txt', lenient: true });
      assert.ok(v.source.skipped! >= 1, text);
      assert.ok(v.size >= 1);
    }
  }
  // invalid UTF-8 word
  const bad = new Uint8Array([...bytes('a 1 2 3\n'), 0xff, 0xfe, ...bytes(' 4 5 6\n')]);
  throwsAt(() => parseVectors(bad, { file: 'u.txt' }), /u\.txt:2: invalid UTF-8/, 2);
  assert.equal(parseVectors(bad, { lenient: true }).size, 1);
  // CRLF and trailing spaces are fine
  const crlf = parseVectors(bytes('a 1 2 3 \r\nb 4 5 6\r\n'));
  assert.deepEqual(crlf.words, ['a', 'b']);
  assert.deepEqual(Array.from(crlf.vector('b')), [4, 5, 6]);
  assert.equal(parseVectors(bytes(good)).size, 2);
  throwsAt(() => parseVectors(new Uint8Array(0), { file: 'e.txt' }), /e\.txt: no vectors found/);
});

test('malformed binary and native input: truncated, NaN, trailing data, corrupt header', () => {
  const g = loadVectors(DIR + 'toy-model.vec');
  const bin = vectorsToBytes(g, { binary: true });
  throwsAt(() => parseVectors(bin.subarray(0, bin.length - 7), { file: 'b.bin' }), /b\.bin: truncated or corrupt word2vec binary file: record 22/);
  const extra = new Uint8Array([...bin, ...bytes('zz ')]);
  throwsAt(() => parseVectors(extra, { file: 'b.bin' }), /bytes of data after the 22 vectors/);
  assert.equal(parseVectors(extra, { lenient: true }).size, 22);
  const nan = bin.slice();
  const at = bin.indexOf(0x20, 5) + 1; // first value of the first record
  new DataView(nan.buffer).setFloat32(at, NaN, true);
  throwsAt(() => parseVectors(nan, { file: 'b.bin' }), /record 1: value 1 is NaN/);
  const native = vectorsToBytes(g, { format: 'wordloom' });
  throwsAt(() => parseVectors(native.subarray(0, native.length - 4), { file: 'n.wlv' }), /n\.wlv: truncated wordloom vectors file/);
  const badVersion = native.slice();
  badVersion[8] = 9;
  throwsAt(() => parseVectors(badVersion, { file: 'n.wlv' }), /n\.wlv: checksum mismatch: the file is damaged/);
  const content = badVersion.subarray(0, badVersion.length - CHECKSUM_TRAILER_BYTES); // written that way: valid checksum
  throwsAt(() => parseVectors(new Uint8Array([...content, ...checksumTrailer([content])]), { file: 'n.wlv' }), /unsupported wordloom vectors version 9/);
});

test('Node loader: chunked streaming equals in-memory parse; atomic save never overwrites silently', () => {
  const dir = mkdtempSync(join(tmpdir(), 'wordloom-vec-'));
  try {
    const ref = parseVectors(readFileSync(GLOVE));
    const chunked = loadVectors(GLOVE, { chunkBytes: 1 << 16 });
    assert.deepEqual(chunked.words, ref.words);
    assert.ok(bitsEqual(chunked.data, ref.data));
    for (const [name, fmt] of [['v.wlv', 'wordloom'], ['v.bin', 'word2vec-binary'], ['v.vec', 'fasttext'], ['v.txt', 'word2vec']] as const) {
      const p = join(dir, name);
      assert.equal(saveVectors(ref, p), fmt);
      const back = loadVectors(p, { chunkBytes: 1 << 16 });
      assert.equal(back.source.format, fmt);
      assert.ok(bitsEqual(back.data, ref.data), name);
      throwsAt(() => saveVectors(ref, p), /refusing to overwrite/);
      saveVectors(back, p, { overwrite: true });
    }
    // a corrupt streamed file names the line even across chunk boundaries
    const lines = readFileSync(GLOVE, 'utf8').split('\n');
    lines[2000] = lines[2000].replace(/ \S+$/, ' oops');
    writeFileSync(join(dir, 'bad.txt'), lines.join('\n'));
    throwsAt(() => loadVectors(join(dir, 'bad.txt'), { chunkBytes: 1 << 16 }), /bad\.txt:2001: not a number: 'oops'/, 2001);
    throwsAt(() => loadVectors(join(dir, 'missing.txt')), /missing\.txt: file not found/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('WordVectors constructor validates shape and duplicates; writers refuse unwritable words', () => {
  throwsAt(() => new WordVectors(['a', 'b'], new Float32Array(5), 3), /matrix has 5 values, expected 2 words × 3/);
  throwsAt(() => new WordVectors(['a', 'a'], new Float32Array(6), 3), /duplicate word "a"/);
  const v = new WordVectors(['a b', 'c'], new Float32Array(6), 3);
  throwsAt(() => vectorsToBytes(v, { format: 'glove' }), /word "a b" cannot be written/);
  assert.equal(parseVectors(vectorsToBytes(v, { format: 'wordloom' })).words[0], 'a b');
});
