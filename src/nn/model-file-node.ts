/**
 * Node-only model file I/O: atomic save (temp file + rename; never overwrites unless asked) and load
 * with validation. The format itself is in model-file.ts (browser-safe).
 */
import { readFileSync, existsSync, statSync } from 'node:fs';
import { writeFileAtomic } from '../util/fs-node.ts';
import { WordloomError } from '../util/errors.ts';
import { decodeModelFile, encodeModelFile, type ModelFile, type ModelHeader } from './model-file.ts';

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
  return decodeModelFile(readFileSync(path), path);
}
