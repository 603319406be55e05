/**
 * Word-vector file formats, parsed from bytes and written to bytes (browser-safe: no node:* imports).
 *
 * | format            | layout |
 * | ---               | ---    |
 * | `glove`           | text, no header: `word v1 … vD\n` (the GloVe tool's trailing `<unk>` row is an ordinary word) |
 * | `word2vec`        | text, header `V D\n`, then `word v1 … vD\n` (word2vec.c `-binary 0`, gensim `save_word2vec_format`) |
 * | `fasttext`        | fastText `.vec`: the word2vec text layout, every row ends with a space (`… vD \n`) |
 * | `word2vec-binary` | header `V D\n`, then per word `word␠` + D little-endian float32 (+ an optional `\n`, which word2vec.c writes and gensim does not); word lengths are UTF-8 bytes |
 * | `wordloom`        | native: 32-byte header (magic, version, vocab, dim, flags, words-block bytes), `\n`-terminated UTF-8 words, zero padding to a 64-byte boundary, the raw float32 LE matrix — loads with one read; version 2 ends with the 12-byte checksum trailer of src/kernels/checksum.ts (WLSUM32 of every byte before its last four), verified on load; version 1 (no trailer) still loads, with `source.checksum = 'none'` |
 *
 * Text rows are parsed straight from the bytes (`parseFloatBytes`, no string per number); words are
 * strict UTF-8. Malformed input — a truncated file, a wrong number of values in a row, a non-number,
 * NaN/Inf (or a value outside float32), a duplicate word, invalid UTF-8, a header that disagrees with the
 * body — is a WordloomError naming the file and line (binary formats: the record and byte offset).
 * With `lenient: true` bad rows are skipped and counted in `vectors.source` instead.
 *
 * `VectorReader` is incremental (feed it chunks), so the Node loader streams big files with progress;
 * `parseVectors(bytes)` runs it over one buffer. Once the dimensionality is known, text rows are parsed in
 * blocks of lines by the WASM kernel `vecParseText` (src/kernels/wasm/as/vectors.ts; bit-identical to
 * `Math.fround(parseFloat)`), `applyBlock` does the per-line bookkeeping in file order (words, duplicates,
 * limit, header count, errors), and every line the kernel does not take goes through the JS row parser —
 * so results and error messages do not depend on the path, nor on how the Node loader splits a file
 * between threads (src/embeddings/text-parse-node.ts).
 *
 * Reference: gensim 4.2 `KeyedVectors.load_word2vec_format` (`no_header=True` for GloVe) — we accept what
 * it accepts, but are strict where it is silent (gensim reads only V rows of a longer file and stops; we
 * report the extra rows).
 */
import { K, allocBytes, freeBytes, inHeap, wasmAvailable, wasmExports, wasmMemory, wasmSharedMemory } from '../kernels/index.ts';
import { CHECKSUM_TRAILER_BYTES, checksumMissing, checksumTrailer, hasChecksumTrailer, verifyChecksumTrailer } from '../kernels/checksum.ts';
import { WordloomError } from '../util/errors.ts';
import { noChecksumNotice } from '../util/notices.ts';
import { silentProgress, type ProgressReporter } from '../util/progress.ts';
import { POW10, formatFloat32, parseFloatBytes, type ParsedNumber } from './numbers.ts';
import { WordVectors } from './word-vectors.ts';

/** File formats. `fasttext` reads exactly like `word2vec` (text with header). */
export type VectorFormat = 'glove' | 'word2vec' | 'fasttext' | 'word2vec-binary' | 'wordloom';
export const VECTOR_FORMATS: readonly VectorFormat[] = ['glove', 'word2vec', 'fasttext', 'word2vec-binary', 'wordloom'];

/** Options for reading vectors. */
export interface ParseOptions {
  /** Format, or `auto` (default) to detect it from the first bytes. */
  format?: VectorFormat | 'auto';
  /** Shorthand like gensim's `binary=True`: the word2vec binary format. */
  binary?: boolean;
  /** Read only the first N words (0/undefined: all). */
  limit?: number;
  /** Skip and count malformed rows instead of failing. Default false. */
  lenient?: boolean;
  /** File name used in error messages. */
  file?: string;
  /** Progress (phase "load", unit "bytes"). */
  progress?: ProgressReporter;
  /** Total input size in bytes (for progress and to size the matrix of header-less files). */
  totalBytes?: number;
}

export const PARSE_DEFAULTS = { format: 'auto', lenient: false, limit: 0 } as const;

/** Options for writing vectors. */
export interface SerializeOptions {
  /** Output format (default `word2vec`). */
  format?: VectorFormat;
  /** Shorthand: true selects `word2vec-binary`. */
  binary?: boolean;
  /** word2vec-binary only: write `\n` after each vector as word2vec.c does (default true; gensim writes none). */
  newline?: boolean;
}

export const SERIALIZE_DEFAULTS = { format: 'word2vec', newline: true } as const;

/** Native format magic: "WLVEC\0\r\n" (the CR LF catches text-mode mangling, like PNG). */
export const NATIVE_MAGIC = new Uint8Array([0x57, 0x4c, 0x56, 0x45, 0x43, 0x00, 0x0d, 0x0a]);
/** Version written: 2 = version 1 + the checksum trailer. Both are read. */
export const NATIVE_VERSION = 2;
export const NATIVE_HEADER_BYTES = 32;
export const NATIVE_ALIGN = 64;

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;
const utf8 = new TextDecoder('utf-8', { fatal: true });
const encoder = new TextEncoder();

function isNative(b: Uint8Array): boolean {
  if (b.length < NATIVE_MAGIC.length) return false;
  for (let i = 0; i < NATIVE_MAGIC.length; i++) if (b[i] !== NATIVE_MAGIC[i]) return false;
  return true;
}

/** `V D` on the first line → [V, D], else null. */
function parseHeader(b: Uint8Array, start: number, end: number): [number, number] | null {
  const nums: number[] = [];
  let p = start;
  while (p < end) {
    while (p < end && (b[p] === 0x20 || b[p] === 0x09 || b[p] === 0x0d)) p++;
    if (p >= end) break;
    let v = 0, nd = 0;
    while (p < end && b[p] >= 0x30 && b[p] <= 0x39) { v = v * 10 + (b[p] - 0x30); nd++; p++; }
    if (nd === 0 || (p < end && b[p] !== 0x20 && b[p] !== 0x09 && b[p] !== 0x0d)) return null;
    nums.push(v);
  }
  return nums.length === 2 ? [nums[0], nums[1]] : null;
}

/**
 * Guess the format from the first bytes: native magic; a `V D` header followed by a text row
 * (word2vec/fastText text) or by raw floats (word2vec binary); otherwise GloVe text.
 */
export function detectFormat(b: Uint8Array): VectorFormat {
  if (isNative(b)) return 'wordloom';
  let nl = b.indexOf(0x0a);
  if (nl < 0) nl = b.length;
  const h = parseHeader(b, 0, nl);
  if (!h) return 'glove';
  // Text if the next line is `word` + D numbers; binary otherwise.
  const start = nl + 1;
  let end = b.indexOf(0x0a, start);
  if (end < 0) end = b.length;
  const sp = b.indexOf(0x20, start);
  if (sp < 0 || sp >= end) return h[0] === 0 ? 'word2vec' : 'word2vec-binary';
  const num: ParsedNumber = { value: 0, end: 0 };
  let p = sp + 1, count = 0;
  while (p < end) {
    while (p < end && (b[p] === 0x20 || b[p] === 0x09 || b[p] === 0x0d)) p++;
    if (p >= end) break;
    parseFloatBytes(b, p, end, num);
    if (num.value !== num.value) return 'word2vec-binary';
    count++; p = num.end;
  }
  if (count !== h[1]) return 'word2vec-binary';
  return b[end - 1] === 0x20 ? 'fasttext' : 'word2vec';
}

/** The WASM text-row kernels (src/kernels/wasm/as/vectors.ts); pointers are heap byte offsets. */
export interface TextKernel {
  /** Parse a block of complete lines into rows; see vecParseText. Returns the number of lines. */
  vecParseText(src: number, len: number, dim: number, out: number, room: number, info: number): number;
  /** Count the bytes equal to `byte` in src[0, len). */
  vecCountByte(src: number, len: number, byte: number): number;
}

/**
 * The text kernel of the main thread's WASM instance, or null when rows cannot be parsed in WASM here:
 * the reference kernels are active (K.alloc is not heap memory), or the heap is not a shared memory
 * (a growing non-shared heap would detach the matrix).
 */
export function textKernel(): TextKernel | null {
  if (!K.name.startsWith('wasm') || !wasmAvailable() || !wasmSharedMemory()) return null;
  const x = wasmExports() as unknown as Partial<TextKernel>;
  return typeof x.vecParseText === 'function' && typeof x.vecCountByte === 'function' ? x as TextKernel : null;
}

/** Line end (index of its '\n', or the block end) of line k of a parsed block. */
function lineEnd(b: Uint8Array, count: number, info: Int32Array, k: number): number {
  if (k + 1 < count) return info[2 * k + 2] - 1;
  const len = b.length;
  return len > 0 && b[len - 1] === 0x0a ? len - 1 : len;
}

/** End of line b[p, e) without its trailing spaces, tabs and CRs. */
function trimLineEnd(b: Uint8Array, p: number, e: number): number {
  while (e > p && (b[e - 1] === 0x20 || b[e - 1] === 0x0d || b[e - 1] === 0x09)) e--;
  return e;
}

/**
 * Lines of the block heap[src, src + len) for vecParseText: its '\n' count, plus a last line without '\n'
 * (for which a '\n' sentinel is written at src + len, as the kernel requires).
 */
export function blockLines(x: TextKernel, heap: Uint8Array, src: number, len: number): number {
  let lines = x.vecCountByte(src, len, 0x0a);
  if (heap[src + len - 1] !== 0x0a) { heap[src + len] = 0x0a; lines++; }
  return lines;
}

/** Text blocks smaller than this are parsed in JS (the WASM call and copy are not worth it). */
const BLOCK_MIN_BYTES = 1 << 14;
/** Bytes per WASM call of the one-thread reader (the block is copied into the heap). */
const BLOCK_STEP_BYTES = 1 << 22;

function resolveFormat(opts: ParseOptions): VectorFormat | 'auto' {
  if (opts.binary) {
    if (opts.format && opts.format !== 'auto' && opts.format !== 'word2vec-binary') {
      throw new WordloomError(`binary: true conflicts with format "${opts.format}"`, { flag: '--binary' });
    }
    return 'word2vec-binary';
  }
  const f = opts.format ?? 'auto';
  if (f !== 'auto' && !VECTOR_FORMATS.includes(f)) throw new WordloomError(`unknown format "${f}" (expected auto, ${VECTOR_FORMATS.join(', ')})`, { flag: '--format' });
  return f;
}

/**
 * Incremental reader for the text and word2vec-binary formats. Call `consume(bytes, final)` with the
 * unconsumed tail of the previous chunk followed by new bytes; it returns how many bytes it used.
 */
export class VectorReader {
  format: VectorFormat | 'auto';
  private readonly lenient: boolean;
  private readonly limit: number;
  private readonly file: string;
  private readonly totalBytes: number;
  private dim = 0;
  private headerCount = -1;
  private target = Infinity;
  private started = false;
  private done = false;
  private line = 0;
  private n = 0;
  private cap = 0;
  private mat: Float32Array | null = null;
  private words: string[] = [];
  private lines: Int32Array = new Int32Array(1024);
  private readonly index = new Map<string, number>();
  private skipped = 0;
  private extra = 0;
  private readonly reasons: string[] = [];
  private offset = 0; // absolute byte offset of the current chunk start
  private readonly num: ParsedNumber = { value: 0, end: 0 };
  private tmp: number[] = [];
  /**
   * For the Node text engine (text-parse-node.ts): `consume` returns as soon as the dimensionality is
   * known (after the header, or GloVe's first row), and the engine feeds the rest through `applyBlock`.
   */
  handOff = false;

  constructor(opts: ParseOptions = {}) {
    this.format = resolveFormat(opts);
    if (this.format === 'wordloom') throw new WordloomError('VectorReader: the native format is read by parseVectors/loadVectors');
    const limit = opts.limit ?? 0;
    if (!Number.isInteger(limit) || limit < 0) throw new WordloomError(`limit must be a non-negative integer, got ${limit}`, { flag: '--limit' });
    this.limit = limit;
    this.lenient = opts.lenient ?? PARSE_DEFAULTS.lenient;
    this.file = opts.file ?? '<bytes>';
    this.totalBytes = opts.totalBytes ?? 0;
    if (limit > 0) this.target = limit;
  }

  /** True once `limit` words are read: the caller may stop feeding bytes. */
  get complete(): boolean {
    return this.done && this.limit > 0 && this.n >= this.limit;
  }

  private fail(msg: string, line?: number): void {
    const where = line !== undefined ? { file: this.file, line } : { file: this.file };
    if (!this.lenient) throw new WordloomError(msg, where);
    this.skipped++;
    if (this.reasons.length < 20) this.reasons.push(`${this.file}${line !== undefined ? ':' + line : ''}: ${msg}`);
  }

  private ensureCapacity(rows: number): void {
    if (rows <= this.cap) return;
    this.resize(Math.max(rows, Math.ceil(this.cap * 1.5), 64), this.n);
  }

  /** New matrix of `cap` rows keeping the first `keep` rows. */
  private resize(cap: number, keep: number): void {
    let m: Float32Array;
    try {
      m = K.alloc(cap * this.dim);
    } catch (e) {
      throw new WordloomError(`cannot allocate ${((cap * this.dim * 4) / 2 ** 20).toFixed(0)} MiB for ${cap} × ${this.dim} vectors (${(e as Error).message}); read fewer words with --limit`, { file: this.file });
    }
    if (this.mat) { m.set(this.mat.subarray(0, keep * this.dim)); K.free(this.mat); }
    this.mat = m;
    this.cap = cap;
  }

  // --- state for the Node text engine (text-parse-node.ts); not part of the public API

  /** @internal Dimensionality (0 until known). */
  get dims(): number { return this.dim; }
  /** @internal Rows read so far. */
  get rows(): number { return this.n; }
  /** @internal Rows the matrix can hold. */
  get capacity(): number { return this.cap; }
  /** @internal Rows wanted: the header count or `limit` (Infinity for GloVe without a limit). */
  get rowTarget(): number { return this.target; }
  /** @internal The matrix (K.alloc memory) rows are written to. */
  get matrix(): Float32Array | null { return this.mat; }

  /**
   * @internal Grow the matrix to `cap` rows, keeping ALL current rows (also rows a block wrote beyond
   * the rows read so far). The caller makes sure no other thread is writing to the matrix.
   */
  growMatrix(cap: number): void {
    if (cap > this.cap) this.resize(cap, this.cap);
  }

  /**
   * @internal Per-line bookkeeping, in file order, for a block of complete lines `b` that vecParseText
   * parsed: `count` lines, `info` its per-line output, line k's values in matrix row `slot + k` (when
   * info[2k+1] ≥ 0). Rows move down over blank/skipped lines; other lines go through the JS row parser.
   * Returns false once `limit` words are read (stop feeding blocks).
   */
  applyBlock(b: Uint8Array, count: number, info: Int32Array, slot: number): boolean {
    const dim = this.dim;
    for (let k = 0; k < count; k++) {
      const p = info[2 * k], st = info[2 * k + 1];
      this.line++;
      if (st === -1) continue; // blank line
      if (this.done) {
        if (!this.afterTarget()) return false;
        continue;
      }
      if (st >= 0) {
        let word: string;
        try { word = decodeWord(b, p, st); } catch {
          this.fail('invalid UTF-8 in the word', this.line); continue;
        }
        if (this.addWord(word, this.line) < 0) continue;
        const s = slot + k;
        if (s !== this.n) this.mat!.copyWithin(this.n * dim, s * dim, s * dim + dim);
        this.commit(word, this.line);
        if (this.complete) return false;
      } else {
        this.textRow(b, p, trimLineEnd(b, p, lineEnd(b, count, info, k)));
        if (this.complete) return false;
      }
    }
    return true;
  }

  /**
   * One thread: parse the complete lines b[p, last) with the WASM kernel, copied into the heap in steps of
   * BLOCK_STEP_BYTES. Returns false once `limit` words are read.
   */
  private parseBlocks(x: TextKernel, b: Uint8Array, p: number, last: number): boolean {
    let src = -1, srcBytes = 0, info = -1, infoLines = 0;
    try {
      while (p < last) {
        let e = Math.min(last, p + BLOCK_STEP_BYTES);
        if (e < last) {
          const nl = b.lastIndexOf(0x0a, e - 1);
          e = nl >= p ? nl + 1 : b.indexOf(0x0a, e) + 1 || last; // a line longer than the step: all of it
        }
        const n = e - p;
        if (n + 64 > srcBytes) {
          if (src >= 0) freeBytes(src);
          srcBytes = Math.max(n + 64, Math.min(BLOCK_STEP_BYTES, last - p) + 64);
          src = allocBytes(srcBytes);
        }
        const heap = new Uint8Array(wasmMemory().buffer);
        heap.set(b.subarray(p, e), src);
        const lines = blockLines(x, heap, src, n);
        if (lines > infoLines) {
          if (info >= 0) freeBytes(info);
          infoLines = Math.max(lines, 1024);
          info = allocBytes(infoLines * 8);
        }
        const room = Math.max(0, this.cap - this.n);
        const out = room > 0 ? this.mat!.byteOffset + this.n * this.dim * 4 : 0;
        const count = x.vecParseText(src, n, this.dim, out, room, info);
        const infoView = new Int32Array(wasmMemory().buffer, info, 2 * count);
        if (!this.applyBlock(b.subarray(p, e), count, infoView, this.n)) return false;
        p = e;
      }
      return true;
    } finally {
      if (src >= 0) freeBytes(src);
      if (info >= 0) freeBytes(info);
    }
  }

  private addWord(word: string, line: number): number {
    const prev = this.index.get(word);
    if (prev !== undefined) {
      this.fail(`duplicate word ${JSON.stringify(word)} (first on ${this.lines[prev] > 0 ? 'line ' + this.lines[prev] : 'record ' + (prev + 1)}; --lenient keeps the first)`, line > 0 ? line : undefined);
      return -1;
    }
    return this.n;
  }

  private commit(word: string, line: number): void {
    if (this.n >= this.lines.length) { const l = new Int32Array(this.lines.length * 2); l.set(this.lines); this.lines = l; }
    this.lines[this.n] = line;
    this.index.set(word, this.n);
    this.words.push(word);
    this.n++;
    if (this.n >= this.target) this.done = true;
  }

  /**
   * Parse as much of `b` as possible. `final`: no bytes follow. Returns the number of bytes consumed;
   * the caller passes the rest again, followed by new data.
   */
  consume(b: Uint8Array, final: boolean): number {
    if (!this.started) {
      if (b.length === 0 && !final) return 0;
      if (!final && b.indexOf(0x0a) < 0 && b.length < 1 << 20) return 0; // need the first line
      if (this.format === 'auto') {
        const f = detectFormat(b);
        if (f === 'wordloom') throw new WordloomError('native wordloom file: read it with parseVectors/loadVectors', { file: this.file });
        this.format = f;
      }
      this.started = true;
      let p = 0;
      if (this.format !== 'glove') {
        let nl = b.indexOf(0x0a);
        if (nl < 0) nl = b.length;
        const h = parseHeader(b, 0, nl);
        if (!h) throw new WordloomError(`expected a "<vocab size> <dimensions>" header line for the ${this.format} format`, { file: this.file, line: 1 });
        if (h[1] < 1) throw new WordloomError(`header says ${h[1]} dimensions`, { file: this.file, line: 1 });
        this.headerCount = h[0];
        this.dim = h[1];
        this.target = this.limit > 0 ? Math.min(this.limit, h[0]) : h[0];
        if (this.target === 0) this.done = true;
        // Never trust the header for the allocation: a row needs ≥ 2 bytes per value in text, 4 in binary.
        const perRow = this.format === 'word2vec-binary' ? 4 * h[1] + 2 : 2 * h[1] + 2;
        const fits = this.totalBytes > 0 ? Math.floor(this.totalBytes / perRow) + 1 : 1024;
        this.ensureCapacity(Math.max(1, Math.min(this.target, fits)));
        this.line = 1;
        p = Math.min(nl + 1, b.length);
      }
      const used = this.format === 'word2vec-binary' ? this.consumeBinary(b, p, final) : this.consumeText(b, p, final);
      this.offset += used;
      return used;
    }
    const used = this.format === 'word2vec-binary' ? this.consumeBinary(b, 0, final) : this.consumeText(b, 0, final);
    this.offset += used;
    return used;
  }

  private consumeText(b: Uint8Array, p: number, final: boolean): number {
    const len = b.length;
    while (p < len) {
      if (this.dim > 0) {
        if (this.handOff) return p;
        const x = !this.done && len - p >= BLOCK_MIN_BYTES ? textKernel() : null;
        if (x && this.mat && inHeap(this.mat)) {
          const last = final ? len : b.lastIndexOf(0x0a, len - 1) + 1;
          if (last - p >= BLOCK_MIN_BYTES) {
            if (!this.parseBlocks(x, b, p, last)) return len; // limit reached: stop reading
            p = last;
            continue;
          }
        }
      }
      let nl = b.indexOf(0x0a, p);
      if (nl < 0) { if (!final) return p; nl = len; }
      this.line++;
      const e = trimLineEnd(b, p, nl);
      if (e > p) {
        if (this.done) {
          if (!this.afterTarget()) return len; // limit reached: stop reading
        } else this.textRow(b, p, e);
      }
      p = nl + 1;
    }
    return len;
  }

  /**
   * A non-blank row after the target count: rows beyond the header count (without a limit) are an error
   * (lenient: counted); with a limit they are ignored — returns false: stop reading.
   */
  private afterTarget(): boolean {
    if (this.limit > 0 && this.n >= this.limit) return false;
    this.extra++;
    if (!this.lenient) {
      throw new WordloomError(`header says ${this.headerCount} words but the file has more rows (disagreeing header; --lenient ignores the extra rows)`, { file: this.file, line: this.line });
    }
    return true;
  }

  private textRow(b: Uint8Array, p: number, e: number): void {
    const line = this.line;
    const sp = b.indexOf(0x20, p);
    const wEnd = sp < 0 || sp > e ? e : sp;
    let word: string;
    try { word = decodeWord(b, p, wEnd); } catch {
      this.fail('invalid UTF-8 in the word', line); return;
    }
    if (wEnd >= e) { this.fail(`row has a word (${JSON.stringify(word)}) but no values`, line); return; }
    if (this.dim === 0) {
      // GloVe: the first row fixes the dimensionality.
      const vals = this.tmp; vals.length = 0;
      let q = wEnd + 1;
      while (q < e) {
        while (q < e && (b[q] === 0x20 || b[q] === 0x09)) q++;
        if (q >= e) break;
        parseFloatBytes(b, q, e, this.num);
        if (this.num.value !== this.num.value) { this.badNumber(b, q, this.num.end, line); return; }
        vals.push(this.num.value); q = this.num.end;
      }
      this.dim = vals.length;
      const lineBytes = e - p + 1;
      const est = this.limit > 0 ? this.limit : this.totalBytes > 0 ? Math.ceil((this.totalBytes / lineBytes) * 1.1) + 16 : 1024;
      this.ensureCapacity(est);
      if (this.addWord(word, line) < 0) return;
      this.mat!.set(vals, this.n * this.dim);
      if (!this.checkFinite(line)) return;
      this.commit(word, line);
      return;
    }
    const dim = this.dim;
    if (this.n >= this.cap) this.ensureCapacity(this.n + 1);
    const m = this.mat!;
    const o = this.n * dim;
    if (parseRowFast(b, wEnd + 1, e, m, o, dim)) {
      if (this.addWord(word, line) >= 0) this.commit(word, line);
      return;
    }
    const num = this.num;
    let q = wEnd + 1, j = 0;
    for (; j < dim; j++) {
      while (q < e && (b[q] === 0x20 || b[q] === 0x09)) q++;
      if (q >= e) break;
      parseFloatBytes(b, q, e, num);
      if (num.value !== num.value) { this.badNumber(b, q, num.end, line); return; }
      m[o + j] = num.value;
      q = num.end;
    }
    while (q < e && (b[q] === 0x20 || b[q] === 0x09)) q++;
    if (j < dim || q < e) {
      let count = j;
      while (q < e) {
        while (q < e && (b[q] === 0x20 || b[q] === 0x09)) q++;
        if (q >= e) break;
        count++;
        while (q < e && b[q] !== 0x20 && b[q] !== 0x09) q++;
      }
      this.fail(`expected ${dim} values after the word ${JSON.stringify(word)}, found ${count}${count < dim && q >= e && e === b.length ? ' (truncated file?)' : ''}`, line);
      return;
    }
    if (!this.checkFinite(line)) return;
    if (this.addWord(word, line) < 0) return;
    this.commit(word, line);
  }

  private badNumber(b: Uint8Array, q: number, end: number, line: number): void {
    let tok: string;
    try { tok = utf8.decode(unshared(b, q, Math.min(end, q + 40))); } catch { tok = '<invalid UTF-8>'; }
    const low = tok.toLowerCase().replace(/^[-+]/, '');
    if (low === 'nan' || low.startsWith('inf')) this.fail(`non-finite value '${tok}' (NaN/Inf)`, line);
    else this.fail(`not a number: '${tok}'`, line);
  }

  /** Every value of the current row must be a finite float32. */
  private checkFinite(line: number): boolean {
    const m = this.mat!, o = this.n * this.dim;
    for (let j = 0; j < this.dim; j++) {
      const v = m[o + j];
      if (!(v - v === 0)) {
        this.fail(`value ${j + 1} is ${v !== v ? 'NaN' : 'outside the float32 range (Inf)'}`, line > 0 ? line : undefined);
        return false;
      }
    }
    return true;
  }

  private consumeBinary(b: Uint8Array, p: number, final: boolean): number {
    const len = b.length, dim = this.dim, vb = dim * 4;
    while (!this.done) {
      // word2vec.c writes "\n" after each vector, gensim does not: skip any before the word.
      while (p < len && b[p] === 0x0a) p++;
      if (p >= len) {
        if (!final) return p;
        break;
      }
      let sp = b.indexOf(0x20, p);
      if (sp >= 0 && sp - p > 100000) sp = -2;
      if (sp < 0 || sp + 1 + vb > len) {
        if (!final && sp !== -2) return p;
        const rec = this.n + this.skipped + 1;
        throw new WordloomError(`truncated or corrupt word2vec binary file: record ${rec} at byte ${this.offset + p} ${sp === -2 ? 'has no word terminator' : `needs ${vb} bytes of vector, ${Math.max(0, len - sp - 1)} left`} (header says ${this.headerCount} words)`, { file: this.file });
      }
      const rec = this.n + this.skipped + 1;
      let word: string;
      try { word = decodeWord(b, p, sp); } catch {
        this.fail(`invalid UTF-8 in word of record ${rec} (byte ${this.offset + p})`);
        p = sp + 1 + vb; continue;
      }
      if (word.length === 0) { this.fail(`empty word in record ${rec} (byte ${this.offset + p})`); p = sp + 1 + vb; continue; }
      this.ensureCapacity(this.n + 1);
      const m = this.mat!, o = this.n * dim;
      if (LITTLE_ENDIAN && ((m.byteOffset + o * 4) & 3) === 0) {
        new Uint8Array(m.buffer, m.byteOffset + o * 4, vb).set(b.subarray(sp + 1, sp + 1 + vb));
      } else {
        const dv = new DataView(b.buffer, b.byteOffset + sp + 1, vb);
        for (let j = 0; j < dim; j++) m[o + j] = dv.getFloat32(j * 4, true);
      }
      p = sp + 1 + vb;
      if (!this.checkFiniteRecord(rec, sp + 1)) continue;
      if (this.addWord(word, -rec) < 0) continue;
      this.commit(word, 0);
    }
    // After the last vector only newlines may follow (unless a limit stopped us early).
    while (p < len && b[p] === 0x0a) p++;
    if (p < len && this.limit === 0) {
      this.extra++;
      if (!this.lenient) throw new WordloomError(`${len - p} bytes of data after the ${this.headerCount} vectors the header announces (disagreeing header; --lenient ignores them)`, { file: this.file });
    }
    return len;
  }

  private checkFiniteRecord(rec: number, at: number): boolean {
    const m = this.mat!, o = this.n * this.dim;
    for (let j = 0; j < this.dim; j++) {
      const v = m[o + j];
      if (!(v - v === 0)) { this.fail(`record ${rec}: value ${j + 1} is ${v !== v ? 'NaN' : 'Inf'} (byte ${this.offset + at + 4 * j})`); return false; }
    }
    return true;
  }

  /** Check the end-of-input conditions and build the WordVectors. */
  finish(): WordVectors {
    if (!this.started) throw new WordloomError('empty file: no vectors', { file: this.file });
    if (this.headerCount >= 0 && this.n + this.skipped < this.target) {
      const msg = `header says ${this.headerCount} words but the file ends after ${this.n + this.skipped} (truncated file or disagreeing header${this.lenient ? '' : '; --lenient loads what is there'})`;
      if (!this.lenient) throw new WordloomError(msg, { file: this.file });
      if (this.reasons.length < 20) this.reasons.push(`${this.file}: ${msg}`);
    }
    if (this.n === 0) throw new WordloomError(`no vectors found${this.skipped ? ` (${this.skipped} malformed rows skipped)` : ''}`, { file: this.file });
    const data = this.mat!.subarray(0, this.n * this.dim);
    const wv = WordVectors.fromParts(this.words, data, this.dim, this.mat!, this.index);
    wv.source = {
      file: this.file, format: this.format as string, skipped: this.skipped + this.extra,
      skippedReasons: this.reasons.slice(),
      ...(this.headerCount >= 0 ? { headerCount: this.headerCount } : {}),
    };
    this.mat = null;
    return wv;
  }
}

/**
 * Fast path for the common spelling `[-]digits[.digits]` separated by single or multiple spaces: exactly
 * `dim` values, at most 15 digits each (so m / 10^k is the correctly rounded double, as parseFloat).
 * Returns false on anything else (exponent, tab, garbage, wrong count) — the caller then re-parses the
 * row with the general parser, which also produces the error message.
 */
function parseRowFast(b: Uint8Array, q: number, e: number, out: Float32Array, o: number, dim: number): boolean {
  for (let j = 0; j < dim; j++) {
    while (q < e && b[q] === 0x20) q++;
    if (q >= e) return false;
    let neg = false;
    if (b[q] === 0x2d) { neg = true; q++; }
    let m = 0, nd = 0, scale = 0;
    let d = b[q] - 48;
    while (d >= 0 && d <= 9) { m = m * 10 + d; nd++; d = b[++q] - 48; }
    if (d === -2) { // '.'
      d = b[++q] - 48;
      while (d >= 0 && d <= 9) { m = m * 10 + d; nd++; scale++; d = b[++q] - 48; }
    }
    if (nd === 0 || nd > 15 || (q < e && b[q] !== 0x20)) return false;
    const v = scale === 0 ? m : m / POW10[scale];
    out[o + j] = neg ? -v : v;
  }
  while (q < e && b[q] === 0x20) q++;
  return q === e;
}

const fcc = String.fromCharCode;

/**
 * Decode a word: ASCII fast path, strict UTF-8 otherwise (throws on invalid bytes). Short ASCII words are
 * made with one fromCharCode call: a flat string (a `+=` loop makes a rope that the Map has to flatten).
 */
function decodeWord(b: Uint8Array, s: number, e: number): string {
  let ascii = true;
  for (let i = s; i < e; i++) if (b[i] >= 0x80) { ascii = false; break; }
  if (ascii && e - s < 64) {
    switch (e - s) {
      case 0: return '';
      case 1: return fcc(b[s]);
      case 2: return fcc(b[s], b[s + 1]);
      case 3: return fcc(b[s], b[s + 1], b[s + 2]);
      case 4: return fcc(b[s], b[s + 1], b[s + 2], b[s + 3]);
      case 5: return fcc(b[s], b[s + 1], b[s + 2], b[s + 3], b[s + 4]);
      case 6: return fcc(b[s], b[s + 1], b[s + 2], b[s + 3], b[s + 4], b[s + 5]);
      case 7: return fcc(b[s], b[s + 1], b[s + 2], b[s + 3], b[s + 4], b[s + 5], b[s + 6]);
      case 8: return fcc(b[s], b[s + 1], b[s + 2], b[s + 3], b[s + 4], b[s + 5], b[s + 6], b[s + 7]);
      default: return fcc.apply(null, b.subarray(s, e) as unknown as number[]);
    }
  }
  return utf8.decode(unshared(b, s, e));
}

/** b[s, e) on an ordinary ArrayBuffer (browsers' TextDecoder refuses views of shared memory). */
function unshared(b: Uint8Array, s: number, e: number): Uint8Array {
  return b.buffer instanceof ArrayBuffer ? b.subarray(s, e) : b.slice(s, e);
}

/** Parse a native wordloom file held in memory (the matrix is copied into K.alloc memory). */
export function parseNative(b: Uint8Array, opts: ParseOptions = {}): WordVectors {
  const file = opts.file ?? '<bytes>';
  const verified = hasChecksumTrailer(b) && verifyChecksumTrailer(b, file) > 0; // before any header byte is trusted
  const h = readNativeHeader(b, file, b.length);
  if (h.checksummed && !verified) throw checksumMissing(file);
  const words = readNativeWords(b.subarray(NATIVE_HEADER_BYTES, NATIVE_HEADER_BYTES + h.wordsBytes), h.vocab, file);
  const limit = opts.limit && opts.limit > 0 ? Math.min(opts.limit, h.vocab) : h.vocab;
  const m = K.alloc(limit * h.dim);
  const bytes = b.subarray(h.matrixOffset, h.matrixOffset + limit * h.dim * 4);
  if (LITTLE_ENDIAN) new Uint8Array(m.buffer, m.byteOffset, bytes.length).set(bytes);
  else { const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.length); for (let i = 0; i < m.length; i++) m[i] = dv.getFloat32(i * 4, true); }
  return finishNative(words.slice(0, limit), m, h.dim, file, h.checksummed);
}

/** Header fields of a native file. */
export interface NativeHeader {
  vocab: number; dim: number; flags: number; wordsBytes: number; matrixOffset: number;
  /** Version 2: the file ends with a checksum trailer (CHECKSUM_TRAILER_BYTES after the matrix). */
  checksummed: boolean;
}

/** Validate the 32-byte native header against the file size. */
export function readNativeHeader(b: Uint8Array, file: string, fileSize: number): NativeHeader {
  if (b.length < NATIVE_HEADER_BYTES || !isNative(b)) throw new WordloomError('not a wordloom vectors file (bad magic)', { file });
  const dv = new DataView(b.buffer, b.byteOffset, NATIVE_HEADER_BYTES);
  const version = dv.getUint32(8, true);
  if (version !== 1 && version !== 2) throw new WordloomError(`unsupported wordloom vectors version ${version} (this build reads 1 and 2)`, { file });
  const vocab = dv.getUint32(12, true), dim = dv.getUint32(16, true), flags = dv.getUint32(20, true);
  const wordsBytes = Number(dv.getBigUint64(24, true));
  if (dim < 1) throw new WordloomError(`corrupt header: ${dim} dimensions`, { file });
  const matrixOffset = alignUp(NATIVE_HEADER_BYTES + wordsBytes, NATIVE_ALIGN);
  const checksummed = version === 2;
  const expect = matrixOffset + vocab * dim * 4 + (checksummed ? CHECKSUM_TRAILER_BYTES : 0);
  if (fileSize !== expect) {
    throw new WordloomError(`${fileSize < expect ? 'truncated' : 'corrupt'} wordloom vectors file: ${fileSize} bytes, header (${vocab} × ${dim}, version ${version}) implies ${expect}`, { file });
  }
  return { vocab, dim, flags, wordsBytes, matrixOffset, checksummed };
}

/** Split the words block (each word `\n`-terminated, strict UTF-8). */
export function readNativeWords(block: Uint8Array, vocab: number, file: string): string[] {
  let text: string;
  try { text = utf8.decode(block); } catch { throw new WordloomError('invalid UTF-8 in the words block', { file }); }
  const words = text.split('\n');
  if (words.pop() !== '' || words.length !== vocab) throw new WordloomError(`corrupt words block: ${words.length} words, header says ${vocab}`, { file });
  return words;
}

/**
 * Check a native matrix (finite values, unique words) and wrap it. `checksummed`: the caller verified the file's
 * checksum trailer (false: a version 1 file without one — flagged on `source.checksum`, and a notice).
 */
export function finishNative(words: string[], m: Float32Array, dim: number, file: string, checksummed: boolean): WordVectors {
  for (let i = 0; i < m.length; i++) {
    const v = m[i];
    if (!(v - v === 0)) throw new WordloomError(`corrupt matrix: word ${JSON.stringify(words[Math.floor(i / dim)])} value ${(i % dim) + 1} is not finite`, { file });
  }
  const index = new Map<string, number>();
  for (let i = 0; i < words.length; i++) {
    if (words[i].length === 0 || index.has(words[i])) throw new WordloomError(`corrupt words block: ${words[i] ? 'duplicate' : 'empty'} word ${JSON.stringify(words[i])} (row ${i + 1})`, { file });
    index.set(words[i], i);
  }
  const wv = WordVectors.fromParts(words, m, dim, m, index);
  wv.source = { file, format: 'wordloom', skipped: 0, skippedReasons: [], checksum: checksummed ? 'verified' : 'none' };
  if (!checksummed) noChecksumNotice(file, 'vectors file (wordloom format version 1)');
  return wv;
}

export function alignUp(n: number, a: number): number {
  return Math.ceil(n / a) * a;
}

/**
 * Parse vectors from bytes in any supported format (browser-safe). Reports progress as bytes.
 */
export function parseVectors(bytes: Uint8Array, opts: ParseOptions = {}): WordVectors {
  const fmt = resolveFormat(opts);
  if (fmt === 'wordloom' || (fmt === 'auto' && isNative(bytes))) return parseNative(bytes, opts);
  if (fmt === 'auto' && hasChecksumTrailer(bytes)) verifyChecksumTrailer(bytes, opts.file ?? '<bytes>'); // a native file whose magic is damaged
  const progress = opts.progress ?? silentProgress;
  const reader = new VectorReader({ ...opts, totalBytes: opts.totalBytes ?? bytes.length });
  // Feed in 16 MiB slices so progress moves; the reader hands back the unfinished tail.
  const step = 1 << 24;
  progress.start('load', bytes.length, 'bytes');
  let pos = 0;
  try {
    while (pos < bytes.length) {
      const end = Math.min(bytes.length, pos + step);
      let used = reader.consume(bytes.subarray(pos, end), end === bytes.length);
      if (used === 0 && end < bytes.length) {
        // a row longer than the slice: retry with everything
        used = reader.consume(bytes.subarray(pos), true);
        pos = bytes.length;
      } else pos += used;
      progress.update({ done: pos, total: bytes.length });
      if (end === bytes.length || reader.complete) break;
    }
    if (bytes.length === 0) reader.consume(bytes, true);
  } finally {
    progress.stop();
  }
  return reader.finish();
}

// ---------------------------------------------------------------------------------------------------
// Writers

function checkWordForText(w: string, fmt: string): void {
  if (/[\s]/u.test(w) || w.length === 0) {
    throw new WordloomError(`word ${JSON.stringify(w)} cannot be written in the ${fmt} format (empty or contains whitespace)`);
  }
}

/** Resolve the output format from options. */
export function outputFormat(opts: SerializeOptions): VectorFormat {
  if (opts.binary) {
    if (opts.format && opts.format !== 'word2vec-binary') throw new WordloomError(`binary: true conflicts with format "${opts.format}"`, { flag: '--binary' });
    return 'word2vec-binary';
  }
  const f = opts.format ?? SERIALIZE_DEFAULTS.format;
  if (!VECTOR_FORMATS.includes(f)) throw new WordloomError(`unknown format "${f}" (expected ${VECTOR_FORMATS.join(', ')})`, { flag: '--format' });
  return f;
}

/**
 * Serialise vectors to a list of byte chunks (concatenate or write them in order).
 * Text values use the shortest decimal that reads back to the same float32, so a file we wrote
 * parses and re-serialises byte for byte.
 */
export function serializeVectors(v: WordVectors, opts: SerializeOptions = {}): Uint8Array[] {
  const fmt = outputFormat(opts);
  const n = v.size, d = v.dim, data = v.data;
  const chunks: Uint8Array[] = [];
  if (fmt === 'wordloom') {
    const wordBytes = encoder.encode(v.words.map((w) => {
      if (w.includes('\n') || w.length === 0) throw new WordloomError(`word ${JSON.stringify(w)} cannot be stored (empty or contains a newline)`);
      return w + '\n';
    }).join(''));
    const matrixOffset = alignUp(NATIVE_HEADER_BYTES + wordBytes.length, NATIVE_ALIGN);
    const head = new Uint8Array(matrixOffset);
    head.set(NATIVE_MAGIC, 0);
    const dv = new DataView(head.buffer);
    dv.setUint32(8, NATIVE_VERSION, true);
    dv.setUint32(12, n, true);
    dv.setUint32(16, d, true);
    dv.setUint32(20, 0, true);
    dv.setBigUint64(24, BigInt(wordBytes.length), true);
    head.set(wordBytes, NATIVE_HEADER_BYTES);
    chunks.push(head);
    chunks.push(matrixBytesLE(data));
    chunks.push(checksumTrailer(chunks));
    return chunks;
  }
  for (const w of v.words) checkWordForText(w, fmt);
  if (fmt === 'word2vec-binary') {
    const nl = opts.newline ?? SERIALIZE_DEFAULTS.newline;
    chunks.push(encoder.encode(`${n} ${d}\n`));
    const rowsPerChunk = Math.max(1, Math.floor((1 << 23) / (d * 4 + 32)));
    for (let r0 = 0; r0 < n; r0 += rowsPerChunk) {
      const r1 = Math.min(n, r0 + rowsPerChunk);
      const parts: Uint8Array[] = [];
      let size = 0;
      for (let i = r0; i < r1; i++) { const wb = encoder.encode(v.words[i] + ' '); parts.push(wb); size += wb.length + d * 4 + (nl ? 1 : 0); }
      const out = new Uint8Array(size);
      const dv = new DataView(out.buffer);
      let p = 0;
      for (let i = r0; i < r1; i++) {
        out.set(parts[i - r0], p); p += parts[i - r0].length;
        for (let j = 0; j < d; j++, p += 4) dv.setFloat32(p, data[i * d + j], true);
        if (nl) out[p++] = 0x0a;
      }
      chunks.push(out);
    }
    return chunks;
  }
  if (fmt !== 'glove') chunks.push(encoder.encode(`${n} ${d}\n`));
  const tail = fmt === 'fasttext' ? ' \n' : '\n';
  let buf: string[] = [];
  let size = 0;
  for (let i = 0; i < n; i++) {
    let line = v.words[i];
    const o = i * d;
    for (let j = 0; j < d; j++) line += ' ' + formatFloat32(data[o + j]);
    line += tail;
    buf.push(line);
    size += line.length;
    if (size > 1 << 22) { chunks.push(encoder.encode(buf.join(''))); buf = []; size = 0; }
  }
  if (buf.length) chunks.push(encoder.encode(buf.join('')));
  return chunks;
}

/** The matrix as little-endian bytes (a view on little-endian hosts, a copy otherwise). */
function matrixBytesLE(m: Float32Array): Uint8Array {
  if (LITTLE_ENDIAN) return new Uint8Array(m.buffer, m.byteOffset, m.byteLength);
  const out = new Uint8Array(m.length * 4);
  const dv = new DataView(out.buffer);
  for (let i = 0; i < m.length; i++) dv.setFloat32(i * 4, m[i], true);
  return out;
}

/** Serialise into one buffer. */
export function vectorsToBytes(v: WordVectors, opts: SerializeOptions = {}): Uint8Array {
  const chunks = serializeVectors(v, opts);
  let n = 0;
  for (const c of chunks) n += c.length;
  const out = new Uint8Array(n);
  let p = 0;
  for (const c of chunks) { out.set(c, p); p += c.length; }
  return out;
}
