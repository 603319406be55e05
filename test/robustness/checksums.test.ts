// Integrity of every binary artifact wordloom writes: a sentiment model (vocabulary in its header) and its training
// checkpoint, a memory model, a native .wlv vectors file, a word2vec checkpoint and a GloVe checkpoint. One flipped
// byte anywhere — fixed header, vocabulary, padding, weights, trailer — is a clear error naming the file (every byte
// position is tried for the small files; each position class for the rest, through the loaders the CLI uses).
// Files written before checksums (test/fixtures/checksum-legacy, sentiment-onehot-legacy) still load, flagged
// checksum: 'none', with a notice on the CLI's stderr.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeModelFile, encodeModelFile } from '../../src/nn/model-file.ts';
import { loadModelFile } from '../../src/nn/model-file-node.ts';
import { SentimentClassifier } from '../../src/tasks/sentiment/model.ts';
import { loadSentimentModel } from '../../src/tasks/sentiment/train-node.ts';
import { decodeMemoryModel, encodeMemoryModel, trainMemory } from '../../src/tasks/memory/train.ts';
import { parseVectors, vectorsToBytes } from '../../src/embeddings/formats.ts';
import { loadVectors, saveVectors } from '../../src/embeddings/io-node.ts';
import { trainWord2VecFile } from '../../src/embeddings/word2vec/train-node.ts';
import { initGloveParams, loadCheckpoint as loadGloveCheckpoint, saveCheckpoint as saveGloveCheckpoint } from '../../src/embeddings/glove/train-node.ts';
import { CHECKSUM_TRAILER_BYTES } from '../../src/kernels/checksum.ts';
import { WordloomError } from '../../src/util/errors.ts';
import { setNoticeHandler } from '../../src/util/notices.ts';

const LEGACY = 'test/fixtures/checksum-legacy';
const SENTIMENT_LEGACY = 'test/fixtures/sentiment-onehot-legacy/model.wl';
const CORPUS = 'test/fixtures/word2vec/planted.txt';

/** `fn` must throw a WordloomError naming `file` that says the file is damaged or is not what it should be. */
function damaged(fn: () => unknown, file: string, what: string): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof WordloomError, `${what}: not a WordloomError: ${String(e)}`);
    assert.ok(/^[:\s]/.test(e.message.slice(file.length)) && e.message.startsWith(file), `${what}: message does not name the file: ${e.message}`);
    return true;
  }, `${what}: loaded without an error`);
}

async function damagedAsync(fn: () => Promise<unknown>, file: string, what: string): Promise<void> {
  await assert.rejects(fn, (e: unknown) => {
    assert.ok(e instanceof WordloomError && e.message.startsWith(`${file}`), `${what}: ${String(e)}`);
    return true;
  }, `${what}: loaded without an error`);
}

/** A copy of b with byte i changed (a copy even for a Buffer, whose slice() is a view). */
const flip = (b: Uint8Array, i: number): Uint8Array => { const c = new Uint8Array(b); c[i] ^= 0x01; return c; };

/** Named byte positions: fixed header, the first byte of `marker` (e.g. a vocabulary word), weights, trailer. */
function positions(b: Uint8Array, header: number, marker: string, weights: number): Record<string, number> {
  const at = Buffer.from(b).indexOf(Buffer.from(marker));
  assert.ok(at > 0, `marker ${marker} not found`);
  return {
    header, vocabulary: at, weights, 'trailer tag': b.length - CHECKSUM_TRAILER_BYTES + 2, 'trailer checksum': b.length - 2,
  };
}

test('sentiment model: a flipped byte anywhere (header vocabulary included) is a clear error; checkpoint too', () => {
  const legacy = loadSentimentModel(SENTIMENT_LEGACY);
  const bytes = legacy.toBytes();
  const words = legacy.vocab.tokens;
  const dir = mkdtempSync(join(tmpdir(), 'wl-ck-'));
  try {
    // Every byte position, decoded as the page and the server do.
    for (let i = 0; i < bytes.length; i++) damaged(() => SentimentClassifier.fromBytes(flip(bytes, i), 'model.wl'), 'model.wl', `byte ${i}`);
    // Each position class through the file loader the CLI and the server use.
    const file = join(dir, 'model.wl');
    const word = words.find((w) => w.length > 3) ?? 'movie';
    for (const [name, i] of Object.entries(positions(bytes, 7, `"${word}"`, bytes.length - 40))) {
      writeFileSync(file, flip(bytes, i));
      damaged(() => loadSentimentModel(file), file, `sentiment model, ${name} byte ${i}`);
    }
    writeFileSync(file, bytes);
    assert.equal(loadSentimentModel(file).labels.length, legacy.labels.length);
    // Its training checkpoint (<out>.ckpt: same format with the optimizer state), re-saved by this version.
    const old = loadModelFile(SENTIMENT_LEGACY + '.ckpt');
    const ckpt = encodeModelFile(old.header, old.weights);
    for (let i = 0; i < ckpt.length; i += 7) damaged(() => decodeModelFile(flip(ckpt, i), 'model.wl.ckpt'), 'model.wl.ckpt', `checkpoint byte ${i}`);
    assert.equal(decodeModelFile(ckpt).checksum, 'verified');
  } finally { rmSync(dir, { recursive: true, force: true }); }
});

test('memory model: every flipped byte is a clear error', () => {
  const r = trainMemory({ cell: 'gru', length: 4, hidden: 2, steps: 10, evalEvery: 10, testSize: 10 });
  const bytes = encodeMemoryModel(r);
  for (let i = 0; i < bytes.length; i++) damaged(() => decodeMemoryModel(flip(bytes, i), 'm.wlm'), 'm.wlm', `byte ${i}`);
  assert.equal(decodeModelFile(bytes).checksum, 'verified');
});

test('native .wlv vectors: every flipped byte is a clear error (in memory, and through loadVectors with and without --limit)', () => {
  const v = parseVectors(new TextEncoder().encode('the 0.1 0.2 -0.3\nnaïve 1.5 -2 0.25\ncafé 0 0 1e-3\nsun 1 2 3\n'), { format: 'glove' });
  const bytes = vectorsToBytes(v, { format: 'wordloom' });
  for (let i = 0; i < bytes.length; i++) damaged(() => parseVectors(flip(bytes, i), { file: 'v.wlv' }), 'v.wlv', `byte ${i}`);
  const dir = mkdtempSync(join(tmpdir(), 'wl-ck-'));
  try {
    const file = join(dir, 'v.wlv');
    saveVectors(v, file);
    const good = readFileSync(file);
    assert.equal(loadVectors(file).source.checksum, 'verified');
    for (let i = 0; i < good.length; i++) {
      writeFileSync(file, flip(good, i));
      damaged(() => loadVectors(file), file, `loadVectors, byte ${i}`);
      damaged(() => loadVectors(file, { limit: 1 }), file, `loadVectors --limit 1, byte ${i}`);
    }
    writeFileSync(file, good);
    // A larger file: the matrix goes through the WASM kernel in place.
    const big = parseVectors(new TextEncoder().encode(Array.from({ length: 3000 }, (_, i) => `w${i} ${i % 7} ${-i} 0.5 ${i / 3}`).join('\n') + '\n'));
    const bigFile = join(dir, 'big.wlv');
    saveVectors(big, bigFile);
    const b = readFileSync(bigFile);
    for (const [name, i] of Object.entries(positions(b, 13, 'w1234\n', b.length - 1000))) {
      writeFileSync(bigFile, flip(b, i));
      damaged(() => loadVectors(bigFile), bigFile, `big .wlv, ${name} byte ${i}`);
      damaged(() => loadVectors(bigFile, { limit: 10 }), bigFile, `big .wlv --limit 10, ${name} byte ${i}`);
    }
  } finally { rmSync(dir, { recursive: true, force: true }); }
});

test('word2vec checkpoint: a flipped byte in the header, vocabulary, weights or trailer stops --resume', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'wl-ck-'));
  try {
    const ckpt = join(dir, 'run.ckpt');
    await trainWord2VecFile({ train: CORPUS, size: 8, window: 3, minCount: 1, sample: 0, iter: 2, seed: 7, chunkWords: 4000, threads: 1, checkpoint: ckpt, haltAfterChunks: 2 });
    const good = readFileSync(ckpt);
    for (const [name, i] of Object.entries(positions(good, 9, '"words":["', good.length - 100))) {
      writeFileSync(ckpt, flip(good, i));
      await damagedAsync(() => trainWord2VecFile({ train: CORPUS, resume: ckpt, threads: 1 }), ckpt, `${name} byte ${i}`);
    }
    writeFileSync(ckpt, good);
    const done = await trainWord2VecFile({ train: CORPUS, resume: ckpt, threads: 1 });
    assert.deepEqual(done.stats.resumedFrom, { epoch: 0, chunk: 2 });
  } finally { rmSync(dir, { recursive: true, force: true }); }
});

test('GloVe checkpoint: every flipped byte is a clear error', () => {
  const dir = mkdtempSync(join(tmpdir(), 'wl-ck-'));
  try {
    const words = ['ice', 'steam', 'water'];
    const file = join(dir, 'g.ckpt');
    saveGloveCheckpoint(file, initGloveParams(words.length, 4, 3), words, { vectorSize: 4 });
    const good = readFileSync(file);
    for (let i = 0; i < good.length; i++) {
      writeFileSync(file, flip(good, i));
      damaged(() => loadGloveCheckpoint(file, words, 4), file, `byte ${i}`);
    }
    writeFileSync(file, good);
    assert.equal(loadGloveCheckpoint(file, words, 4).V, 3);
  } finally { rmSync(dir, { recursive: true, force: true }); }
});

test('files written before checksums still load, flagged as carrying none, with a notice', async () => {
  const notes: string[] = [];
  const prev = setNoticeHandler((m) => notes.push(m));
  const dir = mkdtempSync(join(tmpdir(), 'wl-ck-'));
  try {
    const v = loadVectors(join(LEGACY, 'vectors-v1.wlv'));
    assert.deepEqual(v.words, ['the', 'naïve', 'café', '😀']);
    assert.equal(v.source.checksum, 'none');
    assert.equal(parseVectors(readFileSync(join(LEGACY, 'vectors-v1.wlv'))).source.checksum, 'none');
    const mem = decodeModelFile(readFileSync(join(LEGACY, 'memory-v1.wlm')));
    assert.equal(mem.version, 1);
    assert.equal(mem.checksum, 'none');
    decodeMemoryModel(readFileSync(join(LEGACY, 'memory-v1.wlm')), 'memory-v1.wlm');
    assert.equal(loadModelFile(SENTIMENT_LEGACY).checksum, 'none');
    assert.equal(loadGloveCheckpoint(join(LEGACY, 'glove-v1.ckpt'), ['ice', 'steam', 'water', 'solid', 'gas'], 4).iter, 1);
    const ckpt = join(dir, 'w2v-v1.ckpt');
    copyFileSync(join(LEGACY, 'w2v-v1.ckpt'), ckpt); // the run rewrites its checkpoint (in the new format)
    const done = await trainWord2VecFile({ train: CORPUS, resume: ckpt, threads: 1 });
    assert.deepEqual(done.stats.resumedFrom, { epoch: 0, chunk: 2 });
    for (const f of ['vectors-v1.wlv', 'memory-v1.wlm', 'model.wl', 'glove-v1.ckpt', 'w2v-v1.ckpt']) {
      assert.ok(notes.some((n) => n.includes(f) && /carries no checksum/.test(n)), `no notice for ${f}: ${notes.join(' | ')}`);
    }
  } finally { setNoticeHandler(prev); rmSync(dir, { recursive: true, force: true }); }
});

test('CLI: one stderr line for an old file, one error line and exit 2 for a damaged one', () => {
  const cli = (file: string) => spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'vectors', 'info', '--vectors', file, '--json'], { encoding: 'utf8' });
  const old = cli(join(LEGACY, 'vectors-v1.wlv'));
  assert.equal(old.status, 0, old.stderr);
  assert.match(old.stderr, /^wordloom: test\/fixtures\/checksum-legacy\/vectors-v1\.wlv: note: .*carries no checksum.*\n$/);
  const dir = mkdtempSync(join(tmpdir(), 'wl-ck-'));
  try {
    const file = join(dir, 'v.wlv');
    const bytes = readFileSync(join(LEGACY, 'vectors-v1.wlv'));
    saveVectors(parseVectors(bytes), file);
    const ok = cli(file);
    assert.equal(ok.status, 0, ok.stderr);
    assert.equal(ok.stderr, '');
    const b = readFileSync(file); b[40] ^= 0x20; writeFileSync(file, b);
    const bad = cli(file);
    assert.equal(bad.status, 2);
    assert.equal(bad.stderr, `wordloom: ${file}: ` + bad.stderr.slice(`wordloom: ${file}: `.length));
    assert.match(bad.stderr, /checksum mismatch: the file is damaged .*\n$/);
    assert.equal(bad.stderr.split('\n').length, 2, 'one line');
  } finally { rmSync(dir, { recursive: true, force: true }); }
});
