/**
 * The headline tables `wordloom start` prints after the pipeline: sentiment accuracy against the published anchors,
 * word-vector analogy/similarity scores, the memory sweep, and what each step cost. Plain text, fixed-width.
 *
 * Anchors: K. S. Tai, R. Socher, C. D. Manning, "Improved Semantic Representations From Tree-Structured Long
 * Short-Term Memory Networks", ACL 2015, Table 2 (SST fine-grained, 5 classes, test accuracy): LSTM 46.4,
 * Bidirectional LSTM 49.1 (their sequential baselines).
 */
import type { StepReport } from './pipeline.ts';

export const SST5_ANCHORS = [
  { model: 'LSTM (Tai et al. 2015)', accuracy: 46.4 },
  { model: 'Bidirectional LSTM (Tai et al. 2015)', accuracy: 49.1 },
];

/** Render rows as an aligned text table (first row = header). Numbers are right-aligned. */
export function table(rows: (string | number)[][]): string {
  const cells = rows.map((r) => r.map((c) => String(c)));
  const widths = cells[0].map((_, j) => Math.max(...cells.map((r) => (r[j] ?? '').length)));
  const numeric = cells[0].map((_, j) => cells.slice(1).every((r) => /^[-+]?[\d.,]+(e[-+]\d+)?%?$|^[—∞]$/.test(r[j] ?? '')));
  const line = (r: string[]) => r.map((c, j) => (numeric[j] ? c.padStart(widths[j]) : c.padEnd(widths[j]))).join('  ').trimEnd();
  return [line(cells[0]), widths.map((w) => '─'.repeat(w)).join('  '), ...cells.slice(1).map(line)].join('\n');
}

const pct = (x: unknown, d = 1) => (typeof x === 'number' && Number.isFinite(x) ? (100 * x).toFixed(d) : '—');
const sci = (x: number) => (x === 0 ? '0' : x.toExponential(1));
const num = (x: unknown, d = 3) => (typeof x === 'number' && Number.isFinite(x) ? x.toFixed(d) : '—');

type M = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export function renderReport(reports: StepReport[]): string {
  const by = new Map(reports.map((r) => [r.name, r]));
  const out: string[] = [];
  const failed = (name: string, what: string) => {
    const r = by.get(name);
    if (!r) return `${what}: not run`;
    if (r.status === 'failed') return `${what}: FAILED — ${r.error}`;
    return null;
  };

  // Sentiment
  out.push('Sentiment — SST-5 (fine-grained, 5 classes), test accuracy');
  const sFail = failed('sentiment', 'sentiment');
  if (sFail) out.push(sFail);
  else {
    const m = by.get('sentiment')!.metrics as M;
    out.push(table([
      ['model', 'test acc %', 'dev acc %', 'macro-F1 %', 'params'],
      [`this run: ${m.model ?? 'LSTM'}`, pct(m.testAccuracy), pct(m.bestDevAccuracy), pct(m.testMacroF1), m.params ?? '—'],
      ...SST5_ANCHORS.map((a) => [a.model, a.accuracy.toFixed(1), '—', '—', '—']),
    ]));
    if (m.epochs !== undefined) out.push(`(best of ${m.epochs} epoch(s) at epoch ${m.bestEpoch}; ${m.trainExamples} training examples)`);
  }
  out.push('');

  // Word vectors
  out.push('Word vectors — analogies (Google, 3CosAdd, top 30k words) and similarity (WordSim-353)');
  const vFail = failed('vectors', 'vectors');
  if (vFail) out.push(vFail);
  else {
    const m = by.get('vectors')!.metrics as M;
    const a = m.analogy ?? {};
    out.push(table([
      ['vectors', 'analogy total %', 'semantic %', 'syntactic %', 'questions seen', 'WS-353 ρ', 'pairs'],
      [`word2vec d=${m.dim}, ${m.vocab} words`, pct(a.total?.accuracy), pct(a.semantic?.accuracy), pct(a.syntactic?.accuracy),
        a.total?.seen ?? '—', num(m.wordsim353?.spearman), `${m.wordsim353?.pairs ?? '—'}/${m.wordsim353?.total ?? '—'}`],
    ]));
    out.push(`(trained on ${m.corpusTokens} tokens at ${Math.round(m.wordsPerSecond ?? 0)} words/s)`);
  }
  out.push('');

  // Memory
  out.push('Memory — remember x₁ over T steps (success = test MSE < 1 % of Var(x₁))');
  const mFail = failed('memory', 'memory');
  if (mFail) out.push(mFail);
  else {
    const m = by.get('memory')!.metrics as M;
    const cells: string[] = m.cells ?? [];
    const lengths: number[] = m.lengths ?? [];
    const grid: Record<string, Record<string, number>> = m.successRate ?? {};
    out.push(table([
      ['cell', ...lengths.map((T) => `T=${T}`)],
      ...cells.map((c) => [c.toUpperCase(), ...lengths.map((T) => (grid[c]?.[T] === undefined ? '—' : grid[c][T].toFixed(2)))]),
    ]));
    if (m.note) out.push(String(m.note));
  }
  out.push('');

  // Whole reviews
  const rv = by.get('reviews');
  if (rv) {
    out.push('Whole reviews — IMDB official test (25,000 reviews), 1–5 stars = ⌈rating/2⌉');
    if (rv.status === 'failed') out.push(`reviews: FAILED — ${rv.error}`);
    else {
      const m = rv.metrics as M;
      out.push(table([
        ['model', 'target', 'exact %', 'within one %', 'MAE (stars)', 'train s'],
        [String(m.model), String(m.target), pct(m.testAccuracy), pct(m.testWithinOne), num(m.testMaeStars), (m.trainSeconds ?? 0).toFixed(1)],
      ]));
    }
    out.push('');
  }

  // GloVe ratios
  const g = by.get('glove');
  if (g) {
    out.push('GloVe — co-occurrence probability ratios (Pennington et al. 2014, Table 1)');
    if (g.status === 'failed') out.push(`glove: FAILED — ${g.error}`);
    else {
      const rows = ((g.metrics as M).iceSteam ?? []) as { k: string; pka: number; pkb: number; ratio: number | null }[];
      if (rows.length) {
        out.push(table([
          ['', ...rows.map((r) => `k=${r.k}`)],
          ['P(k|ice)', ...rows.map((r) => sci(r.pka))],
          ['P(k|steam)', ...rows.map((r) => sci(r.pkb))],
          ['ratio', ...rows.map((r) => (r.ratio === null ? (r.pka > 0 ? '∞' : '—') : r.ratio < 0.1 ? sci(r.ratio) : r.ratio.toFixed(2)))],
        ]));
      }
    }
    out.push('');
  }

  out.push('Steps');
  out.push(table([['step', 'status', 'seconds'], ...reports.map((r) => [r.name, r.status, r.seconds.toFixed(1)])]));
  return out.join('\n');
}
