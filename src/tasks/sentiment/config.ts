/**
 * Sentiment classifier configuration: typed options with JSDoc, DEFAULTS (the best configuration measured on SST,
 * see the report in docs / bench/results/sentiment.json) and validation naming the CLI flag. Round-trips through JSON
 * (it is stored in the model file). Browser-safe.
 *
 * Reference: K. S. Tai, R. Socher, C. D. Manning, "Improved Semantic Representations From Tree-Structured Long
 * Short-Term Memory Networks", ACL 2015 (sequential LSTM baselines on SST: hidden 168 / 150 bidirectional, 300-d
 * GloVe inputs fine-tuned, dropout 0.5, L2 1e-4, mini-batches of 25, trained on all labelled phrases).
 */
import { WordloomError, check } from '../../util/errors.ts';
import type { CellType } from '../../nn/param-count.ts';
import type { TokenizerOptions } from '../../text/tokenizer.ts';
import { TRUNCATE_POLICIES, type TruncatePolicy } from '../../text/encoding.ts';

export type Pooling = 'last' | 'mean' | 'max' | 'attention';
export const POOLINGS: readonly Pooling[] = ['last', 'mean', 'max', 'attention'];
export type InputKind = 'embedding' | 'onehot';
export type EmbeddingInit = 'random' | 'pretrained';

/** Model architecture (what the model file needs to rebuild the network). */
export interface SentimentModelConfig {
  /** Recurrent cell: rnn | gru | lstm. Flag --cell. */
  cell: CellType;
  /**
   * Input representation: 'embedding' (a lookup table) or 'onehot' (one-hot vectors of size |V|, computed as a row
   * gather of the first recurrent layer's input weights — no dense one-hot matrix, so no vocabulary cap).
   */
  input: InputKind;
  /** Embedding size (ignored for one-hot; set from the vectors file for pretrained). Flag --embedding-dim. */
  embeddingDim: number;
  /** Hidden size per direction. Flag --hidden. */
  hiddenSize: number;
  /** Stacked recurrent layers. Flag --layers. */
  layers: number;
  /** Bidirectional recurrent layers. Flag --bidirectional. */
  bidirectional: boolean;
  /**
   * How the hidden states become one vector: last state, mean or max over valid steps, or additive self-attention
   * (weights over the words, see nn/pooling.ts). Flag --pooling.
   */
  pooling: Pooling;
  /** Hidden size of the attention scorer (pooling "attention" only). Flag --attention-size. */
  attentionSize: number;
  /** Dropout probability on the embeddings and on the pooled vector (training only). Flag --dropout. */
  dropout: number;
  /** Number of classes (5 for SST-5, 2 for binary). Set from the data. */
  numClasses: number;
}

/** Training options. */
export interface SentimentTrainConfig {
  /** Where the embedding table starts: random, or a pretrained vectors file. */
  embeddingInit: EmbeddingInit;
  /** Vectors file used for `pretrained` (for the record; the weights are in the model file). */
  vectorsFile: string;
  /** Keep pretrained embeddings fixed. Flag --freeze. */
  freeze: boolean;
  /** Epochs (upper bound; early stopping may end sooner). Flag --epochs. */
  epochs: number;
  /** Mini-batch size. Flag --batch-size. */
  batchSize: number;
  /** Adam learning rate. Flag --lr. */
  lr: number;
  /** L2 weight decay added to the gradient (Adam, coupled). Flag --weight-decay. */
  weightDecay: number;
  /** Global-norm gradient clipping threshold. Flag --clip. */
  clip: number;
  /** Stop after this many epochs without a better dev accuracy (0 = never). Flag --patience. */
  patience: number;
  /** Train on all labelled phrases of SST trees too (Tai et al. 2015), not only sentences. Flag --phrases. */
  phrases: boolean;
  /** Binary task: drop the neutral class and merge the halves (SST-2). Flag --binary. */
  binary: boolean;
  /** Vocabulary: minimum training count. Flag --min-count. */
  minCount: number;
  /** Vocabulary: maximum size incl. special tokens (0 = all), for embedding and one-hot input alike. Flag --max-vocab. */
  maxVocab: number;
  /** Random embedding init: U(−a, a). */
  initScale: number;
  /** Bucket batches by length (less padding). Flag --bucket. */
  bucket: boolean;
  /** Truncate training sequences to this many tokens (0 = no limit). Flag --max-length. */
  maxLength: number;
  /** Which tokens a truncated training text keeps: head, tail or head+tail. Flag --truncate. */
  truncate: TruncatePolicy;
  /**
   * Bound on the padded positions (rows × longest row) of one forward/backward pass: a larger mini-batch is run as
   * several sub-batches with accumulated gradients (same update), so activation memory stays bounded however long
   * the texts are (0 = no bound). Also bounds prediction batches. Flag --max-batch-tokens.
   */
  maxBatchTokens: number;
  /** Seed for initialisation, shuffling and dropout. Flag --seed. */
  seed: number;
  /** Tokenizer options. */
  tokenizer: TokenizerOptions;
}

export interface SentimentConfig extends SentimentModelConfig, SentimentTrainConfig {}

/** The best configuration found on SST (see the report); `wordloom sentiment train --data --out` uses it. */
export const SENTIMENT_DEFAULTS: SentimentConfig = {
  cell: 'lstm',
  input: 'embedding',
  embeddingDim: 50,
  hiddenSize: 150,
  layers: 1,
  bidirectional: false,
  pooling: 'last',
  attentionSize: 64,
  dropout: 0.5,
  numClasses: 5,
  embeddingInit: 'pretrained',
  vectorsFile: 'data/glove-subset/glove.6B.50d.top2446.txt',
  freeze: false,
  epochs: 6,
  batchSize: 25,
  lr: 0.002,
  weightDecay: 0,
  clip: 5,
  patience: 2,
  phrases: true,
  binary: false,
  minCount: 1,
  maxVocab: 0,
  initScale: 0.1,
  bucket: true,
  maxLength: 0,
  truncate: 'head',
  maxBatchTokens: 32_000,
  seed: 1,
  tokenizer: { lowercase: true, punctuation: true, splitContractions: true },
};

/**
 * The review model: overrides of SENTIMENT_DEFAULTS for whole movie reviews (IMDB: 230 words on average, up to
 * 2,500), measured in docs/sentiment.md. Embeddings: 100-d in-domain word2vec vectors (pass --embeddings).
 */
export const REVIEW_DEFAULTS: Partial<SentimentConfig> = {
  cell: 'lstm', hiddenSize: 128, bidirectional: true, pooling: 'max', embeddingDim: 100, dropout: 0.5,
  batchSize: 32, maxLength: 400, truncate: 'head+tail', maxVocab: 20_000, epochs: 4, patience: 2, phrases: false,
};

/** The CLI flag of each option (for error messages). */
export const SENTIMENT_FLAGS: Record<string, string> = {
  cell: '--cell', input: '--embeddings', embeddingDim: '--embedding-dim', hiddenSize: '--hidden', layers: '--layers',
  bidirectional: '--bidirectional', pooling: '--pooling', dropout: '--dropout', numClasses: '--binary', epochs: '--epochs',
  batchSize: '--batch-size', lr: '--lr', weightDecay: '--weight-decay', clip: '--clip', patience: '--patience',
  minCount: '--min-count', maxVocab: '--max-vocab', initScale: '--init-scale', maxLength: '--max-length', seed: '--seed',
  attentionSize: '--attention-size', truncate: '--truncate', maxBatchTokens: '--max-batch-tokens',
  embeddingInit: '--embeddings', vectorsFile: '--embeddings', freeze: '--freeze', phrases: '--phrases', binary: '--binary', bucket: '--bucket',
};

/** Merge options over the DEFAULTS and validate (WordloomError naming the flag). Unknown keys are errors. */
export function resolveConfig(partial: Partial<SentimentConfig> = {}): SentimentConfig {
  for (const k of Object.keys(partial)) {
    if (!(k in SENTIMENT_DEFAULTS)) throw new WordloomError(`unknown sentiment option "${k}"`);
  }
  const c: SentimentConfig = { ...SENTIMENT_DEFAULTS, tokenizer: { ...SENTIMENT_DEFAULTS.tokenizer } };
  for (const [k, v] of Object.entries(partial)) if (v !== undefined) (c as unknown as Record<string, unknown>)[k] = v;
  c.tokenizer = { ...SENTIMENT_DEFAULTS.tokenizer, ...(partial.tokenizer ?? {}) };
  validateConfig(c);
  return c;
}

export function validateConfig(c: SentimentConfig): void {
  const f = (k: string) => ({ flag: SENTIMENT_FLAGS[k] ?? k });
  const int = (k: keyof SentimentConfig, lo: number, hi = Infinity) => {
    const v = c[k] as number;
    check(Number.isInteger(v) && v >= lo && v <= hi, `expected an integer in [${lo}, ${hi}], got ${String(v)}`, f(k));
  };
  const num = (k: keyof SentimentConfig, lo: number, hi: number, loOpen = false, hiOpen = false) => {
    const v = c[k] as number;
    check(typeof v === 'number' && Number.isFinite(v) && (loOpen ? v > lo : v >= lo) && (hiOpen ? v < hi : v <= hi),
      `expected a number in ${loOpen ? '(' : '['}${lo}, ${hi}${hiOpen ? ')' : ']'}, got ${String(v)}`, f(k));
  };
  check(['rnn', 'gru', 'lstm'].includes(c.cell), `expected rnn, gru or lstm, got ${String(c.cell)}`, f('cell'));
  check(['embedding', 'onehot'].includes(c.input), `expected embedding or onehot, got ${String(c.input)}`, f('input'));
  check(POOLINGS.includes(c.pooling), `expected ${POOLINGS.join(', ')}, got ${String(c.pooling)}`, f('pooling'));
  check(TRUNCATE_POLICIES.includes(c.truncate), `expected ${TRUNCATE_POLICIES.join(', ')}, got ${String(c.truncate)}`, f('truncate'));
  check(['random', 'pretrained'].includes(c.embeddingInit), `expected random or pretrained, got ${String(c.embeddingInit)}`, f('embeddingInit'));
  for (const k of ['bidirectional', 'freeze', 'phrases', 'binary', 'bucket'] as const) check(typeof c[k] === 'boolean', `expected a boolean, got ${String(c[k])}`, f(k));
  int('embeddingDim', 1, 4096); int('hiddenSize', 1, 4096); int('layers', 1, 8); int('numClasses', 2, 1000);
  int('epochs', 1, 100000); int('batchSize', 1, 100000); int('patience', 0, 100000); int('minCount', 1);
  int('maxVocab', 0); int('maxLength', 0); int('attentionSize', 1, 4096); int('maxBatchTokens', 0); int('seed', 0, 2 ** 32 - 1);
  num('dropout', 0, 1, false, true); num('lr', 0, 10, true); num('weightDecay', 0, 1); num('clip', 0, 1e9, true); num('initScale', 0, 10, true);
  check(typeof c.vectorsFile === 'string', 'vectorsFile must be a string', f('vectorsFile'));
  check(c.embeddingInit !== 'pretrained' || c.input === 'embedding', 'pretrained vectors need --embeddings <file>, not onehot', f('input'));
  check(!(c.freeze && c.embeddingInit !== 'pretrained'), '--freeze only makes sense with pretrained vectors', f('freeze'));
}

/** The architecture part of a config (what is stored for inference). */
export function modelConfigOf(c: SentimentModelConfig): SentimentModelConfig {
  const { cell, input, embeddingDim, hiddenSize, layers, bidirectional, pooling, dropout, numClasses } = c;
  // Files written before attention pooling have no attentionSize: the default (unused by their poolings).
  const attentionSize = c.attentionSize ?? SENTIMENT_DEFAULTS.attentionSize;
  return { cell, input, embeddingDim, hiddenSize, layers, bidirectional, pooling, attentionSize, dropout, numClasses };
}

/** Options a resumed run may change: how long it trains (--epochs) and when it stops early (--patience). */
export const SENTIMENT_RESUME_MAY_CHANGE: readonly string[] = ['epochs', 'patience'];

/**
 * Refuse a resumed run whose given options contradict the checkpoint's training config: anything but
 * --epochs and --patience shapes the data, the vocabulary, the model or the optimisation, and a different value
 * would be ignored (the checkpoint's is used). `given` holds only what the user set; for the tokenizer, only
 * the given fields are compared.
 */
export function checkSentimentResume(given: Partial<SentimentConfig>, saved: SentimentConfig, file: string): void {
  for (const [k, v] of Object.entries(given)) {
    if (v === undefined || SENTIMENT_RESUME_MAY_CHANGE.includes(k)) continue;
    const s = (saved as unknown as Record<string, unknown>)[k];
    if (s === undefined) continue;
    let same: boolean;
    let shown = `${String(v)}`, was = `${SENTIMENT_FLAGS[k] ?? k} ${String(s)}`;
    if (k === 'tokenizer') {
      const gv = v as Record<string, unknown>, sv = s as Record<string, unknown>;
      const bad = Object.keys(gv).find((f) => gv[f] !== undefined && gv[f] !== sv[f]);
      same = bad === undefined;
      if (bad) { shown = `${bad} ${String(gv[bad])}`; was = `${bad} ${String(sv[bad])}`; }
    } else {
      same = JSON.stringify(v) === JSON.stringify(s);
    }
    if (!same) {
      const flag = k === 'tokenizer' ? '--no-lowercase' : SENTIMENT_FLAGS[k] ?? k;
      throw new WordloomError(`${shown} contradicts the checkpoint, which was trained with ${was} ` +
        '(leave the flag out to continue, or start over with --force; only --epochs and --patience may change)', { file, flag });
    }
  }
}
