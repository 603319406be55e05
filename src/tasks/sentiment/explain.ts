/**
 * Explanations of a whole review's rating for any `TextClassifier` (browser-safe: the server and the page share it).
 *
 * 1. The review is split into sentences (`splitSentences`: `<br />` breaks and newlines end paragraphs; `.` `!` `?`
 *    end sentences, except after common abbreviations and initials; all-lower-case reviews split too).
 * 2. Occlusion: each sentence is dropped from the text and the review re-predicted; its effect is
 *    E[stars | review] − E[stars | review without it] (> 0: the sentence raises the rating) and, alongside,
 *    p(predicted class | review) − p(same class | review without it).
 * 3. Words are dropped the same way, one at a time, from the whole review. A long review has too many words to try
 *    them all (each try re-reads the whole review), so words are tried sentence by sentence, the most influential
 *    sentences first, until `wordBudgetChars` characters have been re-predicted; the rest are counted as unmeasured.
 * 4. If the model exposes attention weights (`attention(text)`), they are returned as well.
 *
 * All re-predictions go to the model in batches of `batchSize` texts (bounded memory for 2,500-word reviews).
 * Operating on text (not on a model's tokens) keeps this independent of the model's tokenizer.
 *
 * Reference: M. D. Zeiler and R. Fergus, ECCV 2014 (occlusion); J. Li, W. Monroe and D. Jurafsky, "Understanding
 * Neural Networks through Representation Erasure", 2016 (erasing words and phrases of a text).
 * Deviation: the budgeted, sentence-first search over words is this module's own (cost control for long reviews).
 */
import { WordloomError } from '../../util/errors.ts';
import type { TextClassifier } from './classifier.ts';

/** A piece of the review: [start, end) offsets into the original text (UTF-16 code units) and its text. */
export interface TextSpan { start: number; end: number; text: string }

/** A sentence or word with what dropping it did. */
export interface SpanEffect extends TextSpan {
  /** E[stars | review] − E[stars | review without this span]: > 0 the span raises the rating. */
  effect: number;
  /** p(predicted class | review) − p(that class | review without this span). */
  probEffect: number;
}

/** Attention weights over the model's own tokens (models with attention pooling). */
export interface AttentionWeights { tokens: string[]; weights: number[] }

/** A classifier that can also show where its attention went. */
export interface AttentionClassifier extends TextClassifier {
  attention(text: string): AttentionWeights | null;
}

export function hasAttention(m: TextClassifier): m is AttentionClassifier {
  return typeof (m as Partial<AttentionClassifier>).attention === 'function';
}

export interface ExplainOptions {
  /** Texts per call of `predict` (bounds memory: each is a whole review). Default 32. */
  batchSize?: number;
  /**
   * Characters re-predicted for word occlusion, at most (words are tried in the most influential sentences first).
   * Default 2,000,000: every word of a review up to ~1,400 characters squared (≈ 250 words); ~140 words of a
   * 2,500-word review. 0 = no word effects.
   */
  wordBudgetChars?: number;
  /** Called after each batch with (texts predicted so far, texts planned so far). */
  onProgress?: (done: number, planned: number) => void;
}

export const EXPLAIN_DEFAULTS: Required<Omit<ExplainOptions, 'onProgress'>> = { batchSize: 32, wordBudgetChars: 2_000_000 };

export interface ReviewExplanation {
  labels: string[];
  probs: number[];
  /** Most likely class (0-based) and its star count (1-based). */
  predicted: number;
  stars: number;
  /** Σ probs[i]·(i+1). */
  expectedStars: number;
  /** Every sentence, in text order. */
  sentences: SpanEffect[];
  /** Every measured word, in text order. */
  words: SpanEffect[];
  /** Words in the review, and how many of them were measured (the rest: over the budget). */
  wordCount: number;
  wordsMeasured: number;
  /** Texts the model predicted (1 + sentences + measured words). */
  predictions: number;
  attention?: AttentionWeights;
}

/** Σ probs[i]·(i+1): the expected star rating on a 1…C scale. */
export function expectedStars(probs: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < probs.length; i++) s += probs[i] * (i + 1);
  return s;
}

const ABBREVIATIONS = new Set(['mr', 'mrs', 'ms', 'dr', 'st', 'vs', 'etc', 'jr', 'sr', 'prof', 'mt', 'no', 'vol', 'e.g', 'i.e', 'cf', 'approx', 'ca']);
const PARAGRAPH = /(?:<br\s*\/?>|\r?\n)+/gi;
// A sentence end: terminal punctuation, closing quotes/brackets, whitespace.
const END = /([.!?]+)["'”’)\]]*(\s+)/g;

/** Trim a [start, end) range to non-space characters; null if nothing is left. */
function trimmed(text: string, start: number, end: number): TextSpan | null {
  while (start < end && /\s/.test(text[start])) start++;
  while (end > start && /\s/.test(text[end - 1])) end--;
  return end > start ? { start, end, text: text.slice(start, end) } : null;
}

function splitParagraph(text: string, start: number, end: number, out: TextSpan[]): void {
  const para = text.slice(start, end);
  let from = 0;
  END.lastIndex = 0;
  for (let m = END.exec(para); m; m = END.exec(para)) {
    const cut = m.index + m[0].length - m[2].length; // after the punctuation and closing marks
    if (m[1] === '.') {
      const word = /([\p{L}.]+)$/u.exec(para.slice(from, m.index))?.[1] ?? '';
      if (ABBREVIATIONS.has(word.toLowerCase()) || /^\p{Lu}$/u.test(word)) continue;
    }
    const s = trimmed(text, start + from, start + cut);
    if (s) out.push(s);
    from = m.index + m[0].length;
  }
  const s = trimmed(text, start + from, end);
  if (s) out.push(s);
}

/** Sentences of a review, with offsets into it. Text without sentence punctuation is one sentence. */
export function splitSentences(text: string): TextSpan[] {
  const out: TextSpan[] = [];
  let from = 0;
  PARAGRAPH.lastIndex = 0;
  for (let m = PARAGRAPH.exec(text); m; m = PARAGRAPH.exec(text)) {
    splitParagraph(text, from, m.index, out);
    from = m.index + m[0].length;
  }
  splitParagraph(text, from, text.length, out);
  return out;
}

const WORD = /[\p{L}\p{N}]+(?:['’\-][\p{L}\p{N}]+)*/gu;

/** Words (letters/digits with inner apostrophes and hyphens) of text[start, end), with offsets into the text. */
export function wordSpans(text: string, start = 0, end = text.length): TextSpan[] {
  const out: TextSpan[] = [];
  const part = text.slice(start, end);
  WORD.lastIndex = 0;
  for (let m = WORD.exec(part); m; m = WORD.exec(part)) {
    if (/^<?br$/i.test(m[0]) && /<\s*$/.test(part.slice(0, m.index))) continue; // the "br" of a <br /> tag
    out.push({ start: start + m.index, end: start + m.index + m[0].length, text: m[0] });
  }
  return out;
}

/** The text with [start, end) removed (a space keeps the neighbours apart). */
export function without(text: string, s: { start: number; end: number }): string {
  return text.slice(0, s.start) + ' ' + text.slice(s.end);
}

/** Predict texts in batches; probabilities in input order. */
function predictAll(model: TextClassifier, texts: string[], batchSize: number, done: { n: number; planned: number }, onProgress?: ExplainOptions['onProgress']): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < texts.length; i += batchSize) {
    for (const p of model.predict(texts.slice(i, i + batchSize))) out.push(Array.from(p.probs));
    done.n += Math.min(batchSize, texts.length - i);
    onProgress?.(done.n, done.planned);
  }
  return out;
}

/** Rate a review and measure which sentences and words moved the rating (see the file header). */
export function explainReview(model: TextClassifier, text: string, opts: ExplainOptions = {}): ReviewExplanation {
  const o = { ...EXPLAIN_DEFAULTS, ...opts };
  if (!(Number.isInteger(o.batchSize) && o.batchSize >= 1)) throw new WordloomError(`batch size must be an integer ≥ 1, got ${o.batchSize}`, { flag: 'batchSize' });
  if (!(o.wordBudgetChars >= 0)) throw new WordloomError(`word budget must be ≥ 0, got ${o.wordBudgetChars}`, { flag: 'wordBudgetChars' });
  if (text.trim() === '') throw new WordloomError('empty text: nothing to explain');
  const sentences = splitSentences(text);
  const progress = { n: 0, planned: 1 + sentences.length };
  const [full, ...bySentence] = predictAll(model, [text, ...sentences.map((s) => without(text, s))], o.batchSize, progress, opts.onProgress);
  const base = expectedStars(full);
  let predicted = 0;
  for (let i = 1; i < full.length; i++) if (full[i] > full[predicted]) predicted = i;
  const effectOf = (p: number[]) => ({ effect: base - expectedStars(p), probEffect: full[predicted] - p[predicted] });
  const sentenceEffects: SpanEffect[] = sentences.map((s, i) => ({ ...s, ...effectOf(bySentence[i]) }));

  // Words: most influential sentences first, until the character budget is spent.
  const perWord = text.length + 1;
  let budget = Math.floor(o.wordBudgetChars / perWord);
  const order = sentenceEffects.map((_, i) => i).sort((a, b) => Math.abs(sentenceEffects[b].effect) - Math.abs(sentenceEffects[a].effect) || a - b);
  const chosen: TextSpan[] = [];
  let wordCount = 0;
  for (const i of order) {
    const ws = wordSpans(text, sentences[i].start, sentences[i].end);
    wordCount += ws.length;
    const take = ws.slice(0, Math.max(0, budget));
    budget -= take.length;
    chosen.push(...take);
  }
  chosen.sort((a, b) => a.start - b.start);
  progress.planned += chosen.length;
  const byWord = predictAll(model, chosen.map((w) => without(text, w)), o.batchSize, progress, opts.onProgress);
  const words: SpanEffect[] = chosen.map((w, i) => ({ ...w, ...effectOf(byWord[i]) }));

  const r: ReviewExplanation = {
    labels: [...model.labels], probs: full, predicted, stars: predicted + 1, expectedStars: base,
    sentences: sentenceEffects, words, wordCount, wordsMeasured: words.length, predictions: progress.n,
  };
  if (hasAttention(model)) {
    const a = model.attention(text);
    if (a) r.attention = a;
  }
  return r;
}

/** The `k` words with the largest |effect|, strongest first. */
export function topWords(words: readonly SpanEffect[], k: number): SpanEffect[] {
  return [...words].sort((a, b) => Math.abs(b.effect) - Math.abs(a.effect) || a.start - b.start).slice(0, k);
}
