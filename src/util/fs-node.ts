/**
 * Node-only file helpers: atomic writes (temp file + fsync + rename), strict UTF-8 reading (gzip-compressed files,
 * recognised by their magic bytes 1f 8b, are decompressed first; the UTF-8 rule applies to the decompressed text).
 * Never import this from code that must run in the browser (the inference path).
 */
import { openSync, writeSync, fsyncSync, closeSync, renameSync, unlinkSync, readFileSync, existsSync } from 'node:fs';
import { dirname, basename, join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { WordloomError } from './errors.ts';

let tmpCounter = 0;

/**
 * Write `data` to `path` atomically: the file is either the old one or the complete new one,
 * never half-written. With `overwrite: false` an existing file is an error (nothing is overwritten silently).
 */
export function writeFileAtomic(path: string, data: Uint8Array | string | (Uint8Array | string)[], opts: { overwrite?: boolean } = {}): void {
  if (opts.overwrite === false && existsSync(path)) {
    throw new WordloomError('refusing to overwrite an existing file (pass --force to replace it)', { file: path });
  }
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${tmpCounter++}.tmp`);
  const fd = openSync(tmp, 'w');
  try {
    for (const part of Array.isArray(data) ? data : [data]) {
      const buf = typeof part === 'string' ? Buffer.from(part, 'utf8') : part;
      let off = 0;
      while (off < buf.length) off += writeSync(fd, buf, off, buf.length - off);
    }
    fsyncSync(fd);
  } catch (e) {
    closeSync(fd);
    try { unlinkSync(tmp); } catch { /* already gone */ }
    throw e;
  }
  closeSync(fd);
  renameSync(tmp, path);
}

const strictDecoder = new TextDecoder('utf-8', { fatal: true });

/**
 * Decode bytes as UTF-8, failing with the file and line of the first invalid byte sequence.
 */
export function decodeUtf8Strict(bytes: Uint8Array, file: string): string {
  try {
    return strictDecoder.decode(bytes);
  } catch {
    // Find the first bad line to name it.
    let line = 1, start = 0;
    for (let i = 0; i <= bytes.length; i++) {
      if (i === bytes.length || bytes[i] === 0x0a) {
        try { strictDecoder.decode(bytes.subarray(start, i)); } catch {
          throw new WordloomError('invalid UTF-8 byte sequence', { file, line });
        }
        line++; start = i + 1;
      }
    }
    throw new WordloomError('invalid UTF-8', { file });
  }
}

/** True when the bytes start with the gzip magic number (1f 8b). */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/** Read a whole file's bytes, decompressing gzip (by magic bytes, whatever the name); a corrupt gzip stream names the file. */
export function readFileBytes(path: string): Uint8Array {
  if (!existsSync(path)) throw new WordloomError('file not found', { file: path });
  const raw = readFileSync(path);
  if (!isGzip(raw)) return raw;
  try {
    return gunzipSync(raw);
  } catch (e) {
    throw new WordloomError(`corrupt gzip data: ${(e as Error).message}`, { file: path });
  }
}

/** Read a whole text file (plain or gzip-compressed) as strict UTF-8; invalid bytes name the file and line. */
export function readTextFile(path: string): string {
  return decodeUtf8Strict(readFileBytes(path), path);
}
