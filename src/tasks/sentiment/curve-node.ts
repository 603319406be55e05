/**
 * Learning curve: how much labelled data each input representation needs. Trains the same recurrent classifier with
 * one-hot inputs, random embeddings, pretrained-frozen and pretrained-fine-tuned embeddings on growing seeded subsets
 * of the training sentences (e.g. 10/25/50/100%), and records test accuracy and time per epoch. Writes an SVG plot.
 * Tests the course notes' claim that pretrained embeddings need less training data.
 */
import { WordloomError } from '../../util/errors.ts';
import { writeFileAtomic } from '../../util/fs-node.ts';
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
  // Read the data and the vectors once.
  const splits = loadData({ data: opts.data, format: opts.format, textColumn: opts.textColumn, labelColumn: opts.labelColumn, header: opts.header }, base);
  const needVectors = variants.some((v) => v.startsWith('pretrained'));
  const vectors = needVectors ? loadPretrained({ ...base, input: 'embedding', embeddingInit: 'pretrained' }) : null;
  const points: CurvePoint[] = [];
  for (const fraction of fractions) {
    for (const variant of variants) {
      const cfg = { ...opts.config, ...variantConfig(variant) };
      if (variant === 'random' && vectors) cfg.embeddingDim = vectors.dim; // same input size as the pretrained runs
      const r = trainSentiment({
        data: opts.data, splits, vectors, config: cfg, trainFraction: fraction, evalTest: true,
        progress: opts.progress ?? silentProgress, format: opts.format,
      });
      const p: CurvePoint = {
        variant, fraction, trainSentences: r.trainSentences, testAccuracy: r.test?.accuracy ?? NaN, testMacroF1: r.test?.macroF1 ?? NaN,
        devAccuracy: r.bestDevAccuracy, bestEpoch: r.bestEpoch, epochs: r.history.length,
        secondsPerEpoch: r.history.reduce((a, h) => a + h.seconds, 0) / r.history.length, params: r.params,
      };
      points.push(p);
      log(`${variant.padEnd(21)} ${String(Math.round(fraction * 100)).padStart(3)}% (${p.trainSentences} sentences): test ${(100 * p.testAccuracy).toFixed(2)}%  dev ${(100 * p.devAccuracy).toFixed(2)}%  ${p.secondsPerEpoch.toFixed(1)} s/epoch`);
    }
  }
  if (opts.svg) {
    const svg = lineChartSvg({
      title: 'Test accuracy vs. training data',
      xLabel: 'fraction of training sentences', yLabel: 'test accuracy (%)',
      series: variants.map((v) => ({ name: v, points: points.filter((p) => p.variant === v).map((p) => [p.fraction * 100, p.testAccuracy * 100] as [number, number]) })),
    });
    writeFileAtomic(opts.svg, svg, { overwrite: opts.force ?? false });
  }
  return points;
}

/** The curve as a fixed-width table (rows = variants, columns = fractions). */
export function formatCurveTable(points: readonly CurvePoint[]): string {
  const fr = [...new Set(points.map((p) => p.fraction))];
  const vs = [...new Set(points.map((p) => p.variant))];
  const head = 'variant'.padEnd(22) + fr.map((f) => `${Math.round(f * 100)}%`.padStart(9)).join('') + '   s/epoch @100%';
  const rows = vs.map((v) => {
    const ps = fr.map((f) => points.find((p) => p.variant === v && p.fraction === f));
    const full = ps[ps.length - 1];
    return v.padEnd(22) + ps.map((p) => (p ? (100 * p.testAccuracy).toFixed(2) : '-').padStart(9)).join('') + (full ? full.secondsPerEpoch.toFixed(1).padStart(18) : '');
  });
  return [head, ...rows].join('\n');
}
