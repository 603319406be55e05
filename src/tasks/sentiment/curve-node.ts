/**
 * Learning curve: how much labelled data each input representation needs. Trains the same recurrent classifier with
 * one-hot inputs, random embeddings, pretrained-frozen and pretrained-fine-tuned embeddings on growing seeded subsets
 * of the training sentences (e.g. 10/25/50/100%), and records test accuracy and time per epoch. Writes an SVG plot.
 * Protocol: every run keeps its best dev epoch (early stopping); smaller subsets may run more epochs (same number of
 * updates as the full set) so that they are not simply under-trained.
 * Tests the course notes' claim that pretrained embeddings need less training data.
 */
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { WordloomError } from '../../util/errors.ts';
import { checkWritable, withFsErrors, writeFileAtomic } from '../../util/fs-node.ts';
import { silentProgress, type ProgressReporter } from '../../util/progress.ts';
import { resolveConfig, type SentimentConfig } from './config.ts';
import { trainSentiment, loadData, loadPretrained, type DataOptions } from './train-node.ts';
import { lineChartSvg } from './svg.ts';

export type CurveVariant = 'onehot' | 'random' | 'pretrained-frozen' | 'pretrained-finetuned';
export const CURVE_VARIANTS: readonly CurveVariant[] = ['onehot', 'random', 'pretrained-frozen', 'pretrained-finetuned'];

export interface CurveOptions extends DataOptions {
  data: string;
  /** Training fractions. Default [0.1, 0.25, 0.5, 1]. */
  fractions?: number[];
  /**
   * Equal-updates protocol: a run on fraction f may train up to ceil(epochs / f) epochs (capped at 10·epochs), so small
   * subsets get as many optimizer steps as the full set; early stopping on dev (patience) ends each run. Default true.
   */
  scaleEpochs?: boolean;
  /** Variants to train. Default all four. */
  variants?: CurveVariant[];
  /** Shared model/training options (input/embeddingInit/freeze are set per variant). */
  config?: Partial<SentimentConfig>;
  /** SVG output path ('' = none). */
  svg?: string;
  /** Replace an existing SVG. */
  force?: boolean;
  progress?: ProgressReporter;
  log?: (line: string) => void;
  /**
   * A JSON-lines file of points already measured (one CurvePoint per line): they are reused, not retrained, and every
   * newly measured point is appended at once — so a long curve can be run piecewise (e.g. one point per
   * `flock`-ed invocation on a shared machine) and survives interruption.
   */
  pointsFile?: string;
}

export interface CurvePoint {
  variant: CurveVariant;
  fraction: number;
  trainSentences: number;
  testAccuracy: number;
  testMacroF1: number;
  devAccuracy: number;
  bestEpoch: number;
  epochs: number;
  secondsPerEpoch: number;
  /** CPU seconds per epoch (user + system of this process): robust to other jobs on a shared machine. */
  cpuSecondsPerEpoch: number;
  params: number;
}

export function variantConfig(v: CurveVariant): Partial<SentimentConfig> {
  switch (v) {
    case 'onehot': return { input: 'onehot', embeddingInit: 'random', freeze: false };
    case 'random': return { input: 'embedding', embeddingInit: 'random', freeze: false };
    case 'pretrained-frozen': return { input: 'embedding', embeddingInit: 'pretrained', freeze: true };
    case 'pretrained-finetuned': return { input: 'embedding', embeddingInit: 'pretrained', freeze: false };
  }
}

export function runCurve(opts: CurveOptions): CurvePoint[] {
  const fractions = opts.fractions ?? [0.1, 0.25, 0.5, 1];
  const variants = opts.variants ?? [...CURVE_VARIANTS];
  for (const f of fractions) if (!(f > 0 && f <= 1)) throw new WordloomError(`fractions must be in (0, 1], got ${f}`, { flag: '--fractions' });
  for (const v of variants) if (!CURVE_VARIANTS.includes(v)) throw new WordloomError(`unknown variant "${v}" (expected ${CURVE_VARIANTS.join(', ')})`, { flag: '--variants' });
  const base = resolveConfig({ ...(opts.config ?? {}) });
  const log = opts.log ?? (() => {});
  // Output locations are checked before any training, so no run is lost to an unwritable path.
  if (opts.svg) checkWritable(opts.svg, '--svg', { force: opts.force });
  if (opts.pointsFile) checkWritable(opts.pointsFile, '--points', { force: true }); // appended to
  // Read the data and the vectors once.
  const needTraining = fractions.some((f) => variants.some((v) => !(opts.pointsFile ? readPoints(opts.pointsFile) : []).some((p) => p.variant === v && p.fraction === f)));
  const splits = !needTraining ? undefined : loadData({ data: opts.data, format: opts.format, textColumn: opts.textColumn, labelColumn: opts.labelColumn, header: opts.header }, base);
  const needVectors = variants.some((v) => v.startsWith('pretrained'));
  const vectors = needVectors && needTraining ? loadPretrained({ ...base, input: 'embedding', embeddingInit: 'pretrained' }) : null;
  const points: CurvePoint[] = [];
  const known = opts.pointsFile ? readPoints(opts.pointsFile) : [];
  for (const fraction of fractions) {
    for (const variant of variants) {
      const prev = known.find((p) => p.variant === variant && p.fraction === fraction);
      if (prev) { points.push(prev); continue; }
      const cfg = { ...opts.config, ...variantConfig(variant) };
      if (opts.scaleEpochs ?? true) cfg.epochs = Math.min(Math.ceil(base.epochs / fraction), 10 * base.epochs);
      if (variant === 'random' && vectors) cfg.embeddingDim = vectors.dim; // same input size as the pretrained runs
      const r = trainSentiment({
        data: opts.data, splits, vectors, config: cfg, trainFraction: fraction, evalTest: true,
        progress: opts.progress ?? silentProgress, format: opts.format,
      });
      const p: CurvePoint = {
        variant, fraction, trainSentences: r.trainSentences, testAccuracy: r.test?.accuracy ?? NaN, testMacroF1: r.test?.macroF1 ?? NaN,
        devAccuracy: r.bestDevAccuracy, bestEpoch: r.bestEpoch, epochs: r.history.length,
        secondsPerEpoch: r.history.reduce((a, h) => a + h.seconds, 0) / r.history.length,
        cpuSecondsPerEpoch: r.history.reduce((a, h) => a + h.cpuSeconds, 0) / r.history.length, params: r.params,
      };
      points.push(p);
      if (opts.pointsFile) appendFileSync(opts.pointsFile, JSON.stringify(p) + '\n');
      log(`${variant.padEnd(21)} ${String(Math.round(fraction * 100)).padStart(3)}% (${p.trainSentences} sentences): test ${(100 * p.testAccuracy).toFixed(2)}%  dev ${(100 * p.devAccuracy).toFixed(2)}%  ${p.secondsPerEpoch.toFixed(1)} s/epoch (${p.cpuSecondsPerEpoch.toFixed(1)} CPU s)`);
    }
  }
  if (opts.svg) {
    const svg = lineChartSvg({
      title: 'Test accuracy vs. training data',
      xLabel: 'fraction of training sentences', yLabel: 'test accuracy (%)',
      series: variants.map((v) => ({ name: v, points: points.filter((p) => p.variant === v).map((p) => [p.fraction * 100, p.testAccuracy * 100] as [number, number]) })),
    });
    writeFileAtomic(opts.svg, svg, { overwrite: opts.force ?? false, flag: '--svg' });
  }
  return points;
}

/** Read a points file written by runCurve (missing file = no points; bad lines are errors naming the line). */
export function readPoints(path: string): CurvePoint[] {
  if (!existsSync(path)) return [];
  const out: CurvePoint[] = [];
  withFsErrors({ file: path, flag: '--points' }, () => readFileSync(path, 'utf8')).split('\n').forEach((l, i) => {
    if (!l.trim()) return;
    try {
      const p = JSON.parse(l) as CurvePoint;
      if (typeof p.variant !== 'string' || typeof p.fraction !== 'number') throw new Error('missing variant/fraction');
      out.push(p);
    } catch (e) {
      throw new WordloomError(`bad curve point: ${(e as Error).message}`, { file: path, line: i + 1 });
    }
  });
  return out;
}

/** The curve as a fixed-width table (rows = variants, columns = fractions). */
export function formatCurveTable(points: readonly CurvePoint[]): string {
  const fr = [...new Set(points.map((p) => p.fraction))];
  const vs = [...new Set(points.map((p) => p.variant))];
  const head = 'variant'.padEnd(22) + fr.map((f) => `${Math.round(f * 100)}%`.padStart(9)).join('') + '   s/epoch @100% (CPU s)';
  const rows = vs.map((v) => {
    const ps = fr.map((f) => points.find((p) => p.variant === v && p.fraction === f));
    const full = ps[ps.length - 1];
    return v.padEnd(22) + ps.map((p) => (p ? (100 * p.testAccuracy).toFixed(2) : '-').padStart(9)).join('') + (full ? `${full.secondsPerEpoch.toFixed(1).padStart(18)} (${full.cpuSecondsPerEpoch.toFixed(1)})` : '');
  });
  return [head, ...rows].join('\n');
}
