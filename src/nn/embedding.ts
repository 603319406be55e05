/**
 * Embedding layer: index lookup into a table [V][D]. Ids < 0 are padding: they read a zero vector and get
 * no gradient. Backward scatters (+=) the output gradients into the rows of the table gradient.
 * Parameter "<name>.table" [V][D]; initialised U(−initScale, initScale) (Keras default 0.05), or set
 * pretrained vectors with setWeights(); `trainable: false` freezes it (backward only passes nothing);
 * `sparse: true` makes the table gradient row-sparse (see ParamSet).
 */
import type { FloatArray } from '../kernels/index.ts';
import type { ParamSet } from './params.ts';
import type { Rng } from '../util/rng.ts';
import { WordloomError } from '../util/errors.ts';
import { allocFloat, freeFloat } from './recurrent.ts';

/** out [n][D] = table[ids[i]] (zero row for ids[i] < 0). ids must be < V (checked by the layer class). */
export function embeddingForward(out: FloatArray, ids: ArrayLike<number>, table: FloatArray, n: number, D: number): void {
  for (let i = 0; i < n; i++) {
    const id = ids[i], o = i * D;
    if (id < 0) { for (let j = 0; j < D; j++) out[o + j] = 0; continue; }
    const s = id * D;
    for (let j = 0; j < D; j++) out[o + j] = table[s + j];
  }
}

/** dtable[ids[i]] += dout [n][D] row i (skips ids < 0). */
export function embeddingBackward(dtable: FloatArray, dout: FloatArray, ids: ArrayLike<number>, n: number, D: number): void {
  for (let i = 0; i < n; i++) {
    const id = ids[i];
    if (id < 0) continue;
    const s = id * D, o = i * D;
    for (let j = 0; j < D; j++) dtable[s + j] += dout[o + j];
  }
}

export interface EmbeddingOptions {
  /** Vocabulary size V (number of rows, ≥ 1). */
  vocabSize: number;
  /** Vector size D (≥ 1). */
  dim: number;
  /** Uniform initialisation half-width (default 0.05). */
  initScale?: number;
  /** Whether backward accumulates into the table gradient (default true). */
  trainable?: boolean;
  /**
   * Row-sparse gradient (default false): backward records the rows it touched and zeroGrad, clipping and the
   * optimizers visit only those rows instead of all V·D values (SGD/AdaGrad: same result; Adam: lazy
   * SparseAdam semantics — see nn/optim.ts). As torch.nn.Embedding(sparse=True).
   */
  sparse?: boolean;
  /** Parameter-name prefix (default "embedding"). */
  name?: string;
}

export const EMBEDDING_DEFAULTS = { initScale: 0.05, trainable: true, sparse: false, name: 'embedding' };

export type EmbeddingConfig = Required<EmbeddingOptions>;

export class Embedding {
  readonly config: EmbeddingConfig;
  private ps: ParamSet | null = null;
  private ids: ArrayLike<number> | null = null;
  private n = 0;
  private out: FloatArray | null = null;

  constructor(options: EmbeddingOptions) {
    if (!options || typeof options !== 'object') throw new WordloomError('Embedding: options object required');
    const c = { ...EMBEDDING_DEFAULTS, ...options } as EmbeddingConfig;
    for (const k of ['vocabSize', 'dim'] as const) {
      if (!Number.isInteger(c[k]) || c[k] < 1) throw new WordloomError(`Embedding: ${k} must be an integer ≥ 1, got ${c[k]}`, { flag: k });
    }
    if (!(Number.isFinite(c.initScale) && c.initScale >= 0)) throw new WordloomError(`Embedding: initScale must be a number ≥ 0, got ${c.initScale}`, { flag: 'initScale' });
    if (typeof c.trainable !== 'boolean') throw new WordloomError('Embedding: trainable must be a boolean', { flag: 'trainable' });
    if (typeof c.sparse !== 'boolean') throw new WordloomError('Embedding: sparse must be a boolean', { flag: 'sparse' });
    if (typeof c.name !== 'string' || !c.name) throw new WordloomError('Embedding: name must be a non-empty string', { flag: 'name' });
    this.config = c;
  }

  static fromConfig(c: EmbeddingOptions): Embedding { return new Embedding(c); }
  getConfig(): EmbeddingConfig { return { ...this.config }; }
  paramCount(): number { return this.config.vocabSize * this.config.dim; }
  get tableName(): string { return `${this.config.name}.table`; }

  build(ps: ParamSet): this {
    if (this.ps) throw new WordloomError(`${this.config.name}: build() called twice`);
    ps.add(this.tableName, [this.config.vocabSize, this.config.dim], { sparse: this.config.sparse });
    this.ps = ps;
    return this;
  }

  private params(): ParamSet {
    if (!this.ps || !this.ps.data) throw new WordloomError(`${this.config.name}: call build(ps) and ps.finalize() before use`);
    return this.ps;
  }

  initialize(rng: Rng): this {
    const s = this.config.initScale;
    rng.fillUniform(this.params().view(this.tableName), -s, s);
    return this;
  }

  /** Copy pretrained vectors [V][D] into the table. */
  setWeights(table: ArrayLike<number>): void {
    const t = this.params().view(this.tableName);
    if (table.length !== t.length) throw new WordloomError(`${this.config.name}: expected ${t.length} values (V·D), got ${table.length}`, { flag: 'weights' });
    for (let i = 0; i < t.length; i++) t[i] = table[i];
  }

  /** ids [n] (e.g. time-major [T][B] flattened; −1 = padding) → out [n][D] (internal buffer, valid until the next forward). */
  forward(ids: ArrayLike<number>, n: number = ids.length): FloatArray {
    const ps = this.params(), { vocabSize: V, dim: D } = this.config;
    for (let i = 0; i < n; i++) {
      const id = ids[i];
      if (!Number.isInteger(id) || id >= V) throw new WordloomError(`${this.config.name}: id ${id} at position ${i} is outside 0..${V - 1}`, { flag: 'ids' });
    }
    if (!this.out || this.out.length < n * D) { freeFloat(this.out); this.out = allocFloat(n * D, ps.precision); }
    const out = this.out.subarray(0, n * D);
    embeddingForward(out, ids, ps.view(this.tableName), n, D);
    this.ids = ids; this.n = n;
    return out;
  }

  /** dout [n][D] → scatter-add into the table gradient (no-op when not trainable). */
  backward(dout: FloatArray): void {
    if (!this.ids) throw new WordloomError(`${this.config.name}: backward() before forward()`);
    if (!this.config.trainable) return;
    const ps = this.params();
    if (this.config.sparse) ps.touchRows(this.tableName, this.ids, this.n);
    embeddingBackward(ps.gradView(this.tableName), dout, this.ids, this.n, this.config.dim);
  }
}
