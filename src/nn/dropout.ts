/**
 * Inverted dropout, seeded: during training each value is kept with probability 1 − rate and scaled by
 * 1/(1 − rate) (so inference is the identity); the mask (0 or 1/(1 − rate)) is kept for backward.
 * Reference: N. Srivastava, G. Hinton, A. Krizhevsky, I. Sutskever, R. Salakhutdinov, "Dropout", JMLR 2014.
 */
import type { FloatArray } from '../kernels/index.ts';
import type { Rng } from '../util/rng.ts';
import { WordloomError } from '../util/errors.ts';

/** mask [n] = 0 w.p. rate else 1/(1−rate); out [n] = inp ⊙ mask (out may alias inp). */
export function dropoutForward(out: FloatArray, mask: FloatArray, inp: FloatArray, n: number, rate: number, rng: Rng): void {
  const keep = 1 / (1 - rate);
  for (let i = 0; i < n; i++) {
    const m = rng.next() < rate ? 0 : keep;
    mask[i] = m;
    out[i] = inp[i] * m;
  }
}

/** dinp [n] += dout ⊙ mask. */
export function dropoutBackward(dinp: FloatArray, dout: FloatArray, mask: FloatArray, n: number): void {
  for (let i = 0; i < n; i++) dinp[i] += dout[i] * mask[i];
}

export interface DropoutOptions {
  /** Probability of zeroing a value, in [0, 1) (default 0.5). */
  rate?: number;
}

export const DROPOUT_DEFAULTS = { rate: 0.5 };

export class Dropout {
  readonly rate: number;
  private mask: FloatArray | null = null;
  private n = 0;
  private training = false;

  constructor(options: DropoutOptions = {}) {
    const rate = options.rate ?? DROPOUT_DEFAULTS.rate;
    if (!(typeof rate === 'number' && rate >= 0 && rate < 1)) throw new WordloomError(`Dropout: rate must be in [0, 1), got ${rate}`, { flag: 'rate' });
    this.rate = rate;
  }

  static fromConfig(c: DropoutOptions): Dropout { return new Dropout(c); }
  getConfig(): Required<DropoutOptions> { return { rate: this.rate }; }

  /**
   * In place on x [n]: training ⇒ x ⊙ mask (mask drawn from rng); otherwise x is returned unchanged.
   */
  forward(x: FloatArray, n: number, training: boolean, rng: Rng | null): FloatArray {
    this.n = n;
    this.training = training && this.rate > 0;
    if (!this.training) return x;
    if (!rng) throw new WordloomError('Dropout: a seeded Rng is required in training mode', { flag: 'rng' });
    if (!this.mask || this.mask.length < n || this.mask.constructor !== x.constructor) {
      this.mask = x instanceof Float64Array ? new Float64Array(n) : new Float32Array(n);
    }
    dropoutForward(x, this.mask, x, n, this.rate, rng);
    return x;
  }

  /** In place on dy [n] (dy ⊙ mask in training mode; identity otherwise). */
  backward(dy: FloatArray): FloatArray {
    if (!this.training) return dy;
    const m = this.mask!;
    for (let i = 0; i < this.n; i++) dy[i] *= m[i];
    return dy;
  }
}
