// Model file format: round-trip (bytes and disk), named tensors, ParamSet load, and every corruption
// (truncated, wrong magic, future version, size mismatch, bad JSON, flipped bytes → checksum, trailing bytes).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ParamSet } from '../../src/nn/params.ts';
import { decodeModelFile, encodeModelFile, encodeParamSet, loadIntoParamSet, modelTensors, WEIGHTS_ALIGN, type ModelHeader } from '../../src/nn/model-file.ts';
import { saveModelFile, loadModelFile } from '../../src/nn/model-file-node.ts';
import { WordloomError } from '../../src/util/errors.ts';
import { CHECKSUM_TRAILER_BYTES, checksumTrailer } from '../../src/kernels/checksum.ts';
import { Rng } from '../../src/util/rng.ts';

function sample(): ParamSet {
  const ps = new ParamSet();
  ps.add('lstm0.W', [3, 8]); ps.add('lstm0.b', [8]); ps.add('head.W', [2, 1]);
  ps.finalize();
  new Rng(3).fillNormal(ps.data);
  return ps;
}
const meta = { vocabulary: ['the', 'ünïcödé', '😀'], note: 'x' };

function bytes(): Uint8Array {
  return encodeParamSet(sample(), 'memory', { cell: 'lstm', hidden: 2 }, { gateOrder: { lstm: 'i,f,g,o' }, metadata: meta });
}

function rejects(b: Uint8Array, re: RegExp): void {
  assert.throws(() => decodeModelFile(b, 'm.wloom'), (e: unknown) => e instanceof WordloomError && e.message.startsWith('m.wloom: ') && re.test(e.message));
}

test('round-trip: header, metadata and exact float32 values', () => {
  const ps = sample();
  const b = bytes();
  assert.equal(new TextDecoder().decode(b.subarray(0, 6)), 'WLOOM\0');
  const m = decodeModelFile(b);
  assert.equal(m.version, 2);
  assert.equal(m.checksum, 'verified');
  assert.equal(m.header.modelType, 'memory');
  assert.deepEqual(m.header.config, { cell: 'lstm', hidden: 2 });
  assert.deepEqual(m.header.gateOrder, { lstm: 'i,f,g,o' });
  assert.deepEqual(m.header.metadata, meta);
  assert.deepEqual(m.header.tensors, ps.manifest());
  assert.deepEqual(Array.from(m.weights), Array.from(ps.exportFloat32()));
  assert.equal((b.length - CHECKSUM_TRAILER_BYTES - 4 * ps.count()) % WEIGHTS_ALIGN, 0, 'weights start aligned');
  assert.deepEqual(Array.from(modelTensors(m).get('lstm0.b')!.data), Array.from(ps.view('lstm0.b')));
  const ps2 = new ParamSet(); ps2.add('head.W', [2, 1]); ps2.add('lstm0.W', [3, 8]); ps2.add('lstm0.b', [8]); ps2.finalize();
  loadIntoParamSet(m, ps2, 'm.wloom', 'memory');
  assert.deepEqual(Array.from(ps2.view('lstm0.W')), Array.from(ps.view('lstm0.W')));
});

test('loadIntoParamSet names the file and the mismatching tensor', () => {
  const m = decodeModelFile(bytes());
  const wrongShape = new ParamSet(); wrongShape.add('lstm0.W', [3, 4]); wrongShape.add('lstm0.b', [8]); wrongShape.add('head.W', [2, 1]); wrongShape.finalize();
  assert.throws(() => loadIntoParamSet(m, wrongShape, 'a.wloom'), /a\.wloom: tensor "lstm0\.W" has shape \[3,8\] in the file/);
  const missing = new ParamSet(); missing.add('gru0.W', [1]); missing.finalize();
  assert.throws(() => loadIntoParamSet(m, missing, 'a.wloom'), /no tensor "gru0\.W"/);
  const fewer = new ParamSet(); fewer.add('lstm0.W', [3, 8]); fewer.add('lstm0.b', [8]); fewer.finalize();
  assert.throws(() => loadIntoParamSet(m, fewer, 'a.wloom'), /unexpected tensor "head\.W"/);
  assert.throws(() => loadIntoParamSet(m, fewer, 'a.wloom', 'sentiment'), /model type is "memory", expected "sentiment"/);
});

/** A file made of `content` plus a fresh checksum trailer (so the structural checks after the checksum run). */
function seal(content: Uint8Array): Uint8Array {
  const out = new Uint8Array(content.length + CHECKSUM_TRAILER_BYTES);
  out.set(content); out.set(checksumTrailer([content]), content.length);
  return out;
}

test('corruptions are rejected with a clear message naming the file', () => {
  const good = bytes();
  const content = good.subarray(0, good.length - CHECKSUM_TRAILER_BYTES);
  rejects(good.subarray(0, 5), /only 5 bytes/);
  rejects(good.subarray(0, good.length - 1), /checksum trailer .* is missing .*truncated/);
  const flipped = good.slice(); flipped[flipped.length - 15] ^= 0x10; rejects(flipped, /checksum mismatch: the file is damaged/);
  const magic0 = good.slice(); magic0[0] = 0x58; rejects(magic0, /checksum mismatch/);
  // Structurally broken files that carry a valid checksum (written that way):
  rejects(seal(content.subarray(0, content.length - 1)), /truncated model file/);
  rejects(seal(content.subarray(0, 40)), /truncated model file: header says/);
  const magic = content.slice(); magic[0] = 0x58; rejects(seal(magic), /bad magic/);
  const future = content.slice(); new DataView(future.buffer).setUint32(6, 3, true); rejects(seal(future), /version 3 is not supported/);
  const zero = content.slice(); new DataView(zero.buffer).setUint32(6, 0, true); rejects(seal(zero), /version 0 is not supported/);
  const trailing = new Uint8Array(content.length + 4); trailing.set(content); rejects(seal(trailing), /4 unexpected trailing bytes/);
  const json = content.slice(); json[14] = 0x5b; /* '{' → '[' */ rejects(seal(json), /not valid JSON/);
  // A header whose manifest disagrees with the stored weight count (a size mismatch).
  const jlen = new DataView(content.buffer, content.byteOffset).getUint32(10, true);
  const text = new TextDecoder().decode(content.subarray(14, 14 + jlen)).replace('"shape":[8]', '"shape":[9]');
  const edited = content.slice(); edited.set(new TextEncoder().encode(text), 14); rejects(seal(edited), /manifest has 35 weights but weightCount is 34/);
  const bad = content.slice(); bad.set(new TextEncoder().encode(text.replace('"shape":[9]', '"shape":"9"')), 14); rejects(seal(bad), /bad shape "9"/);
  // A version 2 header without the trailer (e.g. cut off exactly at the end of the weights).
  rejects(content, /checksum trailer .* is missing/);
});

test('encode rejects a manifest that does not match the weights', () => {
  const h: ModelHeader = { modelType: 'x', config: {}, tensors: [{ name: 'a', shape: [2, 2] }] };
  assert.throws(() => encodeModelFile(h, new Float32Array(3)), /lists 4 weights, got 3/);
  assert.throws(() => encodeModelFile({ ...h, tensors: [{ name: 'a', shape: [1] }, { name: 'a', shape: [1] }] }, new Float32Array(2)), /duplicate tensor "a"/);
});

test('disk: atomic save refuses to overwrite unless asked; load names the path', () => {
  const dir = mkdtempSync(join(tmpdir(), 'wloom-'));
  try {
    const p = join(dir, 'm.wloom');
    const h: ModelHeader = { modelType: 'x', config: { a: 1 }, tensors: [{ name: 'w', shape: [3] }] };
    saveModelFile(p, h, new Float32Array([1, 2, 3]));
    assert.throws(() => saveModelFile(p, h, new Float32Array([4, 5, 6])), /refusing to overwrite/);
    assert.deepEqual(Array.from(loadModelFile(p).weights), [1, 2, 3]);
    saveModelFile(p, h, new Float32Array([4, 5, 6]), { overwrite: true });
    assert.deepEqual(Array.from(loadModelFile(p).weights), [4, 5, 6]);
    writeFileSync(p, readFileSync(p).subarray(0, 70));
    assert.throws(() => loadModelFile(p), (e: unknown) => e instanceof WordloomError && e.file === p && /truncated/.test(e.message));
    assert.throws(() => loadModelFile(join(dir, 'nope.wloom')), /nope\.wloom: model file not found/);
  } finally { rmSync(dir, { recursive: true, force: true }); }
});

test('checkpoint: parameters + Adam state restore to the same trajectory as an uninterrupted run', async () => {
  const { Adam, createOptimizer } = await import('../../src/nn/optim.ts');
  const { encodeCheckpoint, loadCheckpoint } = await import('../../src/nn/model-file.ts');
  const grad = (ps: ParamSet) => { for (const s of ps.list()) { const p = ps.view(s), g = ps.gradView(s); for (let i = 0; i < p.length; i++) g[i] = 0.3 * p[i] - 0.1 * (i % 5); } };
  const make = () => { const ps = new ParamSet(); ps.add('a', [3, 4]); ps.add('b', [5]); ps.finalize(); new Rng(11).fillNormal(ps.data); return ps; };
  const full = make(), o1 = new Adam({ lr: 0.05 });
  for (let s = 0; s < 8; s++) { full.zeroGrad(); grad(full); o1.step(full); }
  const part = make(), o2 = new Adam({ lr: 0.05 });
  for (let s = 0; s < 3; s++) { part.zeroGrad(); grad(part); o2.step(part); }
  const bytes = encodeCheckpoint(part, 'toy', { n: 1 }, o2.exportState(), { metadata: { note: 'x' } });
  const f = decodeModelFile(bytes, 'ck.wloom');
  assert.equal(f.header.metadata?.note, 'x');
  const resumed = make();
  resumed.data.fill(0);
  const st = loadCheckpoint(f, resumed, 'ck.wloom', 'toy')!;
  assert.equal(st.step, 3);
  const o3 = createOptimizer(st.config as never);
  o3.importState(st as never, resumed);
  for (let s = 0; s < 5; s++) { resumed.zeroGrad(); grad(resumed); o3.step(resumed); }
  assert.deepEqual(Array.from(resumed.exportFloat32()), Array.from(full.exportFloat32()));
  const plain = decodeModelFile(encodeParamSet(make(), 'toy', {}));
  assert.equal(loadCheckpoint(plain, make()), null);
});
