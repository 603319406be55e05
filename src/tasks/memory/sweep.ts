/**
 * The memory sweep: cells × sequence lengths × seeds, each run trained with trainMemory (stopping at the
 * first success), aggregated into success rates and median steps-to-success, rendered as a text table and
 * an SVG chart (success rate vs length, one line per cell).
 *
 * Reference: S. Hochreiter and J. Schmidhuber, "Long Short-Term Memory", 1997 — expected picture: the
 * simple RNN fails from lags of ~10–20 on, LSTM (and GRU) keep solving long lags.
 */
import type { CellType } from '../../nn/param-count.ts';
import { WordloomError } from '../../util/errors.ts';
import { silentProgress, type ProgressReporter } from '../../util/progress.ts';
import { memoryConfig, trainMemory, MEMORY_CELLS, type MemoryOptions, type MemoryConfig } from './train.ts';
import { lineChartSvg } from './plot.ts';

export interface SweepOptions {
  /** Cells to compare. */
  cells?: CellType[];
  /** Sequence lengths. */
  lengths?: number[];
  /** Seeds per (cell, length). */
  seeds?: number[];
  /** Training options shared by every run (cell, length and seed are set by the sweep). */
  train?: Omit<MemoryOptions, 'cell' | 'length' | 'seed' | 'stopOnSuccess'>;
}

export const SWEEP_DEFAULTS = {
  cells: ['rnn', 'gru', 'lstm'] as CellType[],
  lengths: [5, 10, 20, 50, 100, 200],
  seeds: [1, 2, 3],
  /** Training defaults of the sweep (override MEMORY_DEFAULTS): 4 units, so that RNN, GRU and LSTM are compared
   * with the same plain training (a single unit needs the length curriculum, which only LSTM runs get by default:
   * see SINGLE_CELL_DEFAULTS); ≤ 10000 steps per run keeps the sweep short. */
  train: { hidden: 4, steps: 10000 } as MemoryOptions,
};

/** One training run of the sweep. */
export interface SweepRun {
  cell: CellType;
  length: number;
  seed: number;
  /** Learning rate and curriculum of this run (they can differ by cell, see SINGLE_CELL_DEFAULTS). */
  lr: number;
  curriculum: boolean;
  solved: boolean;
  stepsToSuccess: number | null;
  stepsTrained: number;
  testMse: number;
  seconds: number;
}

/** Aggregate of the runs of one (cell, length). */
export interface SweepCell {
  cell: CellType;
  length: number;
  runs: number;
  solved: number;
  successRate: number;
  /** Median steps-to-success over the solved runs (null if none). */
  medianSteps: number | null;
  /** Median final test MSE over all runs. */
  medianTestMse: number;
}

export interface SweepResult {
  /** Training config shared by all runs (cell/length/seed vary; for hidden 1, LSTM runs use the curriculum and
   * lr 0.1 unless given — each run records its own lr and curriculum). */
  train: MemoryConfig;
  cells: CellType[];
  lengths: number[];
  seeds: number[];
  threshold: number;
  runs: SweepRun[];
  summary: SweepCell[];
  seconds: number;
}

export function median(xs: number[]): number | null {
  if (!xs.length) return null;
  const s = [...xs].sort((a, b) => a - b), m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Run the sweep (sequentially; deterministic for the given options). */
export function runSweep(opts: SweepOptions = {}, progress: ProgressReporter = silentProgress): SweepResult {
  const cells = opts.cells ?? SWEEP_DEFAULTS.cells, lengths = opts.lengths ?? SWEEP_DEFAULTS.lengths, seeds = opts.seeds ?? SWEEP_DEFAULTS.seeds;
  if (!cells.length || cells.some((c) => !MEMORY_CELLS.includes(c))) throw new WordloomError(`expected cells from ${MEMORY_CELLS.join(', ')}, got ${cells.join(',')}`, { flag: '--cells' });
  if (!lengths.length || lengths.some((l) => !Number.isSafeInteger(l) || l < 1)) throw new WordloomError(`expected positive integer lengths, got ${lengths.join(',')}`, { flag: '--lengths' });
  if (!seeds.length || seeds.some((s) => !Number.isSafeInteger(s) || s < 0)) throw new WordloomError(`expected non-negative integer seeds, got ${seeds.join(',')}`, { flag: '--seeds' });
  const given = Object.fromEntries(Object.entries(opts.train ?? {}).filter(([, v]) => v !== undefined));
  const shared = { ...SWEEP_DEFAULTS.train, ...given, stopOnSuccess: true };
  // Validated once for the default cell; each run is resolved again with its own cell, since defaults can depend
  // on it (a single LSTM cell trains with the length curriculum and lr 0.1 unless given: SINGLE_CELL_DEFAULTS).
  const train = memoryConfig(shared);
  const t0 = performance.now();
  const runs: SweepRun[] = [];
  const total = cells.length * lengths.length * seeds.length;
  progress.start('memory sweep', total, 'runs');
  for (const cell of cells) {
    for (const length of lengths) {
      for (const seed of seeds) {
        const r = trainMemory({ ...shared, cell, length, seed });
        runs.push({ cell, length, seed, lr: r.config.lr, curriculum: r.config.curriculum, solved: r.solved, stepsToSuccess: r.stepsToSuccess, stepsTrained: r.stepsTrained, testMse: r.testMse, seconds: r.elapsedMs / 1000 });
        const solvedSoFar = runs.filter((x) => x.cell === cell && x.length === length && x.solved).length;
        progress.update({ done: runs.length, total, fields: { cell, T: length, solved: `${solvedSoFar}/${seeds.length}` } });
      }
    }
  }
  progress.stop();
  const summary: SweepCell[] = [];
  for (const cell of cells) {
    for (const length of lengths) {
      const rs = runs.filter((r) => r.cell === cell && r.length === length);
      const ok = rs.filter((r) => r.solved);
      summary.push({
        cell, length, runs: rs.length, solved: ok.length, successRate: ok.length / rs.length,
        medianSteps: median(ok.map((r) => r.stepsToSuccess ?? r.stepsTrained)), medianTestMse: median(rs.map((r) => r.testMse))!,
      });
    }
  }
  const threshold = train.successFraction * (train.dist === 'uniform' ? 1 / 3 : 1);
  return { train, cells, lengths, seeds, threshold, runs, summary, seconds: (performance.now() - t0) / 1000 };
}

/** Text table: one row per cell, one column per length: "solved/runs (median steps)". */
export function formatSweepTable(r: SweepResult): string {
  const head = ['cell \\ T', ...r.lengths.map(String)];
  const rows = r.cells.map((cell) => [cell.toUpperCase(), ...r.lengths.map((length) => {
    const s = r.summary.find((x) => x.cell === cell && x.length === length)!;
    return `${s.solved}/${s.runs}${s.medianSteps !== null ? ` (${s.medianSteps})` : ''}`;
  })]);
  const w = head.map((_, j) => Math.max(...[head, ...rows].map((row) => row[j].length)));
  const line = (row: string[]) => row.map((c, j) => (j === 0 ? c.padEnd(w[j]) : c.padStart(w[j]))).join('  ');
  return [line(head), line(w.map((n) => '-'.repeat(n))), ...rows.map(line)].join('\n');
}

/** SVG chart: success rate vs length, one line per cell. */
export function sweepSvg(r: SweepResult): string {
  const t = r.train;
  return lineChartSvg({
    title: `Remember x₁ for T steps (hidden ${t.hidden}, ${r.seeds.length} seeds, ≤ ${t.steps} steps)`,
    xLabel: 'sequence length T (log scale)', yLabel: 'success rate (test MSE < 1% of var)',
    xLog: true, xTicks: r.lengths, yRange: [0, 1], yFormat: (v) => `${Math.round(v * 100)}%`,
    series: r.cells.map((cell) => ({
      name: cell.toUpperCase(),
      points: r.summary.filter((s) => s.cell === cell).map((s) => [s.length, s.successRate] as [number, number]),
    })),
  });
}
