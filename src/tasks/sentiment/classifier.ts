/**
 * The contract every text classifier of the sentiment task meets (browser-safe), so prediction on files, the
 * playground and evaluation work the same for the recurrent model (`SentimentClassifier`, model type
 * "sentiment") and the bag-of-n-grams model: texts in, one `SentimentPrediction` per text out, labels in
 * scale order.
 */
import type { SentimentPrediction } from './model.ts';

export type { SentimentPrediction };

/** A trained text classifier. */
export interface TextClassifier {
  /** Which family of model this is: 'rnn' (recurrent, `SentimentClassifier`) or 'ngram' (linear bag of n-grams). */
  readonly kind: 'rnn' | 'ngram';
  /** Class label names in scale order (e.g. ["1","2","4","5"] for 1–5 stars, ["neg","pos"]). */
  readonly labels: readonly string[];
  /** One prediction per text, in input order (an empty token list still gets a prediction). */
  predict(texts: readonly string[]): SentimentPrediction[];
}
