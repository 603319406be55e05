/**
 * Pipeline step "glove": the rows of the GloVe co-occurrence matrix X (window 10, 1/d weighting, symmetric — the
 * GloVe defaults; src/embeddings/glove/ratios-node.ts counts exactly like the GloVe trainer) for a set of probe
 * words i (ice, steam, and a few more to play with), against every context word k of the bundled corpus that
 * occurs at least `minCount` times. The playground's GloVe tab computes P(k|i) = X_ik / X_i and the ratios
 * P(k|i)/P(k|j) for any k the user types from these rows (Pennington et al. 2014, Table 1).
 *
 * Stored sparse (JSON): per probe word the non-zero X_ik as parallel arrays of context indices and values.
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { readCorpusLines } from '../../text/corpus-node.ts';
import { VocabCounter } from '../../text/vocab-count.ts';
import { writeFileAtomic } from '../../util/fs-node.ts';
import { embeddingTokenizer } from '../../embeddings/glove/cooccur-node.ts';
import { cooccurrenceRatios, RATIOS_DEFAULTS } from '../../embeddings/glove/ratios-node.ts';
import type { PipelineStep } from './pipeline.ts';

export interface GloveStepSettings {
  corpus: string[];
  probes: string[];
  /** Context words k must occur this often (keeps the stored rows small; probes always count). */
  minCount: number;
  windowSize: number;
  distanceWeighting: boolean;
  symmetric: boolean;
  /** The table printed by `start` (Table 1 of the paper). */
  tableContexts: string[];
}

export const GLOVE_STEP_DEFAULTS = (dataDir: string): GloveStepSettings => ({
  corpus: ['brown', 'imdb_unsup', 'lee_background', 'moby_dick'].map((f) => join(dataDir, `corpus/${f}.txt.gz`)),
  probes: ['ice', 'steam', 'water', 'fire', 'hot', 'cold', 'king', 'queen', 'man', 'woman', 'good', 'bad', 'love', 'hate', 'sea', 'ship', 'movie', 'book'],
  minCount: 5,
  windowSize: RATIOS_DEFAULTS.windowSize, distanceWeighting: RATIOS_DEFAULTS.distanceWeighting, symmetric: RATIOS_DEFAULTS.symmetric,
  tableContexts: ['solid', 'gas', 'water', 'fashion'],
});

/** The stored rows (cooccurrence.json). */
export interface CooccurrenceRows {
  probes: string[];
  contexts: string[];
  /** X_i = Σ_k X_ik over ALL context words (before the minCount cut of the stored columns). */
  rowSums: number[];
  probeCounts: number[];
  /** rows[p] = { idx: context indices, val: X values } (non-zero entries only). */
  rows: Array<{ idx: number[]; val: number[] }>;
  tokens: number;
  windowSize: number; distanceWeighting: boolean; symmetric: boolean; minCount: number; corpus: string[];
}

export function gloveStep(s: GloveStepSettings): PipelineStep {
  return {
    name: 'glove',
    title: `GloVe co-occurrence rows of ${s.probes.length} probe words (window ${s.windowSize}) on ${s.corpus.length} corpus files`,
    settings: { ...s },
    inputs: s.corpus,
    async run(ctx) {
      // Context vocabulary: every word seen ≥ minCount times (same tokenizer as the GloVe counts).
      const tok = embeddingTokenizer();
      const vc = new VocabCounter();
      const total = s.corpus.reduce((n, f) => n + statSync(f).size, 0);
      let before = 0;
      ctx.progress.start('glove vocab', total, 'bytes');
      for (const f of s.corpus) {
        for await (const { line } of readCorpusLines(f, { onBytes: (d) => ctx.progress.update({ done: before + d, total, fields: { words: vc.tokens } }) })) vc.addAll(tok.tokenize(line));
        before += statSync(f).size;
      }
      ctx.progress.stop();
      // Context words must round-trip through the tokenizer as one token (a few joined forms like "dr.who" do not).
      const contexts = vc.build({ minCount: s.minCount }).words.filter((w) => { const t = tok.tokenize(w); return t.length === 1 && t[0] === w; });
      const probes = s.probes.filter((w) => vc.count(w) > 0);
      const absent = s.probes.filter((w) => vc.count(w) === 0);
      if (absent.length) ctx.log(`  probe words not in the corpus (skipped): ${absent.join(', ')}`);
      if (!probes.length) throw new Error(`none of the probe words occurs in ${s.corpus.join(', ')}`);
      const r = await cooccurrenceRatios(s.corpus, {
        probes, contexts, windowSize: s.windowSize, distanceWeighting: s.distanceWeighting, symmetric: s.symmetric, minCount: 1,
      }, ctx.progress);
      const rows = r.x.map((row) => {
        const idx: number[] = [], val: number[] = [];
        row.forEach((v, j) => { if (v > 0) { idx.push(j); val.push(+v.toPrecision(9)); } });
        return { idx, val };
      });
      const out: CooccurrenceRows = {
        probes: r.probes, contexts: r.contexts, rowSums: r.rowSums, probeCounts: r.probeCounts, rows, tokens: r.tokens,
        windowSize: s.windowSize, distanceWeighting: s.distanceWeighting, symmetric: s.symmetric, minCount: s.minCount,
        corpus: s.corpus.map((f) => f.split('/').pop()!),
      };
      writeFileAtomic(join(ctx.dir, 'cooccurrence.json'), JSON.stringify(out) + '\n');
      const table = cooccurrenceTable(out, 'ice', 'steam', s.tableContexts);
      return {
        outputs: { rows: 'glove/cooccurrence.json' },
        metrics: { tokens: r.tokens, contexts: contexts.length, probes: r.probes, absentProbes: absent, iceSteam: table },
      };
    },
  };
}

/** P(k|a), P(k|b) and their ratio from stored rows (a, b must be probes; unknown k → skipped). */
export function cooccurrenceTable(c: CooccurrenceRows, a: string, b: string, ks: string[]) {
  const pa = c.probes.indexOf(a), pb = c.probes.indexOf(b);
  if (pa < 0 || pb < 0) return [];
  const ctx = new Map(c.contexts.map((w, i) => [w, i] as [string, number]));
  const value = (p: number, k: number) => {
    const row = c.rows[p];
    // idx is ascending: binary search
    let lo = 0, hi = row.idx.length - 1;
    while (lo <= hi) { const m = (lo + hi) >> 1; if (row.idx[m] === k) return row.val[m]; if (row.idx[m] < k) lo = m + 1; else hi = m - 1; }
    return 0;
  };
  return ks.filter((k) => ctx.has(k)).map((k) => {
    const j = ctx.get(k)!;
    const xak = value(pa, j), xbk = value(pb, j);
    const pka = xak / c.rowSums[pa], pkb = xbk / c.rowSums[pb];
    return { k, xak, xbk, pka, pkb, ratio: pkb > 0 ? pka / pkb : null };
  });
}
