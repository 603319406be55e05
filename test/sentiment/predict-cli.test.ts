// `wordloom sentiment predict` on files, arguments and stdin: JSONL / TSV / CSV / text in, JSON lines out (the same
// numbers as the model's own predict), one rule for empty texts, strict UTF-8 (or --lenient), missing columns,
// over-long texts, atomic --output with --force, the output location checked before any work.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, readFileSync, existsSync, readdirSync, openSync, writeSync, closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { gzipSync } from 'node:zlib';
import { main } from '../../src/cli/main.ts';
import { SentimentClassifier } from '../../src/tasks/sentiment/model.ts';
import { resolveConfig } from '../../src/tasks/sentiment/config.ts';
import { Vocabulary } from '../../src/text/vocabulary.ts';
import { Rng } from '../../src/util/rng.ts';
import { fileRecords } from '../../src/tasks/sentiment/predict-input-node.ts';
import { POS, NEG, FILL } from '../helpers/sentiment-data.ts';

let dir: string;
let modelFile: string;
let model: SentimentClassifier;

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'wl-predict-'));
  const vocab = Vocabulary.build([[...POS, ...NEG, ...FILL]]);
  model = new SentimentClassifier({ ...resolveConfig({ embeddingInit: 'random' }), embeddingDim: 8, hiddenSize: 6, numClasses: 2 }, vocab, ['neg', 'pos']);
  model.initialize(new Rng(5));
  modelFile = join(dir, 'm.wl');
  writeFileSync(modelFile, model.toBytes());
});

/** Run the CLI in this process, capturing stdout (console.log) and stderr. */
async function cli(...args: string[]) {
  let out = '', err = '';
  const log = console.log, write = process.stderr.write.bind(process.stderr);
  console.log = (...a: unknown[]) => { out += a.join(' ') + '\n'; };
  process.stderr.write = ((chunk: string | Uint8Array) => { err += String(chunk); return true; }) as typeof process.stderr.write;
  try {
    const code = await main(['sentiment', 'predict', '--model', modelFile, ...args]);
    return { code, out, err };
  } finally {
    console.log = log;
    process.stderr.write = write;
  }
}
/** The CLI as a child process (for stdin). */
const spawn = (args: string[], input: string | Buffer) =>
  spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'sentiment', 'predict', '--model', modelFile, ...args], { encoding: 'utf8', input });

const file = (name: string, content: string | Buffer) => { const p = join(dir, name); writeFileSync(p, content); return p; };
const lines = (s: string) => s.trim().split('\n').map((l) => JSON.parse(l));

test('JSONL in, JSON lines out: ids, labels, stars, probabilities equal the model\'s own predictions', async () => {
  const texts = ['a great and moving film', 'boring , dull and tedious', 'the plot was really fun'];
  const input = file('r.jsonl', texts.map((t, i) => JSON.stringify({ id: `r${i}`, rating: 3, text: t })).join('\n') + '\n');
  const out = join(dir, 'r.out.jsonl');
  const r = await cli('--input', input, '--output', out);
  assert.equal(r.code, 0, r.err);
  assert.equal(r.out, '');
  assert.match(r.err, /predicted 3 texts with the rnn model/);
  const got = lines(readFileSync(out, 'utf8'));
  const want = model.predict(texts);
  assert.deepEqual(got.map((g) => g.id), ['r0', 'r1', 'r2']);
  got.forEach((g, i) => {
    assert.equal(g.label, want[i].label);
    assert.equal(g.stars, want[i].stars);
    assert.ok(Math.abs(g.probabilities.neg - want[i].probs[0]) < 1e-6 && Math.abs(g.probabilities.pos - want[i].probs[1]) < 1e-6);
    assert.ok(Math.abs(g.expectedStars - (want[i].probs[0] + 2 * want[i].probs[1])) < 1e-5);
    assert.equal(g.text, undefined);
  });
  // batching does not change anything: one text per batch gives the same lines
  const one = await cli('--input', input, '--batch-size', '1');
  assert.deepEqual(lines(one.out), got);
  // refuses to overwrite, --force replaces; no temporary file is left behind
  const again = await cli('--input', input, '--output', out);
  assert.equal(again.code, 2);
  assert.match(again.err, /refusing to overwrite/);
  assert.equal((await cli('--input', input, '--output', out, '--force', '--include-text')).code, 0);
  assert.equal(lines(readFileSync(out, 'utf8'))[1].text, texts[1]);
  assert.deepEqual(readdirSync(dir).filter((n) => n.endsWith('.tmp')), []);
});

test('TSV and CSV (header names or 0-based indices, quoted newlines) and plain text give the same predictions', async () => {
  const texts = ['a great film', 'dull , "really" dull\nand bad', 'fun'];
  const want = model.predict(texts).map((p) => p.probs[1].toFixed(6));
  const csv = file('r.csv', 'id,text\n' + texts.map((t, i) => `${i},"${t.replace(/"/g, '""')}"`).join('\r\n') + '\n');
  const tsv = file('r.tsv', texts.map((t, i) => `${i}\t${t.replace('\n', ' ')}`).join('\n') + '\n');
  const txt = file('r.txt', texts.map((t) => t.replace('\n', ' ')).join('\n') + '\n');
  const c = await cli('--input', csv);
  assert.equal(c.code, 0, c.err);
  assert.deepEqual(lines(c.out).map((l) => [l.id, l.probabilities.pos.toFixed(6)]), texts.map((_, i) => [String(i), want[i]]));
  const flat = model.predict(texts.map((t) => t.replace('\n', ' '))).map((p) => p.probs[1].toFixed(6));
  const t = await cli('--input', tsv, '--text-column', '1', '--id-column', '0');
  assert.equal(t.code, 0, t.err);
  assert.deepEqual(lines(t.out).map((l) => [l.id, l.probabilities.pos.toFixed(6)]), texts.map((_, i) => [String(i), flat[i]]));
  const x = await cli('--input', txt);
  assert.equal(x.code, 0, x.err);
  assert.deepEqual(lines(x.out).map((l) => l.probabilities.pos.toFixed(6)), flat);
  // CSV whose header lacks the column
  const bad = await cli('--input', csv, '--text-column', 'review');
  assert.equal(bad.code, 2);
  assert.match(bad.err, /r\.csv:1 --text-column: no column "review" in the header row \(columns: id, text\)/);
});

test('gzip input (by magic bytes, like every reader of the project): JSON lines from reviews.jsonl.gz; a truncated one names the file', async () => {
  const texts = ['a great film', 'dull and bad', 'fun'];
  const want = model.predict(texts).map((p) => p.probs[1].toFixed(6));
  const gz = join(dir, 'r.jsonl.gz');
  const bytes = gzipSync(Buffer.from(texts.map((t, i) => JSON.stringify({ id: i, text: t })).join('\n') + '\n'));
  writeFileSync(gz, bytes);
  const r = await cli('--input', gz);
  assert.equal(r.code, 0, r.err);
  assert.deepEqual(lines(r.out).map((l) => [l.id, l.probabilities.pos.toFixed(6)]), texts.map((_, i) => [i, want[i]]));
  const cut = join(dir, 'cut.jsonl.gz');
  writeFileSync(cut, bytes.subarray(0, bytes.length - 12));
  const bad = await cli('--input', cut);
  assert.equal(bad.code, 2);
  assert.match(bad.err, /cut\.jsonl\.gz: corrupt gzip data/);
});

test('one rule for empty texts: argument k, stdin line, file and line', async () => {
  const a = await cli('a great film', '   ');
  assert.equal(a.code, 2);
  assert.match(a.err, /^wordloom: argument 2: empty text\n$/);
  const s = spawn([], 'great fun\n\t \nboring\n');
  assert.equal(s.status, 2);
  assert.match(s.stderr, /^wordloom: stdin:2: empty text\n$/);
  const t = await cli('--input', file('e.txt', 'fun\n\nbad\n'));
  assert.match(t.err, /e\.txt:2: empty text/);
  const j = await cli('--input', file('e.jsonl', '{"text":"fun"}\n\n{"id":7,"text":"  "}\n'));
  assert.equal(j.code, 2);
  assert.match(j.err, /e\.jsonl:3 --text-column: empty text/);
  const c = await cli('--input', file('e.csv', 'text\nfun\n""\n'));
  assert.match(c.err, /e\.csv:3 --text-column: empty text/);
  // empty stdin and an empty file are errors too
  const none = spawn([], '');
  assert.equal(none.status, 2);
  assert.match(none.stderr, /no text on stdin/);
  assert.match((await cli('--input', file('empty.jsonl', ''))).err, /empty\.jsonl --input: empty file/);
  // stdin lines that are fine: one line per text, in order, the texts echoed
  const ok = spawn(['--json'], 'great fun\r\nboring and dull\n');
  assert.equal(ok.status, 0, ok.stderr);
  assert.deepEqual(lines(ok.stdout).map((l) => l.text), ['great fun', 'boring and dull']);
});

test('JSONL: a line without the text column, a non-string text, bad JSON → file, line and flag', async () => {
  const f = file('m.jsonl', '{"text":"fun"}\n{"review":"great"}\n');
  const r = await cli('--input', f);
  assert.equal(r.code, 2);
  assert.match(r.err, /m\.jsonl:2 --text-column: no field "text" in this object \(fields: review\)/);
  assert.equal((await cli('--input', f, '--text-column', 'review')).code, 2); // line 1 lacks "review"
  assert.match((await cli('--input', file('n.jsonl', '{"text":5}\n'))).err, /n\.jsonl:1 --text-column: field "text" must be a string, got number/);
  assert.match((await cli('--input', file('b.jsonl', '{"text":"a"}\n{"text": \n'))).err, /b\.jsonl:2: invalid JSON/);
  assert.match((await cli('--input', f, '--id-column', 'key')).err, /m\.jsonl:1 --id-column: no field "key"/);
});

test('non-UTF-8 bytes: error naming file and line (stdin too), or U+FFFD with --lenient', async () => {
  const bytes = Buffer.concat([Buffer.from('{"text":"fun"}\n{"text":"bad '), Buffer.from([0xff, 0xfe]), Buffer.from('"}\n')]);
  const f = file('u.jsonl', bytes);
  const r = await cli('--input', f);
  assert.equal(r.code, 2);
  assert.match(r.err, /u\.jsonl:2: invalid UTF-8 byte sequence \(--lenient/);
  const l = await cli('--input', f, '--lenient', '--include-text');
  assert.equal(l.code, 0, l.err);
  assert.equal(lines(l.out)[1].text, 'bad \ufffd\ufffd');
  const s = spawn([], Buffer.concat([Buffer.from('fun\nbad '), Buffer.from([0xc3, 0x28]), Buffer.from('\n')]));
  assert.equal(s.status, 2);
  assert.match(s.stderr, /stdin:2: invalid UTF-8/);
});

test('a 10 MB review is refused quickly, naming the line and --max-chars; --max-chars raises the limit', async () => {
  const f = join(dir, 'huge.jsonl');
  const fd = openSync(f, 'w');
  writeSync(fd, '{"id":1,"text":"a fine film"}\n{"id":2,"text":"');
  const chunk = 'the film was great and fun . '.repeat(10_000);
  for (let n = 0; n < 10 * 1024 * 1024; n += chunk.length) writeSync(fd, chunk);
  writeSync(fd, '"}\n');
  closeSync(fd);
  const r = await cli('--input', f);
  assert.equal(r.code, 2);
  assert.match(r.err, /huge\.jsonl:2 --max-chars: line longer than 1,648,576 bytes: over the text length limit/);
  // a text a little over the limit: the message says how long it is
  const g = file('long.txt', 'fun '.repeat(30) + '\n');
  const m = await cli('--input', g, '--max-chars', '100');
  assert.match(m.err, /long\.txt:1 --max-chars: text has 120 characters, over the limit of 100 \(--max-chars raises it; 0 = no limit\)/);
  assert.equal((await cli('--input', g, '--max-chars', '200')).code, 0);
  const arg = await cli('x'.repeat(101), '--max-chars', '100');
  assert.match(arg.err, /argument 1: text has 101 characters/);
});

test('the output location is checked before any work; --output never equals the input', async () => {
  const input = file('ok.jsonl', '{"text":"fun"}\n');
  const missing = await cli('--input', input, '--output', join(dir, 'no-such-dir', 'o.jsonl'));
  assert.equal(missing.code, 2);
  assert.match(missing.err, /--output: folder .*no-such-dir does not exist/);
  assert.doesNotMatch(missing.err, /predicted/);
  const same = await cli('--input', input, '--output', input, '--force');
  assert.match(same.err, /--output is the input file/);
  assert.equal(readFileSync(input, 'utf8'), '{"text":"fun"}\n');
  // an input error after some batches leaves no output file
  const bad = file('bad-late.jsonl', '{"text":"fun"}\n'.repeat(5) + '{"text":""}\n');
  const out = join(dir, 'late.jsonl');
  assert.equal((await cli('--input', bad, '--output', out, '--batch-size', '2')).code, 2);
  assert.equal(existsSync(out), false);
  assert.deepEqual(readdirSync(dir).filter((n) => n.endsWith('.tmp')), []);
  assert.match((await cli('--input', join(dir, 'nope.jsonl'))).err, /nope\.jsonl --input: file not found/);
  assert.match((await cli('fun', '--input', input)).err, /not both/);
});

test('fileRecords streams: records come one at a time from a file bigger than one read chunk', () => {
  const n = 30_000;
  const f = file('many.txt', Array.from({ length: n }, (_, i) => `review number ${i} was fun`).join('\n'));
  let k = 0;
  for (const r of fileRecords(f)) {
    assert.equal(r.text, `review number ${k} was fun`);
    assert.equal(r.where, `${f}:${k + 1}`);
    k++;
  }
  assert.equal(k, n);
});
