/**
 * Shared machinery of the recurrent cells (SimpleRNN, GRU, LSTM): the `RecurrentCell` interface the
 * sequence runner drives, the per-cell activation cache (`RecurrentWorkspace`, reused across calls: no
 * per-step allocations), variable-length masks, and small row helpers.
 *
 * Layout (time-major, row-major): x [T][B][d], states h [T+1][B][N] with h[0] = h0, gate buffers
 * [T][B][gates·N] with the gate blocks side by side in the documented order.
 *
 * Masking: `lengths[b]` (1 ≤ lengths[b] ≤ T) marks steps t < lengths[b] of sequence b as valid. At an invalid
 * (padded) step the state is carried through unchanged (h_t = h_{t−1}, c_t = c_{t−1}) and the step produces
 * no gradient for the weights or the input; the gradient w.r.t. the carried state passes straight through.
 *
 * Index input (`IndexInput`): instead of dense rows x [T][B][d] a layer can take token ids [T][B] standing for
 * one-hot rows (d = vocabulary size). The input projection x·W + b is then a gather of rows of W (+ b) and
 * dW += xᵀ·dG a scatter-add of the gate-gradient rows into the rows of the ids seen: O(T·B·g·N) instead of the
 * O(T·B·d·g·N) dense GEMMs, and no T·B·d one-hot matrix. Same weights W [d][g·N], same results.
 */
import type { FloatArray } from '../kernels/index.ts';
import { K } from '../kernels/index.ts';
import type { ParamSet, Precision } from './params.ts';
import type { CellType } from './param-count.ts';
import type { Rng } from '../util/rng.ts';
import { WordloomError } from '../util/errors.ts';
import { glorotUniform, orthogonal } from './init.ts';

/** Per-sequence lengths (B entries), or null when every sequence has the full length T. */
export type Lengths = Int32Array | readonly number[] | null | undefined;

/**
 * Token ids standing for one-hot input rows: id k is the row with a 1 at column k, and `padId` the all-zero row —
 * exactly x = oneHot(ids, d, { padZero: true }) (text/encoding.ts) for padId 0 = [PAD]. Forward gathers rows of
 * W (the pad id gives the bias only); backward scatter-adds the gate gradients into dW's rows and has no input
 * gradient (pass dx = null).
 */
export interface IndexInput {
  /** Token ids [T][B] time-major (ids[t·B + b]); each in 0..d−1 or equal to padId. */
  readonly ids: Int32Array;
  /** Id whose one-hot row is all zeros (no input, no weight gradient). Default 0 (the vocabulary's [PAD]). */
  readonly padId?: number;
}

/** Input of a recurrent layer: dense rows [T][B][d], or token ids standing for one-hot rows. */
export type RecurrentInput = FloatArray | IndexInput;

/** Default pad id of IndexInput (the vocabulary's [PAD] = 0, as oneHot's padZero). */
export const INDEX_PAD_DEFAULT = 0;

/** Whether a layer input is token ids (IndexInput) rather than dense rows. */
export function isIndexInput(x: RecurrentInput): x is IndexInput {
  return !(x instanceof Float32Array || x instanceof Float64Array);
}

/**
 * Check the first n ids of an index input against the input size d (WordloomError naming `ids`); returns the pad id.
 * Same range rule as oneHot: every id in 0..d−1, except the pad id (which may be any integer, e.g. −1).
 */
export function checkIndexInput(x: IndexInput, n: number, d: number, what: string): number {
  const pad = x.padId ?? INDEX_PAD_DEFAULT;
  if (!Number.isInteger(pad)) throw new WordloomError(`${what}: padId must be an integer, got ${pad}`, { flag: 'padId' });
  const ids = x.ids;
  if (!(ids instanceof Int32Array)) throw new WordloomError(`${what}: index input needs ids as an Int32Array`, { flag: 'ids' });
  if (ids.length < n) throw new WordloomError(`${what}: index input has ${ids.length} ids, expected T·B = ${n}`, { flag: 'ids' });
  for (let i = 0; i < n; i++) {
    const id = ids[i];
    if ((id < 0 || id >= d) && id !== pad) throw new WordloomError(`${what}: id ${id} at position ${i} is outside 0..${d - 1}`, { flag: 'ids' });
  }
  return pad;
}

/** A zeroed float buffer of the given precision (float32 from the kernel heap, float64 for grad checks). */
export function allocFloat(n: number, precision: Precision): FloatArray {
  return precision === 'float64' ? new Float64Array(Math.max(1, n)) : K.alloc(Math.max(1, n));
}

/** Return a buffer from allocFloat() to the kernel heap (no-op for float64 / reference buffers). */
export function freeFloat(a: FloatArray | null | undefined): void {
  if (a instanceof Float32Array) K.free(a);
}

/**
 * Validate lengths and return them as an Int32Array, or null when there is no padding (all equal T).
 * Throws WordloomError (naming `lengths`) on a wrong count or a length outside 1..T.
 */
export function normalizeLengths(lengths: Lengths, T: number, B: number): Int32Array | null {
  if (lengths === null || lengths === undefined) return null;
  if (lengths.length !== B) throw new WordloomError(`expected ${B} sequence lengths, got ${lengths.length}`, { flag: 'lengths' });
  let full = true;
  for (let b = 0; b < B; b++) {
    const L = lengths[b];
    if (!Number.isInteger(L) || L < 1 || L > T) throw new WordloomError(`sequence ${b} has length ${L}, expected an integer in 1..${T}`, { flag: 'lengths' });
    if (L !== T) full = false;
  }
  return full ? null : Int32Array.from(lengths);
}

/** Number of leading time steps with at least one valid sequence. */
export function maxLength(lengths: Int32Array | null, T: number): number {
  if (!lengths) return T;
  let m = 0;
  for (let b = 0; b < lengths.length; b++) if (lengths[b] > m) m = lengths[b];
  return m;
}

/** dst[dOff + j] = src[sOff + j] for j < n (no allocation; src may equal dst). */
export function copyRow(dst: FloatArray, dOff: number, src: FloatArray, sOff: number, n: number): void {
  for (let j = 0; j < n; j++) dst[dOff + j] = src[sOff + j];
}

/** Zero n elements at offset. */
export function zeroRow(a: FloatArray, off: number, n: number): void {
  for (let j = 0; j < n; j++) a[off + j] = 0;
}

/**
 * Activation cache and backward scratch of one recurrent layer (one direction). Sized lazily by
 * `ensure(T, B)` (grows, never shrinks), so repeated forward/backward calls allocate nothing.
 */
export class RecurrentWorkspace {
  /** Time steps and batch size of the last forward. */
  T = 0;
  B = 0;
  /** Valid-step count of the last forward (max over lengths). */
  tMax = 0;
  /** Input of the last forward [T][B][d] (a reference, not a copy: keep it alive until backward); null for index input. */
  x: FloatArray | null = null;
  /** Index input of the last forward: ids [T][B] (a reference) and the pad id; null for dense input. */
  ids: Int32Array | null = null;
  padId = INDEX_PAD_DEFAULT;
  /** Lengths of the last forward (null = no padding). */
  lengths: Int32Array | null = null;
  /**
   * Whether the last forward was given an initial state h0. Without one the state starts at zero, so the
   * cells skip the recurrent matmul of step 0 and backward does not compute dL/dh0 (ws.dh0 is then zero):
   * a zero initial state is a constant, as in torch.nn.LSTM(x) without hx.
   */
  hasH0 = false;
  /** Gate activations [T][B][gates·N]. */
  G!: FloatArray;
  /** Hidden states [T+1][B][N], h[0] = initial state. */
  h!: FloatArray;
  /** LSTM: cell states [T+1][B][N]; tanh(c) [T][B][N]. */
  c: FloatArray | null = null;
  tc: FloatArray | null = null;
  /** GRU: r⊙h_{t−1} [T][B][N]. */
  rh: FloatArray | null = null;
  /** Backward: gradients w.r.t. the gate preactivations [T][B][gates·N]. */
  dG!: FloatArray;
  /**
   * Backward scratch [B][N]. After backward, `dh0` (and `dc0` for LSTM) hold dL/d(initial state); dh0 only
   * when the forward was given h0 (see hasH0).
   */
  dhTot!: FloatArray;
  dh0!: FloatArray;
  dc0: FloatArray | null = null;
  tmp!: FloatArray;
  tmp2!: FloatArray;
  /** Backward: Uᵀ [gates·N][N], so the per-step dh·Uᵀ products read B in place (see recurrentTransposeU). */
  UT!: FloatArray;
  private capTB = 0;
  private capB = 0;
  private owned: FloatArray[] = [];

  /**
   * @param cell      cell type (decides which caches exist)
   * @param gates     gate blocks per step (RNN 1, GRU 3, LSTM 4)
   * @param input     input size d
   * @param hidden    hidden size N
   * @param precision float32 (kernel heap) or float64 (gradient checks)
   * @param name      layer name, for error messages
   */
  constructor(readonly cell: CellType, readonly gates: number, readonly input: number, readonly hidden: number,
    readonly precision: Precision, readonly name: string = cell) {}

  /** Make sure buffers fit T steps of B sequences. */
  ensure(T: number, B: number): void {
    this.T = T; this.B = B;
    const N = this.hidden, p = this.precision;
    if (T * B > this.capTB || B > this.capB) {
      const TB = Math.max(T * B, this.capTB), Bc = Math.max(B, this.capB);
      const TB1 = Math.max(TB + Bc, (T + 1) * B);
      this.dispose();
      const a = (n: number) => { const buf = allocFloat(n, p); this.owned.push(buf); return buf; };
      this.G = a(TB * this.gates * N);
      this.dG = a(TB * this.gates * N);
      this.h = a(TB1 * N);
      if (this.cell === 'lstm') {
        this.c = a(TB1 * N);
        this.tc = a(TB * N);
        this.dc0 = a(Bc * N);
      }
      if (this.cell === 'gru') this.rh = a(TB * N);
      this.dhTot = a(Bc * N);
      this.dh0 = a(Bc * N);
      this.tmp = a(Bc * N);
      this.tmp2 = a(Bc * N);
      this.UT = a(this.gates * N * N);
      this.capTB = TB; this.capB = Bc;
    }
  }

  /** Return the buffers to the kernel heap (the workspace regrows on the next forward). */
  dispose(): void {
    for (const buf of this.owned) freeFloat(buf);
    this.owned = [];
    this.c = this.tc = this.dc0 = this.rh = null;
    this.capTB = 0; this.capB = 0;
  }

  /** Hidden states h_1..h_T as one [T][B][N] view. */
  outputs(): FloatArray {
    const n = this.B * this.hidden;
    return this.h.subarray(n, n * (this.T + 1));
  }

  /** Final state h_T [B][N] (for masked sequences: the state after the last valid step). */
  last(): FloatArray {
    const n = this.B * this.hidden;
    return this.h.subarray(n * this.T, n * (this.T + 1));
  }
}

/** Common config fields of the recurrent cells (JSON-serialisable). */
export interface RecurrentConfig {
  /** Cell type. */
  cell: CellType;
  /** Input feature size d. */
  inputSize: number;
  /** Hidden size N. */
  hiddenSize: number;
  /** Parameter-name prefix. */
  name: string;
}

/** What the sequence runner needs from a recurrent cell (SimpleRNN, GRU, LSTM). */
export interface RecurrentCell {
  readonly cellType: CellType;
  readonly inputSize: number;
  readonly hiddenSize: number;
  readonly name: string;
  /** Parameter names (with the gate order in them) and shapes, in declaration order. */
  paramShapes(): Array<{ name: string; shape: number[] }>;
  /** Number of parameters (sum of paramShapes()). */
  paramCount(): number;
  /** Declare the parameters in a ParamSet (before ps.finalize()). */
  build(ps: ParamSet): void;
  /** Seeded initialisation (after ps.finalize()). */
  initialize(rng: Rng): void;
  /** A cache for forward/backward, in the ParamSet's precision. */
  createWorkspace(): RecurrentWorkspace;
  /**
   * Run T steps on x [T][B][d] (time-major) or on token ids [T][B] standing for one-hot rows (IndexInput).
   * Optional initial state h0 (and c0 for LSTM) [B][N] (default 0). States land in ws.h [T+1][B][N]; returns
   * ws.outputs().
   */
  forward(ws: RecurrentWorkspace, x: RecurrentInput, T: number, B: number, lengths?: Lengths,
    h0?: FloatArray | null, c0?: FloatArray | null): FloatArray;
  /**
   * BPTT through the last forward. dH [T][B][N]: dL/dh_t (t = 1..T) from outside the recurrence (read only).
   * Accumulates parameter gradients into the ParamSet's grad buffer and dL/dx into dx [T][B][d] (if given;
   * null skips the input-gradient product; must be null after an index-input forward); dL/dh0 (and dL/dc0) are left in ws.dh0 / ws.dc0 — dL/dh0 only when
   * the forward was given h0 (ws.hasH0), else ws.dh0 is zero.
   */
  backward(ws: RecurrentWorkspace, dH: FloatArray, dx: FloatArray | null): void;
  getConfig(): RecurrentConfig & Record<string, unknown>;
}

/** Options shared by every recurrent cell. */
export interface RecurrentOptions {
  /** Input feature size d (≥ 1). */
  inputSize: number;
  /** Hidden size N (≥ 1). */
  hiddenSize: number;
  /** Parameter-name prefix, e.g. "enc.l0.fwd" (default: the cell type). */
  name?: string;
}

/** Validate the shared options (WordloomError naming the option). */
export function validateRecurrentOptions(o: RecurrentOptions, what: string): void {
  if (!o || typeof o !== 'object') throw new WordloomError(`${what}: options object required`);
  for (const k of ['inputSize', 'hiddenSize'] as const) {
    if (!Number.isInteger(o[k]) || o[k] < 1) throw new WordloomError(`${what}: ${k} must be an integer ≥ 1, got ${o[k]}`, { flag: k });
  }
  if (o.name !== undefined && (typeof o.name !== 'string' || o.name.length === 0)) throw new WordloomError(`${what}: name must be a non-empty string`, { flag: 'name' });
}

/**
 * Base of the three cells: parameters W [d][g·N] (input weights), U [N][g·N] (recurrent weights), b [g·N]
 * (ONE bias per gate), with g gate blocks side by side in `gateOrder` (named in the parameter names,
 * e.g. "lstm.W_ifgo"). Initialisation: Glorot-uniform W, orthogonal N×N block per gate in U, zero b.
 */
export abstract class RecurrentBase implements RecurrentCell {
  abstract readonly cellType: CellType;
  /** Gate letters in block order, e.g. "ifgo". */
  abstract readonly gateOrder: string;
  readonly inputSize: number;
  readonly hiddenSize: number;
  readonly name: string;
  protected ps: ParamSet | null = null;

  constructor(o: RecurrentOptions, defaultName: string) {
    this.inputSize = o.inputSize;
    this.hiddenSize = o.hiddenSize;
    this.name = o.name ?? defaultName;
  }

  get gates(): number { return this.gateOrder.length; }
  get wName(): string { return `${this.name}.W_${this.gateOrder}`; }
  get uName(): string { return `${this.name}.U_${this.gateOrder}`; }
  get bName(): string { return `${this.name}.b_${this.gateOrder}`; }

  paramShapes(): Array<{ name: string; shape: number[] }> {
    const g = this.gates, d = this.inputSize, N = this.hiddenSize;
    return [
      { name: this.wName, shape: [d, g * N] },
      { name: this.uName, shape: [N, g * N] },
      { name: this.bName, shape: [g * N] },
    ];
  }

  paramCount(): number {
    return this.paramShapes().reduce((a, s) => a + s.shape.reduce((x, y) => x * y, 1), 0);
  }

  build(ps: ParamSet): void {
    if (this.ps) throw new WordloomError(`${this.name}: build() called twice`);
    for (const s of this.paramShapes()) ps.add(s.name, s.shape);
    this.ps = ps;
  }

  protected params(): ParamSet {
    if (!this.ps || !this.ps.data) throw new WordloomError(`${this.name}: call build(ps) and ps.finalize() before use`);
    return this.ps;
  }

  /** Views W, U, b and their gradients (fetched per call: cheap, and safe if the kernel heap grows). */
  views(): { W: FloatArray; U: FloatArray; b: FloatArray; dW: FloatArray; dU: FloatArray; db: FloatArray } {
    const ps = this.params();
    return {
      W: ps.view(this.wName), U: ps.view(this.uName), b: ps.view(this.bName),
      dW: ps.gradView(this.wName), dU: ps.gradView(this.uName), db: ps.gradView(this.bName),
    };
  }

  initialize(rng: Rng): void {
    const { W, U, b } = this.views();
    const g = this.gates, d = this.inputSize, N = this.hiddenSize;
    glorotUniform(rng, W, d, g * N, d, g * N);
    for (let k = 0; k < g; k++) orthogonal(rng, U.subarray(k * N), N, N, 1, g * N);
    b.fill(0);
  }

  createWorkspace(): RecurrentWorkspace {
    return new RecurrentWorkspace(this.cellType, this.gates, this.inputSize, this.hiddenSize, this.params().precision, this.name);
  }

  abstract forward(ws: RecurrentWorkspace, x: RecurrentInput, T: number, B: number, lengths?: Lengths,
    h0?: FloatArray | null, c0?: FloatArray | null): FloatArray;
  abstract backward(ws: RecurrentWorkspace, dH: FloatArray, dx: FloatArray | null): void;

  getConfig(): RecurrentConfig & Record<string, unknown> {
    return { cell: this.cellType, inputSize: this.inputSize, hiddenSize: this.hiddenSize, name: this.name };
  }
}

// ---- Plain helpers shared by the cells' forward/backward functions (all state lives in the workspace). ----

/**
 * Forward prologue: checks, workspace sizing, initial state h0 [B][N] (or zeros), and the input projection
 * for all valid steps at once: G[0..tMax·B) = x [tMax·B][d] · W [d][g·N] + b [g·N]  (one GEMM) — or, for
 * index input, G row r = W[ids[r]] + b (a row gather; b alone for the pad id).
 */
export function recurrentBegin(ws: RecurrentWorkspace, x: RecurrentInput, T: number, B: number, lengths: Lengths,
  h0: FloatArray | null | undefined, W: FloatArray, b: FloatArray): void {
  const d = ws.input, N = ws.hidden, gN = ws.gates * N;
  if (!Number.isInteger(T) || T < 1 || !Number.isInteger(B) || B < 1) throw new WordloomError(`${ws.name}: T and B must be integers ≥ 1 (got T=${T}, B=${B})`);
  const index = isIndexInput(x);
  const pad = index ? checkIndexInput(x, T * B, d, ws.name) : INDEX_PAD_DEFAULT;
  if (!index && x.length < T * B * d) throw new WordloomError(`${ws.name}: input has ${x.length} values, expected T·B·d = ${T * B * d}`, { flag: 'x' });
  ws.ensure(T, B);
  ws.x = index ? null : x;
  ws.ids = index ? x.ids : null;
  ws.padId = pad;
  ws.lengths = normalizeLengths(lengths, T, B);
  ws.tMax = maxLength(ws.lengths, T);
  ws.hasH0 = !!h0;
  const BN = B * N;
  if (h0) {
    if (h0.length < BN) throw new WordloomError(`${ws.name}: h0 must have B·N = ${BN} values`, { flag: 'h0' });
    copyRow(ws.h, 0, h0, 0, BN);
  } else zeroRow(ws.h, 0, BN);
  const rows = ws.tMax * B;
  if (index) gatherRows(ws.G, x.ids, pad, rows, W, gN);
  else K.sgemm(false, false, rows, gN, d, 1, x, d, W, gN, 0, ws.G, gN);
  K.addBias(rows, gN, b, ws.G);
}

/**
 * G [rows][w] = one-hot(ids)·W: row r = W[ids[r]] (W [d][w]), zero for the pad id. Equal (bit for bit) to the
 * dense product with oneHot(ids, d, { padZero: true }) rows: every other term is an exact zero.
 */
export function gatherRows(G: FloatArray, ids: Int32Array, padId: number, rows: number, W: FloatArray, w: number): void {
  for (let r = 0; r < rows; r++) {
    const id = ids[r], o = r * w;
    if (id === padId) G.fill(0, o, o + w);
    else G.set(W.subarray(id * w, (id + 1) * w), o);
  }
}

/**
 * dW [d][w] += one-hot(ids)ᵀ·dG: row ids[r] += dG row r for r < rows (pad ids skipped), in row order — the
 * gradient of gatherRows. Only the rows of ids seen are written.
 */
export function scatterAddRows(dW: FloatArray, ids: Int32Array, padId: number, rows: number, dG: FloatArray, w: number): void {
  for (let r = 0; r < rows; r++) {
    const id = ids[r];
    if (id === padId) continue;
    K.axpy(w, 1, dG.subarray(r * w, (r + 1) * w), dW.subarray(id * w, (id + 1) * w));
  }
}

/** Forward, per step t after the pointwise math: sequences whose step t is padding carry h (and c). */
export function recurrentCarryMasked(ws: RecurrentWorkspace, t: number): void {
  const L = ws.lengths;
  if (!L) return;
  const N = ws.hidden, BN = ws.B * N;
  for (let b = 0; b < ws.B; b++) {
    if (t < L[b]) continue;
    copyRow(ws.h, (t + 1) * BN + b * N, ws.h, t * BN + b * N, N);
    if (ws.c) copyRow(ws.c, (t + 1) * BN + b * N, ws.c, t * BN + b * N, N);
  }
}

/** Forward epilogue: steps t ≥ tMax (every sequence finished) carry all states. */
export function recurrentCarryTail(ws: RecurrentWorkspace): void {
  const BN = ws.B * ws.hidden;
  for (let t = ws.tMax; t < ws.T; t++) {
    ws.h.copyWithin((t + 1) * BN, t * BN, (t + 1) * BN);
    if (ws.c) ws.c.copyWithin((t + 1) * BN, t * BN, (t + 1) * BN);
  }
}

/**
 * Backward prologue: returns the running dL/dh_{t} buffer (ws.dh0) initialised to Σ_{t ≥ tMax} dH_t (the
 * padding tail carries states, so those gradients reach h_{tMax} unchanged); zeroes dc (LSTM).
 */
export function recurrentBeginBackward(ws: RecurrentWorkspace, dH: FloatArray): FloatArray {
  const BN = ws.B * ws.hidden;
  if (!ws.x && !ws.ids) throw new WordloomError(`${ws.name}: backward() before forward()`);
  if (dH.length < ws.T * BN) throw new WordloomError(`${ws.name}: dH has ${dH.length} values, expected T·B·N = ${ws.T * BN}`, { flag: 'dH' });
  const dhNext = ws.dh0;
  zeroRow(dhNext, 0, BN);
  for (let t = ws.tMax; t < ws.T; t++) K.axpy(BN, 1, dH.subarray(t * BN, (t + 1) * BN), dhNext);
  if (ws.dc0) zeroRow(ws.dc0, 0, BN);
  return dhNext;
}

/**
 * The total gradient w.r.t. h_t, dH_t + dh_next [B][N]: in ws.dhTot, or — `inPlace`, for cells whose step
 * backward does not write dh_next before the next product overwrites it, and only without padding — added
 * into dhNext itself with one kernel call (returns dhNext).
 */
export function recurrentTotalGrad(ws: RecurrentWorkspace, dH: FloatArray, t: number, dhNext: FloatArray, inPlace = false): FloatArray {
  const BN = ws.B * ws.hidden, o = t * BN;
  if (inPlace && !ws.lengths) {
    K.axpy(BN, 1, dH.subarray(o, o + BN), dhNext);
    return dhNext;
  }
  const out = ws.dhTot;
  for (let j = 0; j < BN; j++) out[j] = dH[o + j] + dhNext[j];
  return out;
}

/**
 * ws.UT [g·N][N] = Uᵀ (U [N][g·N]), once per backward: the per-step products dG_t·Uᵀ then run as dG_t·UT
 * with B read in place instead of transposing and packing U at every step.
 */
export function recurrentTransposeU(ws: RecurrentWorkspace, U: FloatArray): FloatArray {
  const N = ws.hidden, gN = ws.gates * N, UT = ws.UT;
  for (let i = 0; i < N; i++) {
    const r = i * gN;
    for (let j = 0; j < gN; j++) UT[j * N + i] = U[r + j];
  }
  return UT;
}

/** LSTM backward, before step t: save the dc rows of sequences whose step t is padding (into ws.tmp2). */
export function recurrentSaveMaskedDc(ws: RecurrentWorkspace, t: number): FloatArray | null {
  const L = ws.lengths;
  if (!L || !ws.dc0) return null;
  const N = ws.hidden;
  for (let b = 0; b < ws.B; b++) if (t >= L[b]) copyRow(ws.tmp2, b * N, ws.dc0, b * N, N);
  return ws.tmp2;
}

/**
 * Backward, after step t: padded rows get no gate gradient (dG_t row = 0) and pass the state gradient
 * straight through (dh_{t−1} = dhTot; LSTM: dc_{t−1} = the dc saved before the step).
 */
export function recurrentPassMasked(ws: RecurrentWorkspace, t: number, dGt: FloatArray, dhPrev: FloatArray, savedDc: FloatArray | null): void {
  const L = ws.lengths;
  if (!L) return;
  const N = ws.hidden, gN = ws.gates * N;
  for (let b = 0; b < ws.B; b++) {
    if (t < L[b]) continue;
    zeroRow(dGt, b * gN, gN);
    copyRow(dhPrev, b * N, ws.dhTot, b * N, N);
    if (savedDc && ws.dc0) copyRow(ws.dc0, b * N, savedDc, b * N, N);
  }
}

/**
 * Backward epilogue shared by all cells, with dG [tMax·B][g·N] complete (one GEMM each):
 * dW [d][g·N] += xᵀ·dG,  db [g·N] += Σ_rows dG,  dx [T][B][d] += dG·Wᵀ (if dx).
 * Index input: dW's rows of the ids seen += their dG rows (scatterAddRows); there is no dx (must be null).
 */
export function recurrentProjectionBackward(ws: RecurrentWorkspace, dx: FloatArray | null, W: FloatArray, dW: FloatArray, db: FloatArray): void {
  const d = ws.input, gN = ws.gates * ws.hidden, rows = ws.tMax * ws.B;
  if (ws.ids) {
    if (dx) throw new WordloomError(`${ws.name}: index input (token ids) has no input gradient: pass dx = null`, { flag: 'dx' });
    scatterAddRows(dW, ws.ids, ws.padId, rows, ws.dG, gN);
  } else K.sgemm(true, false, d, gN, rows, 1, ws.x!, d, ws.dG, gN, 1, dW, gN);
  K.biasBackward(rows, gN, ws.dG, db);
  if (dx) K.sgemm(false, true, rows, d, gN, 1, ws.dG, gN, W, gN, 1, dx, d);
}
