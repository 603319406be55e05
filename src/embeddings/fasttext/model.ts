/**
 * The fastText supervised model (browser-safe): a linear classifier over bags of words and hashed word n-grams.
 *
 *   features(line)  word ids + n-gram ids (dictionary.ts)                                  ids
 *   input matrix    wi [(nwords + bucket) × dim], initialised U(−1/dim, 1/dim)            (fastText's input_)
 *   hidden          mean of the rows of the line's features                                [dim]
 *   output matrix   wo [labels × dim], initialised to 0                                    (fastText's output_)
 *   probabilities   softmax(wo · hidden), or normalised one-vs-all sigmoids                [labels]
 *   (--nb: each row weighted by its feature's naive Bayes log-count ratio, tensor "scale"; see args.ts)
 *
 * Matrices may live in SharedArrayBuffers (Hogwild training on worker threads). Serialised as tensors "input" and
 * "output" plus the dictionary, labels and args (see fasttextParts / FastTextModel.fromParts); the task wrappers
 * choose the model file type.
 *
 * Reference: A. Joulin, E. Grave, P. Bojanowski, T. Mikolov, "Bag of Tricks for Efficient Text Classification",
 * EACL 2017; fastText 0.9.2 src/fasttext.cc (supervised model, predict) and src/model.cc.
 */
import { WordloomError } from '../../util/errors.ts';
import type { Rng } from '../../util/rng.ts';
import { ftPredict, FT_LOSS_OVA, FT_LOSS_SOFTMAX } from '../../kernels/fasttext-reference.ts';
import type { TensorManifestEntry } from '../../nn/model-file.ts';
import { validateModelArgs, modelArgsOf, type FastTextModelArgs } from './args.ts';
import { FastTextDictionary } from './dictionary.ts';

/** Float32Array of n values, in a SharedArrayBuffer when `shared` (worker threads write to it). */
export function allocMatrix(n: number, shared: boolean): Float32Array {
  return shared ? new Float32Array(new SharedArrayBuffer(4 * n)) : new Float32Array(n);
}

export class FastTextModel {
  readonly args: FastTextModelArgs;
  readonly dict: FastTextDictionary;
  readonly labels: readonly string[];
  /** Input matrix [(nwords + bucket) × dim]. */
  readonly wi: Float32Array;
  /** Output matrix [labels × dim]. */
  readonly wo: Float32Array;
  /** Per-row feature weights of NB-scaled models (args.nb), else null. */
  readonly scale: Float32Array | null;
  private readonly hidden: Float32Array;

  constructor(args: FastTextModelArgs, dict: FastTextDictionary, labels: readonly string[], wi: Float32Array, wo: Float32Array, scale: Float32Array | null = null) {
    validateModelArgs(args);
    this.args = modelArgsOf(args);
    if (labels.length < 2) throw new WordloomError(`a classifier needs at least 2 labels, got ${labels.length}`);
    const rows = dict.size + this.args.bucket;
    if (wi.length !== rows * args.dim) throw new WordloomError(`input matrix has ${wi.length} values, expected ${rows} × ${args.dim}`);
    if (wo.length !== labels.length * args.dim) throw new WordloomError(`output matrix has ${wo.length} values, expected ${labels.length} × ${args.dim}`);
    if (this.args.nb && (!scale || scale.length !== rows)) throw new WordloomError(`an NB-scaled model needs ${rows} feature weights, got ${scale?.length ?? 0}`);
    if (!this.args.nb && scale) throw new WordloomError('feature weights given for a model without --nb');
    this.scale = scale;
    this.dict = dict;
    this.labels = [...labels];
    this.wi = wi;
    this.wo = wo;
    this.hidden = new Float32Array(args.dim);
  }

  /** A new model with fastText's initialisation (input U(−1/dim, 1/dim) from `rng`, output zeros). */
  static create(args: FastTextModelArgs, dict: FastTextDictionary, labels: readonly string[], rng: Rng, shared = false, scale: Float32Array | null = null): FastTextModel {
    const a = modelArgsOf(args);
    validateModelArgs(a);
    const wi = allocMatrix((dict.size + a.bucket) * a.dim, shared);
    rng.fillUniform(wi, -1 / a.dim, 1 / a.dim);
    return new FastTextModel(a, dict, labels, wi, allocMatrix(labels.length * a.dim, shared), scale);
  }

  /** Loss code for the kernels. */
  get lossCode(): number {
    return this.args.loss === 'ova' ? FT_LOSS_OVA : FT_LOSS_SOFTMAX;
  }

  /** Number of parameters. */
  paramCount(): number {
    return this.wi.length + this.wo.length;
  }

  /** Feature ids of a tokenized line ("</s>" is appended). */
  features(tokens: readonly string[]): { ids: Int32Array; unknown: number } {
    return this.dict.features(tokens, this.args.wordNgrams, this.args.bucket);
  }

  /** Class probabilities for feature ids (a fresh array). */
  predictFeatures(ids: Int32Array, s = 0, e = ids.length): Float32Array {
    const out = new Float32Array(this.labels.length);
    ftPredict(this.wi, this.wo, this.args.dim, this.labels.length, ids, s, e, this.lossCode, this.hidden, out, this.scale);
    return out;
  }

  /** Tensors, weights and JSON parts for a model file (the caller adds its model type and config). */
  fasttextParts(): { tensors: TensorManifestEntry[]; weights: Float32Array; config: { args: FastTextModelArgs; labels: string[] }; dictionary: ReturnType<FastTextDictionary['toJSON']> } {
    const { dim } = this.args;
    const weights = new Float32Array(this.wi.length + this.wo.length + (this.scale?.length ?? 0));
    weights.set(this.wi);
    weights.set(this.wo, this.wi.length);
    if (this.scale) weights.set(this.scale, this.wi.length + this.wo.length);
    return {
      tensors: [{ name: 'input', shape: [this.wi.length / dim, dim] }, { name: 'output', shape: [this.labels.length, dim] },
        ...(this.scale ? [{ name: 'scale', shape: [this.scale.length] }] : [])],
      weights,
      config: { args: this.args, labels: [...this.labels] },
      dictionary: this.dict.toJSON(),
    };
  }

  /** Rebuild from the parts written by fasttextParts (tensors by name; errors name the file). */
  static fromParts(config: unknown, dictionary: unknown, tensors: Map<string, { shape: number[]; data: Float32Array }>, file = '<model>'): FastTextModel {
    const c = config as { args?: FastTextModelArgs; labels?: unknown } | null;
    if (!c || typeof c !== 'object' || !c.args || !Array.isArray(c.labels) || !c.labels.every((l) => typeof l === 'string')) {
      throw new WordloomError('model file has no fastText args / labels', { file });
    }
    const dict = FastTextDictionary.fromJSON(dictionary, file);
    const wi = tensors.get('input'), wo = tensors.get('output');
    if (!wi || !wo) throw new WordloomError('model file has no "input" / "output" tensors', { file });
    try {
      return new FastTextModel(c.args, dict, c.labels as string[], wi.data, wo.data, tensors.get('scale')?.data ?? null);
    } catch (e) {
      if (e instanceof WordloomError) throw new WordloomError(`invalid fastText model: ${e.message}`, { file });
      throw e;
    }
  }
}
