/**
 * Generic float64 central-difference gradient checker, over the parameters of a ParamSet and/or over
 * arbitrary input arrays:
 *   numeric_i = (L(θ + ε·e_i) − L(θ − ε·e_i)) / 2ε,   pass iff |analytic − numeric| ≤ atol + rtol·max(|a|, |n|).
 * Use it with ParamSet.finalize('float64') and Float64Array inputs (the reference kernels then run in float64,
 * so the truncation error is ~ε² and round-off ~1e-16/ε: 1e-6 gives ~1e-10 agreement).
 */
import type { FloatArray } from '../kernels/index.ts';
import type { ParamSet } from './params.ts';
import { Rng } from '../util/rng.ts';

/** One array to check: its values (perturbed in place, restored) and where backward writes its gradient. */
export interface GradCheckTarget {
  /** Name for reports, e.g. a parameter name or "x". */
  name: string;
  /** Values the loss depends on. */
  value: FloatArray;
  /** Gradient written by `computeGrads` (same length as value). */
  grad: FloatArray;
}

export interface GradCheckOptions {
  /** Finite-difference step (default 1e-6). */
  eps?: number;
  /** Relative tolerance (default 1e-5). */
  rtol?: number;
  /** Absolute tolerance (default 1e-8). */
  atol?: number;
  /** Check at most this many (seeded random) elements per target (default: all). */
  maxPerTarget?: number;
  /** Seed for choosing elements when maxPerTarget is set (default 1). */
  seed?: number;
}

export const GRADCHECK_DEFAULTS = { eps: 1e-6, rtol: 1e-5, atol: 1e-8, seed: 1 } as const;

export interface GradCheckFailure { name: string; index: number; analytic: number; numeric: number }

export interface GradCheckResult {
  /** Number of elements checked. */
  checked: number;
  /** Largest |a − n| / max(|a|, |n|, 1e-12). */
  maxRelError: number;
  /** Largest |a − n|. */
  maxAbsError: number;
  /** Elements outside tolerance (at most 20 listed). */
  failures: GradCheckFailure[];
  /** Count of elements outside tolerance. */
  failureCount: number;
  /** True when every checked element is within tolerance. */
  ok: boolean;
}

/** One target per parameter of a ParamSet (views into data/grad). */
export function paramTargets(ps: ParamSet): GradCheckTarget[] {
  return ps.list().map((s) => ({ name: s.name, value: ps.view(s), grad: ps.gradView(s) }));
}

/**
 * Compare analytic and numeric gradients.
 * @param loss          runs the forward pass and returns the scalar loss (must not depend on hidden state)
 * @param computeGrads  zeroes the gradients and runs forward + backward, writing every target's `grad`
 */
export function gradCheck(loss: () => number, computeGrads: () => void, targets: GradCheckTarget[],
  options: GradCheckOptions = {}): GradCheckResult {
  const o = { ...GRADCHECK_DEFAULTS, ...options };
  computeGrads();
  const analytic = targets.map((t) => Float64Array.from(t.grad));
  const rng = new Rng(o.seed);
  const res: GradCheckResult = { checked: 0, maxRelError: 0, maxAbsError: 0, failures: [], failureCount: 0, ok: true };
  targets.forEach((t, ti) => {
    const n = t.value.length;
    let idx: number[] = Array.from({ length: n }, (_, i) => i);
    if (o.maxPerTarget !== undefined && n > o.maxPerTarget) idx = (rng.shuffle(idx) as number[]).slice(0, o.maxPerTarget);
    for (const i of idx) {
      const orig = t.value[i];
      t.value[i] = orig + o.eps;
      const lp = loss();
      t.value[i] = orig - o.eps;
      const lm = loss();
      t.value[i] = orig;
      const num = (lp - lm) / (2 * o.eps);
      const a = analytic[ti][i];
      const abs = Math.abs(a - num);
      const rel = abs / Math.max(Math.abs(a), Math.abs(num), 1e-12);
      res.checked++;
      if (abs > res.maxAbsError) res.maxAbsError = abs;
      if (rel > res.maxRelError && abs > o.atol) res.maxRelError = rel;
      if (!(abs <= o.atol + o.rtol * Math.max(Math.abs(a), Math.abs(num)))) {
        res.ok = false;
        res.failureCount++;
        if (res.failures.length < 20) res.failures.push({ name: t.name, index: i, analytic: a, numeric: num });
      }
    }
  });
  return res;
}

/** Human-readable summary of a result (for assertion messages). */
export function formatGradCheck(r: GradCheckResult): string {
  const head = `${r.checked} checked, max abs err ${r.maxAbsError.toExponential(2)}, max rel err ${r.maxRelError.toExponential(2)}, ${r.failureCount} failures`;
  return [head, ...r.failures.map((f) => `  ${f.name}[${f.index}]: analytic ${f.analytic} vs numeric ${f.numeric}`)].join('\n');
}
