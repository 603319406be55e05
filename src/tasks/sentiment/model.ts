/**
 * The sentiment classifier (browser-safe: no node:* imports — the web playground runs predictions in the page):
 *
 *   tokens → ids → input  [T][B][d]   Embedding lookup (random / pretrained, frozen or fine-tuned) → dropout,
 *                                     or one-hot (d = |V|): the ids go to the recurrent stack as token ids, whose first
 *                                     layer gathers rows of its input weights instead of multiplying a dense
 *                                     [T·B][|V|] one-hot matrix (same weights, same results; no vocabulary cap)
 *                → SequenceModel (RNN/GRU/LSTM, stacked, optionally bidirectional) over the padded, time-major batch
 *                → pooling over the valid steps: last state | mean | max | attention (nn/pooling.ts)  [B][D]
 *                → dropout → Dense → softmax over the classes (5 for SST-5, 2 for binary)
 *
 * Parameters live in two ParamSets: `embPs` (the embedding table, absent for one-hot input) and `netPs`
 * (recurrent layers + output layer), so a frozen table is simply not given to the optimizer.
 * A model file (nn/model-file.ts) holds the config, tokenizer options, labels, vocabulary and all weights.
 *
 * Reference: K. S. Tai, R. Socher, C. D. Manning, ACL 2015 (sequential LSTM sentiment baselines on SST);
 * R. Socher et al., EMNLP 2013 (SST).
 */
import { K, type FloatArray } from '../../kernels/index.ts';
import { ParamSet } from '../../nn/params.ts';
import { SequenceModel } from '../../nn/sequence.ts';
import type { RecurrentInput } from '../../nn/recurrent.ts';
import { Dense } from '../../nn/dense.ts';
import { Embedding } from '../../nn/embedding.ts';
import { Dropout } from '../../nn/dropout.ts';
import { meanPoolForward, meanPoolBackward, maxPoolForward, maxPoolBackward, AttentionPooling } from '../../nn/pooling.ts';
import { softmaxCrossEntropyForward, softmaxCrossEntropyBackward } from '../../nn/loss.ts';
import { encodeModelFile, decodeModelFile, modelTensors, type ModelFile, type TensorManifestEntry } from '../../nn/model-file.ts';
import { Tokenizer, type TokenizerOptions } from '../../text/tokenizer.ts';
import { Vocabulary } from '../../text/vocabulary.ts';
import { makeBatches, splitBatchByTokens, type PaddedBatch } from '../../text/encoding.ts';
import type { WordVectors } from '../../embeddings/word-vectors.ts';
import { Rng } from '../../util/rng.ts';
import { WordloomError } from '../../util/errors.ts';
import { validateConfig, SENTIMENT_DEFAULTS, modelConfigOf, type SentimentModelConfig } from './config.ts';
import type { TextClassifier } from './classifier.ts';

export const SENTIMENT_MODEL_TYPE = 'sentiment';

/** Prediction for one text. */
export interface SentimentPrediction {
  text: string;
  /** Predicted class index. */
  classIndex: number;
  /** Predicted label name (e.g. "4"). */
  label: string;
  /** "k/C" stars (class index + 1 out of the number of classes), e.g. "5/5". */
  stars: string;
  /** Class probabilities in label order. */
  probs: number[];
  /** Tokens (after tokenization) and how many of them were out of vocabulary. */
  tokens: string[];
  unknown: number;
  /** Attention pooling only: the weight of each token (same order as `tokens`; they sum to 1). */
  attention?: number[];
}

/** Result of initialising embeddings from pretrained vectors. */
export interface PretrainedInitStats {
  /** Vocabulary words (non-special) found in the vectors file. */
  found: number;
  /** Vocabulary words not found (random init). */
  missing: number;
  /** Share of training tokens covered by found words. */
  tokenCoverage: number;
}

/**
 * Padded time steps (T × B) per prediction batch: long reviews get smaller batches, so the recurrent stack's
 * per-step buffers stay bounded (a 5,000-token review runs alone, 64 short sentences run together).
 */
export const PREDICT_BATCH_TOKENS = 16_384;

export class SentimentClassifier implements TextClassifier {
  readonly kind = 'rnn' as const;
  readonly config: SentimentModelConfig;
  readonly vocab: Vocabulary;
  readonly labels: readonly string[];
  readonly tokenizer: Tokenizer;
  readonly embPs: ParamSet | null;
  readonly netPs: ParamSet;
  readonly embedding: Embedding | null;
  readonly seq: SequenceModel;
  readonly dense: Dense;
  /** Attention pooling layer (pooling "attention" only). */
  readonly attention: AttentionPooling | null;
  private readonly dropIn: Dropout;
  private readonly dropOut: Dropout;
  // Buffers (grow on demand).
  private dxBuf: Float32Array = new Float32Array(0);
  private pooled: Float32Array = new Float32Array(0);
  private dPooled: Float32Array = new Float32Array(0);
  private dOutBuf: Float32Array = new Float32Array(0);
  private probs: Float32Array = new Float32Array(0);
  private dLogits: Float32Array = new Float32Array(0);
  private argmaxIdx: Int32Array = new Int32Array(0);
  private last: { batch: PaddedBatch; training: boolean; inputSize: number; outputs: FloatArray } | null = null;

  constructor(config: SentimentModelConfig, vocab: Vocabulary, labels: readonly string[], tokenizer: TokenizerOptions = {}) {
    validateConfig({ ...SENTIMENT_DEFAULTS, ...config, embeddingInit: 'random', freeze: false });
    if (labels.length !== config.numClasses) throw new WordloomError(`model has ${config.numClasses} classes but ${labels.length} label names`);
    this.config = modelConfigOf(config);
    this.vocab = vocab;
    this.labels = [...labels];
    this.tokenizer = new Tokenizer(tokenizer);
    const c = this.config;
    const inputSize = c.input === 'onehot' ? vocab.size : c.embeddingDim;
    if (c.input === 'embedding') {
      this.embPs = new ParamSet();
      this.embedding = new Embedding({ vocabSize: vocab.size, dim: c.embeddingDim, name: 'embedding' }).build(this.embPs);
      this.embPs.finalize();
    } else {
      this.embPs = null;
      this.embedding = null;
    }
    this.netPs = new ParamSet();
    this.seq = new SequenceModel({ cell: c.cell, inputSize, hiddenSize: c.hiddenSize, numLayers: c.layers, bidirectional: c.bidirectional, name: 'rnn' }).build(this.netPs);
    this.dense = new Dense({ inputSize: this.seq.outputSize, outputSize: c.numClasses, name: 'out' }).build(this.netPs);
    this.attention = c.pooling === 'attention'
      ? new AttentionPooling({ inputSize: this.seq.outputSize, attentionSize: c.attentionSize, name: 'attn' }).build(this.netPs)
      : null;
    this.netPs.finalize();
    this.dropIn = new Dropout({ rate: c.dropout });
    this.dropOut = new Dropout({ rate: c.dropout });
  }

  /** Input feature size of the recurrent stack. */
  get inputSize(): number {
    return this.config.input === 'onehot' ? this.vocab.size : this.config.embeddingDim;
  }

  /** Total number of parameters. */
  paramCount(): number {
    return (this.embPs?.count() ?? 0) + this.netPs.count();
  }

  /**
   * Seeded initialisation. Embeddings: U(−initScale, initScale); with `pretrained`, rows of words found in the
   * vectors file are copied (lookup exact, then lower-cased); the rest stay random (scaled to the vectors' spread).
   */
  initialize(rng: Rng, opts: { initScale?: number; pretrained?: WordVectors | null } = {}): PretrainedInitStats | null {
    this.seq.initialize(rng);
    this.dense.initialize(rng);
    this.attention?.initialize(rng);
    if (!this.embedding || !this.embPs) return null;
    const table = this.embPs.view(this.embedding.tableName);
    const D = this.config.embeddingDim;
    const pre = opts.pretrained ?? null;
    let scale = opts.initScale ?? SENTIMENT_DEFAULTS.initScale;
    if (pre) {
      if (pre.dim !== D) throw new WordloomError(`vectors have ${pre.dim} dimensions but the model expects ${D}`, { file: pre.source.file, flag: '--embedding-dim' });
      // Random rows with the same per-value spread as the pretrained vectors (uniform with matching std).
      let s2 = 0;
      const n = Math.min(pre.data.length, 200_000);
      for (let i = 0; i < n; i++) s2 += pre.data[i] * pre.data[i];
      scale = Math.sqrt(3 * (s2 / Math.max(1, n)));
    }
    rng.fillUniform(table, -scale, scale);
    table.fill(0, 0, D); // [PAD]
    if (!pre) return null;
    let found = 0, missing = 0, covered = 0, total = 0;
    for (let i = this.vocab.specialCount; i < this.vocab.size; i++) {
      const w = this.vocab.tokens[i];
      let r = pre.indexOf(w);
      if (r < 0) r = pre.indexOf(w.toLowerCase());
      const cnt = this.vocab.counts[i];
      total += cnt;
      if (r < 0) { missing++; continue; }
      found++; covered += cnt;
      table.set(pre.row(r), i * D);
    }
    return { found, missing, tokenCoverage: total ? covered / total : 0 };
  }

  private ensure(n: number, name: 'dxBuf' | 'pooled' | 'dPooled' | 'dOutBuf' | 'probs' | 'dLogits'): Float32Array {
    if (this[name].length < n) this[name] = K.alloc(Math.max(n, Math.ceil(this[name].length * 1.5)));
    return this[name].subarray(0, n);
  }

  /** Forward pass; returns class probabilities [B][C] (a view, valid until the next call). */
  forward(batch: PaddedBatch, training = false, rng: Rng | null = null): Float32Array {
    const c = this.config, T = batch.steps, B = batch.batch, TB = T * B;
    let x: RecurrentInput;
    if (this.embedding) {
      x = this.dropIn.forward(this.embedding.forward(batch.ids, TB), TB * this.inputSize, training, rng);
    } else {
      // One-hot input as token ids: [PAD] (= padding) is the all-zero row, as oneHot(ids, |V|, { padZero: true }).
      x = { ids: batch.ids, padId: this.vocab.padId };
    }
    const { outputs, last } = this.seq.forward(x, T, B, batch.lengths);
    const D = this.seq.outputSize;
    const z = this.ensure(B * D, 'pooled');
    if (c.pooling === 'last') z.set(last.subarray(0, B * D));
    else if (c.pooling === 'mean') meanPoolForward(z, outputs, T, B, D, batch.lengths);
    else if (c.pooling === 'max') {
      if (this.argmaxIdx.length < B * D) this.argmaxIdx = new Int32Array(B * D);
      maxPoolForward(z, this.argmaxIdx, outputs, T, B, D, batch.lengths);
    } else z.set(this.attention!.forward(outputs, T, B, batch.lengths));
    this.dropOut.forward(z, B * D, training, rng);
    const logits = this.dense.forward(z, B);
    const C = c.numClasses;
    const probs = this.ensure(B * C, 'probs');
    const targets = batch.labels ?? new Int32Array(B).fill(-1);
    this.lastLoss = softmaxCrossEntropyForward(probs, logits, targets, B, C);
    this.last = { batch, training, inputSize: this.inputSize, outputs };
    return probs;
  }

  /** Mean cross-entropy of the last forward (0 when the batch had no labels). */
  lastLoss = 0;

  /**
   * Backward after forward(batch, true): accumulates gradients into netPs.grad (and embPs.grad unless `freeze`).
   * `scale` multiplies the loss gradient (a sub-batch of b rows out of a mini-batch of B passes b/B, so that
   * accumulating the sub-batches gives the mini-batch's mean-loss gradient).
   */
  backward(freeze = false, scale = 1): void {
    if (!this.last || !this.last.batch.labels) throw new WordloomError('SentimentClassifier: backward() needs a labelled forward() first');
    const { batch, outputs } = this.last;
    const c = this.config, T = batch.steps, B = batch.batch, TB = T * B, C = c.numClasses, D = this.seq.outputSize;
    const dLogits = this.ensure(B * C, 'dLogits');
    dLogits.fill(0);
    softmaxCrossEntropyBackward(dLogits, this.probs, batch.labels!, B, C);
    if (scale !== 1) K.scale(B * C, scale, dLogits);
    const dz = this.ensure(B * D, 'dPooled');
    dz.fill(0);
    this.dense.backward(dLogits, dz);
    this.dropOut.backward(dz);
    let dOut: FloatArray | null = null, dLast: FloatArray | null = null;
    if (c.pooling === 'last') dLast = dz;
    else {
      const d = this.ensure(TB * D, 'dOutBuf');
      d.fill(0);
      if (c.pooling === 'mean') meanPoolBackward(d, dz, T, B, D, batch.lengths);
      else if (c.pooling === 'max') maxPoolBackward(d, dz, this.argmaxIdx, B, D);
      else this.attention!.backward(dz, d);
      dOut = d;
    }
    void outputs;
    const needDx = this.embedding !== null && !freeze;
    let dx: Float32Array | null = null;
    if (needDx) { dx = this.ensure(TB * this.inputSize, 'dxBuf'); dx.fill(0); }
    this.seq.backward(dOut, dLast, dx);
    if (dx && this.embedding) {
      this.dropIn.backward(dx);
      this.embedding.backward(dx);
    }
  }

  /** Tokenize + encode texts (empty token lists become a single [UNK], so every text gets a prediction). */
  encodeTexts(texts: readonly string[]): { ids: Int32Array[]; tokens: string[][]; unknown: number[] } {
    const tokens = texts.map((t) => this.tokenizer.tokenize(t));
    const unknown: number[] = [];
    const ids = tokens.map((tk) => {
      const stats = { tokens: 0, unknown: 0, oovRate: 0 };
      const e = this.vocab.encode(tk, { stats });
      unknown.push(stats.unknown);
      return e.length ? e : Int32Array.of(this.vocab.unkId);
    });
    return { ids, tokens, unknown };
  }

  /**
   * Class probabilities for encoded sequences (batched, bucketed by length, returned in input order). Whole texts
   * are read (no truncation); a batch is cut so that rows × longest row ≤ `maxBatchTokens` (0 = no bound), which
   * bounds activation memory for long texts. With attention pooling and `attention` given, attention[i] receives
   * the weights of sequence i over its tokens.
   */
  predictIds(ids: readonly Int32Array[], batchSize = 64, maxBatchTokens = PREDICT_BATCH_TOKENS, attention?: Float32Array[]): Float32Array[] {
    const C = this.config.numClasses;
    const out: Float32Array[] = new Array(ids.length);
    const order = Array.from({ length: ids.length }, (_, i) => i).sort((a, b) => ids[a].length - ids[b].length);
    for (let s = 0; s < order.length; s += batchSize) {
      const idx = order.slice(s, s + batchSize);
      const [whole] = makeBatches(idx.map((i) => ids[i]), undefined, { batchSize: idx.length });
      for (const batch of splitBatchByTokens(whole, maxBatchTokens)) {
        const probs = this.forward(batch, false, null);
        const w = attention && this.attention ? this.attention.weights : null;
        batch.indices.forEach((k, r) => {
          const i = idx[k];
          out[i] = probs.slice(r * C, (r + 1) * C);
          if (w) {
            const a = new Float32Array(batch.lengths[r]);
            for (let t = 0; t < a.length; t++) a[t] = w[t * batch.batch + r];
            attention![i] = a;
          }
        });
      }
    }
    return out;
  }

  /**
   * The "k/C" stars of class k: a model whose labels are star ratings (integers from 1, e.g. IMDB's 1–4 and 7–10)
   * shows the rating on its scale (5 or 10 stars: "8/10"), as the n-gram model does; other label sets (SST's 0–4,
   * neg/pos) show class k + 1 of C.
   */
  starsString(k: number): string {
    const v = this.labels.map(Number);
    if (v.every((x) => Number.isInteger(x) && x >= 1) && v[v.length - 1] > this.labels.length) return `${this.labels[k]}/${v[v.length - 1] > 5 ? 10 : 5}`;
    return `${k + 1}/${this.labels.length}`;
  }

  /** Predict texts: label, "k/C" stars and probabilities (and per-token attention weights with attention pooling). */
  predict(texts: readonly string[]): SentimentPrediction[] {
    const enc = this.encodeTexts(texts);
    const att: Float32Array[] | undefined = this.attention ? new Array(texts.length) : undefined;
    const probs = this.predictIds(enc.ids, 64, SENTIMENT_DEFAULTS.maxBatchTokens, att);
    return texts.map((text, i) => {
      const p = probs[i];
      let k = 0;
      for (let j = 1; j < p.length; j++) if (p[j] > p[k]) k = j;
      const pred: SentimentPrediction = { text, classIndex: k, label: this.labels[k], stars: this.starsString(k), probs: Array.from(p), tokens: enc.tokens[i], unknown: enc.unknown[i] };
      // An empty text is encoded as one [UNK] with no token: no weights to show then.
      if (att && enc.tokens[i].length === att[i].length) pred.attention = Array.from(att[i]);
      return pred;
    });
  }

  // ------------------------------------------------------------ model files

  /** Tensor manifest and concatenated weights of both parameter sets (embedding first). */
  exportWeights(): { tensors: TensorManifestEntry[]; weights: Float32Array } {
    const sets = [this.embPs, this.netPs].filter((p): p is ParamSet => p !== null);
    const tensors = sets.flatMap((p) => p.manifest());
    const parts = sets.map((p) => p.exportFloat32());
    const weights = new Float32Array(parts.reduce((a, p) => a + p.length, 0));
    let o = 0;
    for (const p of parts) { weights.set(p, o); o += p.length; }
    return { tensors, weights };
  }

  /** The JSON stored in the model file's `config`. */
  fileConfig(extra: Record<string, unknown> = {}): Record<string, unknown> {
    return { model: this.config, labels: [...this.labels], tokenizer: this.tokenizer.toJSON(), ...extra };
  }

  /** Encode as a wordloom model file (config + vocabulary + weights; `metadata` e.g. training history). */
  toBytes(metadata: Record<string, unknown> = {}, extraConfig: Record<string, unknown> = {}): Uint8Array {
    const { tensors, weights } = this.exportWeights();
    return encodeModelFile({
      modelType: SENTIMENT_MODEL_TYPE,
      config: this.fileConfig(extraConfig),
      gateOrder: { lstm: 'i,f,g,o', gru: 'z,r,h', rnn: 'h' },
      tensors,
      metadata: { vocabulary: this.vocab.toJSON(), ...metadata },
    }, weights);
  }

  /** Load weights from a decoded file into this model; names/shapes must match (errors name the file). */
  loadWeights(m: ModelFile, file: string): void {
    const ts = modelTensors(m);
    for (const ps of [this.embPs, this.netPs]) {
      if (!ps) continue;
      for (const s of ps.list()) {
        const t = ts.get(s.name);
        if (!t) throw new WordloomError(`model file has no tensor "${s.name}"`, { file });
        if (t.shape.length !== s.shape.length || t.shape.some((d, i) => d !== s.shape[i])) {
          const hint = s.name.startsWith('embedding') ? ` (the model's vocabulary has ${this.vocab.size} entries: a file from a different vocabulary?)` : '';
          throw new WordloomError(`tensor "${s.name}" has shape [${t.shape}] in the file, the model expects [${s.shape}]${hint}`, { file });
        }
        ps.view(s).set(t.data);
      }
    }
  }

  /** Decode a model file (bytes) into a ready classifier. Browser-safe. */
  static fromBytes(bytes: Uint8Array, file = '<model bytes>'): { model: SentimentClassifier; file: ModelFile } {
    const m = decodeModelFile(bytes, file);
    return { model: SentimentClassifier.fromModelFile(m, file), file: m };
  }

  static fromModelFile(m: ModelFile, file: string): SentimentClassifier {
    if (m.header.modelType !== SENTIMENT_MODEL_TYPE) throw new WordloomError(`model type is "${m.header.modelType}", expected "${SENTIMENT_MODEL_TYPE}"`, { file });
    const cfg = m.header.config as { model?: SentimentModelConfig; labels?: string[]; tokenizer?: TokenizerOptions } | null;
    if (!cfg || typeof cfg !== 'object' || !cfg.model || !Array.isArray(cfg.labels)) throw new WordloomError('sentiment model file has no model config / labels', { file });
    const vj = m.header.metadata?.vocabulary;
    if (!vj) throw new WordloomError('sentiment model file has no vocabulary', { file });
    const vocab = Vocabulary.fromJSON(vj, file);
    let model: SentimentClassifier;
    try {
      model = new SentimentClassifier(cfg.model, vocab, cfg.labels, cfg.tokenizer ?? {});
    } catch (e) {
      if (e instanceof WordloomError && !e.file) throw new WordloomError(`invalid model config: ${e.message}`, { file });
      throw e;
    }
    model.loadWeights(m, file);
    return model;
  }
}
