/**
 * Load any sentiment text classifier (recurrent, n-gram, …) from a model file on disk (Node).
 */
import { loadModelFile } from '../../nn/model-file-node.ts';
import type { TextClassifier } from './classifier.ts';
import { textClassifierFromModelFile } from './load.ts';

export function loadTextClassifier(path: string): TextClassifier {
  return textClassifierFromModelFile(loadModelFile(path), path);
}
