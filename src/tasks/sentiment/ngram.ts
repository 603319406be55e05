/**
 * The bag-of-n-grams sentiment classifier (browser-safe): the project's Tokenizer (drops `<br />`, lower-cases,
 * splits punctuation and contractions) feeding fastText's supervised model (embeddings/fasttext), as a
 * `TextClassifier` of kind 'ngram'. Model file type "sentiment-ngram": the fastText tensors ("input", "output"),
 * its args, labels and dictionary, plus the tokenizer options, the target the labels came from and the decoding.
 *
 * Star targets (stars5, stars10) are classes ordered by star value; the predicted class comes from the predicted
 * distribution by `decode`:
 *   argmax  the most probable class (plain classification)
 *   median  the first class whose cumulative probability reaches 0.5 (minimises expected absolute error)
 *   mean    the class nearest to the expected star value Σ p_i·stars_i
 * Other targets always use argmax.
 *
 * Reference: A. Joulin et al., "Bag of Tricks for Efficient Text Classification", EACL 2017.
 */
import { WordloomError } from '../../util/errors.ts';
import { decodeModelFile, encodeModelFile, modelTensors, type ModelFile } from '../../nn/model-file.ts';
import { Tokenizer, type TokenizerOptions } from '../../text/tokenizer.ts';
import { isStarTarget, starValue, TARGETS, type Target } from '../../text/targets.ts';
import { FastTextModel } from '../../embeddings/fasttext/model.ts';
import type { TextClassifier, SentimentPrediction } from './classifier.ts';

export const NGRAM_MODEL_TYPE = 'sentiment-ngram';

export const STAR_DECODES = ['argmax', 'median', 'mean'] as const;
export type StarDecode = (typeof STAR_DECODES)[number];

/** What the wrapper adds to the fastText model. */
export interface NgramClassifierConfig {
  /** Target the labels were derived with (--target). */
  target: Target;
  /** Column the labels / ratings were read from (--label-column), if given. */
  labelColumn?: string;
  /** How a star target's distribution becomes a class (see the file header). Ignored for other targets. */
  decode: StarDecode;
  /** Tokenizer options. */
  tokenizer: TokenizerOptions;
}

/** Pick the class of a distribution over ordered star classes. `values` are the classes' star values. */
export function decodeStars(p: ArrayLike<number>, values: readonly number[], decode: StarDecode): number {
  let k = 0;
  if (decode === 'argmax') {
    for (let j = 1; j < p.length; j++) if (p[j] > p[k]) k = j;
    return k;
  }
  if (decode === 'median') {
    let z = 0, c = 0;
    for (let j = 0; j < p.length; j++) z += p[j];
    for (k = 0; k < p.length - 1; k++) { c += p[k]; if (c >= 0.5 * z) break; }
    return k;
  }
  let z = 0, ev = 0;
  for (let j = 0; j < p.length; j++) { z += p[j]; ev += p[j] * values[j]; }
  ev /= z;
  for (let j = 1; j < values.length; j++) if (Math.abs(values[j] - ev) < Math.abs(values[k] - ev)) k = j;
  return k;
}

export class NgramClassifier implements TextClassifier {
  readonly kind = 'ngram' as const;
  readonly model: FastTextModel;
  readonly config: NgramClassifierConfig;
  readonly tokenizer: Tokenizer;
  /** Star value of each class (NaN for non-star targets). */
  readonly starValues: readonly number[];

  constructor(model: FastTextModel, config: NgramClassifierConfig) {
    if (!(TARGETS as readonly string[]).includes(config.target)) throw new WordloomError(`unknown target "${config.target}"`, { flag: '--target' });
    if (!(STAR_DECODES as readonly string[]).includes(config.decode)) throw new WordloomError(`unknown decoding "${config.decode}" (expected ${STAR_DECODES.join(', ')})`, { flag: '--decode' });
    this.model = model;
    this.config = { ...config, tokenizer: { ...config.tokenizer } };
    this.tokenizer = new Tokenizer(config.tokenizer);
    this.starValues = model.labels.map(starValue);
    if (isStarTarget(config.target) && this.starValues.some((v) => !Number.isFinite(v))) {
      throw new WordloomError(`target ${config.target} needs numeric labels, got ${model.labels.join(', ')}`, { flag: '--target' });
    }
  }

  get labels(): readonly string[] {
    return this.model.labels;
  }

  /** Whether classes are star values (decoding applies). */
  get stars(): boolean {
    return isStarTarget(this.config.target);
  }

  /** Class index of a distribution, with this model's decoding (argmax unless a star target). */
  decode(p: ArrayLike<number>, decode: StarDecode = this.config.decode): number {
    return decodeStars(p, this.starValues, this.stars ? decode : 'argmax');
  }

  /** "k/C" for ordinary classes; "<stars>/<scale>" (e.g. "8/10") for star targets. */
  starsString(k: number): string {
    if (!this.stars) return `${k + 1}/${this.labels.length}`;
    return `${this.labels[k]}/${this.config.target === 'stars5' ? 5 : 10}`;
  }

  /** Tokens, feature ids and unknown-token counts of texts. */
  encode(texts: readonly string[]): { tokens: string[][]; ids: Int32Array[]; unknown: number[] } {
    const tokens = texts.map((t) => this.tokenizer.tokenize(t));
    const unknown: number[] = [];
    const ids = tokens.map((tk) => { const f = this.model.features(tk); unknown.push(f.unknown); return f.ids; });
    return { tokens, ids, unknown };
  }

  predict(texts: readonly string[]): SentimentPrediction[] {
    const enc = this.encode(texts);
    return texts.map((text, i) => {
      const p = this.model.predictFeatures(enc.ids[i]);
      const k = this.decode(p);
      return { text, classIndex: k, label: this.labels[k], stars: this.starsString(k), probs: Array.from(p), tokens: enc.tokens[i], unknown: enc.unknown[i] };
    });
  }

  /** Encode as a wordloom model file of type "sentiment-ngram" (`metadata`: e.g. the training summary). */
  toBytes(metadata: Record<string, unknown> = {}): Uint8Array {
    const parts = this.model.fasttextParts();
    return encodeModelFile({
      modelType: NGRAM_MODEL_TYPE,
      config: { fasttext: parts.config, classifier: this.config },
      tensors: parts.tensors,
      metadata: { dictionary: parts.dictionary, ...metadata },
    }, parts.weights);
  }

  static fromBytes(bytes: Uint8Array, file = '<model bytes>'): NgramClassifier {
    return NgramClassifier.fromModelFile(decodeModelFile(bytes, file), file);
  }

  static fromModelFile(m: ModelFile, file: string): NgramClassifier {
    if (m.header.modelType !== NGRAM_MODEL_TYPE) throw new WordloomError(`model type is "${m.header.modelType}", expected "${NGRAM_MODEL_TYPE}"`, { file });
    const cfg = m.header.config as { fasttext?: unknown; classifier?: NgramClassifierConfig } | null;
    if (!cfg || typeof cfg !== 'object' || !cfg.classifier) throw new WordloomError('n-gram model file has no classifier config', { file });
    const model = FastTextModel.fromParts(cfg.fasttext, m.header.metadata?.dictionary, modelTensors(m), file);
    try {
      return new NgramClassifier(model, cfg.classifier);
    } catch (e) {
      if (e instanceof WordloomError) throw new WordloomError(`invalid n-gram model config: ${e.message}`, { file });
      throw e;
    }
  }
}
