/**
 * Data of the memory experiment: sequences x_1..x_T of i.i.d. random numbers (one number per step),
 * target y = x_1 (the FIRST number), to be read out after the last step.
 *
 * Inputs are uniform on [−1, 1] by default (target variance 1/3) or standard normal (variance 1).
 * "Solved" means test MSE < 1 % of the target variance, i.e. the model explains > 99 % of the variance of
 * x_1; predicting the mean (0) gives MSE = variance, so the threshold is 100× better than guessing.
 *
 * Reference: S. Hochreiter and J. Schmidhuber, "Long Short-Term Memory", Neural Computation 9(8), 1997
 * (minimal time lag experiments); this variant has no marker input: the network must latch the first value.
 */
import type { Rng } from '../../util/rng.ts';
import { WordloomError } from '../../util/errors.ts';

export type InputDistribution = 'uniform' | 'normal';
export const INPUT_DISTRIBUTIONS: readonly InputDistribution[] = ['uniform', 'normal'];

/** Variance of the target x_1 under a distribution. */
export function targetVariance(dist: InputDistribution): number {
  return dist === 'uniform' ? 1 / 3 : 1;
}

/** A batch: x time-major [T][B][1], y [B] (= x at t = 1). */
export interface MemoryBatch {
  T: number;
  B: number;
  x: Float32Array;
  y: Float32Array;
}

/** Draw B sequences of length T. */
export function memoryBatch(rng: Rng, T: number, B: number, dist: InputDistribution = 'uniform', into?: MemoryBatch): MemoryBatch {
  if (!Number.isSafeInteger(T) || T < 1) throw new WordloomError(`expected a positive integer, got ${T}`, { flag: '--length' });
  if (!Number.isSafeInteger(B) || B < 1) throw new WordloomError(`expected a positive integer, got ${B}`, { flag: '--batch' });
  const b = into && into.T === T && into.B === B ? into : { T, B, x: new Float32Array(T * B), y: new Float32Array(B) };
  if (dist === 'uniform') rng.fillUniform(b.x, -1, 1);
  else rng.fillNormal(b.x, 0, 1);
  b.y.set(b.x.subarray(0, B));
  return b;
}
