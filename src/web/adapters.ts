/**
 * Adapters from the real libraries to the server's small backend interfaces (browser-safe: no node:* imports,
 * so the page can use the very same adapters for in-browser inference).
 */
import type { WordVectors } from '../embeddings/word-vectors.ts';
import type { SentimentClassifier } from '../tasks/sentiment/model.ts';
import type { WordsBackend, SentimentBackend } from './backends.ts';

/** Word queries over a `WordVectors` store (gensim-style queries implemented in src/embeddings). */
export function wordsBackend(wv: WordVectors, opts: { lowercase?: boolean } = {}): WordsBackend {
  const lower = opts.lowercase ?? true;
  return {
    dim: wv.dim,
    has: (w) => wv.has(w),
    normalize: (w) => {
      const t = w.trim();
      return lower && !wv.has(t) ? t.toLowerCase() : t;
    },
    neighbors: (word, k) => wv.similarByWord(word, { topn: k }),
    // a : b :: c : ? — 3CosAdd, b − a + c (gensim most_similar(positive=[b, c], negative=[a])).
    analogy: (a, b, c, k) => wv.analogy(a, b, c, { topn: k }),
    similarity: (a, b) => ({ cosine: wv.similarity(a, b), euclidean: wv.distance(a, b) }),
    doesntMatch: (words) => {
      const ranked = wv.rankByCentrality(words);
      return { odd: ranked[ranked.length - 1].word, scores: ranked };
    },
    vector: (w) => wv.vector(w).slice(),
  };
}

/** Predictions of a trained `SentimentClassifier` (its own tokenizer and vocabulary; unknown tokens → <unk>). */
export function sentimentBackend(model: SentimentClassifier): SentimentBackend {
  return {
    labels: [...model.labels],
    classifier: model,
    tokenize: (text) => model.tokenizer.tokenize(text),
    isKnown: (token) => model.vocab.has(token),
    predictBatch: (lists) => {
      // An empty token list becomes one <unk>, as SentimentClassifier.encodeTexts does.
      const ids = lists.map((t) => { const e = model.vocab.encode(t); return e.length ? e : Int32Array.of(model.vocab.unkId); });
      return model.predictIds(ids).map((p) => Array.from(p));
    },
  };
}
