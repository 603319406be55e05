/**
 * GloVe (issue #6): public API for Node code. Pipeline: vocabulary (src/text/vocab-count.ts) →
 * memory-bounded co-occurrence counting with sorted spill runs → seeded keyed shuffle → AdaGrad training
 * (WASM SIMD kernel, Hogwild threads) → vectors (write them with saveVectors from src/embeddings).
 *
 *   trainGloveOnFiles(paths, options, io, progress) → { words, vectors (V×d), costs, stats, seconds, ... }
 *   cooccurrenceRatios(paths, { probes, contexts, windowSize }) → Table 1 of Pennington et al. (2014)
 *
 * Reference: J. Pennington, R. Socher, C. D. Manning, "GloVe: Global Vectors for Word Representation", EMNLP 2014.
 */
export { GLOVE_DEFAULTS, resolveGloveOptions, type GloveOptions } from './options.ts';
export { trainGloveOnFiles, buildTrainingRecords, type GloveResult, type GlovePipelineIO } from './pipeline-node.ts';
export { countCorpusVocab, CooccurCounter, embeddingTokenizer, fixedPointScale, type CooccurConfig, type CooccurStats } from './cooccur-node.ts';
export { KeyShuffler, shuffleKey, SHUFFLE_BUCKETS } from './shuffle-node.ts';
export {
  initGloveParams, trainGlove, outputVectors, saveCheckpoint, loadCheckpoint, freeGloveParams, gloveWasmAvailable, vocabHash,
  type GloveParams, type TrainSettings,
} from './train-node.ts';
export { cooccurrenceRatios, formatRatiosTable, RATIOS_DEFAULTS, type RatiosOptions, type RatiosResult } from './ratios-node.ts';
export { TempDir, withTempDir } from './temp-node.ts';
