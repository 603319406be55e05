/**
 * Prediction with per-token contributions by occlusion (browser-safe: the page and the server share it).
 *
 * For a review of n tokens the model is run n+1 times: once on the whole text and once with each token removed.
 * A token's contribution is E[stars | full text] − E[stars | text without the token]: > 0 means the token pushes the
 * rating up, < 0 down. Removing (rather than replacing by <unk>) keeps the sequence a real sentence for the RNN.
 *
 * Reference: M. D. Zeiler and R. Fergus, "Visualizing and Understanding Convolutional Networks", ECCV 2014 (occlusion);
 * for text: J. Li, W. Monroe and D. Jurafsky, "Understanding Neural Networks through Representation Erasure", 2016.
 */
import type { PredictResponse } from './api-types.ts';
import { expectedStars } from '../tasks/sentiment/explain.ts';

export interface Predictor {
  labels: string[];
  tokenize(text: string): string[];
  isKnown(token: string): boolean;
  /** Class probabilities for each token sequence (one batched call for all occlusions). */
  predictBatch(tokenLists: string[][]): number[][];
}

export { expectedStars };

/** Tokens explained by occlusion for a text of n tokens: all up to √steps, then ⌊steps / n⌋ (cost ≈ steps + n). */
export function explainedTokenCount(n: number, steps: number): number {
  return Math.max(1, Math.min(n, Math.floor(steps / Math.max(1, n))));
}

/** Predict and explain one text. `maxTokens` caps the occlusion work (later tokens get contribution 0 and known as is). */
export function predictWithOcclusion(model: Predictor, text: string, maxTokens = 200): PredictResponse {
  const tokens = model.tokenize(text);
  const n = Math.min(tokens.length, maxTokens);
  const variants = [tokens, ...Array.from({ length: n }, (_, i) => tokens.slice(0, i).concat(tokens.slice(i + 1)))];
  const all = model.predictBatch(variants);
  const probs = Array.from(all[0]);
  const full = expectedStars(probs);
  let predicted = 0;
  for (let i = 1; i < probs.length; i++) if (probs[i] > probs[predicted]) predicted = i;
  const contributions = tokens.map((token, i) => ({
    token, known: model.isKnown(token), contribution: i < n ? full - expectedStars(all[i + 1]) : 0,
  }));
  return { text, labels: model.labels, probs, predicted, stars: predicted + 1, expectedStars: full, tokens: contributions, explainedTokens: n };
}
