/**
 * Fast Node loader for text vector files (GloVe, word2vec text, fastText .vec): the file is read in
 * chunks straight into a ring of WASM-heap slots, each chunk's complete lines are published as a task,
 * and the main thread plus `threads − 1` worker threads parse tasks with the WASM kernel `vecParseText`
 * (src/kernels/wasm/as/vectors.ts) directly into the shared matrix, while the main thread keeps reading
 * (pipelining) and applies finished tasks in file order with `VectorReader.applyBlock` (words, duplicates,
 * limit, header count, global line numbers, errors, lenient counts; JS fallback for other spellings).
 *
 * Rows: the main thread counts the lines of each chunk (SIMD) before publishing it, so task t knows the
 * matrix row of its first line (rows before + lines of tasks < t); blank or skipped lines leave holes that
 * applyBlock closes by moving later rows down. So the result — words, bits, error message and line — is
 * the same for any thread count and chunk size. If the matrix estimate is too small, the main thread waits
 * for the tasks in flight and grows it before publishing more.
 *
 * Workers are `eval` workers (a few lines of plain JS below: they only instantiate the kernel module on the
 * shared memory and run tasks), so they start in ~30 ms even under tsx (a .ts worker through
 * util/worker-node.ts needs tsx's loader first: ~200 ms). They are started per load, only for files of at
 * least `threadsMinBytes`; the main thread never waits for them to start (it parses tasks itself until they
 * are ready), and they exit when the load ends.
 */
import { readSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { allocBytes, freeBytes, wasmMemory, wasmModule } from '../kernels/index.ts';
import type { ProgressReporter } from '../util/progress.ts';
import { blockLines, detectFormat, textKernel, type TextKernel, type VectorReader } from './formats.ts';

/** Files smaller than this are parsed on the calling thread only (worker start-up is not worth it). */
export const TEXT_THREADS_MIN_BYTES = 32 << 20;
/** Default read chunk (one task) of the text engine. */
export const TEXT_CHUNK_BYTES = 8 << 20;
/** Default thread count is the available cores, at most this many (parsing is memory-bound beyond). */
export const TEXT_MAX_DEFAULT_THREADS = 8;

/** Default `threads` for loading text vector files: available cores, capped at TEXT_MAX_DEFAULT_THREADS. */
export function defaultLoadThreads(): number {
  return Math.max(1, Math.min(TEXT_MAX_DEFAULT_THREADS, availableParallelism()));
}

// Control block (Int32 words in the WASM heap): claim counter, published count, wake-up sequence,
// stop flag, ready workers; then one descriptor per ring slot.
const NEXT = 0, PUB = 1, SEQ = 2, STOP = 3, READY = 4, HEAD = 8;
// Descriptor: state, src, len, dim, out, room, info, lines (kernel result).
const DESC = 8;
const PUBLISHED = 1, DONE = 2;

/** Worker body (CommonJS, eval'd): instantiate the kernels on the shared memory, run published tasks. */
const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
const { module, memory, ctl, slots } = workerData;
const x = new WebAssembly.Instance(module, { env: { memory, abort() { throw new Error('wasm abort'); } } }).exports;
const c = new Int32Array(memory.buffer, ctl, ${HEAD} + slots * ${DESC});
Atomics.add(c, ${READY}, 1);
for (;;) {
  const seq = Atomics.load(c, ${SEQ});
  if (Atomics.load(c, ${STOP}) !== 0) break;
  for (;;) {
    const t = Atomics.load(c, ${NEXT});
    if (t >= Atomics.load(c, ${PUB}) || Atomics.load(c, ${STOP}) !== 0) break;
    if (Atomics.compareExchange(c, ${NEXT}, t, t + 1) !== t) continue;
    const d = ${HEAD} + (t % slots) * ${DESC};
    let lines = -1;
    try { lines = x.vecParseText(c[d + 1], c[d + 2], c[d + 3], c[d + 4], c[d + 5], c[d + 6]); } catch {}
    c[d + 7] = lines;
    Atomics.store(c, d, ${DONE});
    Atomics.notify(c, d);
  }
  if (Atomics.load(c, ${STOP}) !== 0) break;
  Atomics.wait(c, ${SEQ}, seq, 1000);
}
`;

/** Diagnostics of the last text load (tests, bench). */
export interface TextLoadStats {
  /** Threads used (main included). */
  threads: number;
  /** Worker threads started. */
  workers: number;
  /** Tasks (chunks) published. */
  tasks: number;
  /** Tasks parsed by worker threads. */
  byWorkers: number;
  /** Tasks parsed by the main thread. */
  byMain: number;
  /** Times the matrix had to grow while loading. */
  grows: number;
}

let lastStats: TextLoadStats = { threads: 0, workers: 0, tasks: 0, byWorkers: 0, byMain: 0, grows: 0 };
/** Whether the main thread parses tasks too (tests turn it off to force tasks onto the workers). */
let mainParses = true;

/**
 * Stats of the last text load through this engine. `mainParses: false` (tests) makes the main thread leave
 * every task to the workers once they are started (it still parses if none is ready after 10 s).
 */
export function textLoadStats(opts?: { mainParses?: boolean }): TextLoadStats {
  if (opts?.mainParses !== undefined) mainParses = opts.mainParses;
  return { ...lastStats };
}

/** Options of `loadTextEngine`. */
export interface TextEngineOptions {
  /** Parser threads, main thread included (≥ 1). */
  threads: number;
  /** Files smaller than this use one thread. */
  threadsMinBytes: number;
  /** Bytes per read/task. */
  chunkBytes: number;
  /** Progress in bytes (started and stopped by the caller). */
  progress: ProgressReporter;
}

/** What is left for the streaming reader when the engine cannot take the file. */
export interface EngineFallback {
  /** Bytes read but not consumed by the reader. */
  rest: Uint8Array;
  /** File position after `rest`. */
  pos: number;
}

interface Slot { ptr: number; bytes: number; info: number; infoLines: number }
interface Task { t: number; slot: number; src: number; len: number; lines: number; row: number; endPos: number; byMain: boolean }

/**
 * Load the text rows of `fd` into `reader` (which then only needs `finish()`). Returns null when done,
 * or an EngineFallback when the file is not for this engine (word2vec binary, no WASM kernels, a first
 * line longer than a chunk, no valid row in the first chunk): the caller streams the rest itself.
 */
export function loadTextEngine(fd: number, size: number, reader: VectorReader, opts: TextEngineOptions): EngineFallback | null {
  const x = textKernel();
  if (!x) return { rest: new Uint8Array(0), pos: 0 };
  const chunk = Math.max(1 << 12, Math.min(opts.chunkBytes, size + 1));
  const threads = size >= opts.threadsMinBytes ? Math.max(1, Math.floor(opts.threads)) : 1;
  const S = threads + 3;
  const slots: Slot[] = [];
  const stats: TextLoadStats = { threads, workers: 0, tasks: 0, byWorkers: 0, byMain: 0, grows: 0 };
  lastStats = stats;
  let ctlOff = -1;
  let ctl: Int32Array = new Int32Array(0);
  const workers: Worker[] = [];
  let heap = new Uint8Array(wasmMemory().buffer);
  const refresh = () => { if (heap.buffer !== wasmMemory().buffer) heap = new Uint8Array(wasmMemory().buffer); };
  const tasks: Task[] = [];
  let oldest = 0; // first task not yet applied
  let pos = 0; // file position read so far
  let tail = new Uint8Array(0); // bytes after the last complete line of the last chunk
  let eof = false;
  let nextRow = 0;
  let linesSoFar = 0, bytesSoFar = 0;

  const slotFor = (i: number, bytes: number): Slot => {
    let s = slots[i];
    if (!s) { s = { ptr: -1, bytes: 0, info: -1, infoLines: 0 }; slots[i] = s; }
    if (s.bytes < bytes) {
      if (s.ptr >= 0) freeBytes(s.ptr);
      s.ptr = -1; s.bytes = 0;
      s.ptr = allocBytes(bytes); s.bytes = bytes;
      refresh();
    }
    return s;
  };
  const infoFor = (s: Slot, lines: number): void => {
    if (s.infoLines >= lines) return;
    if (s.info >= 0) freeBytes(s.info);
    s.info = -1; s.infoLines = 0;
    const n = Math.max(lines, 4096);
    s.info = allocBytes(n * 8); s.infoLines = n;
    refresh();
  };

  /** Read into slot i after `tail` until a complete line (or EOF) is there; returns the bytes held. */
  const fill = (i: number): { s: Slot; have: number; blockEnd: number; final: boolean } => {
    let want = tail.length + chunk;
    for (;;) {
      const s = slotFor(i, want + 64);
      heap.set(tail, s.ptr);
      let have = tail.length;
      while (have < want && pos < size) {
        const r = readSync(fd, heap, s.ptr + have, Math.min(want - have, 1 << 30), pos);
        if (r <= 0) break;
        pos += r; have += r;
      }
      const final = pos >= size || have < want;
      let blockEnd = have;
      if (!final) blockEnd = heap.subarray(s.ptr, s.ptr + have).lastIndexOf(0x0a) + 1;
      if (blockEnd > 0 || final) {
        tail = heap.slice(s.ptr + blockEnd, s.ptr + have);
        return { s, have, blockEnd, final };
      }
      // a line longer than the chunk: keep what we have and read a larger piece
      tail = heap.slice(s.ptr, s.ptr + have);
      want = have + Math.max(chunk, have);
    }
  };

  const descAt = (t: number) => HEAD + (t % S) * DESC;

  /** Run one published task on this thread if no worker has claimed it; returns whether it did. */
  let help = true;
  const runOne = (): boolean => {
    if (!help) return false;
    const t = Atomics.load(ctl, NEXT);
    if (t >= Atomics.load(ctl, PUB) || Atomics.compareExchange(ctl, NEXT, t, t + 1) !== t) return false;
    const d = descAt(t);
    let lines = -1;
    try {
      lines = x.vecParseText(ctl[d + 1], ctl[d + 2], ctl[d + 3], ctl[d + 4], ctl[d + 5], ctl[d + 6]);
    } finally {
      ctl[d + 7] = lines;
      Atomics.store(ctl, d, DONE);
    }
    tasks[t].byMain = true;
    return true;
  };

  /** Wait (helping) until every published task is parsed. */
  const drain = (): void => {
    for (let t = oldest; t < tasks.length; t++) {
      const d = descAt(t);
      while (Atomics.load(ctl, d) !== DONE) {
        if (!runOne()) Atomics.wait(ctl, d, PUBLISHED, 50);
      }
    }
  };

  /** Read the next chunk into its slot and publish it; false if there was nothing left to read. */
  const readAndPublish = (x: TextKernel): boolean => {
    const t = tasks.length;
    const i = t % S;
    const { s, blockEnd, final } = fill(i);
    if (final) eof = true;
    if (blockEnd === 0) return false;
    return publish(t, s, s.ptr, blockEnd, blockLines(x, heap, s.ptr, blockEnd));
  };

  const publish = (t: number, s: Slot, src: number, len: number, lines: number): boolean => {
    infoFor(s, lines);
    const row = nextRow;
    nextRow += lines;
    linesSoFar += lines; bytesSoFar += len;
    const dim = reader.dims;
    if (row + lines > reader.capacity && reader.capacity < reader.rowTarget) {
      // The matrix estimate was too small: let the tasks in flight finish, then grow it (rows kept).
      drain();
      const remaining = Math.max(0, size - pos) / Math.max(1, bytesSoFar / linesSoFar);
      reader.growMatrix(Math.min(reader.rowTarget, Math.max(row + lines, Math.ceil(reader.capacity * 1.25), row + lines + Math.ceil(remaining * 1.1) + 16)));
      stats.grows++;
      refresh();
    }
    const room = Math.min(0x7fffffff, Math.max(0, reader.capacity - row));
    const out = room > 0 ? reader.matrix!.byteOffset + row * dim * 4 : 0;
    const d = descAt(t);
    ctl[d + 1] = src; ctl[d + 2] = len; ctl[d + 3] = dim; ctl[d + 4] = out; ctl[d + 5] = room; ctl[d + 6] = s.info;
    ctl[d + 7] = -1;
    Atomics.store(ctl, d, PUBLISHED);
    tasks.push({ t, slot: t % S, src, len, lines, row, endPos: pos - tail.length, byMain: false });
    stats.tasks++;
    Atomics.add(ctl, PUB, 1);
    Atomics.add(ctl, SEQ, 1);
    Atomics.notify(ctl, SEQ);
    return true;
  };

  /** Apply finished task `oldest` in file order; false once `limit` words are read. */
  const apply = (): boolean => {
    const task = tasks[oldest];
    const d = descAt(oldest);
    const lines = ctl[d + 7];
    if (lines !== task.lines) throw new Error(`text engine: task ${oldest} parsed ${lines} lines, expected ${task.lines}`);
    if (task.byMain) stats.byMain++; else stats.byWorkers++;
    refresh();
    const info = new Int32Array(heap.buffer, slots[task.slot].info, 2 * lines);
    const more = reader.applyBlock(heap.subarray(task.src, task.src + task.len), lines, info, task.row);
    oldest++;
    opts.progress.update({ done: task.endPos, total: size });
    return more;
  };

  // Control block and ring slots first: below the matrix in the heap, so that freeing them never leaves
  // the matrix under a live block (a block freed at the top of the heap is zeroed then, not on reuse).
  ctlOff = allocBytes((HEAD + S * DESC) * 4);
  for (let i = 0; i < S; i++) infoFor(slotFor(i, chunk + 64), Math.ceil(chunk / 64));
  refresh();
  ctl = new Int32Array(heap.buffer, ctlOff, HEAD + S * DESC);

  // --- first chunk: format detection, header / GloVe's first row through the reader
  const first = fill(0);
  eof = first.final;
  refresh();
  const firstBytes = heap.subarray(first.s.ptr, first.s.ptr + first.have);
  const fallback = (used: number): EngineFallback => {
    const rest = firstBytes.slice(used);
    freeSlots();
    return { rest, pos };
  };
  const freeSlots = () => {
    for (const s of slots) { if (s.ptr >= 0) freeBytes(s.ptr); if (s.info >= 0) freeBytes(s.info); s.ptr = s.info = -1; }
    if (workers.length === 0) freeBytes(ctlOff); // else when the last worker has exited
  };
  // (fill returns at least one complete line, or the whole rest of the file)
  const head = first.final ? firstBytes : firstBytes.subarray(0, first.blockEnd);
  if (reader.format === 'auto') {
    const f = detectFormat(head);
    if (f === 'word2vec-binary' || f === 'wordloom') return fallback(0);
  }
  if (reader.format === 'word2vec-binary') return fallback(0);
  reader.handOff = true;
  let used: number;
  try {
    used = reader.consume(head, first.final);
  } catch (e) {
    freeSlots();
    throw e;
  }
  if (reader.dims === 0 || reader.complete) {
    reader.handOff = false;
    if (reader.complete || (first.final && used >= first.have)) { freeSlots(); return null; }
    // (the reader keeps its line count: the classic loop continues after `used`)
    return fallback(used);
  }
  nextRow = reader.rows;

  // --- workers
  let live = 0;
  const ctlToFree = ctlOff;
  for (let w = 0; w < threads - 1; w++) {
    try {
      const worker = new Worker(WORKER_SOURCE, { eval: true, execArgv: [], workerData: { module: wasmModule(), memory: wasmMemory(), ctl: ctlOff, slots: S } });
      worker.unref();
      worker.on('error', () => { /* a failed worker just does not claim tasks */ });
      live++;
      worker.once('exit', () => { if (--live === 0) freeBytes(ctlToFree); });
      workers.push(worker);
    } catch { break; }
  }
  stats.workers = workers.length;
  help = mainParses || workers.length === 0;

  try {
    // task 0: the rest of the first chunk's complete lines
    if (used < first.blockEnd) {
      const src = first.s.ptr + used, len = first.blockEnd - used;
      publish(0, first.s, src, len, blockLines(x, heap, src, len));
    }
    const t0 = Date.now();
    for (;;) {
      if (oldest < tasks.length && Atomics.load(ctl, descAt(oldest)) === DONE) {
        if (!apply()) break; // limit reached
        continue;
      }
      if (oldest === tasks.length && eof) break;
      if (!eof && tasks.length - oldest < S) {
        readAndPublish(x);
        continue;
      }
      if (runOne()) continue;
      if (!help && Date.now() - t0 > 10000 && Atomics.load(ctl, READY) === 0) help = true; // no worker came up
      Atomics.wait(ctl, descAt(oldest), PUBLISHED, 20);
    }
  } finally {
    // Stop the workers; take every unclaimed task away from them; wait for the ones they are running.
    Atomics.store(ctl, STOP, 1);
    Atomics.add(ctl, SEQ, 1);
    Atomics.notify(ctl, SEQ);
    let t = Atomics.load(ctl, NEXT);
    for (;;) {
      const p = Atomics.load(ctl, PUB);
      if (t >= p) break;
      const seen = Atomics.compareExchange(ctl, NEXT, t, p);
      if (seen === t) break;
      t = seen;
    }
    for (let k = oldest; k < Math.min(t, tasks.length); k++) {
      const d = descAt(k);
      while (Atomics.load(ctl, d) !== DONE) Atomics.wait(ctl, d, PUBLISHED, 50);
    }
    freeSlots();
    reader.handOff = false;
  }
  return null;
}
