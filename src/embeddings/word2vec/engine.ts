/**
 * word2vec training engine: lays out the model (input/output matrices, sigmoid tables, alias table,
 * subsampling thresholds, Huffman codes, per-thread scratch and token slots) in one block of linear memory
 * and runs the chunk kernel on it — the AssemblyScript SIMD kernel (`wasm/as/w2v.ts`, relaxed-SIMD build
 * when the engine supports it) in a block of the kernels' shared WebAssembly.Memory (allocated with the
 * loader's `allocBytes`), else the plain-TS reference (`kernels/w2v-reference.ts`) on a SharedArrayBuffer.
 * Because the memory is shared, worker threads attach to the same weights (Hogwild). Browser-safe.
 *
 * Reference: word2vec.c InitNet (output vectors zero). Deviation: input vectors are uniform in [−1, 1)/size as
 * gensim 4 initialises them (keyedvectors.prep_vectors), not the C tool's [−0.5, 0.5)/size: in one-epoch runs
 * the larger start measured +0.2 to +0.35 points of analogy accuracy (docs/word2vec.md).
 */
import { WordloomError } from '../../util/errors.ts';
import { Rng } from '../../util/rng.ts';
import { wasmAvailable, wasmModule, wasmMemory, instantiateWasm, allocBytes, freeBytes, relaxedSimdSupported } from '../../kernels/index.ts';
import {
  W2V_CFG, W2V_MAX_CODE_LENGTH, W2V_MAX_SENTENCE, w2vExpTable, w2vLogSigTable, w2vScratchBytes, w2vScratchOffsets, w2vTrainChunkRef,
} from '../../kernels/w2v-reference.ts';
import type { W2VVocab } from './vocab.ts';
import type { Word2VecOptions } from './options.ts';

/** Byte offsets of everything in the engine's memory. */
export interface W2VLayout {
  cfg: number; syn0: number; syn1: number; syn1neg: number; expT: number; logT: number;
  aProb: number; aIdx: number; keep: number; codes: number; points: number; codeLen: number;
  /** Scratch area of each thread. */
  scratch: number[];
  /** Token slots (`slotInts` int32 each): two per thread (double buffering), slot s belongs to thread s >> 1. */
  slots: number[];
  slotInts: number;
  /** First byte after the layout. */
  end: number;
  dim: number;
  vocabSize: number;
}

const align = (x: number, a = 64) => Math.ceil(x / a) * a;

/** Token slot capacity for a chunk of `chunkWords` words (plus sentence separators). */
export function slotIntsFor(chunkWords: number): number {
  return 2 * chunkWords + 16;
}

export function planLayout(base: number, V: number, dim: number, threads: number, o: Word2VecOptions): W2VLayout {
  let p = align(base);
  const take = (bytes: number) => { const r = p; p = align(p + bytes); return r; };
  const mat = V * dim * 4;
  const cfg = take(W2V_CFG.size * 4);
  const syn0 = take(mat);
  const syn1 = o.hs ? take(mat) : 0;
  const syn1neg = o.negative > 0 || o.fullSoftmax ? take(mat) : 0;
  const expT = take(4000), logT = take(4000);
  const aProb = take(4 * V), aIdx = take(4 * V), keep = take(4 * V);
  const codes = take(V * W2V_MAX_CODE_LENGTH), points = take(4 * V * W2V_MAX_CODE_LENGTH), codeLen = take(V);
  const scratch: number[] = [], slots: number[] = [];
  const sb = w2vScratchBytes(dim, o.window, o.negative);
  const slotInts = slotIntsFor(o.chunkWords);
  for (let t = 0; t < threads; t++) { scratch.push(take(sb)); slots.push(take(4 * slotInts), take(4 * slotInts)); }
  return { cfg, syn0, syn1, syn1neg, expT, logT, aProb, aIdx, keep, codes, points, codeLen, scratch, slots, slotInts, end: p, dim, vocabSize: V };
}

/** What a thread needs to attach to an engine's memory (structured-cloneable). */
export interface W2VShared {
  kind: 'wasm' | 'reference';
  memory?: WebAssembly.Memory;
  module?: WebAssembly.Module;
  buffer?: SharedArrayBuffer;
  layout: W2VLayout;
}

type TrainFn = (cfg: number, scratch: number, tok: number, nTok: number, wordsBefore: number, totalWords: number, alpha: number, seed: number) => number;

/** The compiled kernel module (relaxed-SIMD build when supported), or null when WebAssembly SIMD is unavailable. */
export function w2vWasmModule(): WebAssembly.Module | null {
  if (!wasmAvailable()) return null;
  const m = wasmModule();
  return WebAssembly.Module.exports(m).some((e) => e.name === 'w2vTrainChunk') ? m : null;
}

function instantiate(module: WebAssembly.Module, memory: WebAssembly.Memory): Record<string, unknown> {
  return instantiateWasm(module, memory) as unknown as Record<string, unknown>;
}

/** A runner bound to one memory: call it with a thread index and the chunk's parameters. */
export class W2VRunner {
  readonly shared: W2VShared;
  private readonly fn: TrainFn;
  private readonly mem: () => ArrayBufferLike;

  constructor(shared: W2VShared) {
    this.shared = shared;
    if (shared.kind === 'wasm') {
      const ex = instantiate(shared.module!, shared.memory!);
      this.fn = ex.w2vTrainChunk as TrainFn;
      const memory = shared.memory!;
      this.mem = () => memory.buffer;
    } else {
      const buf = shared.buffer!;
      this.mem = () => buf;
      this.fn = (cfg, scratch, tok, nTok, wb, tw, a, seed) => w2vTrainChunkRef(buf, cfg, scratch, tok, nTok, wb, tw, a, seed);
    }
  }

  get buffer(): ArrayBufferLike { return this.mem(); }

  /** Train the `nTok` ids already in token slot `slot` (default: thread t's first slot) with thread t's scratch. */
  run(t: number, nTok: number, wordsBefore: number, totalWords: number, alpha: number, seed: number, slot = 2 * t): { loss: number; words: number; terms: number } {
    const L = this.shared.layout;
    const loss = this.fn(L.cfg, L.scratch[t], L.slots[slot], nTok, wordsBefore, totalWords, alpha, seed >>> 0);
    const f64 = new Float64Array(this.mem(), L.scratch[t], 2);
    return { loss, words: f64[0], terms: f64[1] };
  }
}

/** The engine: owns the memory and the model matrices. */
export class W2VEngine {
  readonly layout: W2VLayout;
  readonly shared: W2VShared;
  readonly runner: W2VRunner;
  private block = -1;

  /**
   * Allocate and initialise a model for `vocab` with `threads` thread slots. `kernel: 'auto'` uses WASM SIMD
   * when available; 'reference' forces the plain-TS kernel.
   */
  constructor(vocab: W2VVocab, o: Word2VecOptions, threads: number, kernel: 'auto' | 'wasm' | 'reference' = 'auto') {
    const V = vocab.size, dim = o.size;
    if (V === 0) throw new WordloomError('the vocabulary is empty (corpus too small or --min-count too high)', { flag: '--min-count' });
    const module = kernel === 'reference' ? null : w2vWasmModule();
    if (kernel === 'wasm' && !module) throw new WordloomError('the WASM word2vec kernel is not available here', { flag: '--kernels' });
    let shared: W2VShared;
    if (module) {
      // One block of the kernels' shared heap holds the whole model.
      const size = planLayout(0, V, dim, threads, o).end + 64;
      let base: number;
      try { base = allocBytes(size); } catch (e) {
        throw new WordloomError(`model too large for the WASM heap (${(size / 2 ** 30).toFixed(2)} GiB): ${(e as Error).message}`, { flag: '--size' });
      }
      this.block = base;
      new Uint8Array(wasmMemory().buffer, base, size).fill(0);
      const layout = planLayout(base, V, dim, threads, o);
      shared = { kind: 'wasm', memory: wasmMemory(), module, layout };
    } else {
      const layout = planLayout(64, V, dim, threads, o);
      shared = { kind: 'reference', buffer: new SharedArrayBuffer(layout.end), layout };
    }
    this.layout = shared.layout;
    this.shared = shared;
    this.runner = new W2VRunner(shared);
    this.fillTables(vocab, o);
  }

  get buffer(): ArrayBufferLike { return this.runner.buffer; }
  get kernelName(): string { return this.shared.kind === 'wasm' ? (relaxedSimdSupported() ? 'wasm-relaxed-simd' : 'wasm-simd') : 'reference'; }

  /** Input vectors (V×d view into the engine memory). */
  get syn0(): Float32Array { const L = this.layout; return new Float32Array(this.buffer, L.syn0, L.vocabSize * L.dim); }
  /** Hierarchical-softmax output vectors (empty when hs is off). */
  get syn1(): Float32Array { const L = this.layout; return L.syn1 ? new Float32Array(this.buffer, L.syn1, L.vocabSize * L.dim) : new Float32Array(0); }
  /** Negative-sampling / full-softmax output vectors (empty when unused). */
  get syn1neg(): Float32Array { const L = this.layout; return L.syn1neg ? new Float32Array(this.buffer, L.syn1neg, L.vocabSize * L.dim) : new Float32Array(0); }
  /** Subsampling thresholds. */
  get keep(): Uint32Array { return new Uint32Array(this.buffer, this.layout.keep, this.layout.vocabSize); }
  /** Token slot `s` (thread s >> 1). */
  slot(t: number): Int32Array { return new Int32Array(this.buffer, this.layout.slots[t], this.layout.slotInts); }

  private fillTables(vocab: W2VVocab, o: Word2VecOptions): void {
    const L = this.layout, buf = this.buffer, V = L.vocabSize;
    const cfg = new Int32Array(buf, L.cfg, W2V_CFG.size);
    cfg[W2V_CFG.dim] = o.size; cfg[W2V_CFG.window] = o.window; cfg[W2V_CFG.negative] = o.fullSoftmax ? 0 : o.negative;
    cfg[W2V_CFG.hs] = o.hs ? 1 : 0; cfg[W2V_CFG.cbow] = o.cbow ? 1 : 0; cfg[W2V_CFG.vocabSize] = V;
    cfg[W2V_CFG.syn0] = L.syn0; cfg[W2V_CFG.syn1] = L.syn1; cfg[W2V_CFG.syn1neg] = L.syn1neg;
    cfg[W2V_CFG.expTable] = L.expT; cfg[W2V_CFG.logSigTable] = L.logT;
    cfg[W2V_CFG.aliasProb] = L.aProb; cfg[W2V_CFG.aliasIdx] = L.aIdx; cfg[W2V_CFG.keep] = L.keep;
    cfg[W2V_CFG.sharedNeg] = o.sharedNegatives ? 1 : 0;
    const so = w2vScratchOffsets(o.size, o.window, o.negative);
    cfg[W2V_CFG.offCtx] = so.ctx; cfg[W2V_CFG.offTgt] = so.tgt; cfg[W2V_CFG.offGrad] = so.grad; cfg[W2V_CFG.offErr] = so.err; cfg[W2V_CFG.offHid] = so.hid;
    cfg[W2V_CFG.codes] = L.codes; cfg[W2V_CFG.points] = L.points; cfg[W2V_CFG.codeLen] = L.codeLen;
    new Float32Array(buf, L.expT, 1000).set(w2vExpTable());
    new Float32Array(buf, L.logT, 1000).set(w2vLogSigTable());
    const at = vocab.aliasTable(o.negPower);
    new Uint32Array(buf, L.aProb, V).set(at.prob);
    new Int32Array(buf, L.aIdx, V).set(at.alias);
    new Uint32Array(buf, L.keep, V).set(vocab.keepThresholds(o.sample));
    if (o.hs) {
      const h = vocab.huffman();
      new Uint8Array(buf, L.codes, V * W2V_MAX_CODE_LENGTH).set(h.codes);
      new Int32Array(buf, L.points, V * W2V_MAX_CODE_LENGTH).set(h.points);
      new Uint8Array(buf, L.codeLen, V).set(h.codeLen);
    }
    // Output layers start at zero (word2vec.c InitNet). syn0 uniform in [−1, 1)/size.
    // Reference: gensim 4 keyedvectors.prep_vectors ((rand·2 − 1)/size); word2vec.c uses (rand − 0.5)/size.
    const rng = new Rng(o.seed).fork(0x57a7);
    const syn0 = this.syn0, inv = 1 / o.size;
    for (let i = 0; i < syn0.length; i++) syn0[i] = (rng.next() * 2 - 1) * inv;
  }

  /** Return the engine's heap block (the views above are invalid afterwards). */
  dispose(): void {
    if (this.block >= 0) { freeBytes(this.block); this.block = -1; }
  }

  /** Copy weights in (resuming from a checkpoint). */
  setWeights(w: { syn0: Float32Array; syn1?: Float32Array; syn1neg?: Float32Array }): void {
    const chk = (a: Float32Array, b: Float32Array | undefined, name: string) => {
      if (a.length === 0) return;
      if (!b || b.length !== a.length) throw new WordloomError(`checkpoint: ${name} has the wrong size`);
      a.set(b);
    };
    chk(this.syn0, w.syn0, 'syn0'); chk(this.syn1, w.syn1, 'syn1'); chk(this.syn1neg, w.syn1neg, 'syn1neg');
  }
}

/** Longest sentence the kernel handles (the chunk builder splits longer lines). */
export const MAX_SENTENCE = W2V_MAX_SENTENCE;
