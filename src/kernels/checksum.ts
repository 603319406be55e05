/**
 * WLSUM32, the checksum every binary artifact wordloom writes carries (model files and checkpoints, word2vec and
 * GloVe checkpoints, native `.wlv` vectors), and the 12-byte trailer that stores it. Browser-safe.
 *
 * Algorithm: XXH32's round, lane merge and avalanche, widened to 32 lanes.
 *   - the input is cut into 128-byte stripes; little-endian u32 word j of a stripe goes to lane j (0…31);
 *     lane j starts at (j+1)·P1 + P2 and each word does acc = rotl(acc + w·P2, 13)·P1;
 *   - digest: h = P5 + lo32(length) + hi32(length)·P3; each lane in order: h = rotl(h + lane·P3, 17)·P4;
 *     then the tail (length mod 128 bytes) as in XXH32: 4-byte words h = rotl(h + w·P3, 17)·P4, single bytes
 *     h = rotl(h + b·P5, 11)·P1; then XXH32's avalanche (>>15 ·P2 >>13 ·P3 >>16).
 *   Every step is a bijection of the value it changes, so any damage confined to one 4-byte word (in
 *   particular ANY single flipped byte or bit) always changes the checksum; other damage goes unnoticed with
 *   probability 2^-32.
 * Deviation: XXH32 (Yann Collet, xxHash) has 4 lanes and 16-byte stripes; 32 lanes let the WASM kernel
 * (src/kernels/wasm/as/checksum.ts) run eight independent v128 chains, several times faster than four lanes can go
 * (numbers: docs/model-files.md, bench/checksum.bench.ts). Not interchangeable with XXH32 values.
 *
 * Trailer (the last 12 bytes of a file): the 8 ASCII bytes "WLCKSUM1", then the u32 LE WLSUM32 of every byte of
 * the file before it — the tag included, i.e. all bytes but the last four.
 */
import { WordloomError } from '../util/errors.ts';
import { allocBytes, inHeap, wasmAvailable, wasmExports, wasmMemory } from './wasm/loader.ts';

const P1 = 2654435761, P2 = 2246822519, P3 = 3266489917, P4 = 668265263, P5 = 374761393;
const LANES = 32;
/** Bytes per stripe. */
export const STRIPE_BYTES = 4 * LANES;

/** The trailer tag "WLCKSUM1". */
export const CHECKSUM_TAG = new Uint8Array([0x57, 0x4c, 0x43, 0x4b, 0x53, 0x55, 0x4d, 0x31]);
/** Trailer length: tag + u32 checksum. */
export const CHECKSUM_TRAILER_BYTES = 12;

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;
/** Below this many bytes the plain-TS loop runs (the copy to the WASM heap is not worth it). */
const WASM_MIN_BYTES = 1 << 12;
const SCRATCH_BYTES = 1 << 20;

const rotl = (x: number, r: number) => (x << r) | (x >>> (32 - r));

/** Plain-TS reference of the stripe loop: fold bytes [off, off + len) (len a multiple of 128) into lanes. */
export function wlsumStripesReference(b: Uint8Array, off: number, len: number, lanes: Uint32Array): void {
  const aligned = LITTLE_ENDIAN && (b.byteOffset + off) % 4 === 0;
  const words = aligned ? new Uint32Array(b.buffer, b.byteOffset + off, len >>> 2) : null;
  for (let s = 0; s < len; s += STRIPE_BYTES) {
    for (let j = 0; j < LANES; j++) {
      let w: number;
      if (words) w = words[(s >>> 2) + j];
      else { const p = off + s + 4 * j; w = b[p] | (b[p + 1] << 8) | (b[p + 2] << 16) | (b[p + 3] << 24); }
      lanes[j] = Math.imul(rotl((lanes[j] + Math.imul(w, P2)) | 0, 13), P1);
    }
  }
}

// Heap offsets (not views: on a non-shared memory, growth detaches views made before it).
let stateOff = -1;
let scratchOff = -1;
type StripeKernel = (p: number, n: number, st: number) => void;
let kernel: StripeKernel | null | undefined;

function wasmKernel(): StripeKernel | null {
  if (kernel === undefined) {
    const k = wasmAvailable() ? (wasmExports() as { wlsumStripes?: StripeKernel }).wlsumStripes : undefined;
    kernel = typeof k === 'function' ? k : null;
  }
  return kernel;
}

/** The stripe loop on the fastest path: the WASM kernel in place (heap bytes) or through a scratch copy. */
function stripes(b: Uint8Array, off: number, len: number, lanes: Uint32Array): void {
  const k = len >= WASM_MIN_BYTES ? wasmKernel() : null;
  if (!k) { wlsumStripesReference(b, off, len, lanes); return; }
  if (stateOff < 0) stateOff = allocBytes(4 * LANES);
  if (!inHeap(b) && scratchOff < 0) scratchOff = allocBytes(SCRATCH_BYTES);
  const mem = wasmMemory();
  new Uint32Array(mem.buffer, stateOff, LANES).set(lanes);
  if (inHeap(b)) k(b.byteOffset + off, len, stateOff);
  else {
    for (let p = 0; p < len; p += SCRATCH_BYTES) {
      const n = Math.min(SCRATCH_BYTES, len - p);
      new Uint8Array(mem.buffer, scratchOff, n).set(b.subarray(off + p, off + p + n));
      k(scratchOff, n, stateOff);
    }
  }
  lanes.set(new Uint32Array(mem.buffer, stateOff, LANES));
}

/** Streaming WLSUM32: update(bytes) any number of times, then digest(). */
export class Checksum {
  private readonly lanes = new Uint32Array(LANES);
  private readonly pending = new Uint8Array(STRIPE_BYTES);
  private np = 0;
  /** Bytes seen so far. */
  length = 0;

  constructor() {
    for (let j = 0; j < LANES; j++) this.lanes[j] = (Math.imul(j + 1, P1) + P2) >>> 0;
  }

  update(b: Uint8Array): this {
    let off = 0;
    this.length += b.length;
    if (this.np > 0) {
      const take = Math.min(STRIPE_BYTES - this.np, b.length);
      this.pending.set(b.subarray(0, take), this.np);
      this.np += take; off = take;
      if (this.np < STRIPE_BYTES) return this;
      wlsumStripesReference(this.pending, 0, STRIPE_BYTES, this.lanes);
      this.np = 0;
    }
    const bulk = (b.length - off) - ((b.length - off) % STRIPE_BYTES);
    if (bulk > 0) stripes(b, off, bulk, this.lanes);
    off += bulk;
    if (off < b.length) { this.pending.set(b.subarray(off), 0); this.np = b.length - off; }
    return this;
  }

  /** The checksum of everything given to update (the object can keep being updated). */
  digest(): number {
    const len = this.length;
    let h = (P5 + (len >>> 0) + Math.imul(Math.floor(len / 4294967296), P3)) | 0;
    for (let j = 0; j < LANES; j++) h = Math.imul(rotl((h + Math.imul(this.lanes[j], P3)) | 0, 17), P4);
    const t = this.pending;
    let p = 0;
    for (; p + 4 <= this.np; p += 4) {
      const w = t[p] | (t[p + 1] << 8) | (t[p + 2] << 16) | (t[p + 3] << 24);
      h = Math.imul(rotl((h + Math.imul(w, P3)) | 0, 17), P4);
    }
    for (; p < this.np; p++) h = Math.imul(rotl((h + Math.imul(t[p], P5)) | 0, 11), P1);
    h ^= h >>> 15; h = Math.imul(h, P2);
    h ^= h >>> 13; h = Math.imul(h, P3);
    h ^= h >>> 16;
    return h >>> 0;
  }
}

/** WLSUM32 of some bytes (one buffer or parts in order). */
export function wlsum32(bytes: Uint8Array | readonly Uint8Array[]): number {
  const c = new Checksum();
  for (const b of bytes instanceof Uint8Array ? [bytes] : bytes) c.update(b);
  return c.digest();
}

/** The 12-byte trailer for a file made of these parts (tag, then the checksum of the parts and the tag). */
export function checksumTrailer(parts: readonly Uint8Array[] | Checksum): Uint8Array {
  const c = parts instanceof Checksum ? parts : new Checksum();
  if (!(parts instanceof Checksum)) for (const p of parts) c.update(p);
  c.update(CHECKSUM_TAG);
  const out = new Uint8Array(CHECKSUM_TRAILER_BYTES);
  out.set(CHECKSUM_TAG, 0);
  new DataView(out.buffer).setUint32(8, c.digest(), true);
  return out;
}

/** Whether the file's last 12 bytes start with the trailer tag. */
export function hasChecksumTrailer(bytes: Uint8Array): boolean {
  if (bytes.length < CHECKSUM_TRAILER_BYTES) return false;
  const t = bytes.length - CHECKSUM_TRAILER_BYTES;
  for (let i = 0; i < CHECKSUM_TAG.length; i++) if (bytes[t + i] !== CHECKSUM_TAG[i]) return false;
  return true;
}

/** The error for a file whose checksum does not match. */
export function checksumMismatch(file: string, stored: number, computed: number): WordloomError {
  const hex = (x: number) => x.toString(16).padStart(8, '0');
  return new WordloomError(`checksum mismatch: the file is damaged (stored WLSUM32 ${hex(stored)}, computed ${hex(computed)}); ` +
    'restore it or create it again', { file });
}

/** The error for a file whose format version promises a trailer that is not there. */
export function checksumMissing(file: string): WordloomError {
  return new WordloomError('the file is damaged: its checksum trailer ("WLCKSUM1" + 4 bytes at the end) is missing or overwritten (truncated?)', { file });
}

/**
 * Verify the trailer of a whole file held in memory; returns the length of the content before the trailer.
 * Throws (naming the file) when the trailer is missing or the checksum does not match.
 */
export function verifyChecksumTrailer(bytes: Uint8Array, file: string): number {
  if (!hasChecksumTrailer(bytes)) throw checksumMissing(file);
  const n = bytes.length - 4;
  const stored = new DataView(bytes.buffer, bytes.byteOffset + n, 4).getUint32(0, true);
  const computed = wlsum32(bytes.subarray(0, n));
  if (stored !== computed) throw checksumMismatch(file, stored, computed);
  return bytes.length - CHECKSUM_TRAILER_BYTES;
}

/** The stored checksum of a trailer (its last 4 bytes). */
export function trailerChecksum(trailer: Uint8Array): number {
  return new DataView(trailer.buffer, trailer.byteOffset + trailer.length - 4, 4).getUint32(0, true);
}
