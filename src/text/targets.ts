/**
 * Prediction targets derived from one labelled file (browser-safe): `label` keeps the label column as written
 * (today's behaviour); the others read a 1–10 star rating (IMDB's `rating` column by default) and derive
 *   polarity  rating ≥ 7 → "pos", ≤ 4 → "neg" (5 and 6 are neither: an error naming file and line),
 *   stars10   the rating as given ("1".."10"),
 *   stars5    ⌈rating / 2⌉ ("1".."5": 1–2 → 1, 3–4 → 2, 5–6 → 3, 7–8 → 4, 9–10 → 5).
 * A rating that is not an integer 1–10 is one error naming the file, line and the column.
 *
 * Reference: A. L. Maas et al., "Learning Word Vectors for Sentiment Analysis", ACL 2011 (IMDB: ≤ 4 negative,
 * ≥ 7 positive; ratings 5 and 6 left out of the labelled set).
 */
import { WordloomError } from '../util/errors.ts';
import type { LabelledText } from './datasets.ts';

export const TARGETS = ['label', 'polarity', 'stars10', 'stars5'] as const;
export type Target = (typeof TARGETS)[number];

/** Targets whose classes are star values (metrics in stars apply). */
export const STAR_TARGETS: readonly Target[] = ['stars10', 'stars5'];

/** The column the rating targets read when --label-column is not given. */
export const DEFAULT_RATING_COLUMN = 'rating';

/** Class names of each derived target, in scale order (the model's label set; a class may have no examples). */
export const TARGET_LABELS: Readonly<Record<Exclude<Target, 'label'>, readonly string[]>> = {
  polarity: ['neg', 'pos'],
  stars10: ['1', '2', '3', '4', '5', '6', '7', '8', '9', '10'],
  stars5: ['1', '2', '3', '4', '5'],
};

export function isStarTarget(t: Target): boolean {
  return STAR_TARGETS.includes(t);
}

/** Check a --target value. */
export function parseTarget(s: string): Target {
  if (!(TARGETS as readonly string[]).includes(s)) throw new WordloomError(`unknown target "${s}" (expected ${TARGETS.join(', ')})`, { flag: '--target' });
  return s as Target;
}

/** A label cell read as an integer star rating 1–10 (else an error naming file, line and column). */
export function parseRating(value: string, where: { file?: string; line?: number } = {}, column = DEFAULT_RATING_COLUMN): number {
  const v = value.trim();
  const n = /^[+]?\d+(?:\.0*)?$/.test(v) ? Number(v) : NaN;
  if (!Number.isInteger(n) || n < 1 || n > 10) {
    throw new WordloomError(`column "${column}" holds "${value}", not an integer star rating 1–10 (choose the rating column with --label-column)`, { ...where, flag: '--label-column' });
  }
  return n;
}

/** The class name of one rating under a target (polarity: 5/6 are errors naming file and line). */
export function ratingToTarget(rating: number, target: Exclude<Target, 'label'>, where: { file?: string; line?: number } = {}): string {
  switch (target) {
    case 'polarity':
      if (rating >= 7) return 'pos';
      if (rating <= 4) return 'neg';
      throw new WordloomError(`rating ${rating} is neither negative (≤ 4) nor positive (≥ 7): --target polarity needs 1–4 or 7–10`, { ...where, flag: '--target' });
    case 'stars10': return String(rating);
    case 'stars5': return String(Math.ceil(rating / 2));
  }
}

/**
 * Relabel examples for a target. `label` returns them unchanged; the others read each example's label cell as a
 * rating (`column` names it in errors) and replace it with the target's class name.
 */
export function applyTarget(examples: readonly LabelledText[], target: Target, column = DEFAULT_RATING_COLUMN): LabelledText[] {
  if (target === 'label') return [...examples];
  return examples.map((e) => {
    const where = { file: e.file, line: e.line };
    return { ...e, label: ratingToTarget(parseRating(e.label, where, column), target, where) };
  });
}

/** The star value of a class name of a star target (its number), or NaN for non-numeric labels. */
export function starValue(label: string): number {
  return /^\s*[+-]?\d+(?:\.\d+)?\s*$/.test(label) ? Number(label) : NaN;
}
