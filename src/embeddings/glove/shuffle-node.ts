/**
 * Seeded, memory-bounded shuffle of the co-occurrence records into the training file.
 *
 * Each record (i, j, x) goes to one of 256 bucket files chosen by the top 8 bits of a pseudo-random
 * key hash(seed, i, j); then each bucket is loaded (1/256 of the records), Fisher–Yates shuffled with
 * an Rng seeded from (seed, bucket) and appended to the output. The concatenation of randomly chosen
 * buckets, each randomly permuted, is a uniformly random order. The bucket count is fixed, so the
 * order depends only on the seed and the data — not on the --memory budget — and a tiny budget gives
 * the same training order, hence the same vectors, as an unlimited one. Memory: one bucket (≈ 1/256 of
 * the records, 16 bytes each) plus 256 small write buffers.
 *
 * Training records are (i, j, log X_ij, f(X_ij)) with f(x) = min(1, (x/x_max)^α) computed in float64
 * once here, so the training loop needs no log/pow.
 *
 * Reference: shuffle.c of the GloVe tool shuffles chunks in memory and then merges the chunk files with
 * a second in-memory shuffle; we deviate (keyed buckets) to make the order budget-independent.
 */
import { unlinkSync } from 'node:fs';
import { RecordReader, RecordWriter } from './records-node.ts';
import type { TempDir } from './temp-node.ts';
import { yieldToEventLoop } from './cooccur-node.ts';
import { Rng } from '../../util/rng.ts';
import { silentProgress, type ProgressReporter } from '../../util/progress.ts';

/** Number of shuffle buckets (fixed: the order must not depend on the memory budget). */
export const SHUFFLE_BUCKETS = 256;

/** The 32-bit shuffle key of a pair (murmur3-style mixing of seed, i, j). */
export function shuffleKey(seed: number, i: number, j: number): number {
  let h = (seed ^ 0x9e3779b9) >>> 0;
  h = Math.imul(h ^ i, 0xcc9e2d51); h = (h << 15) | (h >>> 17); h = Math.imul(h, 0x1b873593);
  h = Math.imul(h ^ j, 0xcc9e2d51); h = (h << 13) | (h >>> 19); h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 16; h = Math.imul(h, 0x85ebca6b); h ^= h >>> 13; h = Math.imul(h, 0xc2b2ae35); h ^= h >>> 16;
  return h >>> 0;
}

export class KeyShuffler {
  private readonly writers: RecordWriter[] = [];
  private readonly files: string[] = [];
  private readonly logXMax: number;
  /** Records pushed. */
  count = 0;

  /** @param memoryGB the --memory budget (sizes the 256 write buffers) */
  constructor(private readonly seed: number, memoryGB: number, private readonly xMax: number, private readonly alpha: number, tmp: TempDir) {
    this.logXMax = Math.log(xMax);
    const bufRecords = Math.max(64, Math.min(16384, Math.floor((0.05 * memoryGB * 1073741824) / 16 / SHUFFLE_BUCKETS)));
    for (let k = 0; k < SHUFFLE_BUCKETS; k++) {
      const f = tmp.file('bucket');
      this.files.push(f);
      this.writers.push(new RecordWriter(f, bufRecords));
    }
  }

  /** Add one co-occurrence (real value x > 0). */
  push(i: number, j: number, x: number): void {
    const lx = Math.log(x);
    // f(x) = (x/x_max)^α below x_max, computed as exp(α·(log x − log x_max)) to reuse log x.
    const f = x < this.xMax ? Math.exp(this.alpha * (lx - this.logXMax)) : 1;
    this.writers[shuffleKey(this.seed, i, j) >>> 24].pushF(i, j, lx, f);
    this.count++;
  }

  /** Shuffle each bucket and write the training file. Returns the record count. */
  async finish(outPath: string, progress: ProgressReporter = silentProgress): Promise<number> {
    for (const w of this.writers) w.close();
    const out = new RecordWriter(outPath);
    const base = new Rng(this.seed);
    progress.start('shuffle', this.count, 'records');
    let done = 0;
    try {
      for (let b = 0; b < this.files.length; b++) {
        const f = this.files[b];
        const n = RecordReader.count(f);
        if (n > 0) {
          const r = new RecordReader(f, n);
          r.next();
          r.close();
          const u = r.u32;
          const rng = base.fork(b);
          for (let k = n - 1; k > 0; k--) {
            const m = rng.int(k + 1);
            if (m === k) continue;
            const a = 4 * k, c = 4 * m;
            let t = u[a]; u[a] = u[c]; u[c] = t;
            t = u[a + 1]; u[a + 1] = u[c + 1]; u[c + 1] = t;
            t = u[a + 2]; u[a + 2] = u[c + 2]; u[c + 2] = t;
            t = u[a + 3]; u[a + 3] = u[c + 3]; u[c + 3] = t;
          }
          out.pushRaw(new Uint8Array(u.buffer, u.byteOffset, n * 16));
          done += n;
          progress.update({ done, total: this.count });
        }
        unlinkSync(f); // free disk early (the temp dir is removed anyway)
        await yieldToEventLoop();
      }
    } finally {
      out.close();
      progress.stop();
    }
    return out.count;
  }
}
