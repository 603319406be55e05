/**
 * The wordloom model file format (browser-safe: bytes in, bytes out; Node file I/O is in model-file-node.ts).
 *
 * Layout (all integers little-endian):
 *   offset 0   6 bytes   magic "WLOOM\0"
 *   offset 6   uint32    format version (MODEL_FORMAT_VERSION)
 *   offset 10  uint32    byte length L of the JSON header
 *   offset 14  L bytes   JSON header, UTF-8 (see ModelHeader): model type, config, gate order, tensor
 *                        manifest (names + shapes, in storage order), metadata (e.g. a vocabulary),
 *                        weight count and CRC-32 of the weight bytes
 *   zero padding up to the next multiple of 64 bytes (WEIGHTS_ALIGN)
 *   the weights: Σ sizes float32 values, little-endian, tensors concatenated in manifest order, no padding
 *   version 2: the 12-byte checksum trailer (src/kernels/checksum.ts): "WLCKSUM1" + the u32 LE WLSUM32 of every
 *   byte before its last four — header, vocabulary and other metadata, padding and weights alike
 *   end of file (nothing may follow)
 *
 * Decoding checks, in this order, and names the file in a WordloomError: length ≥ header, magic, the checksum
 * (version 2, or any file ending in the trailer tag: checked before anything in the header is trusted), version
 * (future versions are rejected, not guessed), JSON syntax and shape of the header, that the manifest
 * sizes add up to weightCount, that the file is exactly as long as the header says (truncated / trailing
 * bytes). Version 1 files (no trailer; the header's weightsCrc32 covers the weights only) still load, with
 * `checksum: 'none'` on the result and a notice (src/util/notices.ts).
 */
import { WordloomError } from '../util/errors.ts';
import { noChecksumNotice } from '../util/notices.ts';
import { CHECKSUM_TRAILER_BYTES, checksumMissing, checksumTrailer, hasChecksumTrailer, verifyChecksumTrailer } from '../kernels/checksum.ts';
import type { ParamSet } from './params.ts';

export const MODEL_MAGIC = new Uint8Array([0x57, 0x4c, 0x4f, 0x4f, 0x4d, 0x00]); // "WLOOM\0"
/** Version written: 2 = version 1 + the checksum trailer (version 1 files still load). */
export const MODEL_FORMAT_VERSION = 2;
/** Weights start at a multiple of this many bytes (so they can be viewed as aligned float32 / SIMD rows). */
export const WEIGHTS_ALIGN = 64;
const FIXED_HEADER = 14;

/** One tensor in the manifest. */
export interface TensorManifestEntry {
  /** Unique name, e.g. "lstm0.W". */
  name: string;
  /** Row-major shape (product = number of float32 values). */
  shape: number[];
}

/** What a model file describes besides the raw weights. */
export interface ModelHeader {
  /** Model type, e.g. "memory", "sentiment", "word2vec". Loaders check it. */
  modelType: string;
  /** Layer / model configuration as plain JSON (whatever the model's constructor takes). */
  config: unknown;
  /** Gate order per recurrent cell type used in the weights, e.g. { lstm: "i,f,g,o", gru: "z,r,h" }. */
  gateOrder?: Record<string, string>;
  /** Tensors in storage order. */
  tensors: TensorManifestEntry[];
  /** Anything else (vocabulary, training log, optimizer config...). */
  metadata?: Record<string, unknown>;
}

/** Stored header: ModelHeader plus the integrity fields written by encodeModelFile (weightsCrc32: version 1 only). */
interface StoredHeader extends ModelHeader {
  weightCount: number;
  weightsCrc32?: number;
}

/** A decoded model file: header + all weights concatenated (use tensors() to get named views). */
export interface ModelFile {
  header: ModelHeader;
  /** All weights, concatenated in manifest order. */
  weights: Float32Array;
  /** Format version the file was written with. */
  version: number;
  /** 'verified': the whole file matched its checksum; 'none': an older file without one (damage undetectable). */
  checksum: 'verified' | 'none';
}

/** Number of float32 values of a shape. */
export function shapeSize(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

// CRC-32 (IEEE 802.3, reflected, as in zlib/PNG).
let crcTable: Uint32Array | null = null;
export function crc32(bytes: Uint8Array): number {
  if (!crcTable) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) c = crcTable[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

const littleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

function float32ToBytes(w: Float32Array): Uint8Array {
  if (littleEndian) return new Uint8Array(w.buffer, w.byteOffset, w.byteLength);
  const out = new Uint8Array(w.length * 4), dv = new DataView(out.buffer);
  for (let i = 0; i < w.length; i++) dv.setFloat32(i * 4, w[i], true);
  return out;
}

function bytesToFloat32(b: Uint8Array): Float32Array {
  const out = new Float32Array(b.length / 4);
  if (littleEndian) new Uint8Array(out.buffer).set(b);
  else { const dv = new DataView(b.buffer, b.byteOffset, b.byteLength); for (let i = 0; i < out.length; i++) out[i] = dv.getFloat32(i * 4, true); }
  return out;
}

function validateManifest(tensors: unknown, where: { file?: string }): TensorManifestEntry[] {
  if (!Array.isArray(tensors)) throw new WordloomError('model header: "tensors" must be an array', where);
  const seen = new Set<string>();
  for (const [i, t] of tensors.entries()) {
    if (!t || typeof t !== 'object' || typeof t.name !== 'string' || t.name === '') throw new WordloomError(`model header: tensor #${i} has no name`, where);
    if (seen.has(t.name)) throw new WordloomError(`model header: duplicate tensor "${t.name}"`, where);
    seen.add(t.name);
    if (!Array.isArray(t.shape) || !t.shape.every((d: unknown) => Number.isSafeInteger(d) && (d as number) >= 0)) {
      throw new WordloomError(`model header: tensor "${t.name}" has a bad shape ${JSON.stringify(t.shape)}`, where);
    }
  }
  return tensors as TensorManifestEntry[];
}

/**
 * Encode a model: header + weights (concatenated in manifest order; the length must match the manifest).
 */
export function encodeModelFile(header: ModelHeader, weights: Float32Array): Uint8Array {
  if (typeof header.modelType !== 'string' || !header.modelType) throw new WordloomError('model header: modelType must be a non-empty string');
  const tensors = validateManifest(header.tensors, {});
  const count = tensors.reduce((a, t) => a + shapeSize(t.shape), 0);
  if (count !== weights.length) throw new WordloomError(`model header lists ${count} weights, got ${weights.length}`);
  const wbytes = float32ToBytes(weights);
  const stored: StoredHeader = { ...header, tensors, weightCount: count };
  let json: string;
  try { json = JSON.stringify(stored); } catch (e) { throw new WordloomError(`model header is not JSON-serializable: ${(e as Error).message}`); }
  const jbytes = new TextEncoder().encode(json);
  const dataStart = Math.ceil((FIXED_HEADER + jbytes.length) / WEIGHTS_ALIGN) * WEIGHTS_ALIGN;
  const end = dataStart + wbytes.length;
  const out = new Uint8Array(end + CHECKSUM_TRAILER_BYTES);
  out.set(MODEL_MAGIC, 0);
  const dv = new DataView(out.buffer);
  dv.setUint32(6, MODEL_FORMAT_VERSION, true);
  dv.setUint32(10, jbytes.length, true);
  out.set(jbytes, FIXED_HEADER);
  out.set(wbytes, dataStart);
  out.set(checksumTrailer([out.subarray(0, end)]), end);
  return out;
}

/**
 * Decode and validate a model file. `file` is used in error messages (a path or a URL).
 */
export function decodeModelFile(bytes: Uint8Array, file = '<model bytes>'): ModelFile {
  const where = { file };
  if (bytes.length < FIXED_HEADER) throw new WordloomError(`not a wordloom model file: only ${bytes.length} bytes (truncated?)`, where);
  // A trailer is checked before any header byte is trusted (a damaged magic or version then reads as damage).
  const checked = hasChecksumTrailer(bytes);
  if (checked) bytes = bytes.subarray(0, verifyChecksumTrailer(bytes, file));
  for (let i = 0; i < MODEL_MAGIC.length; i++) {
    if (bytes[i] !== MODEL_MAGIC[i]) throw new WordloomError('not a wordloom model file (bad magic; expected "WLOOM\\0")', where);
  }
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = dv.getUint32(6, true);
  if (version >= 2 && !checked) throw checksumMissing(file);
  if (version === 0 || version > MODEL_FORMAT_VERSION) {
    throw new WordloomError(`model file format version ${version} is not supported (this wordloom reads versions 1..${MODEL_FORMAT_VERSION}; upgrade wordloom)`, where);
  }
  const jlen = dv.getUint32(10, true);
  if (FIXED_HEADER + jlen > bytes.length) throw new WordloomError(`truncated model file: header says ${jlen} bytes of JSON, file has ${bytes.length - FIXED_HEADER}`, where);
  let stored: StoredHeader;
  try {
    stored = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(FIXED_HEADER, FIXED_HEADER + jlen)));
  } catch (e) {
    throw new WordloomError(`model header is not valid JSON: ${(e as Error).message}`, where);
  }
  if (!stored || typeof stored !== 'object' || Array.isArray(stored)) throw new WordloomError('model header must be a JSON object', where);
  if (typeof stored.modelType !== 'string' || !stored.modelType) throw new WordloomError('model header: missing "modelType"', where);
  const tensors = validateManifest(stored.tensors, where);
  const count = tensors.reduce((a, t) => a + shapeSize(t.shape), 0);
  if (stored.weightCount !== count) {
    throw new WordloomError(`model header: tensor manifest has ${count} weights but weightCount is ${String(stored.weightCount)}`, where);
  }
  const dataStart = Math.ceil((FIXED_HEADER + jlen) / WEIGHTS_ALIGN) * WEIGHTS_ALIGN;
  const expected = dataStart + 4 * count;
  if (bytes.length < expected) throw new WordloomError(`truncated model file: expected ${expected} bytes for ${count} weights, got ${bytes.length}`, where);
  if (bytes.length > expected) throw new WordloomError(`model file has ${bytes.length - expected} unexpected trailing bytes (expected ${expected} bytes for ${count} weights)`, where);
  const wbytes = bytes.subarray(dataStart, expected);
  if (typeof stored.weightsCrc32 === 'number' && crc32(wbytes) !== stored.weightsCrc32) {
    throw new WordloomError('model weights are corrupt (CRC-32 mismatch)', where);
  }
  if (!checked) noChecksumNotice(file, `model file (format version ${version})`);
  const { weightCount: _c, weightsCrc32: _k, ...header } = stored;
  return { header, weights: bytesToFloat32(wbytes), version, checksum: checked ? 'verified' : 'none' };
}

/** Named views of a decoded file's weights (no copies). */
export function modelTensors(m: ModelFile): Map<string, { shape: number[]; data: Float32Array }> {
  const out = new Map<string, { shape: number[]; data: Float32Array }>();
  let o = 0;
  for (const t of m.header.tensors) {
    const n = shapeSize(t.shape);
    out.set(t.name, { shape: t.shape, data: m.weights.subarray(o, o + n) });
    o += n;
  }
  return out;
}

/** Encode a ParamSet (manifest + values from ps.exportFloat32()) with a model type, config and metadata. */
export function encodeParamSet(ps: ParamSet, modelType: string, config: unknown,
  extra: { gateOrder?: Record<string, string>; metadata?: Record<string, unknown> } = {}): Uint8Array {
  return encodeModelFile({ modelType, config, gateOrder: extra.gateOrder, tensors: ps.manifest(), metadata: extra.metadata }, ps.exportFloat32());
}

/**
 * Load a decoded file's weights into a ParamSet built from the file's config. Names and shapes must match
 * exactly (order may differ); the error names the file and the first mismatching tensor.
 */
export function loadIntoParamSet(m: ModelFile, ps: ParamSet, file = '<model bytes>', expectType?: string): void {
  const where = { file };
  if (expectType !== undefined && m.header.modelType !== expectType) {
    throw new WordloomError(`model type is "${m.header.modelType}", expected "${expectType}"`, where);
  }
  const ts = modelTensors(m);
  for (const s of ps.list()) {
    const t = ts.get(s.name);
    if (!t) throw new WordloomError(`model file has no tensor "${s.name}"`, where);
    if (t.shape.length !== s.shape.length || t.shape.some((d, i) => d !== s.shape[i])) {
      throw new WordloomError(`tensor "${s.name}" has shape [${t.shape}] in the file, the model expects [${s.shape}]`, where);
    }
  }
  if (ts.size !== ps.list().length) {
    const extra = [...ts.keys()].find((k) => !ps.list().some((s) => s.name === k));
    throw new WordloomError(`model file has an unexpected tensor "${extra}"`, where);
  }
  for (const s of ps.list()) ps.view(s).set(ts.get(s.name)!.data);
}

/** Optimizer state as stored in a checkpoint (see encodeCheckpoint). */
export interface CheckpointOptimizer {
  /** Optimizer config (type + options), as from Optimizer.getConfig(). */
  config: { type: string } & Record<string, unknown>;
  /** Steps done. */
  step: number;
  /** Slot buffers (each as long as the ParamSet's flat buffer). */
  slots: Record<string, Float32Array | Float64Array>;
}

const OPTIM_PREFIX = '__optim__.';

/**
 * A resumable-training checkpoint: the ParamSet's tensors plus the optimizer's slot buffers as extra tensors
 * named "__optim__.<slot>" and its config + step counter in metadata.optimizer.
 */
export function encodeCheckpoint(ps: ParamSet, modelType: string, config: unknown, optimizer: CheckpointOptimizer,
  extra: { gateOrder?: Record<string, string>; metadata?: Record<string, unknown> } = {}): Uint8Array {
  const params = ps.exportFloat32();
  const slotNames = Object.keys(optimizer.slots);
  const total = params.length + slotNames.reduce((a, k) => a + optimizer.slots[k].length, 0);
  const weights = new Float32Array(total);
  weights.set(params);
  let o = params.length;
  for (const k of slotNames) { weights.set(optimizer.slots[k], o); o += optimizer.slots[k].length; }
  return encodeModelFile({
    modelType, config, gateOrder: extra.gateOrder,
    tensors: [...ps.manifest(), ...slotNames.map((k) => ({ name: OPTIM_PREFIX + k, shape: [optimizer.slots[k].length] }))],
    metadata: { ...extra.metadata, optimizer: { config: optimizer.config, step: optimizer.step } },
  }, weights);
}

/**
 * Load a checkpoint: parameters into ps (names/shapes checked), and return the optimizer state to pass to
 * Optimizer.importState (null if the file has none).
 */
export function loadCheckpoint(m: ModelFile, ps: ParamSet, file = '<model bytes>', expectType?: string): CheckpointOptimizer | null {
  const where = { file };
  const paramTensors = m.header.tensors.filter((t) => !t.name.startsWith(OPTIM_PREFIX));
  const all = modelTensors(m);
  const count = paramTensors.reduce((a, t) => a + shapeSize(t.shape), 0);
  const weights = new Float32Array(count);
  let o = 0;
  for (const t of paramTensors) { weights.set(all.get(t.name)!.data, o); o += shapeSize(t.shape); }
  loadIntoParamSet({ header: { ...m.header, tensors: paramTensors }, weights, version: m.version, checksum: m.checksum }, ps, file, expectType);
  const meta = m.header.metadata?.optimizer as { config?: CheckpointOptimizer['config']; step?: number } | undefined;
  if (!meta) return null;
  if (!meta.config || typeof meta.config.type !== 'string' || !Number.isSafeInteger(meta.step)) {
    throw new WordloomError('checkpoint: metadata.optimizer needs a config with a type and an integer step', where);
  }
  const slots: Record<string, Float32Array> = {};
  for (const [name, t] of all) if (name.startsWith(OPTIM_PREFIX)) slots[name.slice(OPTIM_PREFIX.length)] = t.data.slice();
  return { config: meta.config, step: meta.step!, slots };
}
