/**
 * Encoding token-index sequences for the networks: one-hot vectors (dense, explicit), padded time-major batches
 * with masks (the layout of the nn sequence runner: element (t, b) at t·B + b), and length bucketing.
 * Browser-safe.
 */
import { WordloomError, check } from '../util/errors.ts';
import type { Rng } from '../util/rng.ts';

/**
 * One-hot encode a sequence of indices into dense vectors: row t (of `ids.length` rows, `size` columns) has a 1 at
 * column ids[t]. Index 0 ([PAD]) gives an all-zero row when `padZero` is true (default), so padding carries no input.
 */
export function oneHot(ids: ArrayLike<number>, size: number, opts: { padZero?: boolean; out?: Float32Array } = {}): Float32Array {
  const n = ids.length;
  const out = opts.out ?? new Float32Array(n * size);
  check(out.length >= n * size, `oneHot: output buffer too small (${out.length} < ${n * size})`);
  out.fill(0, 0, n * size);
  const padZero = opts.padZero ?? true;
  for (let t = 0; t < n; t++) {
    const id = ids[t];
    if (!Number.isInteger(id) || id < 0 || id >= size) throw new WordloomError(`oneHot: index ${id} out of range [0, ${size})`);
    if (padZero && id === 0) continue;
    out[t * size + id] = 1;
  }
  return out;
}

/** Inverse of oneHot for rows with exactly one 1 (all-zero rows decode to 0). */
export function fromOneHot(x: ArrayLike<number>, size: number): Int32Array {
  const n = Math.floor(x.length / size);
  const out = new Int32Array(n);
  for (let t = 0; t < n; t++) {
    let best = 0, bv = 0;
    for (let j = 0; j < size; j++) if (x[t * size + j] > bv) { bv = x[t * size + j]; best = j; }
    out[t] = best;
  }
  return out;
}

/** A padded batch of sequences, time-major. */
export interface PaddedBatch {
  /** Batch size B. */
  batch: number;
  /** Padded length T (the longest sequence in the batch). */
  steps: number;
  /** Token indices, T×B time-major: ids[t·B + b]; padding = `padId` (0). */
  ids: Int32Array;
  /** 1 where (t, b) is a real token, 0 for padding; T×B time-major. */
  mask: Float32Array;
  /** Length of each sequence (B). */
  lengths: Int32Array;
  /** Labels (B), when given. */
  labels?: Int32Array;
  /** Positions of these examples in the source list. */
  indices: Int32Array;
}

/**
 * Pad sequences to the longest one and lay them out time-major with a mask.
 * Empty sequences are allowed only when `minLength` ≤ 0; by default they get length 1 of [PAD]/mask 0 → callers
 * should drop them first (dataset readers already do).
 */
export function padBatch(seqs: readonly ArrayLike<number>[], opts: { labels?: ArrayLike<number>; indices?: ArrayLike<number>; padId?: number; maxLength?: number } = {}): PaddedBatch {
  const B = seqs.length;
  check(B > 0, 'padBatch: empty batch');
  const maxLen = opts.maxLength ?? Infinity;
  const lengths = new Int32Array(B);
  let T = 1;
  for (let b = 0; b < B; b++) { lengths[b] = Math.min(seqs[b].length, maxLen); if (lengths[b] > T) T = lengths[b]; }
  const ids = new Int32Array(T * B).fill(opts.padId ?? 0);
  const mask = new Float32Array(T * B);
  for (let b = 0; b < B; b++) {
    const s = seqs[b];
    for (let t = 0; t < lengths[b]; t++) { ids[t * B + b] = s[t]; mask[t * B + b] = 1; }
  }
  const out: PaddedBatch = { batch: B, steps: T, ids, mask, lengths, indices: Int32Array.from(opts.indices ?? seqs.map((_, i) => i)) };
  if (opts.labels) out.labels = Int32Array.from(opts.labels);
  return out;
}

export interface BatchOptions {
  /** Examples per batch. Default 25. */
  batchSize?: number;
  /** Shuffle (with `rng`) before batching. Default false. */
  shuffle?: boolean;
  /**
   * Bucket by length: sort (after shuffling) within windows of `bucketWindow` batches so that a batch holds similar
   * lengths (less padding), then shuffle the batch order. Default false.
   */
  bucket?: boolean;
  /** Batches per bucketing window. Default 50. */
  bucketWindow?: number;
  /** Truncate sequences to this many tokens (0 = no limit). Default 0. */
  maxLength?: number;
}

export const BATCH_DEFAULTS: Required<BatchOptions> = { batchSize: 25, shuffle: false, bucket: false, bucketWindow: 50, maxLength: 0 };

/** Split examples into padded batches (optionally shuffled and bucketed by length; needs `rng` to shuffle). */
export function makeBatches(seqs: readonly ArrayLike<number>[], labels: ArrayLike<number> | undefined, options: BatchOptions = {}, rng?: Rng): PaddedBatch[] {
  const o = { ...BATCH_DEFAULTS, ...options };
  check(Number.isInteger(o.batchSize) && o.batchSize >= 1, `batch size must be an integer ≥ 1, got ${o.batchSize}`, { flag: '--batch-size' });
  check(Number.isInteger(o.bucketWindow) && o.bucketWindow >= 1, `bucketWindow must be an integer ≥ 1, got ${o.bucketWindow}`);
  check(Number.isInteger(o.maxLength) && o.maxLength >= 0, `maxLength must be an integer ≥ 0, got ${o.maxLength}`, { flag: '--max-length' });
  if ((o.shuffle || o.bucket) && !rng) throw new WordloomError('makeBatches: shuffling/bucketing needs a seeded Rng');
  const order = Array.from({ length: seqs.length }, (_, i) => i);
  if (o.shuffle) rng!.shuffle(order);
  if (o.bucket) {
    const win = o.batchSize * o.bucketWindow;
    for (let s = 0; s < order.length; s += win) {
      const part = order.slice(s, s + win).sort((a, b) => seqs[a].length - seqs[b].length || a - b);
      for (let i = 0; i < part.length; i++) order[s + i] = part[i];
    }
  }
  const batches: PaddedBatch[] = [];
  for (let s = 0; s < order.length; s += o.batchSize) {
    const idx = order.slice(s, s + o.batchSize);
    batches.push(padBatch(idx.map((i) => seqs[i]), {
      labels: labels ? idx.map((i) => labels[i]) : undefined,
      indices: idx,
      maxLength: o.maxLength > 0 ? o.maxLength : undefined,
    }));
  }
  if (o.bucket && rng) rng.shuffle(batches);
  return batches;
}

/** Dense one-hot input for a padded batch: T×B×V (time-major), padding rows all zero. */
export function oneHotBatch(batch: PaddedBatch, size: number, out?: Float32Array): Float32Array {
  return oneHot(batch.ids, size, { padZero: true, out });
}

/** Which tokens a truncated text keeps: its first n, its last n, or the first ⌈n/2⌉ and the last ⌊n/2⌋. */
export type TruncatePolicy = 'head' | 'tail' | 'head+tail';
export const TRUNCATE_POLICIES: readonly TruncatePolicy[] = ['head', 'tail', 'head+tail'];

/**
 * Shorten a sequence to at most `maxLength` tokens by `policy` (0 = no limit). Returns `ids` itself when it is short
 * enough, a subarray for head/tail, a new array for head+tail.
 * Reference: C. Sun et al., "How to Fine-Tune BERT for Text Classification?", 2019 (head+tail truncation on IMDB).
 */
export function truncateIds(ids: Int32Array, maxLength: number, policy: TruncatePolicy = 'head'): Int32Array {
  if (maxLength <= 0 || ids.length <= maxLength) return ids;
  if (policy === 'head') return ids.subarray(0, maxLength);
  if (policy === 'tail') return ids.subarray(ids.length - maxLength);
  const h = Math.ceil(maxLength / 2), t = maxLength - h;
  const out = new Int32Array(maxLength);
  out.set(ids.subarray(0, h));
  out.set(ids.subarray(ids.length - t), h);
  return out;
}

/**
 * Cut a padded batch into consecutive sub-batches of at most `maxTokens` padded positions (rows × their longest
 * row, with at least one row each), re-padded to their own longest row: the activation memory of a recurrent
 * pass is proportional to the padded positions, so this bounds it whatever the lengths (a row longer than
 * `maxTokens` becomes a batch of one). Rows are taken in length order (longest first), so each sub-batch is
 * tightly padded. Returns [batch] unchanged when it fits (or maxTokens ≤ 0).
 */
export function splitBatchByTokens(batch: PaddedBatch, maxTokens: number): PaddedBatch[] {
  if (maxTokens <= 0 || batch.batch * batch.steps <= maxTokens) return [batch];
  const B = batch.batch;
  const order = Array.from({ length: B }, (_, b) => b).sort((a, b) => batch.lengths[b] - batch.lengths[a] || a - b);
  const out: PaddedBatch[] = [];
  let s = 0;
  while (s < B) {
    const longest = Math.max(1, batch.lengths[order[s]]);
    const rows = Math.max(1, Math.min(B - s, Math.floor(maxTokens / longest)));
    const part = order.slice(s, s + rows);
    const seqs = part.map((b) => {
      const L = batch.lengths[b], col = new Int32Array(L);
      for (let t = 0; t < L; t++) col[t] = batch.ids[t * B + b];
      return col;
    });
    out.push(padBatch(seqs, {
      labels: batch.labels ? part.map((b) => batch.labels![b]) : undefined,
      indices: part.map((b) => batch.indices[b]),
    }));
    s += rows;
  }
  return out;
}
