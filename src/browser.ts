/**
 * wordloom, browser-safe entry: everything the inference path needs (kernels, nn layers, model files,
 * tokenizer/vocabulary/encoding, the WordVectors store and format parsing from bytes, the sentiment
 * classifier and the memory model). Nothing here imports node:* modules.
 *
 *   import { SentimentClassifier, parseVectors } from 'wordloom/browser';
 *   const model = SentimentClassifier.fromBytes(new Uint8Array(await (await fetch('sst5.wl')).arrayBuffer()));
 */
export { Rng } from './util/rng.ts';
export { WordloomError } from './util/errors.ts';
export { silentProgress, type ProgressReporter, type ProgressUpdate } from './util/progress.ts';
export { setNoticeHandler } from './util/notices.ts';
export { Checksum, wlsum32, checksumTrailer, verifyChecksumTrailer, hasChecksumTrailer, CHECKSUM_TRAILER_BYTES } from './kernels/checksum.ts';
export { K, setKernels, getKernels, availableKernels, referenceKernels, type KernelBackend, type FloatArray } from './kernels/index.ts';
export * from './nn/index.ts';
export * from './nn/optim.ts';
export * from './nn/model-file.ts';
export { Tokenizer, tokenize, TOKENIZER_DEFAULTS, type TokenizerOptions } from './text/tokenizer.ts';
export * from './text/vocabulary.ts';
export * from './text/encoding.ts';
export * from './embeddings/browser.ts';
export { SentimentClassifier, SENTIMENT_MODEL_TYPE } from './tasks/sentiment/model.ts';
export { SENTIMENT_DEFAULTS, resolveConfig as resolveSentimentConfig, type SentimentConfig } from './tasks/sentiment/config.ts';
export { classificationReport, starReport, type ClassificationReport, type StarReport } from './tasks/sentiment/metrics.ts';
export { NgramClassifier, NGRAM_MODEL_TYPE, decodeStars, STAR_DECODES, type StarDecode } from './tasks/sentiment/ngram.ts';
export { evaluateTexts, type TextEvalReport } from './tasks/sentiment/evaluate.ts';
export type { TextClassifier } from './tasks/sentiment/classifier.ts';
export { FastTextModel } from './embeddings/fasttext/model.ts';
export { FastTextDictionary } from './embeddings/fasttext/dictionary.ts';
export { fasttextHash } from './embeddings/fasttext/hash.ts';
export { FASTTEXT_DEFAULTS, resolveFastTextArgs, type FastTextTrainArgs } from './embeddings/fasttext/args.ts';
export { applyTarget, TARGETS, TARGET_LABELS, type Target } from './text/targets.ts';
export { MemoryModel, gateTraces, decodeMemoryModel, type GateTraces } from './tasks/memory/train.ts';
export { memoryBatch } from './tasks/memory/data.ts';
