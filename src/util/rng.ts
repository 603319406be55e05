/**
 * Seeded pseudo-random numbers for everything in wordloom (no Math.random anywhere).
 *
 * Generator: xoshiro128** (Blackman & Vigna 2018), seeded through splitmix32, 32-bit state words,
 * so it is fast in JS and identical across platforms. `fork(k)` derives an independent stream
 * (e.g. one per worker thread) so that "same seed + same thread count ⇒ same result".
 *
 * Reference: D. Blackman and S. Vigna, "Scrambled linear pseudorandom number generators", 2018.
 */

function splitmix32(a: number): () => number {
  return () => {
    a = (a + 0x9e3779b9) | 0;
    let z = a;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
}

export class Rng {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;
  private spare: number | null = null;
  /** The seed this generator was created with (for configs and logs). */
  readonly seed: number;

  constructor(seed = 1) {
    if (!Number.isFinite(seed)) throw new RangeError(`Rng: seed must be a finite number, got ${seed}`);
    this.seed = seed;
    const sm = splitmix32(Math.floor(seed) ^ Math.floor(seed / 0x100000000));
    this.s0 = sm(); this.s1 = sm(); this.s2 = sm(); this.s3 = sm();
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1;
  }

  /** Next uniformly distributed unsigned 32-bit integer. */
  nextU32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0; this.s3 ^= this.s1; this.s1 ^= this.s2; this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** Uniform float in [0, 1) with 32 bits of randomness. */
  next(): number {
    return this.nextU32() / 4294967296;
  }

  /** Uniform float in [lo, hi). */
  uniform(lo = 0, hi = 1): number {
    return lo + (hi - lo) * this.next();
  }

  /** Uniform integer in [0, n). n must be ≤ 2^32. */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** Standard normal sample (Box–Muller, caches the second value). */
  normal(mean = 0, std = 1): number {
    if (this.spare !== null) { const s = this.spare; this.spare = null; return mean + std * s; }
    let u = 0;
    while (u === 0) u = this.next();
    const v = this.next();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spare = r * Math.sin(2 * Math.PI * v);
    return mean + std * r * Math.cos(2 * Math.PI * v);
  }

  /** Fisher–Yates shuffle in place. */
  shuffle<T>(a: { length: number; [i: number]: T }): typeof a {
    for (let i = a.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const t = a[i]; a[i] = a[j]; a[j] = t;
    }
    return a;
  }

  /** Fill an array with uniform values in [lo, hi). */
  fillUniform(out: Float32Array | Float64Array, lo: number, hi: number): typeof out {
    for (let i = 0; i < out.length; i++) out[i] = lo + (hi - lo) * this.next();
    return out;
  }

  /** Fill an array with normal values. */
  fillNormal(out: Float32Array | Float64Array, mean = 0, std = 1): typeof out {
    for (let i = 0; i < out.length; i++) out[i] = this.normal(mean, std);
    return out;
  }

  /** An independent generator derived from this one's seed and a stream index (e.g. a worker id). */
  fork(stream: number): Rng {
    return new Rng(((this.seed * 0x9e3779b1) ^ (stream * 0x85ebca6b + 0x27d4eb2f)) >>> 0);
  }

  /** Internal state, for checkpoints. */
  getState(): [number, number, number, number] {
    return [this.s0, this.s1, this.s2, this.s3];
  }

  /** Restore a state saved by getState(). */
  setState(s: readonly number[]): void {
    if (s.length !== 4) throw new RangeError('Rng.setState: expected 4 state words');
    [this.s0, this.s1, this.s2, this.s3] = s as [number, number, number, number];
    this.spare = null;
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}
