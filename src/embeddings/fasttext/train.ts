/**
 * Training of the fastText supervised model, the part that runs in one thread (browser-safe; the worker-thread
 * driver is train-node.ts): examples as feature ids, and SGD over a shard of them for all epochs.
 *
 * Learning rate: lr · (1 − tokens processed / (epochs · tokens per epoch)), as fastText's linear decay over all
 * tokens (the count is shared by all threads: `TokenCounter`). Tokens of a line = its words + "</s>" + its label,
 * as fastText's getLine counts them.
 *
 * Deviation: fastText reads its input file in order, each thread from its own offset, until the global token count
 * is reached. Here each thread makes `epochs` passes over its shard of the examples, reshuffled (seeded) at every
 * pass: IMDB-like files sorted by label need shuffling, and one thread with one seed is reproducible bit for bit.
 *
 * Reference: fastText 0.9.2 src/fasttext.cc (trainThread, supervised).
 */
import type { Rng } from '../../util/rng.ts';
import { ftSupervisedStep } from '../../kernels/fasttext-reference.ts';
import type { FastTextModel } from './model.ts';

/** Training examples: features of example k are ids[offsets[k] .. offsets[k + 1]). */
export interface FastTextExamples {
  ids: Int32Array;
  offsets: Int32Array;
  /** Class index of each example. */
  labels: Int32Array;
  /** Tokens of each example as fastText counts them (words + "</s>" + label). */
  tokens: Int32Array;
}

/** Concatenate per-example feature ids. */
export function packExamples(features: readonly Int32Array[], labels: ArrayLike<number>, tokens: ArrayLike<number>): FastTextExamples {
  const offsets = new Int32Array(features.length + 1);
  for (let k = 0; k < features.length; k++) offsets[k + 1] = offsets[k] + features[k].length;
  const ids = new Int32Array(offsets[features.length]);
  features.forEach((f, k) => ids.set(f, offsets[k]));
  return { ids, offsets, labels: Int32Array.from(labels), tokens: Int32Array.from(tokens) };
}

/** Total tokens of one pass. */
export function totalTokens(ex: FastTextExamples): number {
  let t = 0;
  for (let k = 0; k < ex.tokens.length; k++) t += ex.tokens[k];
  return t;
}

/** The global processed-token count (a plain number in one thread, an Atomics-backed one across workers). */
export interface TokenCounter {
  get(): number;
  add(n: number): void;
}

export function localCounter(): TokenCounter {
  let n = 0;
  return { get: () => n, add: (k) => { n += k; } };
}

/** A counter in shared memory (8 bytes): two uint32 words (low, high) updated with Atomics (adds are < 2^31). */
export function sharedCounter(buf: SharedArrayBuffer): TokenCounter {
  const w = new Uint32Array(buf, 0, 2);
  return {
    get: () => Atomics.load(w, 1) * 4294967296 + Atomics.load(w, 0),
    add: (k) => {
      const old = Atomics.add(w, 0, k);
      if (old + k >= 4294967296) Atomics.add(w, 1, 1);
    },
  };
}

export interface ShardProgress {
  /** Examples this shard finished (over all epochs). */
  examples: number;
  /** Mean loss of the recent examples. */
  loss: number;
  /** Current learning rate. */
  lr: number;
}

export interface ShardOptions {
  lr: number;
  epochs: number;
  /** Tokens of one pass over *all* examples (all shards). */
  totalTokens: number;
  /** Called about every `reportEvery` examples. */
  onProgress?: (p: ShardProgress) => void;
  reportEvery?: number;
}

/**
 * SGD over the examples `shard` (indices into `ex`) for `opts.epochs` passes, reshuffling the shard with `rng`
 * before each pass. Returns the mean loss of the last pass.
 */
export function trainShard(model: Pick<FastTextModel, 'wi' | 'wo' | 'args' | 'labels' | 'lossCode' | 'scale'>, ex: FastTextExamples, shard: Int32Array,
  opts: ShardOptions, rng: Rng, counter: TokenCounter): number {
  const dim = model.args.dim, nl = model.labels.length, lc = model.lossCode;
  const hidden = new Float32Array(dim), grad = new Float32Array(dim), out = new Float32Array(nl);
  const denom = opts.epochs * opts.totalTokens;
  const every = opts.reportEvery ?? 500;
  let done = 0, recentLoss = 0, recentN = 0, passLoss = 0, passN = 0, lr = opts.lr;
  for (let epoch = 0; epoch < opts.epochs; epoch++) {
    rng.shuffle(shard);
    passLoss = 0; passN = 0;
    for (let i = 0; i < shard.length; i++) {
      const k = shard[i];
      lr = opts.lr * Math.max(0, 1 - counter.get() / denom);
      const l = ftSupervisedStep(model.wi, model.wo, dim, nl, ex.ids, ex.offsets[k], ex.offsets[k + 1], ex.labels[k], lr, lc, hidden, grad, out, model.scale);
      counter.add(ex.tokens[k]);
      if (l === l) { recentLoss += l; recentN++; passLoss += l; passN++; }
      if (++done % every === 0 && opts.onProgress) {
        opts.onProgress({ examples: done, loss: recentN ? recentLoss / recentN : NaN, lr });
        recentLoss = 0; recentN = 0;
      }
    }
  }
  if (opts.onProgress) opts.onProgress({ examples: done, loss: recentN ? recentLoss / recentN : passN ? passLoss / passN : NaN, lr });
  return passN ? passLoss / passN : NaN;
}

/** Split example indices 0..n−1 (in a seeded order) into `threads` contiguous shards of near-equal size. */
export function makeShards(n: number, threads: number, rng: Rng): Int32Array[] {
  const order = Int32Array.from({ length: n }, (_, i) => i);
  rng.shuffle(order);
  const shards: Int32Array[] = [];
  for (let t = 0; t < threads; t++) shards.push(order.slice(Math.floor((t * n) / threads), Math.floor(((t + 1) * n) / threads)));
  return shards;
}

/**
 * NB feature weights (Wang & Manning 2012) for two classes: per input row f, with binarized document counts
 * p_f (class 1) and q_f (class 0) and add-α smoothing, r_f = log((p_f/|p|₁) / (q_f/|q|₁)). Rows never seen in
 * training get r = log(|q|₁/|p|₁) (their smoothed counts are equal), i.e. ≈ 0 for balanced data.
 * With more classes, `groups` maps each class to side 1, side 0 or −1 (not counted) — e.g. star ratings split into
 * positive and negative reviews, so one polarity ratio weights the features of a rating model.
 *
 * Reference: S. Wang, C. D. Manning, "Baselines and Bigrams: Simple, Good Sentiment and Topic Classification",
 * ACL 2012 (NBSVM; α = 1, binarized features).
 */
export function nbScale(ex: FastTextExamples, rows: number, alpha = 1, groups: ArrayLike<number> | null = null): Float32Array {
  const p = new Float64Array(rows).fill(alpha), q = new Float64Array(rows).fill(alpha);
  const last = new Int32Array(rows).fill(-1);
  for (let k = 0; k < ex.labels.length; k++) {
    const side = groups ? groups[ex.labels[k]] : ex.labels[k];
    if (side !== 0 && side !== 1) continue;
    const c = side === 1 ? p : q;
    for (let j = ex.offsets[k]; j < ex.offsets[k + 1]; j++) {
      const f = ex.ids[j];
      if (last[f] === k) continue; // binarized: once per document
      last[f] = k;
      c[f] += 1;
    }
  }
  let sp = 0, sq = 0;
  for (let f = 0; f < rows; f++) { sp += p[f]; sq += q[f]; }
  const out = new Float32Array(rows);
  for (let f = 0; f < rows; f++) out[f] = Math.log((p[f] / sp) / (q[f] / sq));
  return out;
}
