/**
 * Buffered binary files of fixed-size 16-byte records, used by every GloVe stage:
 * - co-occurrence runs: (i u32, j u32, x f64) sorted by (i, j) — like the tool's CREC (cooccur.c);
 * - training records: (i u32, j u32, log x f32, f(x) f32), in shuffled order.
 * Writers buffer ~1 MB and write with writeSync; readers read blocks into a reusable buffer.
 */
import { openSync, writeSync, readSync, closeSync, fstatSync } from 'node:fs';

export const RECORD_BYTES = 16;

/** Appends 16-byte records to a file. */
export class RecordWriter {
  private fd: number;
  private readonly buf: ArrayBuffer;
  readonly u32: Uint32Array;
  readonly f32: Float32Array;
  readonly f64: Float64Array;
  private n = 0;
  private readonly cap: number;
  /** Records written so far. */
  count = 0;

  constructor(readonly path: string, bufferRecords = 65536) {
    this.fd = openSync(path, 'w');
    this.cap = bufferRecords;
    this.buf = new ArrayBuffer(bufferRecords * RECORD_BYTES);
    this.u32 = new Uint32Array(this.buf);
    this.f32 = new Float32Array(this.buf);
    this.f64 = new Float64Array(this.buf);
  }

  /** Append a co-occurrence record (i, j, x as float64). */
  pushX(i: number, j: number, x: number): void {
    const k = this.n;
    this.u32[4 * k] = i; this.u32[4 * k + 1] = j; this.f64[2 * k + 1] = x;
    if (++this.n === this.cap) this.flush();
  }

  /** Append a training record (i, j, a, b as float32). */
  pushF(i: number, j: number, a: number, b: number): void {
    const k = this.n;
    this.u32[4 * k] = i; this.u32[4 * k + 1] = j; this.f32[4 * k + 2] = a; this.f32[4 * k + 3] = b;
    if (++this.n === this.cap) this.flush();
  }

  /** Append raw records (n records from a byte array). */
  pushRaw(bytes: Uint8Array): void {
    this.flush();
    let off = 0;
    while (off < bytes.length) off += writeSync(this.fd, bytes, off, bytes.length - off);
    this.count += bytes.length / RECORD_BYTES;
  }

  flush(): void {
    if (this.n === 0) return;
    const bytes = new Uint8Array(this.buf, 0, this.n * RECORD_BYTES);
    let off = 0;
    while (off < bytes.length) off += writeSync(this.fd, bytes, off, bytes.length - off);
    this.count += this.n;
    this.n = 0;
  }

  close(): void {
    if (this.fd < 0) return;
    this.flush();
    closeSync(this.fd);
    this.fd = -1;
  }
}

/** Reads 16-byte records block by block (optionally a [start, end) record range of the file). */
export class RecordReader {
  private fd: number;
  readonly buf: ArrayBuffer;
  readonly u32: Uint32Array;
  readonly f32: Float32Array;
  readonly f64: Float64Array;
  /** Records in the current block. */
  n = 0;
  /** Cursor inside the current block. */
  k = 0;
  private pos: number;
  private readonly end: number;

  /** Byte offset of the block inside `buf` (non-zero when reading into a caller's buffer, e.g. WASM memory). */
  readonly byteOffset: number;

  /**
   * @param target optional buffer to read blocks into (its length, a multiple of 16 bytes, sets the block
   *   size; it may be a view of a shared WebAssembly memory); otherwise a private buffer of `blockRecords`.
   */
  constructor(readonly path: string, blockRecords = 65536, start = 0, end = -1, target?: Uint8Array) {
    this.fd = openSync(path, 'r');
    const total = Math.floor(fstatSync(this.fd).size / RECORD_BYTES);
    this.end = end < 0 ? total : Math.min(end, total);
    this.pos = start;
    const records = target ? Math.floor(target.byteLength / RECORD_BYTES) : Math.max(1, blockRecords);
    this.buf = target ? target.buffer as ArrayBuffer : new ArrayBuffer(records * RECORD_BYTES);
    this.byteOffset = target ? target.byteOffset : 0;
    this.u32 = new Uint32Array(this.buf, this.byteOffset, records * 4);
    this.f32 = new Float32Array(this.buf, this.byteOffset, records * 4);
    this.f64 = new Float64Array(this.buf, this.byteOffset, records * 2);
  }

  /** Total records in the file. */
  static count(path: string): number {
    const fd = openSync(path, 'r');
    try { return Math.floor(fstatSync(fd).size / RECORD_BYTES); } finally { closeSync(fd); }
  }

  /** Load the next block; returns the number of records in it (0 at the end). */
  next(): number {
    const want = Math.min(this.u32.length / 4, this.end - this.pos);
    this.k = 0;
    if (want <= 0 || this.fd < 0) { this.n = 0; return 0; }
    const bytes = new Uint8Array(this.buf, this.byteOffset, want * RECORD_BYTES);
    let off = 0;
    while (off < bytes.length) {
      const r = readSync(this.fd, bytes, off, bytes.length - off, this.pos * RECORD_BYTES + off);
      if (r === 0) break;
      off += r;
    }
    this.n = Math.floor(off / RECORD_BYTES);
    this.pos += this.n;
    return this.n;
  }

  close(): void {
    if (this.fd >= 0) { closeSync(this.fd); this.fd = -1; }
  }
}
