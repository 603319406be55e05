/**
 * Intrinsic evaluation of word vectors (browser-safe; inputs are file contents as text):
 *
 * - `evaluateAnalogies`: accuracy on analogy questions in the `questions-words.txt` format
 *   (`: section` lines, then `a b c d` = "a is to b as c is to d"), per section, semantic / syntactic
 *   (sections named `gram*` are syntactic) and total, with the questions that have an out-of-vocabulary
 *   word counted and reported. Reproduces gensim 4.2 `KeyedVectors.evaluate_word_analogies`
 *   (= word2vec's `compute-accuracy`): only the first `restrictVocab` (default 30,000) words are used,
 *   both for the vocabulary check and as candidates; case-insensitive matching by upper-casing (the first,
 *   i.e. most frequent, case variant wins); the answer is the best of the top 5 3CosAdd candidates
 *   (input rows excluded) whose upper-cased form is not one of the three question words.
 *   `method: '3cosmul'` ranks candidates with 3CosMul instead (Levy & Goldberg 2014; gensim's
 *   `most_similar_cosmul` objective — gensim 4.2's evaluate ignores its `similarity_function` argument).
 *   Questions are scored in batches with one `K.sgemm` per batch.
 * - `evaluateWordPairs`: Spearman's ρ (and Pearson's r, with two-sided p-values as scipy computes them)
 *   between cosine similarity and human scores on WordSim-353-style files (`word1 word2 score`; tab,
 *   comma or whitespace separated; optional header; `#` comments; CRLF), pairs with an unknown word
 *   skipped and counted (OOV ratio). Reproduces gensim `evaluate_word_pairs` (restrict 300,000,
 *   case-insensitive). Deviation: lines with extra columns (per-judge scores, as in WordSim's set1/set2)
 *   use the first three columns; gensim rejects such lines.
 *
 * Reference: gensim 4.2 keyedvectors.py; T. Mikolov et al., "Efficient Estimation of Word
 * Representations in Vector Space", 2013 (analogy set); L. Finkelstein et al., "Placing Search in Context",
 * 2002 (WordSim-353).
 */
import { K } from '../kernels/index.ts';
import { WordloomError } from '../util/errors.ts';
import { silentProgress, type ProgressReporter } from '../util/progress.ts';
import { topK, type WordVectors } from './word-vectors.ts';

/** Options of `evaluateAnalogies`. */
export interface AnalogyEvalOptions {
  /** Only the first N words are candidates and only questions inside them count (default 30000, as compute-accuracy). */
  restrictVocab?: number;
  /** Match words case-insensitively (upper-cased, as gensim). Default true. */
  caseInsensitive?: boolean;
  /** Candidate ranking: 3CosAdd (default, gensim most_similar) or 3CosMul. */
  method?: '3cosadd' | '3cosmul';
  /** File name for error messages. */
  file?: string;
  /** Skip malformed lines (not 4 words) instead of failing; they are counted in `invalidLines`. Default false. */
  lenient?: boolean;
  /** Questions per sgemm batch (default: as many as fit in ~16 MiB of scores, at most 256). */
  batchSize?: number;
  /** Progress (phase "analogies", unit "questions"). */
  progress?: ProgressReporter;
}

export const ANALOGY_EVAL_DEFAULTS = { restrictVocab: 30000, caseInsensitive: true, method: '3cosadd', lenient: false } as const;

/** One analogy question as evaluated: words as compared (upper-cased when case-insensitive). */
export interface AnalogyItem {
  a: string; b: string; c: string; expected: string;
  /** The model's answer (null when nothing could be predicted). */
  predicted: string | null;
}

/** Per-section result, like gensim's section dicts plus counts. */
export interface AnalogySection {
  section: string;
  correct: AnalogyItem[];
  incorrect: AnalogyItem[];
  /** Questions skipped because a word is outside the restricted vocabulary. */
  oov: number;
  /** correct / (correct + incorrect); 0 when no question was answered (as gensim). */
  accuracy: number;
}

export interface AccuracySummary { correct: number; seen: number; accuracy: number | null }

export interface AnalogyEvalResult {
  /** Total accuracy over answered questions (gensim's returned score). */
  score: number;
  method: '3cosadd' | '3cosmul';
  restrictVocab: number;
  caseInsensitive: boolean;
  /** Sections in file order (without the total). */
  sections: AnalogySection[];
  /** Summary over sections named `gram*`. */
  syntactic: AccuracySummary;
  /** Summary over the other sections. */
  semantic: AccuracySummary;
  total: AccuracySummary;
  /** Questions in the file (valid 4-word lines). */
  questions: number;
  /** Questions with an out-of-vocabulary word (skipped, as gensim with dummy4unknown=False). */
  oov: number;
  /** oov / questions (0..1). */
  oovRatio: number;
  /** Lines skipped as malformed (lenient mode). */
  invalidLines: number;
}

interface Question { a: number; b: number; c: number; d: number; A: string; B: string; C: string; D: string; section: number }

/** Upper-case like Python's str.upper() (full Unicode case mapping). */
const up = (s: string) => s.toUpperCase();

/** word (possibly upper-cased) → first row index among the first `rows` words. */
function okVocab(v: WordVectors, rows: number, ci: boolean): Map<string, number> {
  const m = new Map<string, number>();
  for (let i = 0; i < rows; i++) {
    const k = ci ? up(v.words[i]) : v.words[i];
    if (!m.has(k)) m.set(k, i);
  }
  return m;
}

/**
 * Analogy accuracy, gensim `evaluate_word_analogies` semantics (see the file header).
 */
export function evaluateAnalogies(v: WordVectors, text: string, opts: AnalogyEvalOptions = {}): AnalogyEvalResult {
  const o = { ...ANALOGY_EVAL_DEFAULTS, ...opts };
  const file = opts.file ?? '<questions>';
  if (!Number.isInteger(o.restrictVocab) || o.restrictVocab < 1) throw new WordloomError(`restrictVocab must be a positive integer, got ${o.restrictVocab}`, { flag: '--restrict-vocab' });
  if (o.method !== '3cosadd' && o.method !== '3cosmul') throw new WordloomError(`unknown method "${o.method}" (3cosadd | 3cosmul)`, { flag: '--method' });
  const ci = o.caseInsensitive;
  const R = Math.min(o.restrictVocab, v.size);
  const vocab = okVocab(v, R, ci);

  const sections: AnalogySection[] = [];
  const questions: Question[] = [];
  let total = 0, oov = 0, invalid = 0;
  const lines = text.split('\n');
  for (let ln = 0; ln < lines.length; ln++) {
    const line = lines[ln];
    if (line.startsWith(': ')) {
      sections.push({ section: line.replace(/^[: ]+/, '').trim(), correct: [], incorrect: [], oov: 0, accuracy: 0 });
      continue;
    }
    const parts = line.split(/\s+/).filter(Boolean);
    if (parts.length === 0) continue;
    if (sections.length === 0) throw new WordloomError('question before the first ": section" line', { file, line: ln + 1 });
    if (parts.length !== 4) {
      if (!o.lenient) throw new WordloomError(`expected 4 words ("a b c d"), found ${parts.length}`, { file, line: ln + 1 });
      invalid++;
      continue;
    }
    total++;
    const [A, B, C, D] = ci ? parts.map(up) : parts;
    const a = vocab.get(A), b = vocab.get(B), c = vocab.get(C), d = vocab.get(D);
    const sec = sections.length - 1;
    if (a === undefined || b === undefined || c === undefined || d === undefined) { oov++; sections[sec].oov++; continue; }
    questions.push({ a, b, c, d, A, B, C, D, section: sec });
  }
  if (sections.length === 0) throw new WordloomError('no ": section" lines: not an analogy questions file', { file });

  // Batched scoring: S (B×R) = Q (B×D) · U[0:R]ᵀ.
  const D = v.dim;
  const U = v.unitVectors();
  const perQ = o.method === '3cosmul' ? 3 : 1;
  const B = Math.max(1, Math.min(opts.batchSize ?? 256, Math.floor((1 << 22) / (R * perQ)) || 1));
  const Q = K.alloc(B * perQ * D);
  const S = K.alloc(B * perQ * R);
  const cm = o.method === '3cosmul' ? new Float64Array(R) : null;
  const progress = o.progress ?? silentProgress;
  progress.start('analogies', questions.length, 'questions');
  try {
    for (let q0 = 0; q0 < questions.length; q0 += B) {
      const nb = Math.min(B, questions.length - q0);
      for (let t = 0; t < nb; t++) {
        const q = questions[q0 + t];
        if (perQ === 1) {
          const off = t * D;
          let s = 0;
          for (let k = 0; k < D; k++) {
            const x = U[q.b * D + k] + U[q.c * D + k] - U[q.a * D + k];
            Q[off + k] = x; s += x * x;
          }
          const inv = s > 0 ? 1 / Math.sqrt(s) : 0;
          for (let k = 0; k < D; k++) Q[off + k] *= inv;
        } else {
          Q.set(U.subarray(q.a * D, q.a * D + D), (3 * t) * D);
          Q.set(U.subarray(q.b * D, q.b * D + D), (3 * t + 1) * D);
          Q.set(U.subarray(q.c * D, q.c * D + D), (3 * t + 2) * D);
        }
      }
      K.sgemm(false, true, nb * perQ, R, D, 1, Q, D, U, D, 0, S, R);
      for (let t = 0; t < nb; t++) {
        const q = questions[q0 + t];
        let scores: ArrayLike<number>;
        if (cm) {
          const sa = S.subarray((3 * t) * R, (3 * t + 1) * R), sb = S.subarray((3 * t + 1) * R, (3 * t + 2) * R), sc = S.subarray((3 * t + 2) * R, (3 * t + 3) * R);
          for (let i = 0; i < R; i++) cm[i] = (((1 + sb[i]) / 2) * ((1 + sc[i]) / 2)) / ((1 + sa[i]) / 2 + 1e-6);
          scores = cm;
        } else scores = S.subarray(t * R, (t + 1) * R);
        const best = topK(scores, R, 5, new Set([q.a, q.b, q.c]));
        let predicted: string | null = null;
        for (const i of best) {
          predicted = ci ? up(v.words[i]) : v.words[i];
          if (predicted !== q.A && predicted !== q.B && predicted !== q.C) break;
        }
        const item: AnalogyItem = { a: q.A, b: q.B, c: q.C, expected: q.D, predicted };
        (predicted === q.D ? sections[q.section].correct : sections[q.section].incorrect).push(item);
      }
      progress.update({ done: q0 + nb, total: questions.length });
    }
  } finally {
    progress.stop();
    K.free(Q); K.free(S);
  }

  const sum = (list: AnalogySection[]): AccuracySummary => {
    let c = 0, s = 0;
    for (const x of list) { c += x.correct.length; s += x.correct.length + x.incorrect.length; }
    return { correct: c, seen: s, accuracy: s ? c / s : null };
  };
  for (const s of sections) {
    const n = s.correct.length + s.incorrect.length;
    s.accuracy = n ? s.correct.length / n : 0;
  }
  const tot = sum(sections);
  return {
    score: tot.accuracy ?? 0,
    method: o.method, restrictVocab: o.restrictVocab, caseInsensitive: ci,
    sections,
    semantic: sum(sections.filter((s) => !s.section.startsWith('gram'))),
    syntactic: sum(sections.filter((s) => s.section.startsWith('gram'))),
    total: tot,
    questions: total, oov, oovRatio: total ? oov / total : 0, invalidLines: invalid,
  };
}

// ---------------------------------------------------------------------------------------------------
// Word-pair similarity

/** Options of `evaluateWordPairs`. */
export interface WordPairsEvalOptions {
  /** Only the first N words count as known (default 300000, as gensim). */
  restrictVocab?: number;
  /** Match case-insensitively (upper-cased, first case variant wins). Default true. */
  caseInsensitive?: boolean;
  /** Field separator: auto (default: tab if the first data line has one, else comma, else whitespace). */
  delimiter?: 'auto' | '\t' | ',' | ' ';
  /** File name for error messages. */
  file?: string;
  /** Skip malformed lines instead of failing (counted in `invalidLines`). Default false. */
  lenient?: boolean;
}

export const WORD_PAIRS_EVAL_DEFAULTS = { restrictVocab: 300000, caseInsensitive: true, delimiter: 'auto', lenient: false } as const;

export interface WordPairItem {
  a: string; b: string;
  /** Human score. */
  gold: number;
  /** Cosine similarity (null: OOV, skipped). */
  model: number | null;
  /** 1-based line in the file. */
  line: number;
}

export interface WordPairsEvalResult {
  /** Spearman's ρ and its two-sided p-value (scipy spearmanr). */
  spearman: { rho: number; pValue: number };
  /** Pearson's r and its two-sided p-value (scipy pearsonr). */
  pearson: { r: number; pValue: number };
  /** Pairs with an unknown word, as a percentage of all pairs (gensim's `oov_ratio`). */
  oovRatio: number;
  /** Pairs used / skipped as OOV / total. */
  pairs: number; oov: number; total: number;
  /** Header line detected and skipped. */
  header: string | null;
  invalidLines: number;
  items: WordPairItem[];
}

/**
 * Spearman/Pearson correlation between model cosine and human scores, gensim `evaluate_word_pairs`
 * semantics (see the file header).
 */
export function evaluateWordPairs(v: WordVectors, text: string, opts: WordPairsEvalOptions = {}): WordPairsEvalResult {
  const o = { ...WORD_PAIRS_EVAL_DEFAULTS, ...opts };
  const file = opts.file ?? '<pairs>';
  if (!Number.isInteger(o.restrictVocab) || o.restrictVocab < 1) throw new WordloomError(`restrictVocab must be a positive integer, got ${o.restrictVocab}`, { flag: '--restrict-vocab' });
  const ci = o.caseInsensitive;
  const vocab = okVocab(v, Math.min(o.restrictVocab, v.size), ci);
  const lines = text.split('\n');
  let delim: string | RegExp | null = o.delimiter === 'auto' ? null : o.delimiter === ' ' ? /\s+/ : o.delimiter;
  let header: string | null = null, invalid = 0, seenData = false;
  const items: WordPairItem[] = [];
  const norms = v.rowNorms();
  for (let ln = 0; ln < lines.length; ln++) {
    const line = lines[ln].replace(/\r$/, '');
    if (line.trim() === '' || line.startsWith('#')) continue;
    if (delim === null) delim = line.includes('\t') ? '\t' : line.includes(',') ? ',' : /\s+/;
    const f = line.trim().split(delim).map((s) => s.trim());
    const score = f.length >= 3 && f[2] !== '' ? Number(f[2]) : NaN;
    if (f.length < 3 || !Number.isFinite(score) || !f[0] || !f[1]) {
      if (!seenData && header === null && f.length >= 3) { header = line; continue; }
      if (!o.lenient) throw new WordloomError(`expected "word1 word2 score", got ${JSON.stringify(line.slice(0, 80))}`, { file, line: ln + 1 });
      invalid++;
      continue;
    }
    seenData = true;
    const A = ci ? up(f[0]) : f[0], B = ci ? up(f[1]) : f[1];
    const ia = vocab.get(A), ib = vocab.get(B);
    let model: number | null = null;
    if (ia !== undefined && ib !== undefined) {
      const d = v.dim, x = v.data;
      let s = 0;
      for (let k = 0; k < d; k++) s += x[ia * d + k] * x[ib * d + k];
      const den = norms[ia] * norms[ib];
      model = Math.fround(den > 0 ? s / den : 0);
    }
    items.push({ a: f[0], b: f[1], gold: score, model, line: ln + 1 });
  }
  const used = items.filter((i) => i.model !== null);
  if (used.length === 0) throw new WordloomError(`no similarity judgements with both words in the vocabulary (${items.length} pairs read)`, { file });
  const gold = used.map((i) => i.gold), model = used.map((i) => i.model as number);
  const r = pearson(gold, model);
  const rho = pearson(rankAverage(gold), rankAverage(model));
  const n = used.length;
  return {
    spearman: { rho, pValue: corrPValue(rho, n) },
    pearson: { r, pValue: corrPValue(r, n) },
    oovRatio: (100 * (items.length - n)) / items.length,
    pairs: n, oov: items.length - n, total: items.length,
    header, invalidLines: invalid, items,
  };
}

/** Ranks 1..n with ties given their average rank (scipy.stats.rankdata 'average'). */
export function rankAverage(x: readonly number[]): number[] {
  const idx = x.map((_, i) => i).sort((i, j) => x[i] - x[j] || i - j);
  const r = new Array<number>(x.length);
  for (let s = 0; s < idx.length;) {
    let e = s + 1;
    while (e < idx.length && x[idx[e]] === x[idx[s]]) e++;
    const avg = (s + 1 + e) / 2;
    for (let k = s; k < e; k++) r[idx[k]] = avg;
    s = e;
  }
  return r;
}

/** Pearson correlation coefficient (float64, means subtracted first). */
export function pearson(x: readonly number[], y: readonly number[]): number {
  const n = x.length;
  if (n !== y.length || n < 2) throw new WordloomError(`pearson: need two equally long series of ≥ 2 values (got ${n}, ${y.length})`);
  let mx = 0, my = 0;
  for (let i = 0; i < n; i++) { mx += x[i]; my += y[i]; }
  mx /= n; my /= n;
  let sxy = 0, sxx = 0, syy = 0;
  for (let i = 0; i < n; i++) { const a = x[i] - mx, b = y[i] - my; sxy += a * b; sxx += a * a; syy += b * b; }
  if (sxx === 0 || syy === 0) return NaN;
  return Math.max(-1, Math.min(1, sxy / Math.sqrt(sxx * syy)));
}

/** Two-sided p-value of a correlation r over n pairs (Student t with n−2 df, as scipy). */
export function corrPValue(r: number, n: number): number {
  if (!Number.isFinite(r) || n < 3) return NaN;
  if (Math.abs(r) >= 1) return 0;
  const df = n - 2;
  const t2 = (r * r * df) / (1 - r * r);
  return incompleteBeta(df / (df + t2), df / 2, 0.5);
}

/** Regularized incomplete beta I_x(a, b) (continued fraction, Numerical Recipes §6.4). */
export function incompleteBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const lbeta = lgamma(a + b) - lgamma(a) - lgamma(b) + a * Math.log(x) + b * Math.log(1 - x);
  const front = Math.exp(lbeta);
  if (x < (a + 1) / (a + b + 2)) return (front * betacf(x, a, b)) / a;
  return 1 - (front * betacf(1 - x, b, a)) / b;
}

function betacf(x: number, a: number, b: number): number {
  const FPMIN = 1e-300, EPS = 1e-16;
  const qab = a + b, qap = a + 1, qam = a - 1;
  let c = 1, d = 1 - (qab * x) / qap;
  if (Math.abs(d) < FPMIN) d = FPMIN;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= 10000; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((qam + m2) * (a + m2));
    d = 1 + aa * d; if (Math.abs(d) < FPMIN) d = FPMIN;
    c = 1 + aa / c; if (Math.abs(c) < FPMIN) c = FPMIN;
    d = 1 / d; h *= d * c;
    aa = (-(a + m) * (qab + m) * x) / ((a + m2) * (qap + m2));
    d = 1 + aa * d; if (Math.abs(d) < FPMIN) d = FPMIN;
    c = 1 + aa / c; if (Math.abs(c) < FPMIN) c = FPMIN;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < EPS) break;
  }
  return h;
}

/** log Γ(x) for x > 0 (Lanczos, g = 7, n = 9). */
function lgamma(x: number): number {
  const g = 7;
  const c = [0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
    12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7];
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - lgamma(1 - x);
  x -= 1;
  let a = c[0];
  const t = x + g + 0.5;
  for (let i = 1; i < g + 2; i++) a += c[i] / (x + i);
  return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(a);
}
