/**
 * Node-only worker pool for multi-threaded SGEMM: worker_threads that instantiate the kernel modules on
 * the shared WASM memory (see worker.ts). A large sgemm is split into column slices (multiples of the
 * micro-kernel width NR) or row slices (multiples of MR); the main thread computes slice 0 itself while the
 * workers compute the others, then takes over every slice whose worker has not started it yet (a sleeping
 * worker, or one whose core is busy with another process) and waits for the rest (brief spin, then
 * Atomics.wait). Slices start on tile
 * boundaries, so every element of C is computed by exactly the same operations as on one thread: threaded
 * results are bit-identical to single-threaded ones.
 *
 * Workers are unref()'d so they never keep the process alive. A worker that has not finished starting
 * (or failed to start) is simply not given work; the main thread does its share.
 * Loaded by the loader through a dynamic import, only in Node (browsers never see node:worker_threads).
 */
import type { Worker } from 'node:worker_threads';
import { startWorker } from '../../util/worker-node.ts';
import { CLAIM, OP, SLOT, SPIN } from './pool-protocol.ts';

export interface PoolHost {
  memory: WebAssembly.Memory;
  simd: WebAssembly.Module;
  relaxed: WebAssembly.Module | null;
  /** Allocate `bytes` bytes (64-byte aligned) in the WASM heap; returns the byte offset. */
  allocBytes(bytes: number): number;
  /** Return a block from allocBytes. */
  freeBytes(offset: number): void;
  /** Workspace bytes one sgemm call needs (per thread). */
  wsBytes: number;
}

interface PoolWorker {
  worker: Worker;
  slot: number;
  ws: number;
  ctl: Int32Array;
  f32: Float32Array;
  seq: number;
  failed: boolean;
}

export type GemmRunner = (transA: boolean, transB: boolean, M: number, N: number, K: number, alpha: number,
  A: number, lda: number, B: number, ldb: number, beta: number, C: number, ldc: number) => void;

const fromSources = import.meta.url.endsWith('.ts');
const workerUrl = new URL(fromSources ? './worker.ts' : './worker.js', import.meta.url);

/** The worker entry: worker.js from dist/, worker.ts from the sources (started through util/worker-node.ts). */

export class GemmPool {
  private workers: PoolWorker[] = [];
  /** Slices the main thread computed itself because their worker had not started them (diagnostics). */
  stolen = 0;
  /** Slices computed by worker threads (diagnostics). */
  byWorkers = 0;
  /** Whether the main thread may take over slices a worker has not started (tests turn it off). */
  stealing = true;
  /** First error a worker reported (e.g. it could not start), for diagnostics. */
  lastError: Error | null = null;

  constructor(private readonly host: PoolHost) {}

  /** Number of helper threads (excluding the main thread). */
  get size(): number {
    return this.workers.length;
  }

  /** Number of helper threads that are running and waiting for work. */
  readyCount(): number {
    let n = 0;
    for (const w of this.workers) if (!w.failed && Atomics.load(w.ctl, SLOT.ready) === 1) n++;
    return n;
  }

  /** Resolves when all helper threads are ready (or failed), or after timeoutMs. */
  async whenReady(timeoutMs = 10000): Promise<number> {
    const t0 = Date.now();
    while (Date.now() - t0 < timeoutMs) {
      if (this.workers.every((w) => w.failed || Atomics.load(w.ctl, SLOT.ready) === 1)) break;
      await new Promise((r) => setTimeout(r, 2));
    }
    return this.readyCount();
  }

  /** Set the number of helper threads (0 = main thread only). */
  resize(helpers: number): void {
    while (this.workers.length < helpers) this.spawn();
    while (this.workers.length > helpers) {
      const w = this.workers.pop()!;
      w.ctl[SLOT.op] = OP.exit;
      Atomics.add(w.ctl, SLOT.seq, 1);
      Atomics.notify(w.ctl, SLOT.seq);
      // The slot and workspace are returned when the thread has really gone.
      w.worker.once('exit', () => { this.host.freeBytes(w.slot); this.host.freeBytes(w.ws); });
    }
  }

  private spawn(): void {
    const slot = this.host.allocBytes(SLOT.words * 4);
    const ws = this.host.allocBytes(this.host.wsBytes);
    const buf = this.host.memory.buffer;
    const ctl = new Int32Array(buf, slot, SLOT.words);
    ctl.fill(0);
    const worker = startWorker(workerUrl, { workerData: { memory: this.host.memory, simd: this.host.simd, relaxed: this.host.relaxed, slot } });
    const w: PoolWorker = { worker, slot, ws, ctl, f32: new Float32Array(buf, slot, SLOT.words), seq: 0, failed: false };
    worker.on('error', (e) => { w.failed = true; this.lastError ??= e; });
    worker.on('exit', () => { w.failed = true; });
    worker.unref();
    this.workers.push(w);
  }

  /**
   * Run C = alpha·op(A)·op(B) + beta·C on up to `threads` threads (main included). Pointers are heap byte
   * offsets. Returns false (and does nothing) if no helper is ready or the shape cannot be split, so the
   * caller runs it on one thread.
   */
  sgemm(relaxed: boolean, threads: number, NR: number, MR: number, run: GemmRunner,
    transA: boolean, transB: boolean, M: number, N: number, K: number, alpha: number,
    A: number, lda: number, B: number, ldb: number, beta: number, C: number, ldc: number): boolean {
    const helpers = this.readyHelpers(threads);
    if (!helpers.length) return false;
    let T = helpers.length + 1;
    const colPanels = Math.ceil(N / NR), rowPanels = Math.ceil(M / MR);
    const byCols = colPanels >= 2 * T || colPanels >= rowPanels;
    const panels = byCols ? colPanels : rowPanels;
    T = Math.min(T, panels);
    if (T < 2) return false;
    const step = byCols ? NR : MR, extent = byCols ? N : M;
    const bound = (t: number) => (t >= T ? extent : Math.floor((t * panels) / T) * step);
    const op = relaxed ? OP.sgemmRelaxed : OP.sgemmSimd;
    const post = (w: PoolWorker, t: number) => {
      const lo = bound(t), hi = bound(t + 1);
      const c = w.ctl, f = w.f32;
      c[SLOT.op] = op;
      c[SLOT.transA] = transA ? 1 : 0; c[SLOT.transB] = transB ? 1 : 0;
      c[SLOT.K] = K; f[SLOT.alpha] = alpha; f[SLOT.beta] = beta;
      c[SLOT.lda] = lda; c[SLOT.ldb] = ldb; c[SLOT.ldc] = ldc; c[SLOT.ws] = w.ws;
      if (byCols) {
        c[SLOT.M] = M; c[SLOT.N] = hi - lo;
        c[SLOT.A] = A; c[SLOT.B] = B + (transB ? lo * ldb : lo) * 4; c[SLOT.C] = C + lo * 4;
      } else {
        c[SLOT.M] = hi - lo; c[SLOT.N] = N;
        c[SLOT.A] = A + (transA ? lo : lo * lda) * 4; c[SLOT.B] = B; c[SLOT.C] = C + lo * ldc * 4;
      }
    };
    const slice = (t: number) => {
      const lo = bound(t), hi = bound(t + 1);
      if (byCols) run(transA, transB, M, hi - lo, K, alpha, A, lda, B + (transB ? lo * ldb : lo) * 4, ldb, beta, C + lo * 4, ldc);
      else run(transA, transB, hi - lo, N, K, alpha, A + (transA ? lo : lo * lda) * 4, lda, B, ldb, beta, C + lo * ldc * 4, ldc);
    };
    this.dispatch(helpers, T, post, slice);
    return true;
  }

  /**
   * y = alpha·A·x + beta·y (A row-major M×N, no transpose) on up to `threads` threads, split into blocks of
   * rows. Each row's dot product is computed by the same code whatever the split, so results are
   * bit-identical to one thread. Returns false if no helper is ready (the caller runs it on one thread).
   * Used for the long matrix–vector products of nearest-neighbour queries (memory-bound: two cores read
   * memory about twice as fast as one).
   */
  sgemv(relaxed: boolean, threads: number, run: (M: number, A: number, y: number) => void,
    M: number, N: number, alpha: number, A: number, lda: number, x: number, beta: number, y: number): boolean {
    const helpers = this.readyHelpers(threads);
    if (!helpers.length) return false;
    const T = Math.min(helpers.length + 1, Math.floor(M / 64));
    if (T < 2) return false;
    const bound = (t: number) => (t >= T ? M : Math.floor((t * M) / T));
    const op = relaxed ? OP.sgemvRelaxed : OP.sgemvSimd;
    const post = (w: PoolWorker, t: number) => {
      const lo = bound(t), hi = bound(t + 1);
      const c = w.ctl, f = w.f32;
      c[SLOT.op] = op;
      c[SLOT.M] = hi - lo; c[SLOT.N] = N; f[SLOT.alpha] = alpha; f[SLOT.beta] = beta;
      c[SLOT.A] = A + lo * lda * 4; c[SLOT.lda] = lda; c[SLOT.B] = x; c[SLOT.C] = y + lo * 4;
    };
    const slice = (t: number) => {
      const lo = bound(t), hi = bound(t + 1);
      run(hi - lo, A + lo * lda * 4, y + lo * 4);
    };
    this.dispatch(helpers, T, post, slice);
    return true;
  }

  private readyHelpers(threads: number): PoolWorker[] {
    const helpers: PoolWorker[] = [];
    for (const w of this.workers) {
      if (helpers.length >= threads - 1) break;
      if (!w.failed && Atomics.load(w.ctl, SLOT.ready) === 1) helpers.push(w);
    }
    return helpers;
  }

  /**
   * Post slices 1…T−1 to the helpers (`post` writes a slice's parameters into the worker's slot), compute
   * slice 0 here, then take over slices no worker has started and wait for the others.
   */
  private dispatch(helpers: PoolWorker[], T: number, post: (w: PoolWorker, t: number) => void, slice: (t: number) => void): void {
    for (let t = 1; t < T; t++) {
      const w = helpers[t - 1];
      post(w, t);
      // Open the claim only once every parameter is written: a worker still waking up for an earlier job
      // may take this one as soon as the claim is open.
      Atomics.store(w.ctl, SLOT.claim, CLAIM.posted);
      w.seq = Atomics.add(w.ctl, SLOT.seq, 1) + 1;
      Atomics.notify(w.ctl, SLOT.seq);
    }
    slice(0);
    for (let t = 1; t < T; t++) {
      const w = helpers[t - 1];
      // A worker that has not started its slice yet (asleep, or its core is busy): do the slice here.
      if (this.stealing && Atomics.compareExchange(w.ctl, SLOT.claim, CLAIM.posted, CLAIM.main) === CLAIM.posted) {
        this.stolen++;
        slice(t);
        continue;
      }
      this.byWorkers++;
      let d = Atomics.load(w.ctl, SLOT.done);
      for (let spins = 0; d !== w.seq; d = Atomics.load(w.ctl, SLOT.done)) {
        if (w.failed) throw new Error('kernels: a GEMM worker thread died during a call' + (this.lastError ? `: ${this.lastError.message}` : ''));
        if (++spins > SPIN) Atomics.wait(w.ctl, SLOT.done, d, 50);
      }
    }
  }
}
