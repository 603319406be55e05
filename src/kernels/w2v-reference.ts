/**
 * word2vec inner loop, plain TypeScript reference: trains skip-gram or CBOW with negative sampling
 * and/or hierarchical softmax on one chunk of token ids, exactly like the AssemblyScript kernel in
 * `wasm/as/w2v.ts` (same memory layout, same random stream, same update order; float rounding and
 * summation order differ, so results agree to a tolerance, not bit for bit).
 *
 * Everything lives in one linear memory (`ArrayBuffer`, `SharedArrayBuffer` or the WASM memory), addressed
 * by byte pointers, so the same call works on the WASM heap (shared between worker threads: Hogwild) or
 * on a plain buffer. The layout is described by a config block of int32 words (see `W2V_CFG`).
 *
 * Reference: T. Mikolov, K. Chen, G. Corrado, J. Dean, "Efficient Estimation of Word Representations in
 * Vector Space", 2013a; T. Mikolov, I. Sutskever, K. Chen, G. Corrado, J. Dean, "Distributed Representations
 * of Words and Phrases and their Compositionality", NIPS 2013b; the C tool word2vec.c (TrainModelThread):
 * window shrinking `b = rand % window`, subsampling while reading a sentence, sigmoid lookup table with
 * MAX_EXP = 6 and 1000 entries, gradient clipping at ±MAX_EXP, context word's input vector against the
 * centre word's output vector(s) in skip-gram, mean of the context in CBOW with the error added in full to
 * every context word. Deviation: a 32-bit counter-based generator (Weyl sequence + splitmix32 finalizer) instead of the C tool's 64-bit LCG (identical
 * in JS and WASM) and Walker's alias method instead of the 1e8-entry unigram table (exact distribution).
 */

/** Sigmoid table bounds (word2vec.c MAX_EXP / EXP_TABLE_SIZE). */
export const W2V_MAX_EXP = 6;
export const W2V_EXP_TABLE_SIZE = 1000;
/** Longest Huffman code (word2vec.c MAX_CODE_LENGTH). */
export const W2V_MAX_CODE_LENGTH = 40;
/** Longest sentence the kernel sees (word2vec.c MAX_SENTENCE_LENGTH); the chunk builder splits longer lines. */
export const W2V_MAX_SENTENCE = 1000;

/** Indices of the int32 words of the config block. Pointers are byte offsets into the memory. */
export const W2V_CFG = {
  dim: 0, window: 1, negative: 2, hs: 3, cbow: 4, vocabSize: 5,
  syn0: 6, syn1: 7, syn1neg: 8, expTable: 9, logSigTable: 10,
  aliasProb: 11, aliasIdx: 12, keep: 13, codes: 14, points: 15, codeLen: 16, sharedNeg: 17,
  /** Scratch offsets (bytes from a thread's scratch start) of the shared-negatives blocks: see w2vScratchOffsets. */
  offCtx: 18, offTgt: 19, offGrad: 20, offErr: 21, offHid: 22,
  /** Number of int32 words in the block. */
  size: 24,
} as const;

/**
 * Per-thread scratch layout (bytes): stats f64[4] at 0 (words, loss terms), sentence i32[1000] at 64,
 * neu1 f32[dimPad] at W2V_SCRATCH_NEU1, neu1e f32[dimPad] after it, then the shared-negatives blocks (offsets
 * also stored in the config block, so the WASM kernel reads the same numbers): context ids
 * i32[B·2·window] (skip-gram uses the first 2·window), targets i32[negative+1] (+ B context counts), logistic
 * gradients f32[B × (negative+1)], errors f32[B × dimPad] and CBOW hidden vectors f32[B × dimPad] (the last three
 * for CBOW only), each 16-byte aligned.
 */
export const W2V_SCRATCH_SENT = 64;
export const W2V_SCRATCH_NEU1 = 64 + 4 * W2V_MAX_SENTENCE + 32; // 4096, 16-aligned
/** Centre words per CBOW shared-negatives minibatch. */
export const W2V_CBOW_BATCH = 8;
const al16 = (x: number) => (x + 15) & ~15;
/** Byte offsets (from the scratch start) of the shared-negatives blocks, and the total scratch size. */
export function w2vScratchOffsets(dim: number, window: number, negative: number): { ctx: number; tgt: number; grad: number; err: number; hid: number; bytes: number } {
  const dimPad = (dim + 3) & ~3, B = W2V_CBOW_BATCH;
  const ctx = W2V_SCRATCH_NEU1 + 8 * dimPad;
  const tgt = ctx + al16(4 * B * 2 * window);
  const grad = tgt + al16(4 * (negative + 1 + B));
  const err = grad + al16(4 * B * (negative + 1));
  const hid = err + al16(4 * B * dimPad);
  return { ctx, tgt, grad, err, hid, bytes: hid + 4 * B * dimPad + 64 };
}
/** Bytes of scratch a thread needs for a given dimension / window / negative count. */
export function w2vScratchBytes(dim: number, window: number, negative: number): number {
  return w2vScratchOffsets(dim, window, negative).bytes;
}

/** Sigmoid table as word2vec.c builds it: σ at (i / SIZE · 2 − 1) · MAX_EXP. */
export function w2vExpTable(): Float32Array {
  const t = new Float32Array(W2V_EXP_TABLE_SIZE);
  for (let i = 0; i < W2V_EXP_TABLE_SIZE; i++) {
    const e = Math.exp(((i / W2V_EXP_TABLE_SIZE) * 2 - 1) * W2V_MAX_EXP);
    t[i] = e / (e + 1);
  }
  return t;
}

/** log σ on the same grid (for the running loss). */
export function w2vLogSigTable(): Float32Array {
  const t = new Float32Array(W2V_EXP_TABLE_SIZE);
  for (let i = 0; i < W2V_EXP_TABLE_SIZE; i++) {
    const x = ((i / W2V_EXP_TABLE_SIZE) * 2 - 1) * W2V_MAX_EXP;
    t[i] = -Math.log1p(Math.exp(-x));
  }
  return t;
}

/**
 * The kernels' random stream (identical in JS and WASM): a Weyl counter c += 0x9e3779b9 hashed by the
 * splitmix32 finalizer (as src/util/rng.ts seeds itself). Stateless given the counter; `w2vRandom(c)` returns
 * the output for counter value c. (A plain xorshift32 stream was tried first: its consecutive outputs are
 * linearly related, which biased the alias-table draws that use two consecutive outputs.)
 */
export function w2vRandom(c: number): number {
  let z = c | 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}
/** Weyl increment of the counter. */
export const W2V_WEYL = 0x9e3779b9;

const TBL_SCALE = W2V_EXP_TABLE_SIZE / W2V_MAX_EXP / 2;

/**
 * Train on `nTok` token ids at byte pointer `tokPtr` (−1 separates sentences). `wordsBefore` is the number of
 * in-vocabulary words trained before this chunk in the whole run and `totalWords` = epochs × corpus words:
 * the learning rate is `alpha · max(1 − progress, 1e−4)`, re-computed at every sentence (word2vec.c does it
 * every 10,000 words). `seed` starts the chunk's random stream. Returns the summed loss; the scratch stats
 * receive the words processed (f64 at +0) and the number of loss terms (f64 at +8).
 */
export function w2vTrainChunkRef(mem: ArrayBufferLike, cfgPtr: number, scratchPtr: number, tokPtr: number, nTok: number,
  wordsBefore: number, totalWords: number, alpha0: number, seed: number): number {
  const I32 = new Int32Array(mem), U32 = new Uint32Array(mem), F32 = new Float32Array(mem), U8 = new Uint8Array(mem);
  const F64 = new Float64Array(mem);
  const c = cfgPtr >> 2;
  const dim = I32[c + W2V_CFG.dim], window = I32[c + W2V_CFG.window], negative = I32[c + W2V_CFG.negative];
  const hs = I32[c + W2V_CFG.hs] !== 0, cbow = I32[c + W2V_CFG.cbow] !== 0, V = I32[c + W2V_CFG.vocabSize];
  const syn0 = I32[c + W2V_CFG.syn0] >> 2, syn1 = I32[c + W2V_CFG.syn1] >> 2, syn1neg = I32[c + W2V_CFG.syn1neg] >> 2;
  const expT = I32[c + W2V_CFG.expTable] >> 2, logT = I32[c + W2V_CFG.logSigTable] >> 2;
  const aProb = I32[c + W2V_CFG.aliasProb] >> 2, aIdx = I32[c + W2V_CFG.aliasIdx] >> 2, keep = I32[c + W2V_CFG.keep] >> 2;
  const codes = I32[c + W2V_CFG.codes], points = I32[c + W2V_CFG.points] >> 2, codeLen = I32[c + W2V_CFG.codeLen];
  const sharedNeg = I32[c + W2V_CFG.sharedNeg] !== 0 && !hs && negative > 0;
  const dimPad = (dim + 3) & ~3;
  const ctxB = (scratchPtr + I32[c + W2V_CFG.offCtx]) >> 2, tgtB = (scratchPtr + I32[c + W2V_CFG.offTgt]) >> 2;
  const gradB = (scratchPtr + I32[c + W2V_CFG.offGrad]) >> 2, errB = (scratchPtr + I32[c + W2V_CFG.offErr]) >> 2;
  const hidB = (scratchPtr + I32[c + W2V_CFG.offHid]) >> 2;
  const sent = (scratchPtr + W2V_SCRATCH_SENT) >> 2;
  const neu1 = (scratchPtr + W2V_SCRATCH_NEU1) >> 2, neu1e = neu1 + dimPad;
  const tok = tokPtr >> 2;
  let ctr = seed | 0, rnd = 0;
  const nextRnd = () => { ctr = (ctr + W2V_WEYL) | 0; return w2vRandom(ctr); };
  let loss = 0, terms = 0, wordsDone = 0;

  // One logistic unit: input row `l1` (or neu1) against output row `l2` with label; returns g.
  const unit = (inp: number, l2: number, label: number, alpha: number): number => {
    let f = 0;
    for (let k = 0; k < dim; k++) f += F32[inp + k] * F32[l2 + k];
    let g: number;
    if (f > W2V_MAX_EXP) { g = (label - 1) * alpha; loss += label ? 0 : f; }
    else if (f < -W2V_MAX_EXP) { g = label * alpha; loss += label ? -f : 0; }
    else {
      const ix = Math.trunc((f + W2V_MAX_EXP) * TBL_SCALE);
      g = (label - F32[expT + ix]) * alpha;
      // −log σ(f) for label 1, −log σ(−f) = −log σ(f) + f for label 0
      loss -= F32[logT + ix] - (label ? 0 : f);
    }
    terms++;
    for (let k = 0; k < dim; k++) F32[neu1e + k] += g * F32[l2 + k];
    for (let k = 0; k < dim; k++) F32[l2 + k] += g * F32[inp + k];
    return g;
  };

  let i = 0;
  while (i < nTok) {
    let sentLen = 0, inSentence = 0;
    while (i < nTok) {
      const w = I32[tok + i++];
      if (w < 0) break;
      inSentence++;
      const kp = U32[keep + w];
      if (kp !== 0xffffffff) { rnd = nextRnd(); if (rnd > kp) continue; }
      I32[sent + sentLen++] = w;
      if (sentLen >= W2V_MAX_SENTENCE) break;
    }
    const alpha = alpha0 * Math.max(1 - (wordsBefore + wordsDone) / (totalWords + 1), 1e-4);
    wordsDone += inSentence;
    if (cbow && sharedNeg) {
      // CBOW with negatives shared by W2V_CBOW_BATCH consecutive centre words (the CBOW analogue of Ji et al.
      // 2016): hidden vectors H (B×d) against their own centre word + K shared negatives, one minibatch step
      // (all gradients from the pre-update weights). Gradient row bi: K negatives then the centre word;
      // context counts live after the K targets in the target block.
      const B = W2V_CBOW_BATCH, w2 = 2 * window, gr = negative + 1, cwB = tgtB + negative;
      for (let p0 = 0; p0 < sentLen; p0 += B) {
        const nb = Math.min(B, sentLen - p0);
        for (let d = 0; d < negative; d++) I32[tgtB + d] = sampleNeg();
        for (let bi = 0; bi < nb; bi++) {
          const pos = p0 + bi, word = I32[sent + pos];
          rnd = nextRnd();
          const b = rnd % window;
          const h = hidB + bi * dimPad, e = errB + bi * dimPad;
          for (let k = 0; k < dim; k++) { F32[h + k] = 0; F32[e + k] = 0; }
          let cw = 0;
          for (let a = b; a < window * 2 + 1 - b; a++) {
            const cpos = pos - window + a;
            if (a === window || cpos < 0 || cpos >= sentLen) continue;
            const l1 = syn0 + I32[sent + cpos] * dim;
            I32[ctxB + bi * w2 + cw++] = I32[sent + cpos];
            for (let k = 0; k < dim; k++) F32[h + k] += F32[l1 + k];
          }
          I32[cwB + bi] = cw;
          if (cw === 0) continue;
          for (let k = 0; k < dim; k++) F32[h + k] /= cw;
          for (let ti = 0; ti <= negative; ti++) {
            const t = ti < negative ? I32[tgtB + ti] : word;
            let g = 0;
            if (ti === negative || t !== word) {
              const l2 = syn1neg + t * dim;
              let f = 0;
              for (let k = 0; k < dim; k++) f += F32[h + k] * F32[l2 + k];
              g = logistic(f, ti === negative ? 1 : 0, alpha);
              for (let k = 0; k < dim; k++) F32[e + k] += g * F32[l2 + k];
            }
            F32[gradB + bi * gr + ti] = g;
          }
        }
        for (let ti = 0; ti <= negative; ti++) {
          for (let bi = 0; bi < nb; bi++) {
            if (I32[cwB + bi] === 0) continue;
            const t = ti < negative ? I32[tgtB + ti] : I32[sent + p0 + bi];
            const g = F32[gradB + bi * gr + ti], l2 = syn1neg + t * dim, h = hidB + bi * dimPad;
            for (let k = 0; k < dim; k++) F32[l2 + k] += g * F32[h + k];
          }
        }
        for (let bi = 0; bi < nb; bi++) {
          const e = errB + bi * dimPad, cw = I32[cwB + bi];
          for (let j = 0; j < cw; j++) {
            const l1 = syn0 + I32[ctxB + bi * w2 + j] * dim;
            for (let k = 0; k < dim; k++) F32[l1 + k] += F32[e + k];
          }
        }
      }
      continue;
    }
    for (let pos = 0; pos < sentLen; pos++) {
      const word = I32[sent + pos];
      rnd = nextRnd();
      const b = rnd % window;
      if (cbow) {
        for (let k = 0; k < dim; k++) { F32[neu1 + k] = 0; F32[neu1e + k] = 0; }
        let cw = 0;
        for (let a = b; a < window * 2 + 1 - b; a++) {
          if (a === window) continue;
          const cpos = pos - window + a;
          if (cpos < 0 || cpos >= sentLen) continue;
          const l1 = syn0 + I32[sent + cpos] * dim;
          for (let k = 0; k < dim; k++) F32[neu1 + k] += F32[l1 + k];
          cw++;
        }
        if (cw === 0) continue;
        for (let k = 0; k < dim; k++) F32[neu1 + k] /= cw;
        trainOutput(neu1, word, alpha);
        for (let a = b; a < window * 2 + 1 - b; a++) {
          if (a === window) continue;
          const cpos = pos - window + a;
          if (cpos < 0 || cpos >= sentLen) continue;
          const l1 = syn0 + I32[sent + cpos] * dim;
          for (let k = 0; k < dim; k++) F32[l1 + k] += F32[neu1e + k];
        }
      } else if (sharedNeg) {
        // Skip-gram with negatives shared across the window (after Ji et al. 2016): K negatives drawn once per
        // centre word serve all n context words; the updates stay sequential in word2vec.c's order (context word
        // by context word, each against the centre word then the K negatives, output rows updated at once).
        let n = 0;
        for (let a = b; a < window * 2 + 1 - b; a++) {
          const cpos = pos - window + a;
          if (a === window || cpos < 0 || cpos >= sentLen) continue;
          I32[ctxB + n++] = I32[sent + cpos];
        }
        if (n === 0) continue;
        let nt = 1;
        I32[tgtB] = word;
        for (let d = 0; d < negative; d++) { const t = sampleNeg(); if (t !== word) I32[tgtB + nt++] = t; }
        for (let ci = 0; ci < n; ci++) {
          const l1 = syn0 + I32[ctxB + ci] * dim;
          for (let k = 0; k < dim; k++) F32[neu1e + k] = 0;
          for (let ti = 0; ti < nt; ti++) unit(l1, syn1neg + I32[tgtB + ti] * dim, ti === 0 ? 1 : 0, alpha);
          for (let k = 0; k < dim; k++) F32[l1 + k] += F32[neu1e + k];
        }
      } else {
        for (let a = b; a < window * 2 + 1 - b; a++) {
          if (a === window) continue;
          const cpos = pos - window + a;
          if (cpos < 0 || cpos >= sentLen) continue;
          const l1 = syn0 + I32[sent + cpos] * dim;
          for (let k = 0; k < dim; k++) F32[neu1e + k] = 0;
          trainOutput(l1, word, alpha);
          for (let k = 0; k < dim; k++) F32[l1 + k] += F32[neu1e + k];
        }
      }
    }
  }
  F64[scratchPtr >> 3] = wordsDone;
  F64[(scratchPtr >> 3) + 1] = terms;
  return loss;

  // g of a logistic unit with logit f (word2vec.c clipping at ±MAX_EXP), adding its loss.
  function logistic(f: number, label: number, alpha: number): number {
    terms++;
    if (f > W2V_MAX_EXP) { if (!label) loss += f; return (label - 1) * alpha; }
    if (f < -W2V_MAX_EXP) { if (label) loss -= f; return label * alpha; }
    const ix = Math.trunc((f + W2V_MAX_EXP) * TBL_SCALE);
    loss -= F32[logT + ix] - (label ? 0 : f);
    return (label - F32[expT + ix]) * alpha;
  }

  function sampleNeg(): number {
    rnd = nextRnd();
    // column = floor(rnd · V / 2^32) (exact in doubles for V < 2^21)
    const col = Math.floor((rnd * V) / 4294967296);
    rnd = nextRnd();
    return rnd < U32[aProb + col] ? col : I32[aIdx + col];
  }

  // Output layer for one input vector h (CBOW context mean or a skip-gram context row): the HS path of `word`
  // and/or `word` + `negative` sampled negatives; output rows are updated, h's error accumulates into neu1e.
  function trainOutput(h: number, word: number, alpha: number): void {
    if (hs) {
      const cl = U8[codeLen + word];
      for (let d = 0; d < cl; d++) {
        const l2 = syn1 + I32[points + word * W2V_MAX_CODE_LENGTH + d] * dim;
        unitHs(h, l2, U8[codes + word * W2V_MAX_CODE_LENGTH + d], alpha);
      }
    }
    for (let d = 0; d <= negative && negative > 0; d++) {
      let target = word, label = 1;
      if (d > 0) {
        target = sampleNeg();
        if (target === word) continue;
        label = 0;
      }
      unit(h, syn1neg + target * dim, label, alpha);
    }
  }

  // Hierarchical softmax unit (word2vec.c: skip when |f| ≥ MAX_EXP; label = 1 − code).
  function unitHs(inp: number, l2: number, code: number, alpha: number): void {
    let f = 0;
    for (let k = 0; k < dim; k++) f += F32[inp + k] * F32[l2 + k];
    if (f <= -W2V_MAX_EXP || f >= W2V_MAX_EXP) {
      // no update; loss of the clipped term: −log σ(±f) ≈ max(0, ∓f)
      const s = code ? f : -f; // loss = −log σ(s·...) with target 1 − code
      loss += s > 0 ? s : 0; terms++;
      return;
    }
    const ix = Math.trunc((f + W2V_MAX_EXP) * TBL_SCALE);
    const g = (1 - code - F32[expT + ix]) * alpha;
    loss -= F32[logT + ix] - (code ? f : 0);
    terms++;
    for (let k = 0; k < dim; k++) F32[neu1e + k] += g * F32[l2 + k];
    for (let k = 0; k < dim; k++) F32[l2 + k] += g * F32[inp + k];
  }
}
