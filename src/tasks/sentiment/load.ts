/**
 * Any text classifier of the sentiment task from a model file's bytes (browser-safe): the file's model type picks
 * the decoder, so prediction, explanations and the playground take whichever kind of model they are given.
 * Known kinds register a decoder in `TEXT_CLASSIFIER_DECODERS` (the recurrent model: type "sentiment"; the bag of n-grams: "sentiment-ngram").
 */
import { decodeModelFile, type ModelFile } from '../../nn/model-file.ts';
import { WordloomError } from '../../util/errors.ts';
import type { TextClassifier } from './classifier.ts';
import { SentimentClassifier, SENTIMENT_MODEL_TYPE } from './model.ts';
import { NgramClassifier, NGRAM_MODEL_TYPE } from './ngram.ts';

/** Model-file type → decoder of a decoded file into a ready classifier. */
export const TEXT_CLASSIFIER_DECODERS: Record<string, (m: ModelFile, file: string) => TextClassifier> = {
  [SENTIMENT_MODEL_TYPE]: (m, file) => SentimentClassifier.fromModelFile(m, file),
  [NGRAM_MODEL_TYPE]: (m, file) => NgramClassifier.fromModelFile(m, file),
};

/** Decode a decoded model file into the classifier its type names (error naming the file for other types). */
export function textClassifierFromModelFile(m: ModelFile, file: string): TextClassifier {
  const decode = TEXT_CLASSIFIER_DECODERS[m.header.modelType];
  if (!decode) {
    throw new WordloomError(`model type is "${m.header.modelType}", not a text classifier (known: ${Object.keys(TEXT_CLASSIFIER_DECODERS).join(', ')})`, { file });
  }
  return decode(m, file);
}

/** Decode model-file bytes into a text classifier. */
export function textClassifierFromBytes(bytes: Uint8Array, file = '<model bytes>'): TextClassifier {
  return textClassifierFromModelFile(decodeModelFile(bytes, file), file);
}
