/**
 * Co-occurrence probability ratios, as in Table 1 of Pennington, Socher, Manning (2014):
 * P(k|i) = X_ik / X_i with X_i = Σ_k X_ik, for probe words i (e.g. ice, steam) and context words k
 * (solid, gas, water, fashion), and the ratio P(k|i1)/P(k|i2).
 *
 * X is counted exactly like the GloVe co-occurrence matrix (src/embeddings/glove/cooccur-node.ts): the
 * same tokenizer, a window of `windowSize` words, weight 1/d (or 1), both sides when symmetric, windows
 * not crossing line ends, words below `minCount` dropped before windowing. Only the probe rows are kept,
 * so this is one cheap streaming pass when minCount = 1 (two passes otherwise: vocabulary first).
 */
import { readCorpusLines } from '../../text/corpus-node.ts';
import { VocabCounter } from '../../text/vocab-count.ts';
import { WordloomError } from '../../util/errors.ts';
import { silentProgress, type ProgressReporter } from '../../util/progress.ts';
import { embeddingTokenizer } from './cooccur-node.ts';
import { statSync } from 'node:fs';

export interface RatiosOptions {
  /** Probe words i (Table 1: ice, steam). */
  probes: string[];
  /** Context words k (Table 1: solid, gas, water, fashion). */
  contexts: string[];
  /** Window size (`--window-size`). Default 10. */
  windowSize?: number;
  /** 1/d weighting (`--distance-weighting`). Default true. */
  distanceWeighting?: boolean;
  /** Both sides (`--symmetric`). Default true. */
  symmetric?: boolean;
  /** Drop words seen fewer times before windowing (`--min-count`). Default 1 (keep all). */
  minCount?: number;
}

export const RATIOS_DEFAULTS = { windowSize: 10, distanceWeighting: true, symmetric: true, minCount: 1 } as const;

export interface RatiosResult {
  probes: string[];
  contexts: string[];
  /** Corpus occurrences of each probe word. */
  probeCounts: number[];
  /** X_i of each probe. */
  rowSums: number[];
  /** x[p][c] = X_{probe p, context c}. */
  x: number[][];
  /** p[p][c] = P(context c | probe p). */
  p: number[][];
  /** ratio[c] = P(c|probe0) / P(c|probe1) (null without two probes or when P(c|probe1) = 0). */
  ratio: (number | null)[];
  tokens: number;
}

/** Count the probe rows of X over corpus files and compute the probabilities and ratios. */
export async function cooccurrenceRatios(paths: readonly string[], opts: RatiosOptions, progress: ProgressReporter = silentProgress): Promise<RatiosResult> {
  const o = { ...RATIOS_DEFAULTS, ...Object.fromEntries(Object.entries(opts).filter(([, v]) => v !== undefined)) } as Required<RatiosOptions>;
  const tok = embeddingTokenizer();
  const norm = (w: string, flag: string) => {
    const t = tok.tokenize(w);
    if (t.length !== 1) throw new WordloomError(`"${w}" is not a single word token`, { flag });
    return t[0];
  };
  const probes = o.probes.map((w) => norm(w, '--probe'));
  const contexts = o.contexts.map((w) => norm(w, '--context'));
  if (probes.length === 0) throw new WordloomError('give at least one probe word', { flag: '--probe' });
  if (contexts.length === 0) throw new WordloomError('give at least one context word', { flag: '--context' });
  if (!Number.isInteger(o.windowSize) || o.windowSize < 1) throw new WordloomError(`expected an integer ≥ 1, got ${o.windowSize}`, { flag: '--window-size' });
  if (!Number.isInteger(o.minCount) || o.minCount < 1) throw new WordloomError(`expected an integer ≥ 1, got ${o.minCount}`, { flag: '--min-count' });
  let total = 0;
  for (const p of paths) { try { total += statSync(p).size; } catch { throw new WordloomError('corpus file not found', { file: p }); } }

  // Optional vocabulary pass for min-count.
  let keep: ((w: string) => boolean) | null = null;
  if (o.minCount > 1) {
    const vc = new VocabCounter();
    let before = 0;
    progress.start('vocab', total, 'B');
    for (const p of paths) {
      for await (const { line } of readCorpusLines(p, { onBytes: (d) => progress.update({ done: before + d, total }) })) vc.addAll(tok.tokenize(line));
      before += statSync(p).size;
    }
    progress.stop();
    keep = (w) => vc.count(w) >= o.minCount;
  }

  const probeIdx = new Map(probes.map((w, k) => [w, k] as [string, number]));
  const ctxIdx = new Map(contexts.map((w, k) => [w, k] as [string, number]));
  const x = probes.map(() => new Float64Array(contexts.length));
  const rowSums = new Float64Array(probes.length);
  const probeCounts = new Float64Array(probes.length);
  const inc = new Float64Array(o.windowSize + 1);
  for (let d = 1; d <= o.windowSize; d++) inc[d] = o.distanceWeighting ? 1 / d : 1;
  let tokens = 0, before = 0;
  progress.start('ratios', total, 'B');
  try {
    for (const path of paths) {
      for await (const { line } of readCorpusLines(path, { onBytes: (d) => progress.update({ done: before + d, total }) })) {
        let words = tok.tokenize(line);
        if (keep) words = words.filter(keep);
        tokens += words.length;
        for (let q = 0; q < words.length; q++) {
          const pi = probeIdx.get(words[q]);
          if (pi === undefined) continue;
          probeCounts[pi]++;
          const lo = Math.max(0, q - o.windowSize);
          const hi = o.symmetric ? Math.min(words.length - 1, q + o.windowSize) : q;
          for (let r = lo; r <= hi; r++) {
            if (r === q) continue;
            const w = inc[Math.abs(r - q)];
            rowSums[pi] += w;
            const ci = ctxIdx.get(words[r]);
            if (ci !== undefined) x[pi][ci] += w;
          }
        }
      }
      before += statSync(path).size;
    }
  } finally { progress.stop(); }
  if (tokens === 0) throw new WordloomError('the corpus has no word tokens', { file: paths.join(', ') });
  for (let k = 0; k < probes.length; k++) {
    if (probeCounts[k] === 0) throw new WordloomError(`probe word "${probes[k]}" does not occur in the corpus${keep ? ' (after --min-count)' : ''}`, { flag: '--probe' });
  }
  const p = x.map((row, k) => Array.from(row, (v) => v / rowSums[k]));
  const ratio = contexts.map((_, c) => (probes.length >= 2 && p[1][c] > 0 ? p[0][c] / p[1][c] : null));
  return {
    probes, contexts, probeCounts: Array.from(probeCounts), rowSums: Array.from(rowSums), x: x.map((r) => Array.from(r)), p, ratio, tokens,
  };
}

/** Format a result like Table 1 of the paper (probabilities in scientific notation). */
export function formatRatiosTable(r: RatiosResult): string {
  const fmt = (v: number | null) => (v === null ? 'n/a' : v === 0 ? '0' : v >= 0.01 && v < 1000 ? v.toPrecision(3) : v.toExponential(2));
  const head = ['Probability and Ratio', ...r.contexts];
  const rows: string[][] = r.probes.map((w, k) => [`P(k|${w})`, ...r.p[k].map(fmt)]);
  if (r.probes.length >= 2) rows.push([`P(k|${r.probes[0]})/P(k|${r.probes[1]})`, ...r.ratio.map(fmt)]);
  const widths = head.map((h, c) => Math.max(h.length, ...rows.map((row) => row[c].length)));
  const line = (cells: string[]) => cells.map((s, c) => (c === 0 ? s.padEnd(widths[c]) : s.padStart(widths[c]))).join('  ');
  return [line(head), ...rows.map(line)].join('\n');
}
