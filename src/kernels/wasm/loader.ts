/**
 * WASM kernel loader: compiles the AssemblyScript kernels (embedded as base64 by scripts/build-wasm.mjs)
 * once, on ONE shared WebAssembly.Memory, and exposes them as `KernelBackend`s ("wasm-relaxed-simd" when
 * the engine validates relaxed SIMD, and "wasm-simd"). Works in Node and in browsers (no node:* imports
 * except dynamic ones behind a Node check: node:v8 for the relaxed-SIMD flag on Node 20, and the
 * worker pool in pool-node.ts).
 *
 * Memory model
 * - One shared memory (shared: true, maximum 4 GiB, reserved lazily by V8). Growing a shared memory never
 *   detaches existing views, so `alloc` never invalidates earlier buffers.
 * - A simple first-fit allocator (64-byte aligned blocks, coalescing free list) hands out heap blocks.
 *   AssemblyScript code must not allocate (no `new`, no arrays): all memory comes from here.
 * - Kernels take Float32Array views. A view that lives in the heap is passed by its byteOffset (no copy);
 *   any other Float32Array is copied through a scratch area (correct, slower); Float64Array arguments
 *   always run on the reference backend.
 *
 * Helpers for other areas' WASM code (word2vec/GloVe kernels in wasm/as/*.ts):
 * - `wasmModule()`     the compiled WebAssembly.Module (relaxed build if supported, else plain SIMD)
 * - `wasmMemory()`     the shared WebAssembly.Memory
 * - `wasmExports()`    the main-thread instance's exports (of the same module)
 * - `heapPtr(view)`    byte offset of a typed array that lives in the heap (throws otherwise)
 * - `inHeap(view)`     whether a typed array lives in the heap
 * - `allocF32(n)`, `allocI32(n)`, `allocU32(n)`, `allocF64(n)`, `allocBytes(n)` zeroed typed arrays in the
 *   heap; `freeHeap(view)` returns one (any typed array from these; no-op for others)
 * - `instantiateWasm(module, memory)`  instantiate the module inside a worker_thread on the same shared
 *   memory (post `wasmModule()` and `wasmMemory()` to the worker; both are cloneable). In a worker, import
 *   this file (it does nothing at import time), not src/kernels/index.ts, which would set up a second heap.
 * - `setThreads(n)` / `getThreads()` / env WORDLOOM_THREADS: threads used by large GEMMs (default 1)
 *
 * Browsers give shared memory only to cross-origin-isolated pages (COOP/COEP). Elsewhere (or with env
 * WORDLOOM_SHARED_MEMORY=0) the loader uses the non-shared builds on an ordinary memory with a 64 MiB
 * initial heap: the kernels are the same, threads are unavailable, and if the heap ever has to grow beyond
 * that, views allocated before the growth are detached (a one-time warning is printed; kernels then reject
 * those views with a RangeError instead of computing on stale memory).
 */
import type { FloatArray, KernelBackend } from '../types.ts';
import { referenceKernels } from '../reference.ts';
import { simd as simdB64, relaxed as relaxedB64, simdLocal as simdLocalB64, relaxedLocal as relaxedLocalB64 } from './generated/binaries.ts';
import type { GemmPool } from './pool-node.ts';

/** Exports every kernel module build provides (other areas add their own functions on top). */
export interface CoreExports {
  memory?: WebAssembly.Memory;
  relaxedSimd(): number;
  heapBase(): number;
  gemmMR(): number;
  gemmWorkspaceBytes(): number;
  sgemm(transA: number, transB: number, M: number, N: number, K: number, alpha: number, A: number, lda: number,
    B: number, ldb: number, beta: number, C: number, ldc: number, ws: number): void;
  scaleMatrix(M: number, N: number, beta: number, C: number, ldc: number): void;
  dot(n: number, x: number, y: number): number;
  axpy(n: number, a: number, x: number, y: number): void;
  scale(n: number, a: number, x: number): void;
  sigmoid(n: number, x: number, out: number): void;
  tanh(n: number, x: number, out: number): void;
  sigmoidBackward(n: number, y: number, dy: number, dx: number): void;
  tanhBackward(n: number, y: number, dy: number, dx: number): void;
  addBias(rows: number, n: number, b: number, X: number): void;
  biasBackward(rows: number, n: number, dX: number, db: number): void;
  adamStep(n: number, p: number, g: number, m: number, v: number, beta1: number, beta2: number, eps: number,
    stepSize: number, invSqrtBc2: number, l2: number, decay: number): void;
  lstmCellForward(B: number, H: number, G: number, cPrev: number, c: number, tc: number, h: number): void;
  lstmCellBackward(B: number, H: number, G: number, cPrev: number, tc: number, dh: number, dc: number, dG: number): void;
  gruGatesForward(B: number, H: number, G: number, hPrev: number, rh: number): void;
  gruOutputForward(B: number, H: number, G: number, hPrev: number, h: number): void;
  gruOutputBackward(B: number, H: number, G: number, hPrev: number, dh: number, dG: number, dhPrev: number): void;
  gruGatesBackward(B: number, H: number, G: number, hPrev: number, drh: number, dG: number, dhPrev: number): void;
  sgemv(trans: number, M: number, N: number, alpha: number, A: number, lda: number, x: number, beta: number, y: number): void;
  [name: string]: unknown;
}

const PAGE = 65536;
const MAX_PAGES = 65536; // 4 GiB
const ALIGN = 64;
/** Heap blocks start here (above the modules' static data). */
const HEAP_START = 65536;
/** sgemm runs threaded only when M·N·K reaches this (≈2 MFLOP: ~50 µs on one thread). */
export const THREAD_MIN_WORK = 1 << 20;

function decodeBase64(b64: string): Uint8Array<ArrayBuffer> {
  const s = atob(b64);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

const isNode = typeof process !== 'undefined' && !!(process as { versions?: { node?: string } }).versions?.node;

function env(name: string): string | undefined {
  return typeof process !== 'undefined' ? process.env?.[name] : undefined;
}

// ---------------------------------------------------------------------------------------------------
// State (initialised once by initWasm()).

let memory: WebAssembly.Memory | null = null;
let simdModule: WebAssembly.Module | null = null;
let relaxedModule: WebAssembly.Module | null = null;
let simdExports: CoreExports | null = null;
let relaxedExports: CoreExports | null = null;
/** Every ArrayBuffer object memory.buffer has returned (a new one after each grow). */
const heapBuffers = new Set<ArrayBufferLike>();
let initError: Error | null = null;
/** Whether the memory is a shared one (false: the non-shared fallback). */
let sharedMemory = true;
let warnedDetach = false;
/** Initial pages of the non-shared fallback memory (64 MiB). */
const LOCAL_INITIAL_PAGES = 1024;

function noteBuffer(): ArrayBufferLike {
  const b = memory!.buffer;
  heapBuffers.add(b);
  return b;
}

// ---------------------------------------------------------------------------------------------------
// Allocator: first-fit over a free list sorted by offset, coalescing on free; bump pointer at the top.

let top = HEAP_START;
const freeList: Array<{ off: number; size: number }> = [];
const live = new Map<number, number>();

function ensureBytes(end: number): void {
  const have = memory!.buffer.byteLength;
  if (end <= have) return;
  const pages = Math.ceil((end - have) / PAGE);
  // Grow at least 1/8 of the current size, to keep the number of grow calls small.
  const want = Math.max(pages, Math.ceil(have / PAGE / 8));
  const cur = have / PAGE;
  try {
    memory!.grow(Math.min(want, MAX_PAGES - cur));
  } catch {
    memory!.grow(pages);
  }
  noteBuffer();
  if (!sharedMemory && !warnedDetach) {
    warnedDetach = true;
    console.warn('wordloom: the non-shared WASM heap grew; buffers allocated before are detached (use a cross-origin-isolated page for a shared heap)');
  }
  if (memory!.buffer.byteLength < end) throw new RangeError(`kernels: out of WASM memory (needed ${end} bytes)`);
}

/** Allocate `bytes` bytes (64-byte aligned, zeroed) in the WASM heap; returns the byte offset. */
export function allocBytes(bytes: number): number {
  requireWasm();
  const size = Math.max(ALIGN, Math.ceil(bytes / ALIGN) * ALIGN);
  for (let i = 0; i < freeList.length; i++) {
    const f = freeList[i];
    if (f.size >= size) {
      const off = f.off;
      if (f.size === size) freeList.splice(i, 1);
      else { f.off += size; f.size -= size; }
      live.set(off, size);
      new Uint8Array(memory!.buffer, off, size).fill(0);
      return off;
    }
  }
  const off = top;
  ensureBytes(off + size);
  top = off + size;
  live.set(off, size);
  return off; // fresh memory above `top` has never been handed out: it is zero
}

/** Return a block from allocBytes (unknown offsets are ignored). */
export function freeBytes(off: number): void {
  const size = live.get(off);
  if (size === undefined) return;
  live.delete(off);
  // Zero-on-reuse is done by allocBytes; here only keep the list sorted and coalesced.
  let lo = 0, hi = freeList.length;
  while (lo < hi) { const mid = (lo + hi) >> 1; if (freeList[mid].off < off) lo = mid + 1; else hi = mid; }
  freeList.splice(lo, 0, { off, size });
  const prev = freeList[lo - 1];
  if (prev && prev.off + prev.size === off) { prev.size += size; freeList.splice(lo, 1); lo--; }
  const cur = freeList[lo], next = freeList[lo + 1];
  if (next && cur.off + cur.size === next.off) { cur.size += next.size; freeList.splice(lo + 1, 1); }
  // Give the topmost free block back to the bump pointer (fresh memory must stay zero: zero it now).
  const last = freeList[freeList.length - 1];
  if (last && last.off + last.size === top) {
    new Uint8Array(memory!.buffer, last.off, last.size).fill(0);
    top = last.off;
    freeList.pop();
  }
}

/** Bytes currently handed out by the allocator, and the heap size (for diagnostics and tests). */
export function heapStats(): { liveBytes: number; liveBlocks: number; top: number; memoryBytes: number } {
  let liveBytes = 0;
  for (const s of live.values()) liveBytes += s;
  return { liveBytes, liveBlocks: live.size, top, memoryBytes: memory ? memory.buffer.byteLength : 0 };
}

type Typed = Float32Array | Float64Array | Int32Array | Uint32Array | Uint8Array;

export function allocF32(n: number): Float32Array { const o = allocBytes(n * 4); return new Float32Array(noteBuffer(), o, n); }
export function allocF64(n: number): Float64Array { const o = allocBytes(n * 8); return new Float64Array(noteBuffer(), o, n); }
export function allocI32(n: number): Int32Array { const o = allocBytes(n * 4); return new Int32Array(noteBuffer(), o, n); }
export function allocU32(n: number): Uint32Array { const o = allocBytes(n * 4); return new Uint32Array(noteBuffer(), o, n); }
export function allocU8(n: number): Uint8Array { const o = allocBytes(n); return new Uint8Array(noteBuffer(), o, n); }

/** Return a typed array from allocF32/allocI32/... to the heap (no-op for arrays not from the heap). */
export function freeHeap(a: Typed): void {
  if (memory && inHeap(a)) freeBytes(a.byteOffset);
}

/** Whether a typed array is a view of the WASM heap. */
export function inHeap(a: ArrayBufferView): boolean {
  const b = a.buffer;
  if (heapBuffers.has(b)) return true;
  // A view made on memory.buffer after a grow we did not see (e.g. from other code): refresh once.
  if (memory && typeof SharedArrayBuffer !== 'undefined' && b instanceof SharedArrayBuffer && !heapBuffers.has(memory.buffer)) {
    noteBuffer();
    return heapBuffers.has(b);
  }
  return false;
}

/** Byte offset of a heap view (throws if the array is not in the WASM heap). */
export function heapPtr(a: ArrayBufferView): number {
  if (!inHeap(a)) throw new Error('kernels: array is not in the WASM heap (allocate it with K.alloc / allocF32)');
  return a.byteOffset;
}

function requireWasm(): void {
  if (!memory) throw new Error('kernels: the WASM kernels are not available here' + (initError ? ` (${initError.message})` : ''));
}

/** The compiled kernel module (relaxed-SIMD build if the engine supports it, else plain SIMD). */
export function wasmModule(): WebAssembly.Module { requireWasm(); return (relaxedModule ?? simdModule)!; }
/** The plain-SIMD module (for code that wants the deterministic-everywhere build). */
export function wasmSimdModule(): WebAssembly.Module { requireWasm(); return simdModule!; }
/** The shared WebAssembly.Memory every kernel instance uses. */
export function wasmMemory(): WebAssembly.Memory { requireWasm(); return memory!; }
/** The main-thread instance's exports of wasmModule(). */
export function wasmExports(): CoreExports { requireWasm(); return (relaxedExports ?? simdExports)!; }
/** Whether relaxed SIMD is supported (and the relaxed build is loaded). */
export function relaxedSimdSupported(): boolean { return relaxedModule !== null; }
/** Whether the WASM heap is a shared memory (threads possible, growth never detaches views). */
export function wasmSharedMemory(): boolean { return memory !== null && sharedMemory; }
/** Whether initWasm() succeeded. */
export function wasmAvailable(): boolean { return memory !== null; }
/** Why the WASM kernels are unavailable (null if they are available). */
export function wasmError(): Error | null { return initError; }

/** Instantiate a kernel module on a (shared) memory, e.g. inside a worker_thread. Synchronous. */
export function instantiateWasm(module: WebAssembly.Module, mem: WebAssembly.Memory): CoreExports {
  const inst = new WebAssembly.Instance(module, {
    env: { memory: mem, abort: () => { throw new Error('wasm abort'); } },
  });
  return inst.exports as unknown as CoreExports;
}

// ---------------------------------------------------------------------------------------------------
// Threads.

let threads = 1;
let pool: GemmPool | null = null;
let PoolCtor: (typeof import('./pool-node.ts'))['GemmPool'] | null = null;

/** Threads used by large sgemm calls (1 = main thread only; default 1, or env WORDLOOM_THREADS). */
export function setThreads(n: number): void {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`kernels: threads must be an integer ≥ 1, got ${n}`);
  threads = n;
  if (n > 1 && !PoolCtor) { threads = 1; return; } // no worker_threads here (browser): stay on one thread
  if (!pool && n > 1 && memory) {
    pool = new PoolCtor!({
      memory, simd: simdModule!, relaxed: relaxedModule, allocBytes, freeBytes,
      wsBytes: Math.max(simdExports!.gemmWorkspaceBytes(), relaxedExports?.gemmWorkspaceBytes() ?? 0),
    });
  }
  pool?.resize(n - 1);
}

let threadedGemms = 0, threadedGemvs = 0;
/** sgemv calls with at least this many matrix elements are split across threads (when threads > 1). */
const SGEMV_THREAD_MIN = 1 << 20;
/** Number of sgemv calls so far that were split across threads (diagnostics, tests). */
export function threadedGemvCount(): number { return threadedGemvs; }
/** Number of sgemm calls so far that were split across threads (diagnostics, tests). */
export function threadedGemmCount(): number { return threadedGemms; }

/**
 * Thread-pool diagnostics: slices computed by worker threads, and slices the main thread took over because
 * their worker had not started them. `stealing: false` (tests) makes the main thread always wait for workers.
 */
export function threadPoolStats(opts?: { stealing?: boolean }): { byWorkers: number; stolen: number; stealing: boolean } {
  if (pool && opts?.stealing !== undefined) pool.stealing = opts.stealing;
  return { byWorkers: pool?.byWorkers ?? 0, stolen: pool?.stolen ?? 0, stealing: pool?.stealing ?? true };
}

/** Threads currently configured for large sgemm calls. */
export function getThreads(): number { return threads; }

/** Resolves when the helper threads have started (returns how many are ready). */
export async function threadsReady(timeoutMs = 10000): Promise<number> {
  return pool ? pool.whenReady(timeoutMs) : 0;
}

// ---------------------------------------------------------------------------------------------------
// Backends.

/** Copy-through-scratch path for Float32Arrays that are not in the heap. */
let scratchOff = -1, scratchSize = 0;
function scratch(bytes: number): number {
  if (bytes > scratchSize) {
    if (scratchOff >= 0) freeBytes(scratchOff);
    scratchSize = Math.max(bytes, scratchSize * 2, 1 << 16);
    scratchOff = allocBytes(scratchSize);
  }
  return scratchOff;
}

/**
 * Give each array a heap pointer: heap views as they are, others copied into scratch (if copyIn) and,
 * after `call`, copied back (if copyOut).
 */
function staged(arrs: Float32Array[], lens: number[], copyIn: boolean[], copyOut: boolean[], call: (p: number[]) => void): void {
  let need = 0;
  const heap = arrs.map((a) => inHeap(a));
  for (let i = 0; i < arrs.length; i++) if (!heap[i]) need += Math.ceil(lens[i] / 16) * 64;
  const base = need ? scratch(need) : 0;
  const buf = noteBuffer();
  const ptrs: number[] = [];
  let o = base;
  for (let i = 0; i < arrs.length; i++) {
    if (heap[i]) { ptrs.push(arrs[i].byteOffset); continue; }
    ptrs.push(o);
    if (copyIn[i]) new Float32Array(buf, o, lens[i]).set(arrs[i].subarray(0, lens[i]));
    o += Math.ceil(lens[i] / 16) * 64;
  }
  call(ptrs);
  for (let i = 0; i < arrs.length; i++) {
    if (!heap[i] && copyOut[i]) arrs[i].set(new Float32Array(memory!.buffer, ptrs[i], lens[i]));
  }
}

function checkLen(a: FloatArray, need: number, what: string): void {
  if (a.length < need) throw new RangeError(`kernels: ${what} has ${a.length} elements, needs ${need}`);
}

const isF32 = (a: FloatArray): a is Float32Array => a instanceof Float32Array;

/** Array arguments of a fused kernel: the array, its needed length, read (r), written (w) or both (rw). */
type ArgSpec = [FloatArray, number, 'r' | 'w' | 'rw'];

/**
 * Runs `f` on heap pointers for the given arrays: returns false (caller falls back to the reference) if
 * any is not a Float32Array; checks lengths; heap views are passed directly, others copied through scratch.
 */
function fused(args: ArgSpec[], f: (p: number[]) => void): boolean {
  let allHeap = true;
  for (const [a, n, mode] of args) {
    if (!isF32(a)) return false;
    checkLen(a, n, `argument (${mode})`);
    if (allHeap && !inHeap(a)) allHeap = false;
  }
  if (allHeap) { f(args.map((x) => x[0].byteOffset)); return true; }
  staged(args.map((x) => x[0] as Float32Array), args.map((x) => x[1]), args.map((x) => x[2] !== 'w'), args.map((x) => x[2] !== 'r'), f);
  return true;
}

function makeBackend(name: string, x: CoreExports, relaxed: boolean): KernelBackend {
  const ref = referenceKernels;
  const NR = 8, MR = x.gemmMR();
  let ws = -1;
  const gemmRun = (tA: boolean, tB: boolean, M: number, N: number, Kd: number, alpha: number,
    A: number, lda: number, B: number, ldb: number, beta: number, C: number, ldc: number) => {
    if (ws < 0) ws = allocBytes(x.gemmWorkspaceBytes());
    x.sgemm(tA ? 1 : 0, tB ? 1 : 0, M, N, Kd, alpha, A, lda, B, ldb, beta, C, ldc, ws);
  };
  const gemmPtrs = (tA: boolean, tB: boolean, M: number, N: number, Kd: number, alpha: number,
    A: number, lda: number, B: number, ldb: number, beta: number, C: number, ldc: number) => {
    if (threads > 1 && pool && M * N * Kd >= THREAD_MIN_WORK &&
      pool.sgemm(relaxed, threads, NR, MR, gemmRun, tA, tB, M, N, Kd, alpha, A, lda, B, ldb, beta, C, ldc)) {
      threadedGemms++;
      return;
    }
    gemmRun(tA, tB, M, N, Kd, alpha, A, lda, B, ldb, beta, C, ldc);
  };
  const unary = (n: number, arrs: Float32Array[], ins: boolean[], outs: boolean[], f: (p: number[]) => void) => {
    for (const a of arrs) checkLen(a, n, 'vector');
    staged(arrs, arrs.map(() => n), ins, outs, f);
  };

  const backend: KernelBackend = {
    ...ref,
    name,
    sgemm(transA, transB, M, N, Kd, alpha, A, lda, B, ldb, beta, C, ldc) {
      if (!isF32(A) || !isF32(B) || !isF32(C)) { ref.sgemm(transA, transB, M, N, Kd, alpha, A, lda, B, ldb, beta, C, ldc); return; }
      if (M <= 0 || N <= 0) return;
      const aRows = transA ? Kd : M, aCols = transA ? M : Kd;
      const bRows = transB ? N : Kd, bCols = transB ? Kd : N;
      if (ldc < N || (Kd > 0 && (lda < aCols || ldb < bCols))) throw new RangeError(`kernels: sgemm leading dimension too small (lda=${lda}, ldb=${ldb}, ldc=${ldc})`);
      const lenA = Kd > 0 ? (aRows - 1) * lda + aCols : 0;
      const lenB = Kd > 0 ? (bRows - 1) * ldb + bCols : 0;
      const lenC = (M - 1) * ldc + N;
      checkLen(A, lenA, 'sgemm A'); checkLen(B, lenB, 'sgemm B'); checkLen(C, lenC, 'sgemm C');
      if (inHeap(A) && inHeap(B) && inHeap(C)) {
        gemmPtrs(transA, transB, M, N, Kd, alpha, A.byteOffset, lda, B.byteOffset, ldb, beta, C.byteOffset, ldc);
        return;
      }
      staged([A, B, C], [lenA, lenB, lenC], [true, true, true], [false, false, true], (p) =>
        gemmPtrs(transA, transB, M, N, Kd, alpha, p[0], lda, p[1], ldb, beta, p[2], ldc));
    },
    dot(n, a, b) {
      if (!isF32(a) || !isF32(b)) return ref.dot(n, a, b);
      if (n <= 0) return 0;
      if (inHeap(a) && inHeap(b) && a.length >= n && b.length >= n) return x.dot(n, a.byteOffset, b.byteOffset);
      let r = 0;
      unary(n, [a, b], [true, true], [false, false], (p) => { r = x.dot(n, p[0], p[1]); });
      return r;
    },
    axpy(n, al, a, y) {
      if (!isF32(a) || !isF32(y)) { ref.axpy(n, al, a, y); return; }
      if (n <= 0) return;
      if (inHeap(a) && inHeap(y) && a.length >= n && y.length >= n) { x.axpy(n, al, a.byteOffset, y.byteOffset); return; }
      unary(n, [a, y], [true, true], [false, true], (p) => x.axpy(n, al, p[0], p[1]));
    },
    scale(n, al, a) {
      if (!isF32(a)) { ref.scale(n, al, a); return; }
      if (n <= 0) return;
      if (inHeap(a) && a.length >= n) { x.scale(n, al, a.byteOffset); return; }
      unary(n, [a], [true], [true], (p) => x.scale(n, al, p[0]));
    },
    sigmoid(n, a, out) {
      if (!isF32(a) || !isF32(out)) { ref.sigmoid(n, a, out); return; }
      if (n <= 0) return;
      if (inHeap(a) && inHeap(out) && a.length >= n && out.length >= n) { x.sigmoid(n, a.byteOffset, out.byteOffset); return; }
      unary(n, [a, out], [true, false], [false, true], (p) => x.sigmoid(n, p[0], p[1]));
    },
    tanh(n, a, out) {
      if (!isF32(a) || !isF32(out)) { ref.tanh(n, a, out); return; }
      if (n <= 0) return;
      if (inHeap(a) && inHeap(out) && a.length >= n && out.length >= n) { x.tanh(n, a.byteOffset, out.byteOffset); return; }
      unary(n, [a, out], [true, false], [false, true], (p) => x.tanh(n, p[0], p[1]));
    },
    sigmoidBackward(n, y, dy, dx) {
      if (n <= 0) return;
      if (!fused([[y, n, 'r'], [dy, n, 'r'], [dx, n, 'rw']], (p) => x.sigmoidBackward(n, p[0], p[1], p[2]))) ref.sigmoidBackward(n, y, dy, dx);
    },
    tanhBackward(n, y, dy, dx) {
      if (n <= 0) return;
      if (!fused([[y, n, 'r'], [dy, n, 'r'], [dx, n, 'rw']], (p) => x.tanhBackward(n, p[0], p[1], p[2]))) ref.tanhBackward(n, y, dy, dx);
    },
    addBias(rows, n, b, X) {
      if (rows <= 0 || n <= 0) return;
      if (!fused([[b, n, 'r'], [X, rows * n, 'rw']], (p) => x.addBias(rows, n, p[0], p[1]))) ref.addBias(rows, n, b, X);
    },
    biasBackward(rows, n, dX, db) {
      if (rows <= 0 || n <= 0) return;
      if (!fused([[dX, rows * n, 'r'], [db, n, 'rw']], (p) => x.biasBackward(rows, n, p[0], p[1]))) ref.biasBackward(rows, n, dX, db);
    },
    adamStep(n, p, g, m, v, beta1, beta2, eps, stepSize, invSqrtBc2, l2, decay) {
      if (n <= 0) return;
      if (!fused([[p, n, 'rw'], [g, n, 'r'], [m, n, 'rw'], [v, n, 'rw']], (q) =>
        x.adamStep(n, q[0], q[1], q[2], q[3], beta1, beta2, eps, stepSize, invSqrtBc2, l2, decay))) {
        ref.adamStep(n, p, g, m, v, beta1, beta2, eps, stepSize, invSqrtBc2, l2, decay);
      }
    },
    lstmCellForward(B, H, G, cPrev, c, tc, h) {
      if (B <= 0 || H <= 0) return;
      const n = B * H;
      if (!fused([[G, 4 * n, 'rw'], [cPrev, n, 'r'], [c, n, 'w'], [tc, n, 'w'], [h, n, 'w']], (q) =>
        x.lstmCellForward(B, H, q[0], q[1], q[2], q[3], q[4]))) ref.lstmCellForward(B, H, G, cPrev, c, tc, h);
    },
    lstmCellBackward(B, H, G, cPrev, tc, dh, dc, dG) {
      if (B <= 0 || H <= 0) return;
      const n = B * H;
      if (!fused([[G, 4 * n, 'r'], [cPrev, n, 'r'], [tc, n, 'r'], [dh, n, 'r'], [dc, n, 'rw'], [dG, 4 * n, 'rw']], (q) =>
        x.lstmCellBackward(B, H, q[0], q[1], q[2], q[3], q[4], q[5]))) ref.lstmCellBackward(B, H, G, cPrev, tc, dh, dc, dG);
    },
    gruGatesForward(B, H, G, hPrev, rh) {
      if (B <= 0 || H <= 0) return;
      const n = B * H;
      if (!fused([[G, 3 * n, 'rw'], [hPrev, n, 'r'], [rh, n, 'w']], (q) =>
        x.gruGatesForward(B, H, q[0], q[1], q[2]))) ref.gruGatesForward(B, H, G, hPrev, rh);
    },
    gruOutputForward(B, H, G, hPrev, h) {
      if (B <= 0 || H <= 0) return;
      const n = B * H;
      if (!fused([[G, 3 * n, 'rw'], [hPrev, n, 'r'], [h, n, 'w']], (q) =>
        x.gruOutputForward(B, H, q[0], q[1], q[2]))) ref.gruOutputForward(B, H, G, hPrev, h);
    },
    gruOutputBackward(B, H, G, hPrev, dh, dG, dhPrev) {
      if (B <= 0 || H <= 0) return;
      const n = B * H;
      // dG is only partly written (z and h blocks): 'rw' keeps the r block when dG is copied through scratch.
      if (!fused([[G, 3 * n, 'r'], [hPrev, n, 'r'], [dh, n, 'r'], [dG, 3 * n, 'rw'], [dhPrev, n, 'w']], (q) =>
        x.gruOutputBackward(B, H, q[0], q[1], q[2], q[3], q[4]))) ref.gruOutputBackward(B, H, G, hPrev, dh, dG, dhPrev);
    },
    gruGatesBackward(B, H, G, hPrev, drh, dG, dhPrev) {
      if (B <= 0 || H <= 0) return;
      const n = B * H;
      if (!fused([[G, 3 * n, 'r'], [hPrev, n, 'r'], [drh, n, 'r'], [dG, 3 * n, 'rw'], [dhPrev, n, 'rw']], (q) =>
        x.gruGatesBackward(B, H, q[0], q[1], q[2], q[3], q[4]))) ref.gruGatesBackward(B, H, G, hPrev, drh, dG, dhPrev);
    },
    sgemv(trans, M, N, alpha, A, lda, xv, beta, y) {
      if (M <= 0 || N <= 0) {
        // Nothing to multiply: y = beta·y (the reference defines this case).
        ref.sgemv(trans, M, N, alpha, A, lda, xv, beta, y);
        return;
      }
      if (lda < N) throw new RangeError(`kernels: sgemv lda=${lda} < N=${N}`);
      const lenA = (M - 1) * lda + N, nx = trans ? M : N, ny = trans ? N : M;
      // Long products (nearest-neighbour queries over a whole vocabulary) are memory-bound: split the rows
      // over the worker threads (bit-identical: every row is one independent dot product).
      const split = !trans && threads > 1 && pool !== null && M * N >= SGEMV_THREAD_MIN;
      if (!fused([[A, lenA, 'r'], [xv, nx, 'r'], [y, ny, 'rw']], (q) => {
        if (split && pool!.sgemv(relaxed, threads, (m, a, yy) => x.sgemv(0, m, N, alpha, a, lda, q[1], beta, yy),
          M, N, alpha, q[0], lda, q[1], beta, q[2])) { threadedGemvs++; return; }
        x.sgemv(trans ? 1 : 0, M, N, alpha, q[0], lda, q[1], beta, q[2]);
      })) ref.sgemv(trans, M, N, alpha, A, lda, xv, beta, y);
    },
    alloc(n) {
      return allocF32(n);
    },
    free(a) {
      freeHeap(a);
    },
  };
  return backend;
}

/** The WASM backends that initWasm() created (relaxed first if available). */
export const wasmBackends: KernelBackend[] = [];

let initPromise: Promise<KernelBackend[]> | null = null;

/**
 * Compile the modules, create the shared memory and the backends. Called once by src/kernels/index.ts
 * at import time; never throws (on failure `wasmBackends` stays empty and `wasmError()` says why).
 */
export function initWasm(): Promise<KernelBackend[]> {
  initPromise ??= doInit().catch((e: unknown) => {
    initError = e instanceof Error ? e : new Error(String(e));
    memory = null;
    return [];
  });
  return initPromise;
}

async function doInit(): Promise<KernelBackend[]> {
  if (typeof WebAssembly === 'undefined') throw new Error('WebAssembly is not available');
  if (isNode) {
    // Node 20's V8 ships relaxed SIMD behind a flag; it can be turned on before the module is compiled.
    try {
      const v8 = await import(/* @vite-ignore */ 'node:' + 'v8') as typeof import('node:v8');
      v8.setFlagsFromString('--experimental-wasm-relaxed-simd');
    } catch { /* not fatal: the plain SIMD build is used */ }
  }
  let mem: WebAssembly.Memory;
  const wantShared = env('WORDLOOM_SHARED_MEMORY') !== '0';
  try {
    if (!wantShared || typeof SharedArrayBuffer === 'undefined') throw new Error('no shared memory');
    mem = new WebAssembly.Memory({ initial: Math.ceil((HEAP_START + (4 << 20)) / PAGE), maximum: MAX_PAGES, shared: true });
    sharedMemory = true;
  } catch {
    mem = new WebAssembly.Memory({ initial: LOCAL_INITIAL_PAGES, maximum: MAX_PAGES });
    sharedMemory = false;
  }
  const simdBytes = decodeBase64(sharedMemory ? simdB64 : simdLocalB64);
  const relaxedBytes = decodeBase64(sharedMemory ? relaxedB64 : relaxedLocalB64);
  if (!WebAssembly.validate(simdBytes)) throw new Error('this engine does not support WebAssembly SIMD');
  simdModule = await WebAssembly.compile(simdBytes);
  relaxedModule = WebAssembly.validate(relaxedBytes) ? await WebAssembly.compile(relaxedBytes) : null;
  memory = mem;
  noteBuffer();
  simdExports = instantiateWasm(simdModule, mem);
  relaxedExports = relaxedModule ? instantiateWasm(relaxedModule, mem) : null;
  const base = Math.max(simdExports.heapBase(), relaxedExports?.heapBase() ?? 0);
  if (base > HEAP_START) throw new Error(`kernels: module static data (${base} bytes) overlaps the heap start (${HEAP_START})`);
  if (isNode && sharedMemory) {
    try {
      // Computed specifier: bundlers for the browser must not follow this, and dist/ has pool-node.js.
      const url = new URL(import.meta.url.endsWith('.ts') ? './pool-node.ts' : './pool-node.js', import.meta.url).href;
      PoolCtor = ((await import(/* @vite-ignore */ url)) as typeof import('./pool-node.ts')).GemmPool;
    } catch { PoolCtor = null; }
  }
  if (relaxedExports) wasmBackends.push(makeBackend('wasm-relaxed-simd', relaxedExports, true));
  wasmBackends.push(makeBackend('wasm-simd', simdExports, false));
  const t = env('WORDLOOM_THREADS');
  if (t !== undefined && t !== '') {
    const n = Number(t);
    if (Number.isInteger(n) && n >= 1) setThreads(n);
    else console.warn(`wordloom: ignoring WORDLOOM_THREADS=${t} (expected an integer ≥ 1)`);
  }
  return wasmBackends;
}
