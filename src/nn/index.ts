/**
 * wordloom nn: layers with explicit forward/backward (llm.c style plain functions + small classes), losses,
 * dropout, initialisers, the sequence runner and a float64 gradient checker.
 *
 * Conventions: time-major [T][B][·] row-major Float32Arrays (Float64Arrays for gradient checks); every
 * backward ACCUMULATES (+=) into the gradients; all parameters live in ONE ParamSet (flat data + grad
 * buffers with named views, e.g. "enc.l0.fwd.W_ifgo": gate order in the name). Parameters are declared by
 * build(ps) before ps.finalize(), initialised by initialize(rng) after.
 *
 * Usage — an LSTM sentence classifier (embedding → bidirectional LSTM → last state → dense → softmax CE):
 *
 *   import { ParamSet, Embedding, SequenceModel, Dense, softmaxCrossEntropyForward,
 *            softmaxCrossEntropyBackward } from '../nn/index.ts';
 *   import { Rng } from '../util/rng.ts';
 *   const ps = new ParamSet();
 *   const emb = new Embedding({ vocabSize: V, dim: 100, name: 'emb' }).build(ps);
 *   const rnn = new SequenceModel({ cell: 'lstm', inputSize: 100, hiddenSize: 128, bidirectional: true,
 *                                   numLayers: 1, name: 'enc' }).build(ps);
 *   const out = new Dense({ inputSize: rnn.outputSize, outputSize: C, name: 'out' }).build(ps);
 *   ps.finalize();                                   // 'float64' for gradient checks
 *   const rng = new Rng(42);
 *   emb.initialize(rng); rnn.initialize(rng); out.initialize(rng);
 *
 *   // one step: ids Int32Array [T·B] time-major (ids[t*B+b], −1 = padding), lengths [B], labels [B]
 *   ps.zeroGrad();
 *   const x = emb.forward(ids);                      // [T][B][100]
 *   const { last } = rnn.forward(x, T, B, lengths);  // last [B][256] = [fwd h at len−1 | bwd h at 0]
 *                                                    // (+ { training: true, rng } for inter-layer dropout)
 *   const logits = out.forward(last, B);             // [B][C]
 *   const probs = new Float32Array(B * C), dlogits = new Float32Array(B * C);
 *   const loss = softmaxCrossEntropyForward(probs, logits, labels, B, C);
 *   softmaxCrossEntropyBackward(dlogits, probs, labels, B, C);
 *   const dlast = new Float32Array(B * rnn.outputSize);
 *   out.backward(dlogits, dlast);                    // dlast += dlogits·Wᵀ
 *   const dx = new Float32Array(T * B * 100);
 *   rnn.backward(null, dlast, dx);                   // (dOutputs [T][B][D] instead of null for per-step losses)
 *   emb.backward(dx);
 *   // gradients: ps.grad (flat) or ps.gradView('enc.l0.fwd.U_ifgo'); step an optimizer over ps.data/ps.grad.
 *
 * Plain functions (llm.c style) underneath: lstmForward/lstmBackward, gruForward/gruBackward, rnnForward/rnnBackward,
 * denseForward/denseBackward, embeddingForward/embeddingBackward, dropoutForward/dropoutBackward, losses.
 * Single cells (LSTM, GRU, SimpleRNN) can be driven directly: cell.build(ps); ...; const ws = cell.createWorkspace();
 * cell.forward(ws, x, T, B, lengths, h0, c0) → h_1..h_T [T][B][N]; cell.backward(ws, dH, dx); ws.dh0 / ws.dc0.
 * Initial states of a whole stack: rnn.forward(x, T, B, lengths, { h0, c0 }) with [numLayers·dirs][B][N] buffers
 * (torch's h_0/c_0 layout) and rnn.backward(dOut, dLast, dx, { h0: dh0, c0: dc0 }).
 * One-hot input without a one-hot matrix: rnn.forward({ ids, padId: 0 }, T, B, lengths) with inputSize = V and ids
 * Int32Array [T·B] time-major — the first layer gathers rows of its W_x (the pad id's row is all zeros, as
 * oneHot(ids, V, { padZero: true })) and backward scatter-adds into them; pass dx = null.
 */
export { ParamSet, type ParamSpec, type Precision } from './params.ts';
export { cellParamCount, cellParamFormula, GATES, type CellType } from './param-count.ts';
export { glorotUniform, orthogonal, uniformInit } from './init.ts';
export {
  RecurrentWorkspace, RecurrentBase, allocFloat, freeFloat, normalizeLengths, isIndexInput, gatherRows, scatterAddRows,
  type RecurrentCell, type RecurrentOptions, type RecurrentConfig, type Lengths, type IndexInput, type RecurrentInput,
} from './recurrent.ts';
export { LSTM, LSTM_DEFAULTS, lstmForward, lstmBackward, type LSTMOptions } from './lstm.ts';
export { GRU, GRU_DEFAULTS, gruForward, gruBackward, type GRUOptions } from './gru.ts';
export { SimpleRNN, SIMPLE_RNN_DEFAULTS, rnnForward, rnnBackward, type SimpleRNNOptions } from './rnn.ts';
export {
  SequenceModel, SEQUENCE_MODEL_DEFAULTS, createCell,
  type SequenceModelOptions, type SequenceModelConfig, type SequenceOutput, type SequenceForwardOptions, type SequenceStateGrads,
} from './sequence.ts';
export { Dense, DENSE_DEFAULTS, denseForward, denseBackward, type DenseOptions, type DenseConfig, type Activation } from './dense.ts';
export { Embedding, EMBEDDING_DEFAULTS, embeddingForward, embeddingBackward, type EmbeddingOptions, type EmbeddingConfig } from './embedding.ts';
export { Dropout, DROPOUT_DEFAULTS, dropoutForward, dropoutBackward, type DropoutOptions } from './dropout.ts';
export {
  meanPoolForward, meanPoolBackward, maxPoolForward, maxPoolBackward, AttentionPooling, ATTENTION_DEFAULTS,
  type AttentionPoolingOptions, type AttentionPoolingConfig,
} from './pooling.ts';
export { softmaxCrossEntropyForward, softmaxCrossEntropyBackward, mseForward, mseBackward } from './loss.ts';
export {
  gradCheck, paramTargets, formatGradCheck, GRADCHECK_DEFAULTS,
  type GradCheckTarget, type GradCheckOptions, type GradCheckResult,
} from './gradcheck.ts';
