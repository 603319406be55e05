/**
 * Node wrappers of the evaluations: read the questions / pairs file (strict UTF-8, errors name the
 * file and line) and run `evaluateAnalogies` / `evaluateWordPairs` on it.
 */
import { readTextFile } from '../util/fs-node.ts';
import {
  evaluateAnalogies, evaluateWordPairs,
  type AnalogyEvalOptions, type AnalogyEvalResult, type WordPairsEvalOptions, type WordPairsEvalResult,
} from './evaluate.ts';
import type { WordVectors } from './word-vectors.ts';

/** Analogy accuracy on a questions-words.txt-style file. */
export function evaluateAnalogiesFile(v: WordVectors, path: string, opts: AnalogyEvalOptions = {}): AnalogyEvalResult {
  return evaluateAnalogies(v, readTextFile(path), { ...opts, file: opts.file ?? path });
}

/** Word-pair similarity correlation on a WordSim-353-style file. */
export function evaluateWordPairsFile(v: WordVectors, path: string, opts: WordPairsEvalOptions = {}): WordPairsEvalResult {
  return evaluateWordPairs(v, readTextFile(path), { ...opts, file: opts.file ?? path });
}
