// Text vector files through the WASM row kernel and the multi-threaded Node engine
// (src/embeddings/text-parse-node.ts): every path — plain JS reader (reference kernels), one-thread WASM
// blocks (parseVectors), the Node engine on 1 thread and on 2 threads with tasks forced onto the worker and
// tiny chunks — gives the same words, the same float32 bits (= Math.fround(parseFloat)), the same error
// message and global line number, and the same lenient counts and reasons.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadVectors, parseVectors, type WordVectors } from '../../src/embeddings/index.ts';
import { textLoadStats } from '../../src/embeddings/text-parse-node.ts';
import { textKernel } from '../../src/embeddings/formats.ts';
import { setKernels, K } from '../../src/kernels/index.ts';
import { WordloomError } from '../../src/util/errors.ts';
import { Rng } from '../../src/util/rng.ts';

const dir = mkdtempSync(join(tmpdir(), 'wordloom-text-threads-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const enc = new TextEncoder();
const wasm = K.name;
/** The WASM kernel and the threaded engine need the WASM backend on a shared memory. */
const noEngine = textKernel() === null;

/** Tokens at the edges of the kernel's fast paths (2^53, 8 and 9 digits, exponent ±22/23, signs, dots). */
const EDGE = ['90071992.54740992', '90071992.54740993', '9007199254740992', '9007199254740993', '12345678.12345678',
  '123456789.1', '1.123456789', '-.5', '5.', '-5.', '-0.', '-0.0', '0', '-0', '+0', '+.5', '00000000000012.5',
  '1e22', '1e23', '1e-22', '1e-23', '4.5e+22', '123456789012345678901234', '0.000000000000000000000000001',
  '3.4028234663852886e38', '1.1754943508222875e-38', '1.401298464324817e-45', '7.006492321624085e-46',
  '0.1', '0.2', '0.3', '2.5', '0.30000001192092896', '16777217', '16777216.5', '0.9999999701976776'];

/** A number token in one of many spellings (GloVe/word2vec/fastText/numpy and odd ones). */
function token(rng: Rng): string {
  let x = rng.normal(0, 0.5);
  if (rng.next() < 0.1) x *= 10 ** (rng.int(16) - 8);
  const digits = (n: number) => Array.from({ length: n }, () => String(rng.int(10))).join('');
  switch (rng.int(15)) {
    case 0: return String(Math.fround(x));
    case 1: return x.toPrecision(1 + rng.int(17));
    case 2: return x.toExponential(rng.int(12));
    case 3: return x.toFixed(rng.int(12));
    case 4: return (rng.next() < 0.5 ? '-' : '') + digits(1 + rng.int(22)) + (rng.next() < 0.7 ? '.' + digits(rng.int(22)) : '') +
      (rng.next() < 0.3 ? (rng.next() < 0.5 ? 'e' : 'E') + ['', '+', '-'][rng.int(3)] + (rng.next() < 0.5 ? '0' : '') + digits(1) : '');
    case 11: return `${rng.int(10)}.${digits(1 + rng.int(20))}e-${10 + rng.int(40)}`; // up to the float32 subnormals and 0
    case 12: return EDGE[rng.int(EDGE.length)];
    case 13: return (rng.next() < 0.5 ? '-' : '') + digits(rng.int(10)) + '.' + digits(1 + rng.int(9)); // around the 8+8-digit fast path
    case 5: return '+' + Math.abs(x).toPrecision(6);
    case 6: return '.' + digits(1 + rng.int(9));
    case 7: return '-' + digits(1 + rng.int(3)) + '.';
    case 8: return '000' + Math.abs(x).toFixed(5) + '000';
    case 9: return x.toExponential(4).toUpperCase();
    case 10: return '-0';
    default: return x.toPrecision(5); // GloVe's spelling
  }
}

/** GloVe-like text: `rows` rows of `dim` values, separators mostly single spaces, some CRLF/trailing spaces/blank lines. */
function glove(rng: Rng, rows: number, dim: number, prefix = 'w'): string[] {
  const lines: string[] = [];
  for (let i = 0; i < rows; i++) {
    let l = `${prefix}${i.toString(36)}`;
    for (let j = 0; j < dim; j++) l += (rng.next() < 0.01 ? '  ' : ' ') + token(rng);
    const r = rng.next();
    if (r < 0.02) l += ' ';
    else if (r < 0.04) l += '\r';
    lines.push(l);
    if (rng.next() < 0.005) lines.push(rng.next() < 0.5 ? '' : ' \t');
  }
  return lines;
}

const bits = (v: WordVectors) => Buffer.from(v.data.buffer, v.data.byteOffset, v.data.byteLength);

type Outcome = { ok: true; words: string[]; data: Buffer; skipped: number; reasons: string[]; format: string } | { ok: false; message: string; line?: number };

function outcome(fn: () => WordVectors): Outcome {
  try {
    const v = fn();
    const r: Outcome = { ok: true, words: v.words.slice(), data: Buffer.from(bits(v)), skipped: v.source.skipped ?? 0, reasons: v.source.skippedReasons ?? [], format: v.source.format ?? '' };
    v.dispose();
    return r;
  } catch (e) {
    if (!(e instanceof WordloomError)) throw e;
    return { ok: false, message: e.message, line: e.line };
  }
}

/** Parse `text` every way; all outcomes must be equal. Returns the outcome. */
function allPaths(text: string, name: string, opts: { lenient?: boolean; limit?: number; format?: 'glove' | 'word2vec' | 'auto' } = {}): Outcome {
  const file = join(dir, name);
  const bytes = enc.encode(text);
  writeFileSync(file, bytes);
  const o = { lenient: opts.lenient, limit: opts.limit, format: opts.format };
  setKernels('reference');
  let js: Outcome;
  try {
    js = outcome(() => parseVectors(bytes, { ...o, file }));
  } finally {
    setKernels(wasm);
  }
  const paths: [string, () => WordVectors][] = [
    ['parseVectors (WASM blocks)', () => parseVectors(bytes, { ...o, file })],
    ['loadVectors threads 1', () => loadVectors(file, { ...o, threads: 1 })],
    ['loadVectors threads 1, 4 KiB chunks', () => loadVectors(file, { ...o, threads: 1, chunkBytes: 4096 })],
    ['loadVectors threads 2, 4 KiB chunks', () => loadVectors(file, { ...o, threads: 2, threadsMinBytes: 0, chunkBytes: 4096 })],
  ];
  for (const [label, fn] of paths) {
    const r = outcome(fn);
    if (js.ok && r.ok) {
      assert.deepEqual(r.words, js.words, `${name}: ${label}: words`);
      assert.ok(r.data.equals(js.data), `${name}: ${label}: float32 bits differ from the JS reader`);
      assert.equal(r.skipped, js.skipped, `${name}: ${label}: skipped`);
      assert.deepEqual(r.reasons, js.reasons, `${name}: ${label}: reasons`);
      assert.equal(r.format, js.format, `${name}: ${label}: format`);
    } else {
      assert.deepEqual(r, js, `${name}: ${label}`);
    }
  }
  return js;
}

test('WASM row kernel = Math.fround(parseFloat) on every token, in many spellings', { skip: noEngine }, () => {
  const rng = new Rng(11);
  const lines = glove(rng, 3000, 20);
  const text = lines.join('\n') + '\n';
  const r = allPaths(text, 'spellings.txt');
  assert.ok(r.ok);
  // and against parseFloat directly
  const v = parseVectors(enc.encode(text));
  let i = 0;
  for (const l of lines) {
    const t = l.trim().split(/ +/);
    if (t.length < 2) continue;
    for (let j = 1; j < t.length; j++) {
      assert.ok(Object.is(v.data[i * 20 + j - 1], Math.fround(parseFloat(t[j]))), `row ${i} value ${j}: ${t[j]}`);
    }
    i++;
  }
  assert.equal(i, v.size);
});

test('threads 1 and 2 (tasks on the worker): same words and bits; stats show the worker did the work', { skip: noEngine }, () => {
  const rng = new Rng(12);
  const text = glove(rng, 4000, 50).join('\n'); // no final newline
  textLoadStats({ mainParses: false });
  try {
    allPaths(text, 'big.txt');
    const s = textLoadStats();
    assert.equal(s.threads, 2);
    assert.equal(s.workers, 1);
    assert.ok(s.tasks > 50, `tasks ${s.tasks}`);
    assert.equal(s.byWorkers, s.tasks);
  } finally {
    textLoadStats({ mainParses: true });
  }
});

test('errors: same message and global line for any thread count; lenient: same rows, counts and reasons', { skip: noEngine }, () => {
  const rng = new Rng(13);
  const base = glove(rng, 2500, 30).filter((l) => l.trim()).map((l) => l.trimEnd());
  const edits: [string, (l: string[]) => void, RegExp][] = [
    ['bad number', (l) => { l[1800] = l[1800].replace(/ \S+$/, ' oops'); }, /not a number: 'oops'/],
    ['NaN', (l) => { l[1500] = l[1500].replace(/ \S+$/, ' NaN'); }, /non-finite value 'NaN'/],
    ['float32 overflow', (l) => { l[900] = l[900].replace(/ \S+$/, ' 1e39'); }, /float32 range/],
    ['too few values', (l) => { l[2100] = l[2100].replace(/ \S+$/, ''); }, /expected 30 values.*found 29/],
    ['too many values', (l) => { l[1200] += ' 1.5'; }, /expected 30 values.*found 31/],
    ['duplicate word', (l) => { l[2000] = l[10].split(' ')[0] + l[2000].slice(l[2000].indexOf(' ')); }, /duplicate word "w[0-9a-z]+" \(first on line/],
    ['word without values', (l) => { l[1700] = 'lonely'; }, /no values/],
    ['tab after the word', (l) => { l[300] = l[300].replace(' ', '\t'); }, /expected 30 values.*found 29/],
  ];
  for (const [name, edit, re] of edits) {
    const lines = base.slice();
    edit(lines);
    // a second error later in the file: strict mode must report the first one
    lines[2400] = lines[2400].replace(/ \S+$/, ' zz');
    const edited = lines.findIndex((l, i) => l !== base[i]);
    // blank lines before it count in the line numbers
    lines.splice(1000, 0, '', ' \t ');
    lines.splice(100, 0, '');
    const text = lines.join('\n') + '\n';
    const strict = allPaths(text, `err-${name.replace(/ /g, '-')}.txt`);
    assert.equal(strict.ok, false, name);
    if (!strict.ok) {
      assert.match(strict.message, re, name);
      assert.equal(strict.line, edited + 1 + (edited >= 100 ? 1 : 0) + (edited >= 1000 ? 2 : 0), name);
    }
    const lenient = allPaths(text, `len-${name.replace(/ /g, '-')}.txt`, { lenient: true });
    assert.ok(lenient.ok && lenient.skipped === 2, `${name}: lenient ${JSON.stringify(lenient.ok ? lenient.skipped : lenient)}`);
  }
  // tokens the fast paths must not accept (the JS reader words the error)
  for (const [i, bad] of ['-.', '.', '-', '1.2.3', '--1', '1-2', '0x10', '1e', '1e+', '١', '1\u00a0', 'Infinity', '-inf', '1,5', '1.5e5x', '+-1'].entries()) {
    const lines = base.slice(0, 600);
    lines[500] = lines[500].replace(/ \S+ /, ` ${bad} `);
    const r = allPaths(lines.join('\n') + '\n', `bad-token-${i}.txt`);
    assert.ok(!r.ok && r.line === 501, `${bad}: ${JSON.stringify(r)}`);
  }
  // invalid UTF-8 in a word, deep in the file
  const lines = base.slice();
  const bytes = enc.encode(lines.join('\n') + '\n');
  const at = bytes.indexOf(0x0a, bytes.length >> 1) + 1;
  bytes[at] = 0xff;
  const file = join(dir, 'utf8.txt');
  writeFileSync(file, bytes);
  const lineNo = bytes.subarray(0, at).filter((c) => c === 0x0a).length + 1;
  for (const threads of [1, 2]) {
    assert.throws(() => loadVectors(file, { threads, threadsMinBytes: 0, chunkBytes: 4096 }), (e: unknown) =>
      e instanceof WordloomError && e.line === lineNo && /invalid UTF-8 in the word/.test(e.message));
    const v = loadVectors(file, { threads, threadsMinBytes: 0, chunkBytes: 4096, lenient: true });
    assert.equal(v.source.skipped, 1);
    assert.equal(v.size, 2499);
    v.dispose();
  }
});

test('word2vec text / fastText .vec headers, limit, and a matrix that has to grow', { skip: noEngine }, () => {
  const rng = new Rng(14);
  const rows = glove(rng, 2000, 25).filter((l) => l.trim()).map((l) => l.replace(/\s+$/, ''));
  const body = rows.join('\n') + '\n';
  const w2v = allPaths(`2000 25\n${body}`, 'w2v.txt');
  assert.ok(w2v.ok && w2v.format === 'word2vec' && w2v.words.length === 2000);
  const ft = allPaths(`2000 25\n${rows.map((l) => l + ' ').join('\n')}\n`, 'ft.vec');
  assert.ok(ft.ok && ft.format === 'fasttext');
  // header smaller than the body: error at the first extra row; lenient ignores the extra rows
  const extra = allPaths(`1500 25\n${body}`, 'extra.txt');
  assert.ok(!extra.ok && extra.line === 1502 && /header says 1500 words but the file has more rows/.test(extra.message));
  const extraL = allPaths(`1500 25\n${body}`, 'extra-l.txt', { lenient: true });
  assert.ok(extraL.ok && extraL.words.length === 1500 && extraL.skipped === 500);
  // header larger than the body: truncated
  const trunc = allPaths(`2100 25\n${body}`, 'trunc.txt');
  assert.ok(!trunc.ok && /header says 2100 words but the file ends after 2000/.test(trunc.message));
  // limit (stops reading: a broken row after the limit is never seen)
  const broken = rows.slice(); broken[1900] = 'broken 1 2';
  for (const limit of [1, 7, 1234]) {
    const r = allPaths(broken.join('\n') + '\n', `limit-${limit}.txt`, { limit });
    assert.ok(r.ok && r.words.length === limit, `limit ${limit}`);
    const h = allPaths(`2000 25\n${broken.join('\n')}\n`, `limit-h-${limit}.txt`, { limit });
    assert.ok(h.ok && h.words.length === limit, `header + limit ${limit}`);
  }
  // rows longer than a chunk (4 KiB): the reader takes larger pieces
  const wide = allPaths(glove(new Rng(15), 60, 1500).join('\n') + '\n', 'wide.txt');
  assert.ok(wide.ok && wide.words.length === 60);
  // GloVe whose first row is much longer than the rest: the row estimate is far too small → the matrix grows
  const longFirst = [rows[0].split(/ +/).map((t, i) => (i === 0 ? t : Number(t).toPrecision(17))).join(' '), ...rows.slice(1).map((l) => l.split(/ +/).map((t, i) => (i === 0 ? t : Number(t).toPrecision(1))).join(' '))];
  const grown = allPaths(longFirst.join('\n') + '\n', 'grow.txt');
  assert.ok(grown.ok && grown.words.length === 2000);
  loadVectors(join(dir, 'grow.txt'), { threads: 2, threadsMinBytes: 0, chunkBytes: 4096 }).dispose();
  assert.ok(textLoadStats().grows > 0, 'expected the matrix to grow');
});
