/**
 * Full-softmax word2vec objective (small vocabularies): p(t | c) = exp(V_tᵀ e_c) / Σ_j exp(V_jᵀ e_c) with
 * cross-entropy loss −Σ_j y_j log ŷ_j = −log ŷ_t, where e_c is the context representation (the context word's
 * input vector in skip-gram, the mean of the context words' input vectors in CBOW) and V is the V×d output
 * matrix. Written against `FloatArray` so the float64 gradient check runs the same code. Browser-safe.
 *
 * Reference: Mikolov et al. 2013a (the softmax formulation that negative sampling and hierarchical softmax
 * approximate); the sentence / window / subsampling loop follows word2vec.c like the kernel in
 * `kernels/w2v-reference.ts` (same random stream), only the output layer differs.
 */
import { K, type FloatArray } from '../../kernels/index.ts';
import { W2V_MAX_SENTENCE, W2V_WEYL, w2vRandom } from '../../kernels/w2v-reference.ts';

/**
 * Loss −log softmax(W·h)[target] for one context representation h (d) and output matrix W (V×d).
 * When `dh` / `dW` are given, accumulates ∂loss/∂h into dh and ∂loss/∂W into dW. `probs` is V scratch.
 */
export function fullSoftmaxLoss(h: FloatArray, W: FloatArray, V: number, d: number, target: number,
  probs: FloatArray, dh?: FloatArray, dW?: FloatArray): number {
  K.sgemm(false, true, 1, V, d, 1, h, d, W, d, 0, probs, V);
  let m = -Infinity;
  for (let j = 0; j < V; j++) if (probs[j] > m) m = probs[j];
  let z = 0;
  for (let j = 0; j < V; j++) { const e = Math.exp(probs[j] - m); probs[j] = e; z += e; }
  const loss = -Math.log(probs[target] / z);
  for (let j = 0; j < V; j++) probs[j] /= z;
  if (dh || dW) {
    probs[target] -= 1; // ∂loss/∂logits = ŷ − y
    if (dh) K.sgemm(false, false, 1, d, V, 1, probs, V, W, d, 1, dh, d);
    if (dW) K.sgemm(true, false, V, d, 1, 1, probs, V, h, d, 1, dW, d);
  }
  return loss;
}

/** Float32 views the full-softmax trainer works on. */
export interface FullSoftmaxModel {
  dim: number;
  vocabSize: number;
  /** Input vectors (V×d). */
  syn0: Float32Array;
  /** Output vectors (V×d). */
  out: Float32Array;
  /** Subsampling thresholds (see W2VVocab.keepThresholds). */
  keep: Uint32Array;
}

/**
 * Train on one chunk of ids (−1 separates sentences) with SGD on the full-softmax loss; same sentence and
 * window logic, learning-rate schedule and random stream as `w2vTrainChunkRef`.
 * Returns { loss, terms, words }.
 */
export function trainChunkFullSoftmax(m: FullSoftmaxModel, tokens: Int32Array, window: number, cbow: boolean,
  wordsBefore: number, totalWords: number, alpha0: number, seed: number): { loss: number; terms: number; words: number } {
  const { dim, vocabSize: V, syn0, out, keep } = m;
  const sent = new Int32Array(W2V_MAX_SENTENCE);
  const probs = new Float32Array(V), h = new Float32Array(dim), dh = new Float32Array(dim);
  let ctr = seed | 0, rnd = 0;
  const nextRnd = () => { ctr = (ctr + W2V_WEYL) | 0; return w2vRandom(ctr); };
  let loss = 0, terms = 0, wordsDone = 0, i = 0;
  const step = (target: number, alpha: number) => {
    dh.fill(0);
    loss += fullSoftmaxLoss(h, out, V, dim, target, probs, dh);
    terms++;
    // probs now holds ŷ − y: out −= α·(ŷ − y) ⊗ h  (after dh was computed from the old out)
    K.sgemm(true, false, V, dim, 1, -alpha, probs, V, h, dim, 1, out, dim);
  };
  while (i < tokens.length) {
    let sentLen = 0, inSentence = 0;
    while (i < tokens.length) {
      const w = tokens[i++];
      if (w < 0) break;
      inSentence++;
      if (keep[w] !== 0xffffffff) { rnd = nextRnd(); if (rnd > keep[w]) continue; }
      sent[sentLen++] = w;
      if (sentLen >= W2V_MAX_SENTENCE) break;
    }
    const alpha = alpha0 * Math.max(1 - (wordsBefore + wordsDone) / (totalWords + 1), 1e-4);
    wordsDone += inSentence;
    for (let pos = 0; pos < sentLen; pos++) {
      const word = sent[pos];
      rnd = nextRnd();
      const b = rnd % window;
      if (cbow) {
        h.fill(0);
        let cw = 0;
        for (let a = b; a < window * 2 + 1 - b; a++) {
          const c = pos - window + a;
          if (a === window || c < 0 || c >= sentLen) continue;
          K.axpy(dim, 1, syn0.subarray(sent[c] * dim, sent[c] * dim + dim), h);
          cw++;
        }
        if (!cw) continue;
        K.scale(dim, 1 / cw, h);
        step(word, alpha);
        // ∂loss/∂e_c for each context word = dh / cw; like word2vec.c's CBOW we add the full error to each
        // (equivalent to a cw-times larger step on the mean), so the update is −α·dh per context word.
        for (let a = b; a < window * 2 + 1 - b; a++) {
          const c = pos - window + a;
          if (a === window || c < 0 || c >= sentLen) continue;
          K.axpy(dim, -alpha, dh, syn0.subarray(sent[c] * dim, sent[c] * dim + dim));
        }
      } else {
        for (let a = b; a < window * 2 + 1 - b; a++) {
          const c = pos - window + a;
          if (a === window || c < 0 || c >= sentLen) continue;
          const row = syn0.subarray(sent[c] * dim, sent[c] * dim + dim);
          h.set(row);
          step(word, alpha);
          K.axpy(dim, -alpha, dh, row);
        }
      }
    }
  }
  return { loss, terms, words: wordsDone };
}
