/**
 * Pooling over the valid steps of padded, time-major sequence outputs (what turns a recurrent layer's states into
 * one vector per sequence):
 *
 *   x [T][B][D] (element (t, b) at t·B + b), lengths [B] ∈ 1..T  →  z [B][D]
 *
 *   masked mean:  z_b = (1/L_b) Σ_{t<L_b} x_tb
 *   masked max:   z_bj = max_{t<L_b} x_tbj   (argmax kept for backward; the gradient goes to the first maximum)
 *   attention:    e_tb = vᵀ tanh(W x_tb + a),  α_·b = softmax over t < L_b of e_·b (0 at padded steps),
 *                 z_b = Σ_t α_tb x_tb           — the weights α are exposed (which words the model looked at)
 *
 * Padded steps (t ≥ L_b) never contribute and get no gradient. Backward functions accumulate (+=).
 * Parameters of AttentionPooling: "<name>.W" [D][A], "<name>.b" [A], "<name>.v" [A].
 *
 * Reference: D. Bahdanau, K. Cho, Y. Bengio, ICLR 2015 (additive attention); Z. Yang et al., NAACL 2016
 * (word attention with a learned context vector for document classification); Z. Lin et al., ICLR 2017
 * (self-attentive sentence embedding). Deviation: one attention head, no penalty term.
 */
import { K, type FloatArray } from '../kernels/index.ts';
import type { ParamSet } from './params.ts';
import type { Rng } from '../util/rng.ts';
import { WordloomError } from '../util/errors.ts';
import { glorotUniform } from './init.ts';
import { allocFloat, freeFloat } from './recurrent.ts';

/** z [B][D] = mean of x [T][B][D] over t < lengths[b]. Overwrites z. */
export function meanPoolForward(z: FloatArray, x: FloatArray, T: number, B: number, D: number, lengths: ArrayLike<number>): void {
  z.fill(0, 0, B * D);
  for (let t = 0; t < T; t++) {
    for (let b = 0; b < B; b++) {
      if (t >= lengths[b]) continue;
      K.axpy(D, 1, x.subarray((t * B + b) * D, (t * B + b + 1) * D), z.subarray(b * D, (b + 1) * D));
    }
  }
  for (let b = 0; b < B; b++) K.scale(D, 1 / lengths[b], z.subarray(b * D, (b + 1) * D));
}

/** dx [T][B][D] += dz_b / L_b at the valid steps of b. */
export function meanPoolBackward(dx: FloatArray, dz: FloatArray, T: number, B: number, D: number, lengths: ArrayLike<number>): void {
  for (let t = 0; t < T; t++) {
    for (let b = 0; b < B; b++) {
      if (t >= lengths[b]) continue;
      K.axpy(D, 1 / lengths[b], dz.subarray(b * D, (b + 1) * D), dx.subarray((t * B + b) * D, (t * B + b + 1) * D));
    }
  }
}

/** z [B][D] = max of x [T][B][D] over t < lengths[b]; argmax [B][D] gets the (first) maximising step. Overwrites both. */
export function maxPoolForward(z: FloatArray, argmax: Int32Array, x: FloatArray, T: number, B: number, D: number, lengths: ArrayLike<number>): void {
  for (let b = 0; b < B; b++) {
    const L = Math.min(lengths[b], T);
    const zb = b * D;
    for (let j = 0; j < D; j++) { z[zb + j] = x[b * D + j]; argmax[zb + j] = 0; }
    for (let t = 1; t < L; t++) {
      const o = (t * B + b) * D;
      for (let j = 0; j < D; j++) {
        const v = x[o + j];
        if (v > z[zb + j]) { z[zb + j] = v; argmax[zb + j] = t; }
      }
    }
  }
}

/** dx [T][B][D] += dz routed to the argmax step of each (b, j). */
export function maxPoolBackward(dx: FloatArray, dz: FloatArray, argmax: Int32Array, B: number, D: number): void {
  for (let b = 0; b < B; b++) for (let j = 0; j < D; j++) dx[(argmax[b * D + j] * B + b) * D + j] += dz[b * D + j];
}

export interface AttentionPoolingOptions {
  /** Feature size D of the pooled states (e.g. 2N for a bidirectional layer). */
  inputSize: number;
  /** Size A of the attention's hidden layer (W: D → A). Default 64. */
  attentionSize?: number;
  /** Parameter-name prefix (default "attn"). */
  name?: string;
}

export const ATTENTION_DEFAULTS = { attentionSize: 64, name: 'attn' };

export type AttentionPoolingConfig = Required<AttentionPoolingOptions>;

/**
 * Additive self-attention pooling (see the file header). forward() returns z [B][D]; `weights` holds α [T][B] of the
 * last forward (0 at padded steps; each sequence's weights sum to 1).
 */
export class AttentionPooling {
  readonly config: AttentionPoolingConfig;
  private ps: ParamSet | null = null;
  private x: FloatArray | null = null;
  private lengths: ArrayLike<number> = [];
  private T = 0;
  private B = 0;
  private capTB = 0;
  private capB = 0;
  /** tanh(W x + b) [T·B][A]. */
  private u: FloatArray | null = null;
  private du: FloatArray | null = null;
  /** Scores e, then weights α [T][B]. */
  private alpha: FloatArray | null = null;
  private dAlpha: FloatArray | null = null;
  private z: FloatArray | null = null;

  constructor(options: AttentionPoolingOptions) {
    if (!options || typeof options !== 'object') throw new WordloomError('AttentionPooling: options object required');
    const c = { ...ATTENTION_DEFAULTS, ...options } as AttentionPoolingConfig;
    for (const k of ['inputSize', 'attentionSize'] as const) {
      if (!Number.isInteger(c[k]) || c[k] < 1) throw new WordloomError(`AttentionPooling: ${k} must be an integer ≥ 1, got ${c[k]}`, { flag: k });
    }
    if (typeof c.name !== 'string' || !c.name) throw new WordloomError('AttentionPooling: name must be a non-empty string', { flag: 'name' });
    this.config = c;
  }

  paramCount(): number {
    const { inputSize: D, attentionSize: A } = this.config;
    return D * A + 2 * A;
  }

  build(ps: ParamSet): this {
    if (this.ps) throw new WordloomError(`${this.config.name}: build() called twice`);
    const { inputSize: D, attentionSize: A, name } = this.config;
    ps.add(`${name}.W`, [D, A]);
    ps.add(`${name}.b`, [A]);
    ps.add(`${name}.v`, [A]);
    this.ps = ps;
    return this;
  }

  private params(): ParamSet {
    if (!this.ps || !this.ps.data) throw new WordloomError(`${this.config.name}: call build(ps) and ps.finalize() before use`);
    return this.ps;
  }

  /** Glorot-uniform W and v, zero b. */
  initialize(rng: Rng): this {
    const ps = this.params(), { inputSize: D, attentionSize: A, name } = this.config;
    glorotUniform(rng, ps.view(`${name}.W`), D, A, D, A);
    glorotUniform(rng, ps.view(`${name}.v`), A, 1, A, 1);
    ps.view(`${name}.b`).fill(0);
    return this;
  }

  private ensure(TB: number, B: number): void {
    const p = this.params().precision, { inputSize: D, attentionSize: A } = this.config;
    if (TB > this.capTB) {
      freeFloat(this.u); freeFloat(this.du); freeFloat(this.alpha); freeFloat(this.dAlpha);
      this.u = allocFloat(TB * A, p); this.du = allocFloat(TB * A, p);
      this.alpha = allocFloat(TB, p); this.dAlpha = allocFloat(TB, p);
      this.capTB = TB;
    }
    if (B > this.capB) { freeFloat(this.z); this.z = allocFloat(B * D, p); this.capB = B; }
  }

  /** Attention weights α [T][B] of the last forward (a view, valid until the next forward). */
  get weights(): FloatArray {
    if (!this.alpha) throw new WordloomError(`${this.config.name}: no forward yet`);
    return this.alpha.subarray(0, this.T * this.B);
  }

  /** x [T][B][D] → z [B][D] (a view, valid until the next forward). x is kept (not copied) for backward. */
  forward(x: FloatArray, T: number, B: number, lengths: ArrayLike<number>): FloatArray {
    const ps = this.params(), { inputSize: D, attentionSize: A, name } = this.config, TB = T * B;
    if (x.length < TB * D) throw new WordloomError(`${name}: input has ${x.length} values, expected T·B·D = ${TB * D}`);
    this.ensure(TB, B);
    const u = this.u!.subarray(0, TB * A), e = this.alpha!.subarray(0, TB), z = this.z!.subarray(0, B * D);
    K.sgemm(false, false, TB, A, D, 1, x, D, ps.view(`${name}.W`), A, 0, u, A);
    K.addBias(TB, A, ps.view(`${name}.b`), u);
    K.tanh(TB * A, u, u);
    const v = ps.view(`${name}.v`);
    K.sgemm(false, false, TB, 1, A, 1, u, A, v, 1, 0, e, 1);
    for (let b = 0; b < B; b++) {
      const L = Math.min(lengths[b], T);
      let mx = -Infinity;
      for (let t = 0; t < L; t++) if (e[t * B + b] > mx) mx = e[t * B + b];
      let s = 0;
      for (let t = 0; t < L; t++) { const w = Math.exp(e[t * B + b] - mx); e[t * B + b] = w; s += w; }
      for (let t = 0; t < L; t++) e[t * B + b] /= s;
      for (let t = L; t < T; t++) e[t * B + b] = 0;
    }
    z.fill(0);
    for (let t = 0; t < T; t++) for (let b = 0; b < B; b++) {
      const a = e[t * B + b];
      if (a !== 0) K.axpy(D, a, x.subarray((t * B + b) * D, (t * B + b + 1) * D), z.subarray(b * D, (b + 1) * D));
    }
    this.x = x; this.T = T; this.B = B; this.lengths = lengths;
    return z;
  }

  /** dz [B][D] → accumulates dW, db, dv and dx [T][B][D] (+=; padded steps get nothing). */
  backward(dz: FloatArray, dx: FloatArray): void {
    if (!this.x) throw new WordloomError(`${this.config.name}: backward() before forward()`);
    const ps = this.params(), { inputSize: D, attentionSize: A, name } = this.config;
    const T = this.T, B = this.B, TB = T * B, x = this.x;
    const alpha = this.alpha!.subarray(0, TB), dA = this.dAlpha!.subarray(0, TB);
    const u = this.u!.subarray(0, TB * A), du = this.du!.subarray(0, TB * A);
    // z_b = Σ α_tb x_tb:  dx_tb += α_tb dz_b;  dα_tb = dz_b · x_tb.
    for (let t = 0; t < T; t++) for (let b = 0; b < B; b++) {
      const i = t * B + b;
      if (t >= this.lengths[b]) { dA[i] = 0; continue; }
      const xs = x.subarray(i * D, (i + 1) * D), dzb = dz.subarray(b * D, (b + 1) * D);
      dA[i] = K.dot(D, dzb, xs);
      K.axpy(D, alpha[i], dzb, dx.subarray(i * D, (i + 1) * D));
    }
    // Softmax over valid steps: de_tb = α_tb (dα_tb − Σ_s α_sb dα_sb)  (in place in dA; 0 at padding as α = 0).
    for (let b = 0; b < B; b++) {
      let s = 0;
      for (let t = 0; t < T; t++) s += alpha[t * B + b] * dA[t * B + b];
      for (let t = 0; t < T; t++) dA[t * B + b] = alpha[t * B + b] * (dA[t * B + b] - s);
    }
    // e = u·v: dv += uᵀ de, du = de vᵀ; u = tanh(a): da = du ⊙ (1 − u²).
    const v = ps.view(`${name}.v`);
    K.sgemm(true, false, A, 1, TB, 1, u, A, dA, 1, 1, ps.gradView(`${name}.v`), 1);
    K.sgemm(false, false, TB, A, 1, 1, dA, 1, v, A, 0, du, A);
    for (let i = 0; i < TB * A; i++) du[i] *= 1 - u[i] * u[i];
    // a = x W + b: dW += xᵀ da, db += Σ da, dx += da Wᵀ.
    K.sgemm(true, false, D, A, TB, 1, x, D, du, A, 1, ps.gradView(`${name}.W`), A);
    K.biasBackward(TB, A, du, ps.gradView(`${name}.b`));
    K.sgemm(false, true, TB, D, A, 1, du, A, ps.view(`${name}.W`), A, 1, dx, D);
  }

  /** Return the buffers to the kernel heap (they regrow on the next forward). */
  dispose(): void {
    for (const b of [this.u, this.du, this.alpha, this.dAlpha, this.z]) freeFloat(b);
    this.u = this.du = this.alpha = this.dAlpha = this.z = null;
    this.capTB = 0; this.capB = 0;
  }
}
