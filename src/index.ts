/**
 * wordloom, Node entry: the browser-safe API (./browser.ts) plus file I/O, corpus streaming, the trainers
 * (word2vec, GloVe, sentiment, memory experiment) and evaluation on files.
 *
 *   import { loadVectors, trainSentiment, trainMemory } from 'wordloom';
 *   const v = loadVectors('data/glove-subset/glove.6B.50d.top2446.txt');
 *   console.log(v.analogy('paris', 'france', 'tokyo'));   // "a is to b as c is to ?" → japan first
 */
export * from './browser.ts';
export { writeFileAtomic, readTextFile, decodeUtf8Strict } from './util/fs-node.ts';
export { readCorpusLines, type CorpusReadOptions } from './text/corpus-node.ts';
export * from './text/datasets.ts';
export { readLabelledFile, loadSplits, detectFormat as detectDatasetFormat } from './text/datasets-node.ts';
export * from './nn/model-file-node.ts';
export { loadVectors, saveVectors, formatForPath, evaluateAnalogiesFile, evaluateWordPairsFile, type LoadOptions, type SaveOptions } from './embeddings/index.ts';
export { trainSentiment, loadSentimentModel, evaluateFile as evaluateSentimentFile } from './tasks/sentiment/train-node.ts';
export { runCurve as runSentimentCurve } from './tasks/sentiment/curve-node.ts';
export { trainNgram, NGRAM_DEFAULTS } from './tasks/sentiment/ngram-node.ts';
export { loadTextClassifier, evaluateClassifierFile } from './tasks/sentiment/classifier-node.ts';
export { trainFastText } from './embeddings/fasttext/train-node.ts';
export { trainMemory, memoryConfig, MEMORY_DEFAULTS } from './tasks/memory/train.ts';
export { runSweep as runMemorySweep, formatSweepTable } from './tasks/memory/sweep.ts';
