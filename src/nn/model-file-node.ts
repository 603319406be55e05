/**
 * Node-only model file I/O: atomic save (temp file + rename; never overwrites unless asked) and load
 * with validation. The format itself is in model-file.ts (browser-safe).
 */
import { existsSync, statSync } from 'node:fs';
import { readInputFile, writeFileAtomic } from '../util/fs-node.ts';
import { WordloomError } from '../util/errors.ts';
import { CHECKSUM_TRAILER_BYTES } from '../kernels/checksum.ts';
import { decodeModelFile, encodeModelFile, MODEL_MAGIC, WEIGHTS_ALIGN, type ModelFile, type ModelHeader } from './model-file.ts';

/** Most bytes of JSON a model header may claim when the file's size is unknown (a FIFO, a device). */
export const MAX_MODEL_HEADER_BYTES = 256 << 20;

/**
 * The length a model file claims (read from a FIFO or device, whose size is unknown): the fixed header, then the
 * JSON header (at most MAX_MODEL_HEADER_BYTES) for its weight count, and (version ≥ 2) the checksum trailer. Stops early where the decoder will fail anyway.
 */
function modelFileClaim(read: (n: number) => Uint8Array, file: string): number {
  const head = read(14);
  if (head.length < 14 || MODEL_MAGIC.some((b, i) => head[i] !== b)) return head.length;
  const jlen = new DataView(head.buffer, head.byteOffset, 14).getUint32(10, true);
  if (jlen > MAX_MODEL_HEADER_BYTES) throw new WordloomError(`model header claims ${jlen} bytes of JSON, more than the ${MAX_MODEL_HEADER_BYTES} allowed`, { file });
  const json = read(jlen);
  if (json.length < jlen) return 14 + json.length;
  let count: unknown;
  try { count = (JSON.parse(new TextDecoder().decode(json)) as { weightCount?: unknown }).weightCount; } catch { return 14 + jlen; }
  if (!Number.isSafeInteger(count) || (count as number) < 0) return 14 + jlen;
  const version = new DataView(head.buffer, head.byteOffset, 14).getUint32(6, true);
  const trailer = version >= 2 ? CHECKSUM_TRAILER_BYTES : 0;
  return Math.ceil((14 + jlen) / WEIGHTS_ALIGN) * WEIGHTS_ALIGN + 4 * (count as number) + trailer;
}

export interface SaveModelOptions {
  /** Replace an existing file (the CLI's --force). Default false: an existing file is an error. */
  overwrite?: boolean;
}

/** Encode and write a model file atomically. */
export function saveModelFile(path: string, header: ModelHeader, weights: Float32Array, opts: SaveModelOptions = {}): void {
  writeFileAtomic(path, encodeModelFile(header, weights), { overwrite: opts.overwrite ?? false });
}

/** Write already-encoded model bytes atomically (e.g. from encodeParamSet). */
export function saveModelBytes(path: string, bytes: Uint8Array, opts: SaveModelOptions = {}): void {
  writeFileAtomic(path, bytes, { overwrite: opts.overwrite ?? false });
}

/** Read and validate a model file; errors name the path. */
export function loadModelFile(path: string): ModelFile {
  if (!existsSync(path)) throw new WordloomError('model file not found', { file: path });
  if (statSync(path).isDirectory()) throw new WordloomError('expected a model file, got a directory', { file: path });
  return decodeModelFile(readInputFile(path, undefined, (read) => modelFileClaim(read, path)), path);
}
