/**
 * Node file I/O for word vectors: `loadVectors(path)` (text files: the multi-threaded WASM engine of
 * text-parse-node.ts; word2vec binary: the streaming reader; both with progress in bytes; native files:
 * one direct read of the matrix into K.alloc memory, checksum verified — version 2) and `saveVectors(vectors, path)` (atomic, never
 * overwriting unless asked). Node-only: the browser uses `parseVectors(bytes)` from formats.ts.
 */
import { closeSync, existsSync, fstatSync, openSync, readSync, statSync } from 'node:fs';
import { extname } from 'node:path';
import { K } from '../kernels/index.ts';
import { WordloomError } from '../util/errors.ts';
import { writeFileAtomic } from '../util/fs-node.ts';
import { silentProgress, type ProgressReporter } from '../util/progress.ts';
import {
  CHECKSUM_TRAILER_BYTES, Checksum, checksumMismatch, checksumMissing, hasChecksumTrailer, trailerChecksum,
} from '../kernels/checksum.ts';
import {
  NATIVE_HEADER_BYTES, VectorReader, finishNative, outputFormat, readNativeHeader, readNativeWords, serializeVectors,
  type NativeHeader, type ParseOptions, type SerializeOptions, type VectorFormat,
} from './formats.ts';
import { TEXT_CHUNK_BYTES, TEXT_THREADS_MIN_BYTES, defaultLoadThreads, loadTextEngine } from './text-parse-node.ts';
import type { WordVectors } from './word-vectors.ts';

/** Options of `loadVectors` (ParseOptions + reading and threading). */
export interface LoadOptions extends Omit<ParseOptions, 'file' | 'totalBytes'> {
  /** Read size in bytes: one task of the text engine (default 8 MiB), or the buffer of the binary reader (default 16 MiB). */
  chunkBytes?: number;
  /**
   * Threads parsing text files (GloVe, word2vec text, fastText .vec), the calling thread included; default:
   * the available cores, at most 8. The result does not depend on it (same words, bits, errors).
   */
  threads?: number;
  /** Text files smaller than this are parsed on the calling thread only (default 32 MiB: worker start-up is not worth it). */
  threadsMinBytes?: number;
}

export const LOAD_DEFAULTS = { chunkBytes: TEXT_CHUNK_BYTES, threadsMinBytes: TEXT_THREADS_MIN_BYTES } as const;

/** Options of `saveVectors`. */
export interface SaveOptions extends SerializeOptions {
  /** Replace an existing file (default false: an existing file is an error). */
  overwrite?: boolean;
  /** The flag that named the file, for error messages (e.g. "--output"). */
  flag?: string;
}

const NATIVE_MAGIC_PREFIX = [0x57, 0x4c, 0x56, 0x45, 0x43, 0x00, 0x0d, 0x0a];

function readFully(fd: number, target: Uint8Array, position: number, file: string): void {
  let off = 0;
  while (off < target.length) {
    const n = readSync(fd, target, off, Math.min(target.length - off, 1 << 30), position + off);
    if (n <= 0) throw new WordloomError(`unexpected end of file after ${position + off} bytes`, { file });
    off += n;
  }
}

/**
 * Load word vectors from a file (format auto-detected unless `format`/`binary` is given).
 * Text and word2vec-binary files stream through `VectorReader` in chunks (progress in bytes);
 * native `.wlv` files are read with one read straight into the K.alloc'd matrix.
 */
export function loadVectors(path: string, opts: LoadOptions = {}): WordVectors {
  const threads = opts.threads ?? defaultLoadThreads();
  if (!Number.isInteger(threads) || threads < 1) throw new WordloomError(`threads must be an integer ≥ 1, got ${threads}`, { flag: '--threads' });
  if (!existsSync(path)) throw new WordloomError('file not found', { file: path });
  if (statSync(path).isDirectory()) throw new WordloomError('is a directory, expected a vectors file', { file: path });
  const progress = opts.progress ?? silentProgress;
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    const head = new Uint8Array(Math.min(size, NATIVE_HEADER_BYTES));
    readFully(fd, head, 0, path);
    const native = head.length >= 8 && NATIVE_MAGIC_PREFIX.every((c, i) => head[i] === c);
    const forced = opts.binary ? 'word2vec-binary' : opts.format ?? 'auto';
    if (native && forced !== 'auto' && forced !== 'wordloom') {
      throw new WordloomError(`this is a native wordloom vectors file, not ${forced}`, { file: path });
    }
    if (forced === 'wordloom' || native) return loadNative(fd, path, size, head, opts.limit ?? 0, progress);
    if (forced === 'auto' && endsWithTrailer(fd, path, size)) verifyFileChecksum(fd, path, size); // a native file whose magic is damaged
    const reader = new VectorReader({ ...opts, file: path, totalBytes: size });
    progress.start('load', size, 'bytes');
    try {
      let rest: Uint8Array = new Uint8Array(0), pos = 0;
      if (reader.format !== 'word2vec-binary') {
        const fb = loadTextEngine(fd, size, reader, {
          threads, threadsMinBytes: opts.threadsMinBytes ?? LOAD_DEFAULTS.threadsMinBytes,
          chunkBytes: opts.chunkBytes ?? LOAD_DEFAULTS.chunkBytes, progress,
        });
        if (fb === null) {
          progress.update({ done: size, total: size });
          return reader.finish();
        }
        rest = fb.rest; pos = fb.pos; // not for the engine: stream the rest
      }
      let buf = new Uint8Array(Math.max(1 << 16, opts.chunkBytes ?? 1 << 24, rest.length * 2));
      buf.set(rest);
      let have = rest.length;
      for (;;) {
        const r = pos < size ? readSync(fd, buf, have, buf.length - have, pos) : 0;
        pos += r; have += r;
        const final = pos >= size || r === 0;
        const used = reader.consume(buf.subarray(0, have), final);
        if (final || reader.complete) break; // EOF, or `limit` words read
        if (used === 0 && have === buf.length) {
          const bigger = new Uint8Array(buf.length * 2);
          bigger.set(buf.subarray(0, have));
          buf = bigger;
        } else {
          buf.copyWithin(0, used, have);
          have -= used;
        }
        progress.update({ done: pos - have, total: size });
      }
      progress.update({ done: size, total: size });
      return reader.finish();
    } finally {
      progress.stop();
    }
  } finally {
    closeSync(fd);
  }
}

/**
 * A native `.wlv` file: header, words block, matrix read straight into K.alloc memory. Version 2 files pass every
 * byte through the checksum (the matrix in place, by the WASM kernel) and are verified before the words are
 * parsed; a header that does not add up in a file ending in the trailer is reported as damage when the checksum
 * says so. With `limit`, the unread rows are still checksummed (streamed, not kept).
 */
function loadNative(fd: number, path: string, size: number, head: Uint8Array, limit: number, progress: ProgressReporter): WordVectors {
  const tail = new Uint8Array(size >= NATIVE_HEADER_BYTES + CHECKSUM_TRAILER_BYTES ? CHECKSUM_TRAILER_BYTES : 0);
  readFully(fd, tail, size - tail.length, path);
  const tagged = hasChecksumTrailer(tail);
  let h: NativeHeader;
  try { h = readNativeHeader(head, path, size); } catch (e) {
    if (tagged) verifyFileChecksum(fd, path, size);
    throw e;
  }
  if (h.checksummed && !tagged) throw checksumMissing(path);
  const sum = h.checksummed ? new Checksum().update(head) : null;
  const block = new Uint8Array(h.matrixOffset - NATIVE_HEADER_BYTES); // words + padding
  readFully(fd, block, NATIVE_HEADER_BYTES, path);
  sum?.update(block);
  const rows = limit > 0 ? Math.min(limit, h.vocab) : h.vocab;
  const m = K.alloc(rows * h.dim);
  const mBytes = new Uint8Array(m.buffer, m.byteOffset, m.byteLength);
  progress.start('load', m.byteLength, 'bytes');
  if (!sum) readFully(fd, mBytes, h.matrixOffset, path);
  else {
    // Checksum each piece right after reading it, while it is still in the CPU cache.
    for (let p = 0; p < mBytes.length; p += HASH_PIECE_BYTES) {
      const piece = mBytes.subarray(p, Math.min(mBytes.length, p + HASH_PIECE_BYTES));
      readFully(fd, piece, h.matrixOffset + p, path);
      sum.update(piece);
    }
  }
  progress.update({ done: m.byteLength, total: m.byteLength });
  progress.stop();
  if (sum) {
    checksumRange(fd, path, h.matrixOffset + m.byteLength, size - CHECKSUM_TRAILER_BYTES, sum);
    sum.update(tail.subarray(0, CHECKSUM_TRAILER_BYTES - 4));
    const stored = trailerChecksum(tail), computed = sum.digest();
    if (stored !== computed) { K.free(m); throw checksumMismatch(path, stored, computed); }
  }
  const words = readNativeWords(block.subarray(0, h.wordsBytes), h.vocab, path);
  return finishNative(rows < h.vocab ? words.slice(0, rows) : words, m, h.dim, path, h.checksummed);
}

/** Matrix bytes read and checksummed at a time (fits in L2, a multiple of the checksum's 128-byte stripe). */
const HASH_PIECE_BYTES = 1 << 20;

/** Whether the file's last 12 bytes are a checksum trailer. */
function endsWithTrailer(fd: number, path: string, size: number): boolean {
  if (size < CHECKSUM_TRAILER_BYTES) return false;
  const tail = new Uint8Array(CHECKSUM_TRAILER_BYTES);
  readFully(fd, tail, size - tail.length, path);
  return hasChecksumTrailer(tail);
}

/** Feed file bytes [from, to) to the checksum (16 MiB reads). */
function checksumRange(fd: number, path: string, from: number, to: number, sum: Checksum): void {
  if (to <= from) return;
  const buf = new Uint8Array(Math.min(1 << 24, to - from));
  for (let p = from; p < to; p += buf.length) {
    const part = buf.subarray(0, Math.min(buf.length, to - p));
    readFully(fd, part, p, path);
    sum.update(part);
  }
}

/** Check a whole file against its trailer (throws the mismatch; returns when it matches). */
function verifyFileChecksum(fd: number, path: string, size: number): void {
  const sum = new Checksum();
  checksumRange(fd, path, 0, size - 4, sum);
  const last = new Uint8Array(4);
  readFully(fd, last, size - 4, path);
  const stored = trailerChecksum(last), computed = sum.digest();
  if (stored !== computed) throw checksumMismatch(path, stored, computed);
}

/** The format implied by a file name: .wlv → wordloom, .bin → word2vec-binary, .vec → fasttext, else word2vec text. */
export function formatForPath(path: string): VectorFormat {
  switch (extname(path).toLowerCase()) {
    case '.wlv': return 'wordloom';
    case '.bin': return 'word2vec-binary';
    case '.vec': return 'fasttext';
    default: return 'word2vec';
  }
}

/**
 * Write vectors atomically (temp file + rename). Format from `format`/`binary`, else from the extension
 * (`formatForPath`). An existing file is an error unless `overwrite: true`.
 */
export function saveVectors(vectors: WordVectors, path: string, opts: SaveOptions = {}): VectorFormat {
  const format = opts.format || opts.binary ? outputFormat(opts) : formatForPath(path);
  const chunks = serializeVectors(vectors, { ...opts, format, binary: undefined });
  writeFileAtomic(path, chunks, { overwrite: opts.overwrite ?? false, flag: opts.flag });
  return format;
}
