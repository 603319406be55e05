/**
 * Sequence runner: a stack of recurrent layers (SimpleRNN, GRU or LSTM), optionally bidirectional, over
 * variable-length, right-padded, time-major batches, with forward and BPTT backward.
 *
 *   input   x        [T][B][d]      time-major; lengths[b] ∈ 1..T valid steps of sequence b (null = all T)
 *           or { ids [T][B], padId }   token ids standing for one-hot rows (d = vocabulary size; IndexInput in
 *                                   recurrent.ts): the first layer gathers rows of its W instead of a dense
 *                                   GEMM, and backward scatter-adds into those rows (no dx). Same weights, same results
 *                                   as x = oneHot(ids, d, { padZero: true }) with padId 0.
 *   output  outputs  [T][B][D]      D = N (or 2N bidirectional: [fwd | bwd]); ZERO at padded steps t ≥ lengths[b]
 *           last     [B][D]         last valid state per sequence: fwd h at t = lengths[b]−1, and (bidirectional)
 *                                   the bwd h after reading the whole sequence backwards, i.e. at t = 0
 *   backward(dOutputs [T][B][D] | null, dLast [B][D] | null, dx [T][B][d] | null): accumulates parameter
 *   gradients into the ParamSet's grad buffer and dL/dx into dx (+=). dOutputs at padded steps are ignored.
 *
 * forward(x, T, B, lengths?, { training, rng, h0, c0 }?): `training` with a seeded rng applies the optional
 * inter-layer dropout (option `dropout`, as torch.nn.LSTM's); h0/c0 are initial states per layer and direction
 * [numLayers·dirs][B][N] (torch.nn.LSTM's h_0/c_0 layout; default zeros) and backward(…, dState) returns their
 * gradients. Layer k > 0 reads the outputs of layer k−1.
 * The backward direction runs a separate cell over each sequence reversed within its own length (padding stays at the end), and its outputs are mapped back to their
 * original positions. Parameters: "<name>.l<k>.fwd.W_ifgo" etc. (".bwd." for the backward direction).
 * Activations are cached between forward and backward (the input x is referenced, not copied: keep it
 * unchanged until backward). Buffers grow on demand and are reused: no allocations per step.
 */
import type { FloatArray } from '../kernels/index.ts';
import type { ParamSet } from './params.ts';
import type { Rng } from '../util/rng.ts';
import { WordloomError } from '../util/errors.ts';
import type { CellType } from './param-count.ts';
import { dropoutForward } from './dropout.ts';
import {
  allocFloat, freeFloat, normalizeLengths, isIndexInput, checkIndexInput, INDEX_PAD_DEFAULT,
  type Lengths, type RecurrentCell, type RecurrentInput, type RecurrentWorkspace,
} from './recurrent.ts';
import { LSTM, LSTM_DEFAULTS } from './lstm.ts';
import { GRU } from './gru.ts';
import { SimpleRNN } from './rnn.ts';

export interface SequenceModelOptions {
  /** Cell type of every layer: "rnn" (SimpleRNN, tanh), "gru" (Cho et al. 2014) or "lstm". */
  cell: CellType;
  /** Input feature size d of the first layer. */
  inputSize: number;
  /** Hidden size N of every layer and direction. */
  hiddenSize: number;
  /** Number of stacked layers (default 1). */
  numLayers?: number;
  /** Also run every layer backwards over each sequence and concatenate [fwd | bwd] (default false). */
  bidirectional?: boolean;
  /** LSTM only: initial forget-gate bias (default 1). */
  forgetBias?: number;
  /**
   * Dropout rate on the outputs of every layer except the last (inputs of layers 2..numLayers), as in
   * torch.nn.LSTM's `dropout`; applied only by forward(..., { training: true, rng }). Default 0.
   */
  dropout?: number;
  /** Parameter-name prefix (default "seq"). */
  name?: string;
}

/** Per-call options of SequenceModel.forward. */
export interface SequenceForwardOptions {
  /** Training mode: apply inter-layer dropout (default false). */
  training?: boolean;
  /** Seeded generator for the dropout masks (required when training with dropout > 0). */
  rng?: Rng;
  /**
   * Initial hidden states [numLayers·dirs][B][N], layer-major with [fwd, bwd] per layer (the layout of
   * torch.nn.LSTM's h_0); default zeros. The backward direction starts from its state at the end of each
   * sequence (it reads the sequence backwards). Give it (zeros are fine) to get dL/dh0 from backward.
   */
  h0?: FloatArray | null;
  /** LSTM only: initial cell states, same layout as h0 (default zeros). */
  c0?: FloatArray | null;
}

/** Where SequenceModel.backward accumulates (+=) the gradients w.r.t. the initial states (layout of h0/c0). */
export interface SequenceStateGrads {
  /** dL/dh0 [numLayers·dirs][B][N] (needs forward(..., { h0 })). */
  h0?: FloatArray | null;
  /** LSTM: dL/dc0 [numLayers·dirs][B][N]. */
  c0?: FloatArray | null;
}

export const SEQUENCE_MODEL_DEFAULTS = { numLayers: 1, bidirectional: false, forgetBias: LSTM_DEFAULTS.forgetBias, dropout: 0, name: 'seq' } as const;

export type SequenceModelConfig = Required<SequenceModelOptions>;

/** Build one recurrent cell by type. */
export function createCell(cell: CellType, inputSize: number, hiddenSize: number, name: string, forgetBias: number = LSTM_DEFAULTS.forgetBias): RecurrentCell {
  switch (cell) {
    case 'lstm': return new LSTM({ inputSize, hiddenSize, name, forgetBias });
    case 'gru': return new GRU({ inputSize, hiddenSize, name });
    case 'rnn': return new SimpleRNN({ inputSize, hiddenSize, name });
    default: throw new WordloomError(`unknown cell type "${String(cell)}" (expected rnn, gru or lstm)`, { flag: 'cell' });
  }
}

export interface SequenceOutput {
  /** [T][B][D] top-layer outputs, zero at padded steps. */
  outputs: FloatArray;
  /** [B][D] last valid state per sequence (bidirectional: [fwd at lengths[b]−1 | bwd at 0]). */
  last: FloatArray;
}

export class SequenceModel {
  readonly config: SequenceModelConfig;
  /** cells[k][0] = forward direction of layer k, cells[k][1] = backward direction (bidirectional only). */
  readonly cells: RecurrentCell[][];
  /** Output feature size D = N·(1 or 2). */
  readonly outputSize: number;
  private ps: ParamSet | null = null;
  private ws: RecurrentWorkspace[][] = [];
  // Cached per-layer outputs [T][B][D] and reversed inputs [T][B][D_in]; backward scratch.
  private outs: FloatArray[] = [];
  /** Reversed inputs of layers k ≥ 1 [T][B][D] (bidirectional; index 0 unused, see revIn0). */
  private revIn: Array<FloatArray | null> = [];
  /**
   * Layer 0 (input size d, which may be a whole vocabulary): reversed dense input and reversed dx [T][B][d],
   * allocated on first use only (index input needs neither); reversed ids [T][B] for index input.
   */
  private revIn0: FloatArray | null = null;
  private dRev0: FloatArray | null = null;
  private revIds: Int32Array = new Int32Array(0);
  /** Whether the last forward's input was token ids (IndexInput). */
  private indexInput = false;
  /** Inter-layer dropout: masks [T][B][D] and dropped outputs (the next layer's input) per layer k < L−1. */
  private masks: FloatArray[] = [];
  private dropped: FloatArray[] = [];
  private dropping = false;
  /** Output [T][B][D] of each layer in the last forward (this.outs[k], or the cell's states when no copy is needed). */
  private layerOut: FloatArray[] = [];
  private owned: FloatArray[] = [];
  private lastBuf!: FloatArray;
  private dHf!: FloatArray;
  private dHb!: FloatArray;
  private dPing!: FloatArray;
  private dPong!: FloatArray;
  private dRev!: FloatArray;
  private capTB = 0;
  private capB = 0;
  private T = 0;
  private B = 0;
  private lengths: Int32Array | null = null;
  private forwarded = false;
  /** Whether the last forward had initial hidden states h0 (needed for dL/dh0). */
  private hadH0 = false;

  constructor(options: SequenceModelOptions) {
    if (!options || typeof options !== 'object') throw new WordloomError('SequenceModel: options object required');
    const c: SequenceModelConfig = { ...SEQUENCE_MODEL_DEFAULTS, ...options } as SequenceModelConfig;
    if (!['rnn', 'gru', 'lstm'].includes(c.cell)) throw new WordloomError(`SequenceModel: cell must be rnn, gru or lstm, got "${c.cell}"`, { flag: 'cell' });
    for (const k of ['inputSize', 'hiddenSize', 'numLayers'] as const) {
      if (!Number.isInteger(c[k]) || c[k] < 1) throw new WordloomError(`SequenceModel: ${k} must be an integer ≥ 1, got ${c[k]}`, { flag: k });
    }
    if (typeof c.bidirectional !== 'boolean') throw new WordloomError('SequenceModel: bidirectional must be a boolean', { flag: 'bidirectional' });
    if (!(typeof c.dropout === 'number' && c.dropout >= 0 && c.dropout < 1)) throw new WordloomError(`SequenceModel: dropout must be in [0, 1), got ${c.dropout}`, { flag: 'dropout' });
    if (!Number.isFinite(c.forgetBias)) throw new WordloomError('SequenceModel: forgetBias must be a finite number', { flag: 'forgetBias' });
    if (typeof c.name !== 'string' || !c.name) throw new WordloomError('SequenceModel: name must be a non-empty string', { flag: 'name' });
    this.config = c;
    const dirs = c.bidirectional ? 2 : 1;
    this.outputSize = c.hiddenSize * dirs;
    this.cells = [];
    for (let k = 0; k < c.numLayers; k++) {
      const din = k === 0 ? c.inputSize : this.outputSize;
      const layer: RecurrentCell[] = [];
      for (let dir = 0; dir < dirs; dir++) {
        layer.push(createCell(c.cell, din, c.hiddenSize, `${c.name}.l${k}.${dir === 0 ? 'fwd' : 'bwd'}`, c.forgetBias));
      }
      this.cells.push(layer);
    }
  }

  static fromConfig(c: SequenceModelOptions): SequenceModel {
    return new SequenceModel(c);
  }

  /** JSON-serialisable options that rebuild this model (fromConfig(getConfig())). */
  getConfig(): SequenceModelConfig {
    return { ...this.config };
  }

  /** Total parameter count (= numLayers·dirs·cellParamCount per layer). */
  paramCount(): number {
    return this.cells.flat().reduce((a, c) => a + c.paramCount(), 0);
  }

  /** Declare all parameters in ps (before ps.finalize()). */
  build(ps: ParamSet): this {
    if (this.ps) throw new WordloomError('SequenceModel: build() called twice');
    for (const c of this.cells.flat()) c.build(ps);
    this.ps = ps;
    return this;
  }

  /** Seeded initialisation of every cell (after ps.finalize()). */
  initialize(rng: Rng): this {
    for (const c of this.cells.flat()) c.initialize(rng);
    return this;
  }

  private ensure(T: number, B: number): void {
    if (!this.ps || !this.ps.data) throw new WordloomError('SequenceModel: call build(ps) and ps.finalize() before forward()');
    const p = this.ps.precision;
    if (this.ws.length === 0) this.ws = this.cells.map((l) => l.map((c) => c.createWorkspace()));
    if (T * B > this.capTB || B > this.capB) {
      const TB = Math.max(T * B, this.capTB), Bc = Math.max(B, this.capB);
      this.releaseBuffers();
      const a = (n: number) => { const buf = allocFloat(n, p); this.owned.push(buf); return buf; };
      const c = this.config, D = this.outputSize, N = c.hiddenSize;
      this.outs = this.cells.map(() => a(TB * D));
      this.revIn = c.bidirectional ? this.cells.map((_, k) => (k === 0 ? null : a(TB * D))) : [];
      this.masks = c.dropout > 0 ? this.cells.slice(1).map(() => a(TB * D)) : [];
      this.dropped = c.dropout > 0 ? this.cells.slice(1).map(() => a(TB * D)) : [];
      this.lastBuf = a(Bc * D);
      this.dHf = a(TB * N);
      this.dHb = c.bidirectional ? a(TB * N) : this.dHf;
      // dL/d(input) of layers k ≥ 1 (size D); layer 0's goes to the caller's dx (its reversal: dRev0).
      this.dPing = a(TB * D);
      this.dPong = c.numLayers > 2 ? a(TB * D) : this.dPing;
      this.dRev = c.bidirectional ? a(TB * D) : this.dPing;
      this.capTB = TB; this.capB = Bc;
    }
    this.T = T; this.B = B;
  }

  private releaseBuffers(): void {
    for (const buf of this.owned) freeFloat(buf);
    this.owned = [];
    this.revIn0 = this.dRev0 = null;
    this.capTB = 0; this.capB = 0;
  }

  /** Layer-0 scratch [capTB][d] (reversed dense input or reversed dx), allocated on first use. */
  private layer0Buffer(which: 'revIn0' | 'dRev0'): FloatArray {
    let buf = this[which];
    if (!buf) {
      buf = allocFloat(this.capTB * this.config.inputSize, this.ps!.precision);
      this.owned.push(buf);
      this[which] = buf;
    }
    return buf;
  }

  /** Token ids reversed within each sequence's length [T][B] (padding, set to padId, stays at the end). */
  private reverseIds(ids: Int32Array, padId: number): Int32Array {
    const T = this.T, B = this.B;
    if (this.revIds.length < T * B) this.revIds = new Int32Array(Math.max(T * B, this.capTB));
    const out = this.revIds;
    for (let b = 0; b < B; b++) {
      const L = this.len(b);
      for (let t = 0; t < T; t++) out[t * B + b] = t < L ? ids[(L - 1 - t) * B + b] : padId;
    }
    return out.subarray(0, T * B);
  }

  /** Return every cached buffer to the kernel heap (they are reallocated by the next forward). */
  dispose(): void {
    this.releaseBuffers();
    for (const l of this.ws) for (const w of l) w.dispose();
    this.forwarded = false;
  }

  /** Valid length of sequence b in the last forward. */
  private len(b: number): number {
    return this.lengths ? this.lengths[b] : this.T;
  }

  /**
   * Forward over x [T][B][d] (time-major) — or token ids { ids [T][B], padId } standing for one-hot rows
   * (IndexInput: the first layer gathers rows of W) — with optional lengths [B]. Returns views of internal
   * buffers (valid until the next forward): outputs [T][B][D] and last [B][D].
   */
  forward(x: RecurrentInput, T: number, B: number, lengths?: Lengths, options: SequenceForwardOptions = {}): SequenceOutput {
    const c = this.config, N = c.hiddenSize, D = this.outputSize;
    this.dropping = !!options.training && c.dropout > 0 && c.numLayers > 1;
    if (this.dropping && !options.rng) throw new WordloomError('SequenceModel: training with dropout needs a seeded rng', { flag: 'rng' });
    const index = isIndexInput(x);
    const padId = index ? checkIndexInput(x, T * B, c.inputSize, 'SequenceModel') : INDEX_PAD_DEFAULT;
    if (!index && x.length < T * B * c.inputSize) throw new WordloomError(`SequenceModel: input has ${x.length} values, expected T·B·d = ${T * B * c.inputSize}`, { flag: 'x' });
    const dirs = c.bidirectional ? 2 : 1, BN = B * N, nState = c.numLayers * dirs * BN;
    const h0 = options.h0 ?? null, c0 = options.c0 ?? null;
    if (h0 && h0.length < nState) throw new WordloomError(`SequenceModel: h0 must have numLayers·dirs·B·N = ${nState} values, got ${h0.length}`, { flag: 'h0' });
    if (c0 && c.cell !== 'lstm') throw new WordloomError(`SequenceModel: c0 is only for LSTM cells (this model is "${c.cell}")`, { flag: 'c0' });
    if (c0 && c0.length < nState) throw new WordloomError(`SequenceModel: c0 must have numLayers·dirs·B·N = ${nState} values, got ${c0.length}`, { flag: 'c0' });
    const state = (s: FloatArray | null, k: number, dir: number) => (s ? s.subarray((k * dirs + dir) * BN, (k * dirs + dir + 1) * BN) : null);
    this.lengths = normalizeLengths(lengths, T, B);
    this.ensure(T, B);
    this.hadH0 = !!h0;
    this.indexInput = index;
    let inp: RecurrentInput = x, din = c.inputSize;
    for (let k = 0; k < c.numLayers; k++) {
      const Hf = this.cells[k][0].forward(this.ws[k][0], inp, T, B, this.lengths, state(h0, k, 0), state(c0, k, 0));
      // Unidirectional without padding: the states ARE the outputs (no copy).
      const direct = !c.bidirectional && !this.lengths;
      const out = direct ? Hf : this.outs[k];
      this.layerOut[k] = out;
      if (!direct) for (let t = 0; t < T; t++) for (let b = 0; b < B; b++) {
        const o = (t * B + b) * D, h = (t * B + b) * N, valid = t < this.len(b);
        for (let j = 0; j < N; j++) out[o + j] = valid ? Hf[h + j] : 0;
      }
      if (c.bidirectional) {
        let xr: RecurrentInput;
        if (isIndexInput(inp)) xr = { ids: this.reverseIds(inp.ids, padId), padId };
        else {
          xr = k === 0 ? this.layer0Buffer('revIn0') : this.revIn[k]!;
          this.reverse(inp, 0, din, xr, 0, din, din, false);
        }
        const Hb = this.cells[k][1].forward(this.ws[k][1], xr, T, B, this.lengths, state(h0, k, 1), state(c0, k, 1));
        this.reverse(Hb, 0, N, out, N, D, N, false);
      }
      inp = out; din = D;
      if (this.dropping && k < c.numLayers - 1) {
        dropoutForward(this.dropped[k], this.masks[k], out, T * B * D, c.dropout, options.rng!);
        inp = this.dropped[k];
      }
    }
    // Last valid states of the top layer (the cells carry states through padding, so h_T is the last valid one).
    const top = this.ws[c.numLayers - 1], last = this.lastBuf;
    const lf = top[0].last();
    for (let b = 0; b < B; b++) for (let j = 0; j < N; j++) last[b * D + j] = lf[b * N + j];
    if (c.bidirectional) {
      const lb = top[1].last();
      for (let b = 0; b < B; b++) for (let j = 0; j < N; j++) last[b * D + N + j] = lb[b * N + j];
    }
    this.forwarded = true;
    return { outputs: this.layerOut[c.numLayers - 1].subarray(0, T * B * D), last: last.subarray(0, B * D) };
  }

  /**
   * Time-reversal within each sequence's length: dst[t][b][dOff..dOff+w) (=|+=) src[L_b−1−t][b][sOff..sOff+w)
   * for t < L_b. Padded rows of dst are zeroed unless `accumulate`.
   */
  private reverse(src: FloatArray, sOff: number, sStride: number, dst: FloatArray, dOff: number, dStride: number,
    w: number, accumulate: boolean): void {
    const T = this.T, B = this.B;
    for (let b = 0; b < B; b++) {
      const L = this.len(b);
      for (let t = 0; t < T; t++) {
        const d = (t * B + b) * dStride + dOff;
        if (t >= L) { if (!accumulate) for (let j = 0; j < w; j++) dst[d + j] = 0; continue; }
        const s = ((L - 1 - t) * B + b) * sStride + sOff;
        if (accumulate) for (let j = 0; j < w; j++) dst[d + j] += src[s + j];
        else for (let j = 0; j < w; j++) dst[d + j] = src[s + j];
      }
    }
  }

  /**
   * BPTT through the last forward. dOutputs [T][B][D] and/or dLast [B][D] (null = zero). Accumulates
   * parameter gradients into the ParamSet's grad buffer and, if dx is given, dL/dx into dx [T][B][d]
   * (pass dx = null when the input needs no gradient — one-hot input, frozen embeddings — and the first
   * layer's input-gradient products are skipped). `dState` receives dL/dh0 and dL/dc0 (+=, layout of the
   * forward's h0/c0); dL/dh0 needs the forward to have been given h0 (zeros are fine).
   */
  backward(dOutputs: FloatArray | null, dLast: FloatArray | null, dx: FloatArray | null = null, dState: SequenceStateGrads = {}): void {
    if (!this.forwarded) throw new WordloomError('SequenceModel: backward() before forward()');
    const c = this.config, N = c.hiddenSize, D = this.outputSize, T = this.T, B = this.B;
    const dirs = c.bidirectional ? 2 : 1, BN = B * N, nState = c.numLayers * dirs * BN;
    const dh0 = dState.h0 ?? null, dc0 = dState.c0 ?? null;
    if (dh0 && !this.hadH0) throw new WordloomError('SequenceModel: dL/dh0 needs an initial state: pass h0 to forward (zeros are fine)', { flag: 'h0' });
    if (dc0 && c.cell !== 'lstm') throw new WordloomError(`SequenceModel: c0 is only for LSTM cells (this model is "${c.cell}")`, { flag: 'c0' });
    if (dh0 && dh0.length < nState) throw new WordloomError(`SequenceModel: dState.h0 must have ${nState} values, got ${dh0.length}`, { flag: 'h0' });
    if (dc0 && dc0.length < nState) throw new WordloomError(`SequenceModel: dState.c0 must have ${nState} values, got ${dc0.length}`, { flag: 'c0' });
    if (dx && this.indexInput) throw new WordloomError('SequenceModel: token-id input has no input gradient: pass dx = null', { flag: 'dx' });
    const collect = (k: number, dir: number) => {
      const ws = this.ws[k][dir], o = (k * dirs + dir) * BN;
      if (dh0) for (let i = 0; i < BN; i++) dh0[o + i] += ws.dh0[i];
      if (dc0) for (let i = 0; i < BN; i++) dc0[o + i] += ws.dc0![i];
    };
    let dOut: FloatArray | null = dOutputs;
    for (let k = c.numLayers - 1; k >= 0; k--) {
      const din = k === 0 ? c.inputSize : D;
      let dIn: FloatArray | null;
      if (k === 0) dIn = dx;
      else { dIn = (c.numLayers - 1 - k) % 2 === 0 ? this.dPing : this.dPong; dIn.fill(0, 0, T * B * din); }
      const dLk = k === c.numLayers - 1 ? dLast : null;
      // Forward direction: dH_f[t][b] = dOut[t][b][0:N] on valid steps, + dLast at t = L_b−1.
      // Unidirectional, no padding, no dLast: dOut is already dH_f (read only in the cell): no copy.
      const direct = dOut !== null && !c.bidirectional && !this.lengths && !dLk;
      const dHf = direct ? dOut! : this.dHf;
      if (!direct) for (let t = 0; t < T; t++) for (let b = 0; b < B; b++) {
        const h = (t * B + b) * N, o = (t * B + b) * D, valid = dOut !== null && t < this.len(b);
        for (let j = 0; j < N; j++) dHf[h + j] = valid ? dOut![o + j] : 0;
      }
      if (dLk) for (let b = 0; b < B; b++) { const h = ((this.len(b) - 1) * B + b) * N; for (let j = 0; j < N; j++) dHf[h + j] += dLk[b * D + j]; }
      this.cells[k][0].backward(this.ws[k][0], dHf, dIn);
      collect(k, 0);
      if (c.bidirectional) {
        const dHb = this.dHb;
        if (dOut) this.reverse(dOut, N, D, dHb, 0, N, N, false);
        else dHb.fill(0, 0, T * B * N);
        if (dLk) for (let b = 0; b < B; b++) { const h = ((this.len(b) - 1) * B + b) * N; for (let j = 0; j < N; j++) dHb[h + j] += dLk[b * D + N + j]; }
        if (dIn) {
          const dxr = k === 0 ? this.layer0Buffer('dRev0') : this.dRev;
          dxr.fill(0, 0, T * B * din);
          this.cells[k][1].backward(this.ws[k][1], dHb, dxr);
          this.reverse(dxr, 0, din, dIn, 0, din, din, true);
        } else this.cells[k][1].backward(this.ws[k][1], dHb, null);
        collect(k, 1);
      }
      if (dIn && k > 0 && this.dropping) {
        const m = this.masks[k - 1];
        for (let i = 0; i < T * B * din; i++) dIn[i] *= m[i];
      }
      dOut = dIn;
    }
  }
}
