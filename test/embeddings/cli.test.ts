// `wordloom vectors …` end to end (through tsx): --json output, errors with exit code 2, convert safety.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const G = 'data/glove-subset/glove.6B.50d.top2446.txt';
function cli(...args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'vectors', ...args], { encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

test('analogy / neighbors / similarity / doesnt-match / info with --json', () => {
  const a = cli('analogy', '--vectors', G, 'paris', 'france', 'tokyo', '--json');
  assert.equal(a.code, 0, a.err);
  const aj = JSON.parse(a.out);
  assert.equal(aj.answers[0].word, 'japan');
  assert.ok(aj.answers[0].score > 0.5);
  const n = JSON.parse(cli('neighbors', '--vectors', G, 'france', '--topn', '3', '--json').out);
  assert.equal(n[0].neighbors.length, 3);
  const s = JSON.parse(cli('similarity', '--vectors', G, 'king', 'queen', '--json').out);
  assert.ok(s.cosine > 0.5 && s.euclidean > 0);
  assert.equal(JSON.parse(cli('doesnt-match', '--vectors', G, 'france', 'germany', 'italy', 'car', '--json').out).doesntMatch, 'car');
  const info = JSON.parse(cli('info', '--vectors', G, '--json').out);
  assert.deepEqual([info.format, info.words, info.dim], ['glove', 2446, 50]);
});

test('errors: unknown word, bad file, lenient → exit 2 with a clean message', () => {
  const u = cli('similarity', '--vectors', G, 'king', 'zzqx');
  assert.equal(u.code, 2);
  assert.match(u.err, /wordloom: word not in vocabulary: "zzqx"/);
  const p = cli('info', '--vectors', 'data/embedding-formats/pretrained.vec');
  assert.equal(p.code, 2);
  assert.match(p.err, /pretrained\.vec: header says 3 words/);
  const l = cli('info', '--vectors', 'data/embedding-formats/pretrained.vec', '--lenient', '--json');
  assert.equal(l.code, 0, l.err);
  assert.equal(JSON.parse(l.out).words, 1);
});

test('convert: formats by extension, refuses to overwrite without --force; eval commands on the result', () => {
  const dir = mkdtempSync(join(tmpdir(), 'wordloom-cli-'));
  try {
    const out = join(dir, 'v.wlv');
    const c = JSON.parse(cli('convert', '--vectors', G, '--output', out, '--json').out);
    assert.equal(c.format, 'wordloom');
    assert.ok(existsSync(out));
    const again = cli('convert', '--vectors', G, '--output', out);
    assert.equal(again.code, 2);
    assert.match(again.err, /refusing to overwrite/);
    assert.equal(cli('convert', '--vectors', G, '--output', out, '--force').code, 0);
    const e = JSON.parse(cli('eval-analogy', '--vectors', out, '--questions', 'data/eval/google-analogy/questions-words.txt', '--json').out);
    assert.equal(e.questions, 19544);
    assert.equal(e.total.seen + e.oov, 19544);
    const s = JSON.parse(cli('eval-similarity', '--vectors', out, '--pairs', 'data/eval/wordsim353/combined.tab', '--json').out);
    assert.equal(s.results[0].total, 353);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
