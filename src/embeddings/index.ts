/**
 * Word vectors (issue #4) — the public API for Node code (trainers, CLI, tasks).
 *
 * Store and queries (browser-safe, also exported by `./browser.ts` for the playground):
 *   new WordVectors(words, data /* words.length×dim, row-major *\/, dim)   — copies into K.alloc memory
 *   v.size, v.dim, v.words, v.data, v.has(w), v.indexOf(w), v.vector(w), v.row(i)
 *   v.similarity(a, b)                cosine            v.distance(a, b)   Euclidean
 *   v.mostSimilar({ positive, negative, topn = 10, restrictVocab })   3CosAdd (gensim most_similar)
 *   v.mostSimilarCosMul({ ... })      3CosMul (Levy & Goldberg 2014; gensim most_similar_cosmul)
 *   v.analogy(a, b, c, { topn = 1, method: '3cosadd' | '3cosmul' })   "a is to b as c is to ?"
 *   v.doesntMatch(words), v.similarByVector(vec), v.similarByWord(w)
 *   results are `{ word, score }[]`; unknown words throw a WordloomError naming them.
 *
 * Files (formats: glove | word2vec | fasttext | word2vec-binary | wordloom (native, .wlv)):
 *   loadVectors(path, { format = 'auto', binary, limit, lenient, threads, progress })   → WordVectors   (Node;
 *     text files are parsed by the WASM kernel on `threads` threads, default: available cores ≤ 8)
 *   saveVectors(vectors, path, { format, binary, newline, overwrite })      → format used   (Node, atomic)
 *   parseVectors(bytes, opts) / vectorsToBytes(vectors, opts)                (browser-safe)
 *   trainers: `saveVectors(new WordVectors(vocab.words, matrix, dim), out, { format: 'word2vec', binary })`
 *
 * Evaluation (gensim evaluate_word_analogies / evaluate_word_pairs compatible):
 *   evaluateAnalogies(vectors, questionsText, { restrictVocab = 30000, caseInsensitive = true, method: '3cosadd' | '3cosmul' })
 *   evaluateWordPairs(vectors, pairsText, { restrictVocab = 300000, caseInsensitive = true })
 *   evaluateAnalogiesFile(vectors, path, opts) / evaluateWordPairsFile(vectors, path, opts)   (Node)
 *   → { score, sections[{section, correct[], incorrect[], oov, accuracy}], semantic, syntactic, total, oov, oovRatio }
 *   → { spearman: {rho, pValue}, pearson: {r, pValue}, oovRatio (%), pairs, oov, items[] }
 */
export * from './browser.ts';
export { loadVectors, saveVectors, formatForPath, type LoadOptions, type SaveOptions } from './io-node.ts';
export { evaluateAnalogiesFile, evaluateWordPairsFile } from './evaluate-node.ts';
