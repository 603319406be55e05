// `wordloom vectors …` end to end (through tsx): --json output, errors with exit code 2, convert safety.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/main.ts';

const G = 'data/glove-subset/glove.6B.50d.top2446.txt';
/** Run `wordloom vectors …` in this process, capturing stdout (console.log) and stderr. */
async function cli(...args: string[]) {
  let out = '', err = '';
  const log = console.log, write = process.stderr.write.bind(process.stderr);
  console.log = (...a: unknown[]) => { out += a.join(' ') + '\n'; };
  process.stderr.write = ((chunk: string | Uint8Array) => { err += String(chunk); return true; }) as typeof process.stderr.write;
  try {
    const code = await main(['vectors', ...args]);
    return { code, out, err };
  } finally {
    console.log = log;
    process.stderr.write = write;
  }
}

test('analogy / neighbors / similarity / doesnt-match / info with --json', async () => {
  const a = await cli('analogy', '--vectors', G, 'paris', 'france', 'tokyo', '--json');
  assert.equal(a.code, 0, a.err);
  const aj = JSON.parse(a.out);
  assert.equal(aj.answers[0].word, 'japan');
  assert.ok(aj.answers[0].score > 0.5);
  const n = JSON.parse((await cli('neighbors', '--vectors', G, 'france', '--topn', '3', '--json')).out);
  assert.equal(n[0].neighbors.length, 3);
  const s = JSON.parse((await cli('similarity', '--vectors', G, 'king', 'queen', '--json')).out);
  assert.ok(s.cosine > 0.5 && s.euclidean > 0);
  assert.equal(JSON.parse((await cli('doesnt-match', '--vectors', G, 'france', 'germany', 'italy', 'car', '--json')).out).doesntMatch, 'car');
  const info = JSON.parse((await cli('info', '--vectors', G, '--json')).out);
  assert.deepEqual([info.format, info.words, info.dim], ['glove', 2446, 50]);
  // --threads: same result for any thread count; validated
  const t1 = JSON.parse((await cli('info', '--vectors', G, '--threads', '1', '--json')).out);
  const t2 = JSON.parse((await cli('info', '--vectors', G, '--threads', '2', '--json')).out);
  assert.deepEqual({ ...t1, loadSeconds: 0 }, { ...info, loadSeconds: 0 });
  assert.deepEqual({ ...t2, loadSeconds: 0 }, { ...info, loadSeconds: 0 });
  const bad = await cli('info', '--vectors', G, '--threads', '0');
  assert.notEqual(bad.code, 0);
});

test('errors: unknown word, bad file, lenient → exit 2 with a clean message', async () => {
  const u = await cli('similarity', '--vectors', G, 'king', 'zzqx');
  assert.equal(u.code, 2);
  assert.match(u.err, /wordloom: word not in vocabulary: "zzqx"/);
  const p = await cli('info', '--vectors', 'data/embedding-formats/pretrained.vec');
  assert.equal(p.code, 2);
  assert.match(p.err, /pretrained\.vec: header says 3 words/);
  const l = await cli('info', '--vectors', 'data/embedding-formats/pretrained.vec', '--lenient', '--json');
  assert.equal(l.code, 0, l.err);
  assert.equal(JSON.parse(l.out).words, 1);
});

test('convert: formats by extension, refuses to overwrite without --force; eval commands on the result', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'wordloom-cli-'));
  try {
    const out = join(dir, 'v.wlv');
    const c = JSON.parse((await cli('convert', '--vectors', G, '--output', out, '--json')).out);
    assert.equal(c.format, 'wordloom');
    assert.ok(existsSync(out));
    const again = await cli('convert', '--vectors', G, '--output', out);
    assert.equal(again.code, 2);
    assert.match(again.err, /refusing to overwrite/);
    assert.equal((await cli('convert', '--vectors', G, '--output', out, '--force')).code, 0);
    const e = JSON.parse((await cli('eval-analogy', '--vectors', out, '--questions', 'data/eval/google-analogy/questions-words.txt', '--json')).out);
    assert.equal(e.questions, 19544);
    assert.equal(e.total.seen + e.oov, 19544);
    const s = JSON.parse((await cli('eval-similarity', '--vectors', out, '--pairs', 'data/eval/wordsim353/combined.tab', '--json')).out);
    assert.equal(s.results[0].total, 353);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
