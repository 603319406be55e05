/**
 * GloVe training (Node): AdaGrad passes over the shuffled co-occurrence records, on the main thread
 * (threads = 1: deterministic for a seed) or on Hogwild worker threads sharing W and G through
 * SharedArrayBuffers (threads > 1: like glove.c, lock-free, so runs differ in the last bits).
 * Checkpoints hold W, the AdaGrad sums G and the iteration count, so a resumed run continues exactly.
 *
 * Initialisation as glove.c: every weight (vectors and biases) uniform in [−0.5, 0.5)/d, G = 1.
 * Reference: Pennington, Socher, Manning (2014) §4.2 (AdaGrad, x_max, α); glove.c (initialize_parameters,
 * glove_thread, per-iteration cost = Σ ½ f diff² / number of records).
 */
import type { Worker } from 'node:worker_threads';
import { startWorker } from '../../util/worker-node.ts';
import { existsSync } from 'node:fs';
import { Rng } from '../../util/rng.ts';
import { WordloomError } from '../../util/errors.ts';
import { readInputFile, writeFileAtomic } from '../../util/fs-node.ts';
import { noChecksumNotice } from '../../util/notices.ts';
import { checksumMissing, checksumTrailer, hasChecksumTrailer, verifyChecksumTrailer, CHECKSUM_TRAILER_BYTES } from '../../kernels/checksum.ts';
import { silentProgress, type ProgressReporter } from '../../util/progress.ts';
import { RecordReader } from './records-node.ts';
import { runRange, BLOCK_RECORDS, type KernelChoice, type GloveWasmExports, type ThreadKernel } from './train-kernel-node.ts';
import { RECORD_BYTES } from './records-node.ts';
import { wasmAvailable, wasmExports, wasmModule, wasmMemory, allocF32, allocU8, freeHeap, heapPtr } from '../../kernels/index.ts';

/** Whether the WASM SIMD GloVe kernel is available here. */
export function gloveWasmAvailable(): boolean {
  return wasmAvailable() && typeof (wasmExports() as unknown as Partial<GloveWasmExports>).gloveAdaGrad === 'function';
}

/** W/G storage: the shared WebAssembly heap for the WASM kernel, SharedArrayBuffers for the reference. */
function allocParamBuffer(n: number, kind: KernelChoice): Float32Array {
  return kind === 'wasm' ? allocF32(n) : new Float32Array(new SharedArrayBuffer(n * 4));
}

/** Parameters of a GloVe model (layout: see src/kernels/glove-reference.ts). */
export interface GloveParams {
  /** Vocabulary size V. */
  V: number;
  /** Vector size d. */
  d: number;
  /** 2V × (d+1): word vectors + bias, then context vectors + bias. */
  W: Float32Array;
  /** AdaGrad sums of squared gradients, same shape. */
  G: Float32Array;
  /** Completed iterations. */
  iter: number;
  /** Cost of each completed iteration. */
  costs: number[];
  /** Kernel the buffers are allocated for. */
  kind: KernelChoice;
}

/** Return WASM heap buffers (no-op for the reference kind). */
export function freeGloveParams(p: GloveParams): void {
  if (p.kind === 'wasm') { freeHeap(p.W); freeHeap(p.G); }
}

/** Fresh parameters, initialised like glove.c (on SharedArrayBuffers so workers can share them). */
export function initGloveParams(V: number, d: number, seed: number, kind: KernelChoice = 'reference'): GloveParams {
  const n = 2 * V * (d + 1);
  const W = allocParamBuffer(n, kind);
  const G = allocParamBuffer(n, kind);
  const rng = new Rng(seed);
  for (let k = 0; k < n; k++) W[k] = (rng.next() - 0.5) / d;
  G.fill(1);
  return { V, d, W, G, iter: 0, costs: [], kind };
}

/** Checkpoint magic line: version 2 ends with the checksum trailer (src/kernels/checksum.ts); version 1 has none. */
const MAGIC = 'WORDLOOM-GLOVE-CHECKPOINT 2\n';
const MAGIC_V1 = 'WORDLOOM-GLOVE-CHECKPOINT 1\n';

/** Header of a checkpoint file (JSON line after the magic line). */
export interface CheckpointHeader {
  V: number;
  d: number;
  iter: number;
  costs: number[];
  /** FNV-1a hash of the vocabulary (words joined by \n), to refuse resuming on another vocabulary. */
  vocabHash: string;
  /** Options the run used (informational, and checked for the fields that change the model). */
  options: Record<string, unknown>;
}

/** FNV-1a 32-bit hash of the vocabulary, hex. */
export function vocabHash(words: readonly string[]): string {
  let h = 0x811c9dc5;
  for (const w of words) {
    for (let k = 0; k < w.length; k++) { h ^= w.charCodeAt(k); h = Math.imul(h, 0x01000193); }
    h ^= 10; h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(16).padStart(8, '0') + ':' + words.length;
}

/** Save W, G and the iteration count atomically. */
export function saveCheckpoint(path: string, p: GloveParams, words: readonly string[], options: Record<string, unknown>): void {
  const header: CheckpointHeader = { V: p.V, d: p.d, iter: p.iter, costs: p.costs, vocabHash: vocabHash(words), options };
  const w = new Uint8Array(p.W.length * 4); w.set(new Uint8Array(p.W.buffer, p.W.byteOffset, p.W.byteLength));
  const g = new Uint8Array(p.G.length * 4); g.set(new Uint8Array(p.G.buffer, p.G.byteOffset, p.G.byteLength));
  const enc = new TextEncoder();
  const parts = [enc.encode(MAGIC), enc.encode(JSON.stringify(header) + '\n'), w, g];
  writeFileAtomic(path, [...parts, checksumTrailer(parts)]);
}

/** Most bytes the JSON line of a checkpoint may have. */
const MAX_CKPT_HEADER_BYTES = 256 << 20;

/**
 * The length a checkpoint claims: magic line, JSON line (at most MAX_CKPT_HEADER_BYTES), then W and G
 * (2·V·(d+1) float32 each). Reads only the header; stops early where the decoder will fail anyway.
 */
function checkpointClaim(read: (n: number) => Uint8Array, file: string): { total: number; header?: CheckpointHeader } {
  const parts: Uint8Array[] = [read(MAGIC.length)];
  if (Buffer.from(parts[0]).toString('latin1') !== MAGIC) return { total: parts[0].length };
  let got = 0;
  for (;;) {
    const chunk = read(1 << 16);
    parts.push(chunk);
    const nl = chunk.indexOf(10);
    if (nl >= 0) {
      const line = Buffer.concat([...parts.slice(1, -1), chunk.subarray(0, nl)]);
      try {
        const h = JSON.parse(line.toString('utf8')) as CheckpointHeader;
        const n = 2 * h.V * (h.d + 1);
        return { total: MAGIC.length + line.length + 1 + (Number.isSafeInteger(n) && n >= 0 ? 8 * n : 0), header: h };
      } catch { return { total: MAGIC.length + line.length + 1 }; }
    }
    got += chunk.length;
    if (chunk.length === 0) return { total: MAGIC.length + got };
    if (got > MAX_CKPT_HEADER_BYTES) throw new WordloomError(`checkpoint header is longer than ${MAX_CKPT_HEADER_BYTES} bytes`, { file, flag: '--resume' });
  }
}

/** The header of a checkpoint, read without its weights (null when the file is not a GloVe checkpoint). */
export function readCheckpointHeader(path: string): CheckpointHeader | null {
  if (!existsSync(path)) throw new WordloomError('checkpoint file not found', { file: path, flag: '--resume' });
  let header: CheckpointHeader | undefined;
  readInputFile(path, '--resume', (read) => { const c = checkpointClaim(read, path); header = c.header; return c.total; }, { headerOnly: true });
  return header ?? null;
}

/** Load a checkpoint (validating it against the vocabulary and vector size). */
export function loadCheckpoint(path: string, words: readonly string[], d: number, kind: KernelChoice = 'reference'): GloveParams {
  if (!existsSync(path)) throw new WordloomError('checkpoint file not found', { file: path, flag: '--resume' });
  let buf: Buffer = readInputFile(path, '--resume', (read) => checkpointClaim(read, path).total + CHECKSUM_TRAILER_BYTES);
  const tagged = hasChecksumTrailer(buf);
  if (tagged) buf = buf.subarray(0, verifyChecksumTrailer(buf, path)); // before any header byte is trusted
  const start = buf.subarray(0, MAGIC.length).toString('latin1');
  if (start !== MAGIC && start !== MAGIC_V1) throw new WordloomError('not a wordloom GloVe checkpoint', { file: path, flag: '--resume' });
  if (start === MAGIC && !tagged) throw checksumMissing(path);
  if (!tagged) noChecksumNotice(path, 'GloVe checkpoint (version 1)');
  const magic = Buffer.from(MAGIC);
  const nl = buf.indexOf(10, magic.length);
  if (nl < 0) throw new WordloomError('truncated checkpoint header', { file: path, line: 2 });
  let h: CheckpointHeader;
  try { h = JSON.parse(buf.subarray(magic.length, nl).toString('utf8')) as CheckpointHeader; } catch {
    throw new WordloomError('corrupt checkpoint header', { file: path, line: 2 });
  }
  if (h.d !== d) throw new WordloomError(`checkpoint has vector size ${h.d}, this run ${d}`, { file: path, flag: '--vector-size' });
  if (h.vocabHash !== vocabHash(words)) {
    throw new WordloomError('checkpoint vocabulary differs from this corpus/--min-count/--max-vocab', { file: path, flag: '--resume' });
  }
  const n = 2 * h.V * (h.d + 1);
  if (buf.length - (nl + 1) !== 8 * n) throw new WordloomError(`checkpoint size mismatch (expected ${8 * n} data bytes)`, { file: path });
  const W = allocParamBuffer(n, kind);
  const G = allocParamBuffer(n, kind);
  const body = buf.subarray(nl + 1);
  W.set(new Float32Array(body.buffer.slice(body.byteOffset, body.byteOffset + 4 * n)));
  G.set(new Float32Array(body.buffer.slice(body.byteOffset + 4 * n, body.byteOffset + 8 * n)));
  return { V: h.V, d: h.d, W, G, iter: h.iter, costs: h.costs, kind };
}

/** Training settings. */
export interface TrainSettings {
  /** Total iterations to reach (a resumed model continues from p.iter). */
  iter: number;
  eta: number;
  threads: number;
  /** Called after each iteration (checkpointing, logging). */
  onIteration?: (iter: number, cost: number, seconds: number) => void;
}

/** Train `p` in place on the shuffled record file until p.iter = settings.iter. */
export async function trainGlove(recordsFile: string, p: GloveParams, s: TrainSettings,
  progress: ProgressReporter = silentProgress): Promise<void> {
  const N = RecordReader.count(recordsFile);
  if (N === 0) throw new WordloomError('no co-occurrences to train on (corpus too small for the window/min-count?)');
  const kind = p.kind;
  const T = Math.max(1, Math.min(s.threads, N));
  // Per-thread record blocks and scratch in the WASM heap.
  const heapBlocks: ArrayBufferView[] = [];
  const wasmThread = (): { block: number; tmp: number } => {
    const b = allocU8(BLOCK_RECORDS * RECORD_BYTES), t = allocF32(2 * p.d);
    heapBlocks.push(b, t);
    return { block: heapPtr(b), tmp: heapPtr(t) };
  };
  const total = (s.iter - p.iter) * N;
  let before = 0;
  progress.start('train', total, 'pairs');
  try {
    if (T === 1) {
      let k1: ThreadKernel;
      if (kind === 'wasm') {
        const { block, tmp } = wasmThread();
        k1 = { kind, exports: wasmExports() as unknown as GloveWasmExports, memory: wasmMemory(), W: heapPtr(p.W), G: heapPtr(p.G), block, tmp };
      } else k1 = { kind, W: p.W, G: p.G };
      let lastYield = performance.now();
      for (; p.iter < s.iter;) {
        const t0 = performance.now();
        const cost = await runRange(k1!, recordsFile, 0, N, p.d, p.V, s.eta,
          (done) => progress.update({ done: before + done, total, fields: { iter: p.iter + 1, cost: p.costs.at(-1) ?? NaN } }), 4);
        before += N;
        p.iter++; p.costs.push(cost / N);
        s.onIteration?.(p.iter, cost / N, (performance.now() - t0) / 1000);
        // Small iterations never reach runRange's block-count yield: yield every ~100 ms so SIGINT/SIGTERM
        // handlers (temporary-folder cleanup) run during training.
        if (performance.now() - lastYield > 100) { await new Promise<void>((r) => setImmediate(r)); lastYield = performance.now(); }
      }
      return;
    }
    const progressBuf = new SharedArrayBuffer(8 * T);
    const prog = new Float64Array(progressBuf);
    const self = import.meta.url;
    const workerUrl = new URL(self.endsWith('.ts') ? './train-worker-node.ts' : './train-worker-node.js', self);
    const workers: Worker[] = [];
    try {
      const ready: Promise<void>[] = [];
      for (let t = 0; t < T; t++) {
        const start = Math.floor((t * N) / T), end = Math.floor(((t + 1) * N) / T);
        const common = { file: recordsFile, start, end, d: p.d, V: p.V, eta: s.eta, progress: progressBuf, id: t };
        const w = startWorker(workerUrl, {
          workerData: kind === 'wasm'
            ? { ...common, kind, module: wasmModule(), memory: wasmMemory(), W: heapPtr(p.W), G: heapPtr(p.G), ...wasmThread() }
            : { ...common, kind, Wbuf: p.W.buffer, Woff: p.W.byteOffset, Gbuf: p.G.buffer, Goff: p.G.byteOffset, n: p.W.length },
        });
        workers.push(w);
        ready.push(new Promise((res, rej) => {
          w.once('message', () => res());
          w.once('error', rej);
        }));
      }
      await Promise.all(ready);
      for (; p.iter < s.iter;) {
        const t0 = performance.now();
        prog.fill(0);
        const timer = setInterval(() => {
          let done = 0; for (let t = 0; t < T; t++) done += prog[t];
          progress.update({ done: before + done, total, fields: { iter: p.iter + 1, cost: p.costs.at(-1) ?? NaN } });
        }, 200);
        let costs: number[];
        try {
          costs = await Promise.all(workers.map((w) => new Promise<number>((res, rej) => {
            const onMsg = (m: { type: string; cost?: number; message?: string }) => {
              w.off('error', onErr);
              if (m.type === 'done') res(m.cost!); else rej(new Error(`GloVe worker failed: ${m.message}`));
            };
            const onErr = (e: Error) => { w.off('message', onMsg); rej(e); };
            w.once('message', onMsg);
            w.once('error', onErr);
            w.postMessage({ type: 'iter' });
          })));
        } finally { clearInterval(timer); }
        const cost = costs.reduce((a, b) => a + b, 0);
        before += N;
        p.iter++; p.costs.push(cost / N);
        s.onIteration?.(p.iter, cost / N, (performance.now() - t0) / 1000);
      }
    } finally {
      await Promise.all(workers.map((w) => w.terminate()));
    }
  } finally {
    for (const b of heapBlocks) freeHeap(b as Float32Array);
    progress.stop();
  }
}

/**
 * The output vectors: model 1 = W (word vectors), 2 = W + W̃ (the tool's default), 3 = W̃ alone.
 * Biases are not included. Returns a V × d row-major matrix.
 */
export function outputVectors(p: GloveParams, model: 1 | 2 | 3): Float32Array {
  const { V, d, W } = p;
  const out = new Float32Array(V * d);
  const s = d + 1;
  for (let i = 0; i < V; i++) {
    for (let b = 0; b < d; b++) {
      const w = W[i * s + b], c = W[(i + V) * s + b];
      out[i * d + b] = model === 1 ? w : model === 3 ? c : w + c;
    }
  }
  return out;
}
