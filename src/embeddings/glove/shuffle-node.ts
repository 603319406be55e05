/**
 * Seeded, memory-bounded shuffle of the co-occurrence records into the training file.
 *
 * Each record (i, j, x) gets a pseudo-random 32-bit key hash(seed, i, j); the training order is the
 * order of (key, i, j). It is computed as a distribution sort: records go to 2^b bucket files by the
 * top b bits of the key (b chosen so one bucket fits in about half the --memory budget), then each
 * bucket is loaded, radix-sorted by key (stable, so ties keep (i, j) order) and appended to the output.
 * The order does not depend on the memory budget or the bucket count — only on the seed — so a tiny
 * budget gives the same training order, hence the same vectors, as an unlimited one.
 *
 * Training records are (i, j, log X_ij, f(X_ij)) with f(x) = min(1, (x/x_max)^α) computed in float64
 * once here, so the training loop needs no log/pow.
 *
 * Reference: shuffle.c of the GloVe tool shuffles chunks in memory and then merges the chunk files with
 * a second in-memory shuffle; we deviate (a keyed sort) to make the order budget-independent.
 */
import { unlinkSync } from 'node:fs';
import { RecordReader, RecordWriter, RECORD_BYTES } from './records-node.ts';
import type { TempDir } from './temp-node.ts';
import { silentProgress, type ProgressReporter } from '../../util/progress.ts';

/** The 32-bit shuffle key of a pair (murmur3 finalizer over seed, i, j). */
export function shuffleKey(seed: number, i: number, j: number): number {
  let h = (seed ^ 0x9e3779b9) >>> 0;
  h = Math.imul(h ^ i, 0xcc9e2d51); h = (h << 15) | (h >>> 17); h = Math.imul(h, 0x1b873593);
  h = Math.imul(h ^ j, 0xcc9e2d51); h = (h << 13) | (h >>> 19); h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 16; h = Math.imul(h, 0x85ebca6b); h ^= h >>> 13; h = Math.imul(h, 0xc2b2ae35); h ^= h >>> 16;
  return h >>> 0;
}

export class KeyShuffler {
  private readonly bits: number;
  private readonly writers: RecordWriter[] = [];
  private readonly files: string[] = [];
  /** Records pushed. */
  count = 0;
  private readonly logXMax: number;

  /**
   * @param upperBound an upper bound on the number of records (sizes the bucket count)
   * @param memoryGB the --memory budget
   */
  constructor(private readonly seed: number, upperBound: number, memoryGB: number, private readonly xMax: number,
    private readonly alpha: number, tmp: TempDir) {
    this.logXMax = Math.log(xMax);
    const perBucket = Math.max(1024, Math.floor((0.5 * memoryGB * 1073741824) / (RECORD_BYTES * 2 + 12)));
    let b = 0;
    while (upperBound / 2 ** b > perBucket && b < 8) b++; // ≤ 256 bucket files open at once
    this.bits = b;
    const nb = 1 << b;
    const bufRecords = Math.max(256, Math.min(65536, Math.floor((0.05 * memoryGB * 1073741824) / RECORD_BYTES / nb)));
    for (let k = 0; k < nb; k++) {
      const f = tmp.file('bucket');
      this.files.push(f);
      this.writers.push(new RecordWriter(f, bufRecords));
    }
  }

  /** Number of bucket files. */
  get buckets(): number { return 1 << this.bits; }

  /** Add one co-occurrence (real value x > 0). */
  push(i: number, j: number, x: number): void {
    const key = shuffleKey(this.seed, i, j);
    const w = this.writers[this.bits === 0 ? 0 : key >>> (32 - this.bits)];
    const lx = Math.log(x);
    // f(x) = (x/x_max)^α below x_max, computed as exp(α·(log x − log x_max)) to reuse log x.
    const f = x < this.xMax ? Math.exp(this.alpha * (lx - this.logXMax)) : 1;
    w.pushF(i, j, lx, f);
    this.count++;
  }

  /** Sort each bucket by key and write the training file. Returns the record count. */
  finish(outPath: string, progress: ProgressReporter = silentProgress): number {
    for (const w of this.writers) w.close();
    const out = new RecordWriter(outPath);
    progress.start('shuffle', this.count, 'records');
    let done = 0;
    try {
      for (const f of this.files) {
        const n = RecordReader.count(f);
        if (n === 0) continue;
        const r = new RecordReader(f, n);
        r.next();
        r.close();
        const u32 = r.u32;
        const keys = new Uint32Array(n);
        for (let k = 0; k < n; k++) keys[k] = shuffleKey(this.seed, u32[4 * k], u32[4 * k + 1]);
        // LSD radix sort of a permutation by key, 16 bits at a time (stable).
        let perm = new Uint32Array(n), tmpP = new Uint32Array(n);
        for (let k = 0; k < n; k++) perm[k] = k;
        const hist = new Uint32Array(65537);
        for (let shift = 0; shift < 32; shift += 16) {
          hist.fill(0);
          for (let k = 0; k < n; k++) hist[((keys[perm[k]] >>> shift) & 0xffff) + 1]++;
          for (let c = 1; c <= 65536; c++) hist[c] += hist[c - 1];
          for (let k = 0; k < n; k++) { const p = perm[k]; tmpP[hist[(keys[p] >>> shift) & 0xffff]++] = p; }
          const t = perm; perm = tmpP; tmpP = t;
        }
        const sorted = new Uint32Array(4 * n);
        for (let k = 0; k < n; k++) {
          const s = 4 * perm[k], d = 4 * k;
          sorted[d] = u32[s]; sorted[d + 1] = u32[s + 1]; sorted[d + 2] = u32[s + 2]; sorted[d + 3] = u32[s + 3];
        }
        out.pushRaw(new Uint8Array(sorted.buffer));
        done += n;
        progress.update({ done, total: this.count });
        unlinkSync(f); // free disk early (the temp dir is removed anyway)
      }
    } finally {
      out.close();
      progress.stop();
    }
    return out.count;
  }
}
