// word2vec inner loop in AssemblyScript SIMD: one call trains a whole chunk of token ids (skip-gram or CBOW,
// negative sampling and/or hierarchical softmax), so the JS→WASM call cost is paid once per ~50k words.
// Same memory layout, random stream and update order as the plain-TS reference in
// src/kernels/w2v-reference.ts (read that file for the layout of the config block and scratch area).
//
// Reference: word2vec.c TrainModelThread (Mikolov et al. 2013a/b): window shrinking, subsampling while
// reading the sentence, sigmoid table (MAX_EXP 6, 1000 entries), clipping; Hogwild (lock-free) updates when
// several threads run this on one shared memory (Recht et al. 2011).
//
// Module globals (ctr, lossAcc, termsAcc) are WebAssembly globals: private to each instance, i.e. to each thread.
import { madd, dotv } from './simd';

const MAX_EXP: f32 = 6.0;
const TBL_SIZE: i32 = 1000;
const TBL_SCALE: f32 = <f32>TBL_SIZE / MAX_EXP / 2.0;
const MAXC: i32 = 40;
const MAXS: i32 = 1000;
const SCR_SENT: usize = 64;
const SCR_NEU1: usize = 4096;
const CBOW_BATCH: i32 = 8; // W2V_CBOW_BATCH

let ctr: u32 = 1;
let lossAcc: f64 = 0;
let termsAcc: f64 = 0;

// Weyl counter + splitmix32 finalizer (w2vRandom in the reference).
// @ts-ignore: decorator
@inline function nextRnd(): u32 {
  ctr += 0x9e3779b9;
  let z = ctr;
  z = (z ^ (z >> 16)) * 0x85ebca6b;
  z = (z ^ (z >> 13)) * 0xc2b2ae35;
  return z ^ (z >> 16);
}

// @ts-ignore: decorator
@inline function cfgI(cfg: usize, i: i32): i32 { return load<i32>(cfg + (<usize>i << 2)); }

/** e += g·out; out += g·inp (the two updates of one logistic unit, fused). */
// @ts-ignore: decorator
@inline function update2(e: usize, out: usize, inp: usize, g: f32, n: i32): void {
  const gv = f32x4.splat(g);
  let k = 0;
  for (; k + 4 <= n; k += 4) {
    const o = <usize>k << 2;
    const vo = v128.load(out + o);
    v128.store(e + o, madd(gv, vo, v128.load(e + o)));
    v128.store(out + o, madd(gv, v128.load(inp + o), vo));
  }
  for (; k < n; k++) {
    const o = <usize>k << 2;
    const vo = load<f32>(out + o);
    store<f32>(e + o, load<f32>(e + o) + g * vo);
    store<f32>(out + o, vo + g * load<f32>(inp + o));
  }
}

/** y += a·x. */
// @ts-ignore: decorator
@inline function axpyv(y: usize, x: usize, a: f32, n: i32): void {
  const av = f32x4.splat(a);
  let k = 0;
  for (; k + 4 <= n; k += 4) { const o = <usize>k << 2; v128.store(y + o, madd(av, v128.load(x + o), v128.load(y + o))); }
  for (; k < n; k++) { const o = <usize>k << 2; store<f32>(y + o, load<f32>(y + o) + a * load<f32>(x + o)); }
}

// @ts-ignore: decorator
@inline function zerov(y: usize, n: i32): void {
  let k = 0;
  for (; k + 4 <= n; k += 4) v128.store(y + (<usize>k << 2), f32x4.splat(0));
  for (; k < n; k++) store<f32>(y + (<usize>k << 2), 0);
}

/** Negative-sampling unit (label 1 = positive). */
// @ts-ignore: decorator
@inline function unitNeg(inp: usize, l2: usize, e: usize, label: i32, alpha: f32, dim: i32, expT: usize, logT: usize): void {
  const f = dotv(inp, l2, dim);
  let g: f32;
  if (f > MAX_EXP) { g = <f32>(label - 1) * alpha; if (!label) lossAcc += <f64>f; }
  else if (f < -MAX_EXP) { g = <f32>label * alpha; if (label) lossAcc -= <f64>f; }
  else {
    const ix = <usize>(<i32>((f + MAX_EXP) * TBL_SCALE)) << 2;
    g = (<f32>label - load<f32>(expT + ix)) * alpha;
    lossAcc -= <f64>load<f32>(logT + ix) - (label ? 0.0 : <f64>f);
  }
  termsAcc += 1;
  update2(e, l2, inp, g, dim);
}

/** g of a logistic unit with logit f (clipped at ±MAX_EXP as word2vec.c), adding its loss. */
// @ts-ignore: decorator
@inline function logistic(f: f32, label: i32, alpha: f32, expT: usize, logT: usize): f32 {
  termsAcc += 1;
  if (f > MAX_EXP) { if (!label) lossAcc += <f64>f; return <f32>(label - 1) * alpha; }
  if (f < -MAX_EXP) { if (label) lossAcc -= <f64>f; return <f32>label * alpha; }
  const ix = <usize>(<i32>((f + MAX_EXP) * TBL_SCALE)) << 2;
  lossAcc -= <f64>load<f32>(logT + ix) - (label ? 0.0 : <f64>f);
  return (<f32>label - load<f32>(expT + ix)) * alpha;
}

/** Hierarchical-softmax unit (word2vec.c: no update when |f| ≥ MAX_EXP; label = 1 − code). */
// @ts-ignore: decorator
@inline function unitHs(inp: usize, l2: usize, e: usize, code: i32, alpha: f32, dim: i32, expT: usize, logT: usize): void {
  const f = dotv(inp, l2, dim);
  termsAcc += 1;
  if (f <= -MAX_EXP || f >= MAX_EXP) {
    const s: f32 = code ? f : -f;
    if (s > 0) lossAcc += <f64>s;
    return;
  }
  const ix = <usize>(<i32>((f + MAX_EXP) * TBL_SCALE)) << 2;
  const g = (<f32>(<i32>1 - code) - load<f32>(expT + ix)) * alpha; // label = 1 − code
  lossAcc -= <f64>load<f32>(logT + ix) - (code ? <f64>f : 0.0);
  update2(e, l2, inp, g, dim);
}

/**
 * Train one chunk (see w2vTrainChunkRef for the contract). Returns the summed loss; writes words processed
 * and loss terms as f64 at scratch+0 / scratch+8.
 */
// @ts-ignore: decorator
/** One negative sample from the alias table: a uniform column, then that word or its alias (two draws, in this order). */
@inline function drawNegative(V: u64, aProb: usize, aIdx: usize): i32 {
  const col = <i32>((<u64>nextRnd() * V) >> 32);
  return nextRnd() < load<u32>(aProb + (<usize>col << 2)) ? col : load<i32>(aIdx + (<usize>col << 2));
}

// @ts-ignore: decorator
/**
 * Output layer for one input vector h (the CBOW context mean, or one skip-gram context row): the hierarchical-softmax
 * path of `word` and/or `word` + `negative` sampled negatives; output rows are updated, h's error accumulates into e.
 */
@inline function trainOutput(h: usize, word: i32, e: usize, hs: bool, negative: i32, codeLen: usize, codes: usize,
  points: usize, syn1: usize, syn1neg: usize, rowB: usize, V: u64, aProb: usize, aIdx: usize, alpha: f32, dim: i32,
  expT: usize, logT: usize): void {
  if (hs) {
    const cl = <i32>load<u8>(codeLen + <usize>word);
    const base = <usize>word * <usize>MAXC;
    for (let d = 0; d < cl; d++) {
      const l2 = syn1 + <usize>load<i32>(points + ((base + <usize>d) << 2)) * rowB;
      unitHs(h, l2, e, <i32>load<u8>(codes + base + <usize>d), alpha, dim, expT, logT);
    }
  }
  if (negative > 0) {
    for (let d = 0; d <= negative; d++) {
      let target = word, label = 1;
      if (d > 0) {
        target = drawNegative(V, aProb, aIdx);
        if (target == word) continue;
        label = 0;
      }
      unitNeg(h, syn1neg + <usize>target * rowB, e, label, alpha, dim, expT, logT);
    }
  }
}

export function w2vTrainChunk(cfg: usize, scratch: usize, tok: usize, nTok: i32,
  wordsBefore: f64, totalWords: f64, alpha0: f64, seed: u32): f64 {
  const dim = cfgI(cfg, 0), window = cfgI(cfg, 1), negative = cfgI(cfg, 2);
  const hs = cfgI(cfg, 3) != 0, cbow = cfgI(cfg, 4) != 0, V = <u64>cfgI(cfg, 5);
  const syn0 = <usize>cfgI(cfg, 6), syn1 = <usize>cfgI(cfg, 7), syn1neg = <usize>cfgI(cfg, 8);
  const expT = <usize>cfgI(cfg, 9), logT = <usize>cfgI(cfg, 10);
  const aProb = <usize>cfgI(cfg, 11), aIdx = <usize>cfgI(cfg, 12), keep = <usize>cfgI(cfg, 13);
  const codes = <usize>cfgI(cfg, 14), points = <usize>cfgI(cfg, 15), codeLen = <usize>cfgI(cfg, 16);
  const rowB = <usize>dim << 2;
  const dimPad = (dim + 3) & ~3;
  const sharedNeg = cfgI(cfg, 17) != 0 && !hs && negative > 0;
  // shared-negatives scratch blocks (offsets computed by w2vScratchOffsets in JS, stored in the config block)
  const ctxB = scratch + <usize>cfgI(cfg, 18);
  const tgtB = scratch + <usize>cfgI(cfg, 19);
  const gradB = scratch + <usize>cfgI(cfg, 20);
  const errB = scratch + <usize>cfgI(cfg, 21);
  const hidB = scratch + <usize>cfgI(cfg, 22);
  const errRow = <usize>dimPad << 2;
  const sent = scratch + SCR_SENT;
  const neu1 = scratch + SCR_NEU1, neu1e = neu1 + (<usize>dimPad << 2);
  ctr = seed;
  lossAcc = 0; termsAcc = 0;
  let wordsDone: f64 = 0;
  let i = 0;
  const w2 = window * 2 + 1;
  while (i < nTok) {
    let sentLen = 0, inSentence = 0;
    while (i < nTok) {
      const w = load<i32>(tok + (<usize>i << 2)); i++;
      if (w < 0) break;
      inSentence++;
      const kp = load<u32>(keep + (<usize>w << 2));
      if (kp != 0xffffffff) { if (nextRnd() > kp) continue; }
      store<i32>(sent + (<usize>sentLen << 2), w); sentLen++;
      if (sentLen >= MAXS) break;
    }
    let frac = 1.0 - (wordsBefore + wordsDone) / (totalWords + 1.0);
    if (frac < 1e-4) frac = 1e-4;
    const alpha = <f32>(alpha0 * frac);
    wordsDone += <f64>inSentence;
    if (cbow && sharedNeg) {
      // CBOW, negatives shared by CBOW_BATCH consecutive centre words (see the reference for the layout).
      const w2n = window * 2, gr = negative + 1;
      const cwB = tgtB + (<usize>negative << 2);
      for (let p0 = 0; p0 < sentLen; p0 += CBOW_BATCH) {
        const nb = min(CBOW_BATCH, sentLen - p0);
        for (let d = 0; d < negative; d++) {
          store<i32>(tgtB + (<usize>d << 2), drawNegative(V, aProb, aIdx));
        }
        for (let bi = 0; bi < nb; bi++) {
          const pos = p0 + bi;
          const word = load<i32>(sent + (<usize>pos << 2));
          const b = <i32>(nextRnd() % <u32>window);
          const h = hidB + <usize>bi * errRow, e = errB + <usize>bi * errRow;
          zerov(h, dim); zerov(e, dim);
          const ctxRow = ctxB + (<usize>(bi * w2n) << 2);
          let cw = 0;
          for (let a = b; a < w2 - b; a++) {
            const c = pos - window + a;
            if (a == window || c < 0 || c >= sentLen) continue;
            const id = load<i32>(sent + (<usize>c << 2));
            store<i32>(ctxRow + (<usize>cw << 2), id); cw++;
            axpyv(h, syn0 + <usize>id * rowB, 1.0, dim);
          }
          store<i32>(cwB + (<usize>bi << 2), cw);
          if (cw == 0) continue;
          const iv = f32x4.splat(<f32>1.0 / <f32>cw);
          let k = 0;
          for (; k + 4 <= dim; k += 4) { const o = <usize>k << 2; v128.store(h + o, f32x4.mul(v128.load(h + o), iv)); }
          for (; k < dim; k++) { const o = <usize>k << 2; store<f32>(h + o, load<f32>(h + o) / <f32>cw); }
          const gRow = gradB + (<usize>(bi * gr) << 2);
          for (let ti = 0; ti <= negative; ti++) {
            const t = ti < negative ? load<i32>(tgtB + (<usize>ti << 2)) : word;
            let g: f32 = 0;
            if (ti == negative || t != word) {
              const l2 = syn1neg + <usize>t * rowB;
              g = logistic(dotv(h, l2, dim), ti == negative ? 1 : 0, alpha, expT, logT);
              axpyv(e, l2, g, dim);
            }
            store<f32>(gRow + (<usize>ti << 2), g);
          }
        }
        for (let ti = 0; ti <= negative; ti++) {
          for (let bi = 0; bi < nb; bi++) {
            if (load<i32>(cwB + (<usize>bi << 2)) == 0) continue;
            const t = ti < negative ? load<i32>(tgtB + (<usize>ti << 2)) : load<i32>(sent + (<usize>(p0 + bi) << 2));
            const g = load<f32>(gradB + (<usize>(bi * gr + ti) << 2));
            axpyv(syn1neg + <usize>t * rowB, hidB + <usize>bi * errRow, g, dim);
          }
        }
        for (let bi = 0; bi < nb; bi++) {
          const cw = load<i32>(cwB + (<usize>bi << 2));
          const ctxRow = ctxB + (<usize>(bi * w2n) << 2), e = errB + <usize>bi * errRow;
          for (let j = 0; j < cw; j++) axpyv(syn0 + <usize>load<i32>(ctxRow + (<usize>j << 2)) * rowB, e, 1.0, dim);
        }
      }
      continue;
    }
    for (let pos = 0; pos < sentLen; pos++) {
      const word = load<i32>(sent + (<usize>pos << 2));
      const b = <i32>(nextRnd() % <u32>window);
      if (cbow) {
        zerov(neu1, dim); zerov(neu1e, dim);
        let cw = 0;
        for (let a = b; a < w2 - b; a++) {
          const c = pos - window + a;
          if (a == window || c < 0 || c >= sentLen) continue;
          axpyv(neu1, syn0 + <usize>load<i32>(sent + (<usize>c << 2)) * rowB, 1.0, dim);
          cw++;
        }
        if (cw == 0) continue;
        const inv: f32 = 1.0 / <f32>cw;
        const iv = f32x4.splat(inv);
        let k = 0;
        for (; k + 4 <= dim; k += 4) { const o = <usize>k << 2; v128.store(neu1 + o, f32x4.mul(v128.load(neu1 + o), iv)); }
        for (; k < dim; k++) { const o = <usize>k << 2; store<f32>(neu1 + o, load<f32>(neu1 + o) / <f32>cw); }
        trainOutput(neu1, word, neu1e, hs, negative, codeLen, codes, points, syn1, syn1neg, rowB, V, aProb, aIdx, alpha, dim, expT, logT);
        for (let a = b; a < w2 - b; a++) {
          const c = pos - window + a;
          if (a == window || c < 0 || c >= sentLen) continue;
          axpyv(syn0 + <usize>load<i32>(sent + (<usize>c << 2)) * rowB, neu1e, 1.0, dim);
        }
      } else if (sharedNeg) {
        // Negatives shared across the window (after Ji et al. 2016): K negatives drawn once per centre word serve
        // all its context words, so the loop touches K random output rows per centre word instead of K per
        // (centre, context) pair. The updates stay sequential in word2vec.c's order (each context word sees the
        // output rows as the previous one left them): the minibatch form (all gradients from the pre-update
        // weights) measured 0.02-0.04 lower WordSim rho after 5 epochs on the 39M-token bench corpus.
        let n = 0;
        for (let a = b; a < w2 - b; a++) {
          const c = pos - window + a;
          if (a == window || c < 0 || c >= sentLen) continue;
          store<i32>(ctxB + (<usize>n << 2), load<i32>(sent + (<usize>c << 2))); n++;
        }
        if (n == 0) continue;
        let nt = 1;
        store<i32>(tgtB, word);
        for (let d = 0; d < negative; d++) {
          const t = drawNegative(V, aProb, aIdx);
          if (t != word) { store<i32>(tgtB + (<usize>nt << 2), t); nt++; }
        }
        for (let ci = 0; ci < n; ci++) {
          const l1 = syn0 + <usize>load<i32>(ctxB + (<usize>ci << 2)) * rowB;
          zerov(neu1e, dim);
          for (let ti = 0; ti < nt; ti++) {
            unitNeg(l1, syn1neg + <usize>load<i32>(tgtB + (<usize>ti << 2)) * rowB, neu1e, ti == 0 ? 1 : 0, alpha, dim, expT, logT);
          }
          axpyv(l1, neu1e, 1.0, dim);
        }
      } else {
        for (let a = b; a < w2 - b; a++) {
          const c = pos - window + a;
          if (a == window || c < 0 || c >= sentLen) continue;
          const l1 = syn0 + <usize>load<i32>(sent + (<usize>c << 2)) * rowB;
          zerov(neu1e, dim);
          trainOutput(l1, word, neu1e, hs, negative, codeLen, codes, points, syn1, syn1neg, rowB, V, aProb, aIdx, alpha, dim, expT, logT);
          axpyv(l1, neu1e, 1.0, dim);
        }
      }
    }
  }
  store<f64>(scratch, wordsDone);
  store<f64>(scratch + 8, termsAcc);
  return lossAcc;
}
