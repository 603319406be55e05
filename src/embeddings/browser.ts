/**
 * Browser-safe entry of the embeddings store (no node:* imports anywhere below it): the `WordVectors`
 * store and its queries, parsing/serialising every format from/to bytes, and the evaluations over
 * in-memory text. The playground imports this; Node code can use `./index.ts` (adds file I/O).
 */
export { WordVectors, topK, normalize, QUERY_DEFAULTS, type Neighbor, type QueryTerm, type MostSimilarOptions, type VectorsSource } from './word-vectors.ts';
export {
  parseVectors, serializeVectors, vectorsToBytes, detectFormat, VectorReader, VECTOR_FORMATS, PARSE_DEFAULTS, SERIALIZE_DEFAULTS,
  type VectorFormat, type ParseOptions, type SerializeOptions,
} from './formats.ts';
export { parseFloatBytes, formatFloat32 } from './numbers.ts';
export {
  evaluateAnalogies, evaluateWordPairs, rankAverage, pearson, corrPValue, ANALOGY_EVAL_DEFAULTS, WORD_PAIRS_EVAL_DEFAULTS,
  type AnalogyEvalOptions, type AnalogyEvalResult, type AnalogySection, type AnalogyItem, type AccuracySummary,
  type WordPairsEvalOptions, type WordPairsEvalResult, type WordPairItem,
} from './evaluate.ts';
