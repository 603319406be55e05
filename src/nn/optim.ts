/**
 * Optimizers on ParamSet flat buffers: SGD (momentum, Nesterov), Adam (and AdamW), AdaGrad, RMSProp,
 * plus global-norm gradient clipping.
 *
 * Every optimizer updates `ps.data` from `ps.grad` in one pass over the flat buffers (padding included:
 * its gradient is always 0, so padding stays 0). Row-sparse parameters (ParamSet `sparse`, e.g. an embedding
 * table) are updated on their touched rows only: SGD (no momentum / weight decay) and AdaGrad (no weight decay)
 * give exactly the dense result; Adam becomes lazy Adam as torch.optim.SparseAdam; RMSProp refuses. Update rules follow PyTorch's `torch.optim` exactly
 * (same defaults where sensible), so results can be compared one to one. `weightDecay` is an L2 term
 * added to the gradient (PyTorch `weight_decay`); Adam's `decoupledWeightDecay` turns it into AdamW.
 *
 * State (step counter + slot buffers such as Adam's m and v) can be exported and imported for resumable
 * training: `exportState()` gives typed arrays (store them in a model file as extra tensors),
 * `importState()` validates type and sizes.
 *
 * Reference: torch.optim docs (SGD, Adam, AdamW, Adagrad, RMSprop, SparseAdam), PyTorch 1.13;
 *   Kingma & Ba 2015 (Adam); Duchi et al. 2011 (AdaGrad); Tieleman & Hinton 2012 (RMSProp);
 *   Sutskever et al. 2013 (Nesterov momentum as in PyTorch); Loshchilov & Hutter 2019 (AdamW);
 *   Pascanu et al. 2013 (gradient norm clipping).
 */
import { K, type FloatArray } from '../kernels/index.ts';
import { WordloomError } from '../util/errors.ts';
import type { ParamSet } from './params.ts';

export type OptimizerType = 'sgd' | 'adam' | 'adagrad' | 'rmsprop';
export const OPTIMIZER_TYPES: readonly OptimizerType[] = ['sgd', 'adam', 'adagrad', 'rmsprop'];

/** Options shared by all optimizers. */
export interface BaseOptimizerOptions {
  /** Learning rate (> 0). */
  lr?: number;
  /** L2 penalty added to the gradient: g += weightDecay·p (≥ 0; 0 = off). */
  weightDecay?: number;
}

export interface SGDOptions extends BaseOptimizerOptions {
  /** Momentum factor μ in [0, 1) (0 = plain SGD). */
  momentum?: number;
  /** Dampening of the gradient in the momentum buffer, in [0, 1). */
  dampening?: number;
  /** Nesterov momentum (needs momentum > 0 and dampening = 0). */
  nesterov?: boolean;
}

export interface AdamOptions extends BaseOptimizerOptions {
  /** Decay rate of the first moment, in [0, 1). */
  beta1?: number;
  /** Decay rate of the second moment, in [0, 1). */
  beta2?: number;
  /** Added to the denominator for numerical stability (> 0). */
  epsilon?: number;
  /** AdamW: decay weights by (1 − lr·weightDecay) instead of adding an L2 gradient term. */
  decoupledWeightDecay?: boolean;
}

export interface AdaGradOptions extends BaseOptimizerOptions {
  /** Initial value of the squared-gradient accumulator (≥ 0). */
  initialAccumulator?: number;
  /** Added to the denominator for numerical stability (> 0). */
  epsilon?: number;
}

export interface RMSPropOptions extends BaseOptimizerOptions {
  /** Smoothing constant α of the squared-gradient average, in [0, 1). */
  rho?: number;
  /** Added to the denominator for numerical stability (> 0). */
  epsilon?: number;
  /** Momentum factor in [0, 1) (0 = off). */
  momentum?: number;
  /** Centered RMSProp: normalize by the estimated variance instead of the raw second moment. */
  centered?: boolean;
}

export const SGD_DEFAULTS: Required<SGDOptions> = { lr: 0.01, weightDecay: 0, momentum: 0, dampening: 0, nesterov: false };
export const ADAM_DEFAULTS: Required<AdamOptions> = { lr: 0.001, weightDecay: 0, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, decoupledWeightDecay: false };
export const ADAGRAD_DEFAULTS: Required<AdaGradOptions> = { lr: 0.01, weightDecay: 0, initialAccumulator: 0, epsilon: 1e-10 };
export const RMSPROP_DEFAULTS: Required<RMSPropOptions> = { lr: 0.01, weightDecay: 0, rho: 0.99, epsilon: 1e-8, momentum: 0, centered: false };

/** JSON-serializable optimizer configuration (type + all options). */
export type OptimizerConfig =
  | ({ type: 'sgd' } & Required<SGDOptions>)
  | ({ type: 'adam' } & Required<AdamOptions>)
  | ({ type: 'adagrad' } & Required<AdaGradOptions>)
  | ({ type: 'rmsprop' } & Required<RMSPropOptions>);

/** Optimizer state for checkpoints: the config, the step counter and named slot buffers (same length as ps.data). */
export interface OptimizerState {
  config: OptimizerConfig;
  /** Number of step() calls done. */
  step: number;
  /** Slot buffers by name (e.g. Adam: "m", "v"). */
  slots: Record<string, Float32Array | Float64Array>;
}

function checkRange(name: string, v: unknown, lo: number, hi: number, loOpen: boolean, hiOpen: boolean): void {
  const ok = typeof v === 'number' && Number.isFinite(v) && (loOpen ? v > lo : v >= lo) && (hiOpen ? v < hi : v <= hi);
  if (!ok) {
    throw new WordloomError(`expected a number in ${loOpen ? '(' : '['}${lo}, ${hi}${hiOpen ? ')' : ']'}, got ${String(v)}`, { flag: name });
  }
}

function checkKnown(type: string, opts: object, defaults: object): void {
  for (const k of Object.keys(opts)) {
    if (k !== 'type' && !(k in defaults)) throw new WordloomError(`unknown ${type} option "${k}" (known: ${Object.keys(defaults).join(', ')})`, { flag: k });
  }
}

/** Base class: holds the step counter and slot buffers, allocated lazily to the ParamSet's length. */
export abstract class Optimizer {
  abstract readonly type: OptimizerType;
  /** Number of step() calls done (Adam's bias correction uses it). */
  stepCount = 0;
  protected slots: Record<string, FloatArray> = {};
  protected abstract readonly slotNames: readonly string[];

  /** Learning rate (may be changed between steps, e.g. by a schedule). */
  abstract lr: number;

  /**
   * Apply one update to ps.data using ps.grad. Does not zero the gradient. Row-sparse parameters (see ParamSet)
   * get the sparse update on their touched rows only; the rest of the buffer the dense update.
   */
  step(ps: ParamSet): void {
    this.ensureSlots(ps);
    if (ps.hasSparse) this.checkSparse();
    this.stepCount++;
    if (!ps.hasSparse) { this.update(ps.data, ps.grad, ps.data.length, this.slots); return; }
    for (const { offset: o, size: n } of ps.denseSegments()) {
      const s: Record<string, FloatArray> = {};
      for (const k of this.slotNames) s[k] = this.slots[k].subarray(o, o + n);
      this.update(ps.data.subarray(o, o + n), ps.grad.subarray(o, o + n), n, s);
    }
    for (const { spec, rowSize, rows } of ps.sparseRows()) this.updateRows(ps.data, ps.grad, spec.offset, rowSize, rows, this.slots);
  }

  /** Dense update of n values; s holds the slot views aligned with p and g. */
  protected abstract update(p: FloatArray, g: FloatArray, n: number, s: Record<string, FloatArray>): void;
  /**
   * Sparse update of the rows `rows` (each rowSize values) of the parameter at `offset` in the flat buffers p, g
   * and slots s. SGD and AdaGrad: exactly the dense update restricted to those rows (the others have zero gradient
   * and would not move). Adam: lazy, as torch.optim.SparseAdam.
   */
  protected updateRows(_p: FloatArray, _g: FloatArray, _offset: number, _rowSize: number, _rows: Int32Array, _s: Record<string, FloatArray>): void {
    throw new WordloomError(`${this.type} does not support sparse parameters (use sgd, adagrad or adam)`, { flag: 'sparse' });
  }
  /** Throws (naming the option) when this configuration has no exact/defined sparse update. */
  protected checkSparse(): void { /* per optimizer */ }
  protected abstract initSlot(name: string, buf: FloatArray): void;

  /** JSON config (type + every option); `createOptimizer(getConfig())` rebuilds an equal optimizer. */
  abstract getConfig(): OptimizerConfig;

  private ensureSlots(ps: ParamSet): void {
    for (const name of this.slotNames) {
      const s = this.slots[name];
      if (s && s.length === ps.data.length && (s instanceof Float64Array) === (ps.data instanceof Float64Array)) continue;
      if (s && this.stepCount > 0) {
        throw new WordloomError(`optimizer state has ${s.length} values per slot but the parameters have ${ps.data.length}; use one optimizer per ParamSet`);
      }
      const buf = ps.data instanceof Float64Array ? new Float64Array(ps.data.length) : K.alloc(ps.data.length);
      this.initSlot(name, buf);
      this.slots[name] = buf;
    }
  }

  /** Snapshot of the state (copies), for checkpoints. */
  exportState(): OptimizerState {
    const slots: Record<string, Float32Array | Float64Array> = {};
    for (const name of this.slotNames) if (this.slots[name]) slots[name] = this.slots[name].slice();
    return { config: this.getConfig(), step: this.stepCount, slots };
  }

  /** Restore a state from exportState() (type must match; slot sizes are checked against the ParamSet). */
  importState(state: OptimizerState, ps: ParamSet): void {
    if (!state || typeof state !== 'object' || !state.config) throw new WordloomError('optimizer state: missing config');
    if (state.config.type !== this.type) throw new WordloomError(`optimizer state is for "${state.config.type}", this optimizer is "${this.type}"`);
    if (!Number.isSafeInteger(state.step) || state.step < 0) throw new WordloomError(`optimizer state: bad step counter ${String(state.step)}`);
    const slots = state.slots ?? {};
    if (state.step > 0) {
      for (const name of this.slotNames) {
        if (!slots[name]) throw new WordloomError(`optimizer state: missing slot "${name}"`);
      }
    }
    for (const [name, s] of Object.entries(slots)) {
      if (!this.slotNames.includes(name)) throw new WordloomError(`optimizer state: unknown slot "${name}" for ${this.type}`);
      if (s.length !== ps.data.length) throw new WordloomError(`optimizer state: slot "${name}" has ${s.length} values, the parameters have ${ps.data.length}`);
    }
    this.stepCount = state.step;
    this.slots = {};
    this.ensureSlots(ps);
    for (const [name, s] of Object.entries(slots)) this.slots[name].set(s);
  }
}

export class SGD extends Optimizer {
  readonly type = 'sgd' as const;
  protected readonly slotNames: readonly string[];
  lr: number;
  readonly weightDecay: number;
  readonly momentum: number;
  readonly dampening: number;
  readonly nesterov: boolean;

  constructor(opts: SGDOptions = {}) {
    super();
    checkKnown('sgd', opts, SGD_DEFAULTS);
    const o = { ...SGD_DEFAULTS, ...opts };
    checkRange('lr', o.lr, 0, Infinity, true, true);
    checkRange('weightDecay', o.weightDecay, 0, Infinity, false, true);
    checkRange('momentum', o.momentum, 0, 1, false, true);
    checkRange('dampening', o.dampening, 0, 1, false, true);
    if (typeof o.nesterov !== 'boolean') throw new WordloomError('expected a boolean', { flag: 'nesterov' });
    if (o.nesterov && (o.momentum <= 0 || o.dampening !== 0)) throw new WordloomError('Nesterov momentum needs momentum > 0 and dampening = 0', { flag: 'nesterov' });
    this.lr = o.lr; this.weightDecay = o.weightDecay; this.momentum = o.momentum; this.dampening = o.dampening; this.nesterov = o.nesterov;
    this.slotNames = o.momentum > 0 ? ['momentum'] : [];
  }

  protected initSlot(): void { /* zeros */ }

  protected override checkSparse(): void {
    // Momentum and weight decay move rows without a gradient: no row-sparse equivalent.
    if (this.momentum > 0) throw new WordloomError('sgd with momentum does not support sparse parameters', { flag: 'momentum' });
    if (this.weightDecay > 0) throw new WordloomError('sgd with weight decay does not support sparse parameters', { flag: 'weightDecay' });
  }

  protected override updateRows(p: FloatArray, g: FloatArray, offset: number, rowSize: number, rows: Int32Array): void {
    const lr = this.lr;
    for (let k = 0; k < rows.length; k++) {
      const o = offset + rows[k] * rowSize;
      for (let i = o; i < o + rowSize; i++) p[i] -= lr * g[i];
    }
  }

  protected update(p: FloatArray, g: FloatArray, n: number, s: Record<string, FloatArray>): void {
    const lr = this.lr, wd = this.weightDecay, mu = this.momentum;
    if (mu === 0) {
      for (let i = 0; i < n; i++) p[i] -= lr * (g[i] + wd * p[i]);
      return;
    }
    const b = s.momentum;
    // PyTorch: the first step initializes the buffer with the gradient itself (no dampening).
    const damp = this.stepCount === 1 ? 0 : this.dampening;
    const first = this.stepCount === 1;
    for (let i = 0; i < n; i++) {
      const gi = g[i] + wd * p[i];
      const bi = first ? gi : mu * b[i] + (1 - damp) * gi;
      b[i] = bi;
      p[i] -= lr * (this.nesterov ? gi + mu * bi : bi);
    }
  }

  getConfig(): OptimizerConfig {
    return { type: 'sgd', lr: this.lr, weightDecay: this.weightDecay, momentum: this.momentum, dampening: this.dampening, nesterov: this.nesterov };
  }
}

export class Adam extends Optimizer {
  readonly type = 'adam' as const;
  protected readonly slotNames = ['m', 'v'] as const;
  lr: number;
  readonly weightDecay: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  readonly decoupledWeightDecay: boolean;

  constructor(opts: AdamOptions = {}) {
    super();
    checkKnown('adam', opts, ADAM_DEFAULTS);
    const o = { ...ADAM_DEFAULTS, ...opts };
    checkRange('lr', o.lr, 0, Infinity, true, true);
    checkRange('weightDecay', o.weightDecay, 0, Infinity, false, true);
    checkRange('beta1', o.beta1, 0, 1, false, true);
    checkRange('beta2', o.beta2, 0, 1, false, true);
    checkRange('epsilon', o.epsilon, 0, Infinity, true, true);
    if (typeof o.decoupledWeightDecay !== 'boolean') throw new WordloomError('expected a boolean', { flag: 'decoupledWeightDecay' });
    this.lr = o.lr; this.weightDecay = o.weightDecay; this.beta1 = o.beta1; this.beta2 = o.beta2; this.epsilon = o.epsilon;
    this.decoupledWeightDecay = o.decoupledWeightDecay;
  }

  protected initSlot(): void { /* zeros */ }

  protected update(p: FloatArray, g: FloatArray, n: number, s: Record<string, FloatArray>): void {
    const t = this.stepCount;
    const bc1 = 1 - Math.pow(this.beta1, t), bc2 = 1 - Math.pow(this.beta2, t);
    const l2 = this.decoupledWeightDecay ? 0 : this.weightDecay;
    const decay = this.decoupledWeightDecay ? 1 - this.lr * this.weightDecay : 1;
    K.adamStep(n, p, g, s.m, s.v, this.beta1, this.beta2, this.epsilon, this.lr / bc1, 1 / Math.sqrt(bc2), l2, decay);
  }

  protected override checkSparse(): void {
    if (this.weightDecay > 0) throw new WordloomError('adam with weight decay does not support sparse parameters (torch.optim.SparseAdam has none)', { flag: 'weightDecay' });
  }

  /**
   * Lazy Adam on the touched rows, exactly torch.optim.SparseAdam (1.13): only those rows' moments decay, with the
   * bias corrections of the global step t, and ε is added to √v (not to √v̂ as in dense Adam):
   *   m = β1·m + (1−β1)·g;  v = β2·v + (1−β2)·g²;  p −= lr·√(1−β2^t)/(1−β1^t) · m / (√v + ε).
   */
  protected override updateRows(p: FloatArray, g: FloatArray, offset: number, rowSize: number, rows: Int32Array, s: Record<string, FloatArray>): void {
    const t = this.stepCount, b1 = this.beta1, b2 = this.beta2, eps = this.epsilon;
    const stepSize = (this.lr * Math.sqrt(1 - Math.pow(b2, t))) / (1 - Math.pow(b1, t));
    const m = s.m, v = s.v;
    for (let k = 0; k < rows.length; k++) {
      const o = offset + rows[k] * rowSize;
      for (let i = o; i < o + rowSize; i++) {
        const gi = g[i];
        const mi = m[i] + (gi - m[i]) * (1 - b1), vi = v[i] + (gi * gi - v[i]) * (1 - b2);
        m[i] = mi; v[i] = vi;
        p[i] -= (stepSize * mi) / (Math.sqrt(vi) + eps);
      }
    }
  }

  getConfig(): OptimizerConfig {
    return { type: 'adam', lr: this.lr, weightDecay: this.weightDecay, beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon, decoupledWeightDecay: this.decoupledWeightDecay };
  }
}

export class AdaGrad extends Optimizer {
  readonly type = 'adagrad' as const;
  protected readonly slotNames = ['sum'] as const;
  lr: number;
  readonly weightDecay: number;
  readonly initialAccumulator: number;
  readonly epsilon: number;

  constructor(opts: AdaGradOptions = {}) {
    super();
    checkKnown('adagrad', opts, ADAGRAD_DEFAULTS);
    const o = { ...ADAGRAD_DEFAULTS, ...opts };
    checkRange('lr', o.lr, 0, Infinity, true, true);
    checkRange('weightDecay', o.weightDecay, 0, Infinity, false, true);
    checkRange('initialAccumulator', o.initialAccumulator, 0, Infinity, false, true);
    checkRange('epsilon', o.epsilon, 0, Infinity, true, true);
    this.lr = o.lr; this.weightDecay = o.weightDecay; this.initialAccumulator = o.initialAccumulator; this.epsilon = o.epsilon;
  }

  protected initSlot(_name: string, buf: FloatArray): void { buf.fill(this.initialAccumulator); }

  protected update(p: FloatArray, g: FloatArray, n: number, slots: Record<string, FloatArray>): void {
    const s = slots.sum, lr = this.lr, wd = this.weightDecay, eps = this.epsilon;
    for (let i = 0; i < n; i++) {
      const gi = g[i] + wd * p[i];
      const si = s[i] + gi * gi;
      s[i] = si;
      p[i] -= lr * gi / (Math.sqrt(si) + eps);
    }
  }

  protected override checkSparse(): void {
    if (this.weightDecay > 0) throw new WordloomError('adagrad with weight decay does not support sparse parameters', { flag: 'weightDecay' });
  }

  protected override updateRows(p: FloatArray, g: FloatArray, offset: number, rowSize: number, rows: Int32Array, slots: Record<string, FloatArray>): void {
    for (let k = 0; k < rows.length; k++) {
      const o = offset + rows[k] * rowSize;
      this.update(p.subarray(o, o + rowSize), g.subarray(o, o + rowSize), rowSize, { sum: slots.sum.subarray(o, o + rowSize) });
    }
  }

  getConfig(): OptimizerConfig {
    return { type: 'adagrad', lr: this.lr, weightDecay: this.weightDecay, initialAccumulator: this.initialAccumulator, epsilon: this.epsilon };
  }
}

export class RMSProp extends Optimizer {
  readonly type = 'rmsprop' as const;
  protected readonly slotNames: readonly string[];
  lr: number;
  readonly weightDecay: number;
  readonly rho: number;
  readonly epsilon: number;
  readonly momentum: number;
  readonly centered: boolean;

  constructor(opts: RMSPropOptions = {}) {
    super();
    checkKnown('rmsprop', opts, RMSPROP_DEFAULTS);
    const o = { ...RMSPROP_DEFAULTS, ...opts };
    checkRange('lr', o.lr, 0, Infinity, true, true);
    checkRange('weightDecay', o.weightDecay, 0, Infinity, false, true);
    checkRange('rho', o.rho, 0, 1, false, true);
    checkRange('epsilon', o.epsilon, 0, Infinity, true, true);
    checkRange('momentum', o.momentum, 0, 1, false, true);
    if (typeof o.centered !== 'boolean') throw new WordloomError('expected a boolean', { flag: 'centered' });
    this.lr = o.lr; this.weightDecay = o.weightDecay; this.rho = o.rho; this.epsilon = o.epsilon; this.momentum = o.momentum; this.centered = o.centered;
    this.slotNames = ['sq', ...(o.centered ? ['avg'] : []), ...(o.momentum > 0 ? ['buf'] : [])];
  }

  protected initSlot(): void { /* zeros */ }

  protected update(p: FloatArray, g: FloatArray, n: number, s: Record<string, FloatArray>): void {
    const sq = s.sq, avg = s.avg, buf = s.buf;
    const lr = this.lr, wd = this.weightDecay, rho = this.rho, eps = this.epsilon, mu = this.momentum;
    for (let i = 0; i < n; i++) {
      const gi = g[i] + wd * p[i];
      const si = rho * sq[i] + (1 - rho) * gi * gi;
      sq[i] = si;
      let d = si;
      if (avg) { const ai = rho * avg[i] + (1 - rho) * gi; avg[i] = ai; d = si - ai * ai; }
      const denom = Math.sqrt(d) + eps;
      if (buf) { const bi = mu * buf[i] + gi / denom; buf[i] = bi; p[i] -= lr * bi; }
      else p[i] -= lr * gi / denom;
    }
  }

  getConfig(): OptimizerConfig {
    return { type: 'rmsprop', lr: this.lr, weightDecay: this.weightDecay, rho: this.rho, epsilon: this.epsilon, momentum: this.momentum, centered: this.centered };
  }
}

/** Build an optimizer from a JSON config ({ type, ...options }); missing options take the DEFAULTS. */
export function createOptimizer(config: { type: OptimizerType } & Record<string, unknown>): Optimizer {
  if (!config || typeof config !== 'object') throw new WordloomError('optimizer config must be an object');
  const { type, ...opts } = config;
  switch (type) {
    case 'sgd': return new SGD(opts as SGDOptions);
    case 'adam': return new Adam(opts as AdamOptions);
    case 'adagrad': return new AdaGrad(opts as AdaGradOptions);
    case 'rmsprop': return new RMSProp(opts as RMSPropOptions);
    default: throw new WordloomError(`unknown optimizer "${String(type)}" (expected one of ${OPTIMIZER_TYPES.join(', ')})`, { flag: 'type' });
  }
}

/**
 * Global L2 norm of a gradient: √Σ g². For a ParamSet with sparse parameters only the dense runs and the touched
 * rows are read (the other rows are zero).
 */
export function gradNorm(grad: FloatArray | ParamSet): number {
  if (grad instanceof Float32Array || grad instanceof Float64Array) return Math.sqrt(K.dot(grad.length, grad, grad));
  return Math.sqrt(gradSumSq(grad));
}

function gradSumSq(ps: ParamSet): number {
  const g = ps.grad;
  if (!ps.hasSparse) return K.dot(g.length, g, g);
  let sq = 0;
  for (const { offset: o, size: n } of ps.denseSegments()) { const v = g.subarray(o, o + n); sq += K.dot(n, v, v); }
  for (const { spec, rowSize, rows } of ps.sparseRows()) {
    for (let k = 0; k < rows.length; k++) {
      const o = spec.offset + rows[k] * rowSize;
      for (let i = o; i < o + rowSize; i++) sq += g[i] * g[i];
    }
  }
  return sq;
}

/** grad *= a over a gradient buffer or a ParamSet's gradient (sparse parameters: touched rows only). */
export function scaleGrad(grad: FloatArray | ParamSet, a: number): void {
  if (grad instanceof Float32Array || grad instanceof Float64Array) { K.scale(grad.length, a, grad); return; }
  const ps = grad, g = ps.grad;
  if (!ps.hasSparse) { K.scale(g.length, a, g); return; }
  for (const { offset: o, size: n } of ps.denseSegments()) K.scale(n, a, g.subarray(o, o + n));
  for (const { spec, rowSize, rows } of ps.sparseRows()) {
    for (let k = 0; k < rows.length; k++) {
      const o = spec.offset + rows[k] * rowSize;
      for (let i = o; i < o + rowSize; i++) g[i] *= a;
    }
  }
}

/**
 * Global-norm clipping (Pascanu et al. 2013; torch.nn.utils.clip_grad_norm_): if ‖g‖ > maxNorm, scale
 * the whole gradient by maxNorm / (‖g‖ + 1e-6). Returns the norm before clipping (Infinity/NaN are
 * returned as is and the gradient is left alone, so the caller can skip the step).
 */
export function clipGradNorm(ps: ParamSet | FloatArray, maxNorm: number): number {
  if (!(typeof maxNorm === 'number' && maxNorm > 0)) throw new WordloomError(`expected a positive number, got ${String(maxNorm)}`, { flag: 'maxNorm' });
  const norm = gradNorm(ps);
  if (Number.isFinite(norm) && norm > maxNorm) scaleGrad(ps, maxNorm / (norm + 1e-6));
  return norm;
}
