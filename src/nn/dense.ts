/**
 * Dense (fully connected) layer:  y = act(x·W + b),  x [B][I], W [I][O], b [O], y [B][O].
 * Activation: linear (default), tanh, sigmoid or relu. Glorot-uniform W, zero b.
 * Parameters "<name>.W" [I][O] and "<name>.b" [O].
 */
import { K, type FloatArray } from '../kernels/index.ts';
import type { ParamSet } from './params.ts';
import type { Rng } from '../util/rng.ts';
import { WordloomError } from '../util/errors.ts';
import { glorotUniform } from './init.ts';
import { allocFloat, freeFloat } from './recurrent.ts';

export type Activation = 'linear' | 'tanh' | 'sigmoid' | 'relu';
const ACTIVATIONS: readonly Activation[] = ['linear', 'tanh', 'sigmoid', 'relu'];

/** out [B][O] = inp [B][I]·W [I][O] + b [O] (b may be null). Overwrites out. */
export function denseForward(out: FloatArray, inp: FloatArray, W: FloatArray, b: FloatArray | null, B: number, I: number, O: number): void {
  K.sgemm(false, false, B, O, I, 1, inp, I, W, O, 0, out, O);
  if (b) K.addBias(B, O, b, out);
}

/** dinp [B][I] += dout·Wᵀ (if dinp), dW [I][O] += inpᵀ·dout, db [O] += Σ_rows dout (if db). */
export function denseBackward(dinp: FloatArray | null, dW: FloatArray, db: FloatArray | null, dout: FloatArray,
  inp: FloatArray, W: FloatArray, B: number, I: number, O: number): void {
  K.sgemm(true, false, I, O, B, 1, inp, I, dout, O, 1, dW, O);
  if (db) K.biasBackward(B, O, dout, db);
  if (dinp) K.sgemm(false, true, B, I, O, 1, dout, O, W, O, 1, dinp, I);
}

export interface DenseOptions {
  /** Input features I (≥ 1). */
  inputSize: number;
  /** Output features O (≥ 1). */
  outputSize: number;
  /** Activation applied after the affine map (default "linear"). */
  activation?: Activation;
  /** Add a bias vector (default true). */
  useBias?: boolean;
  /** Parameter-name prefix (default "dense"). */
  name?: string;
}

export const DENSE_DEFAULTS = { activation: 'linear' as Activation, useBias: true, name: 'dense' };

export type DenseConfig = Required<DenseOptions>;

export class Dense {
  readonly config: DenseConfig;
  private ps: ParamSet | null = null;
  private inp: FloatArray | null = null;
  private B = 0;
  private out: FloatArray | null = null;
  private dz: FloatArray | null = null;

  constructor(options: DenseOptions) {
    if (!options || typeof options !== 'object') throw new WordloomError('Dense: options object required');
    const c = { ...DENSE_DEFAULTS, ...options } as DenseConfig;
    for (const k of ['inputSize', 'outputSize'] as const) {
      if (!Number.isInteger(c[k]) || c[k] < 1) throw new WordloomError(`Dense: ${k} must be an integer ≥ 1, got ${c[k]}`, { flag: k });
    }
    if (!ACTIVATIONS.includes(c.activation)) throw new WordloomError(`Dense: activation must be one of ${ACTIVATIONS.join(', ')}, got "${c.activation}"`, { flag: 'activation' });
    if (typeof c.useBias !== 'boolean') throw new WordloomError('Dense: useBias must be a boolean', { flag: 'useBias' });
    if (typeof c.name !== 'string' || !c.name) throw new WordloomError('Dense: name must be a non-empty string', { flag: 'name' });
    this.config = c;
  }

  static fromConfig(c: DenseOptions): Dense { return new Dense(c); }
  getConfig(): DenseConfig { return { ...this.config }; }

  paramCount(): number {
    const { inputSize: I, outputSize: O, useBias } = this.config;
    return I * O + (useBias ? O : 0);
  }

  build(ps: ParamSet): this {
    if (this.ps) throw new WordloomError(`${this.config.name}: build() called twice`);
    ps.add(`${this.config.name}.W`, [this.config.inputSize, this.config.outputSize]);
    if (this.config.useBias) ps.add(`${this.config.name}.b`, [this.config.outputSize]);
    this.ps = ps;
    return this;
  }

  private params(): ParamSet {
    if (!this.ps || !this.ps.data) throw new WordloomError(`${this.config.name}: call build(ps) and ps.finalize() before use`);
    return this.ps;
  }

  initialize(rng: Rng): this {
    const ps = this.params(), { inputSize: I, outputSize: O, name } = this.config;
    glorotUniform(rng, ps.view(`${name}.W`), I, O, I, O);
    if (this.config.useBias) ps.view(`${name}.b`).fill(0);
    return this;
  }

  /** x [B][I] → y [B][O] (a view of an internal buffer, valid until the next forward). x is kept for backward. */
  forward(x: FloatArray, B: number): FloatArray {
    const ps = this.params(), { inputSize: I, outputSize: O, name, activation } = this.config;
    if (x.length < B * I) throw new WordloomError(`${name}: input has ${x.length} values, expected B·I = ${B * I}`, { flag: 'x' });
    if (!this.out || this.out.length < B * O) {
      freeFloat(this.out); freeFloat(this.dz);
      this.out = allocFloat(B * O, ps.precision); this.dz = allocFloat(B * O, ps.precision);
    }
    const y = this.out.subarray(0, B * O);
    denseForward(y, x, ps.view(`${name}.W`), this.config.useBias ? ps.view(`${name}.b`) : null, B, I, O);
    if (activation === 'tanh') K.tanh(B * O, y, y);
    else if (activation === 'sigmoid') K.sigmoid(B * O, y, y);
    else if (activation === 'relu') for (let i = 0; i < B * O; i++) if (y[i] < 0) y[i] = 0;
    this.inp = x; this.B = B;
    return y;
  }

  /** dy [B][O] → accumulates dW, db and (if given) dx [B][I]. */
  backward(dy: FloatArray, dx: FloatArray | null = null): void {
    if (!this.inp) throw new WordloomError(`${this.config.name}: backward() before forward()`);
    const ps = this.params(), { inputSize: I, outputSize: O, name, activation } = this.config, B = this.B;
    let dz = dy;
    const y = this.out!.subarray(0, B * O);
    if (activation !== 'linear') {
      dz = this.dz!.subarray(0, B * O);
      if (activation === 'tanh') { dz.fill(0); K.tanhBackward(B * O, y, dy, dz); }
      else if (activation === 'sigmoid') { dz.fill(0); K.sigmoidBackward(B * O, y, dy, dz); }
      else for (let i = 0; i < B * O; i++) dz[i] = y[i] > 0 ? dy[i] : 0;
    }
    denseBackward(dx, ps.gradView(`${name}.W`), this.config.useBias ? ps.gradView(`${name}.b`) : null, dz, this.inp, ps.view(`${name}.W`), B, I, O);
  }
}
