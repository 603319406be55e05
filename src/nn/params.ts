/**
 * Parameters and gradients in one flat buffer each, with named views.
 * Save/load, zero-grad, optimizers, clipping and gradient checks all work on the flat buffers.
 *
 *   const ps = new ParamSet();
 *   const W = ps.add('lstm0.W', [d, 4 * H]);   // returns { name, shape, offset, size }
 *   ps.finalize();                              // allocates data + grad (K.alloc, or Float64Array for grad checks)
 *   ps.view(W) / ps.gradView(W)                 // Float32Array (or Float64Array) views
 *
 * Row-sparse parameters (`add(name, shape, { sparse: true })`, e.g. an embedding table [V][D]): the layer records
 * the rows its backward touched (`touchRows`), and zeroGrad, the optimizers and gradient clipping visit only those
 * rows instead of all V·D values. The gradient buffer stays dense (rows not recorded must stay zero: write a
 * sparse parameter's gradient only through rows you record). Reference: torch.nn.Embedding(sparse=True).
 */
import { K, type FloatArray } from '../kernels/index.ts';
import { WordloomError } from '../util/errors.ts';

export interface ParamSpec {
  /** Unique name, e.g. "lstm0.fwd.W" (documents gate order in the layer that owns it). */
  readonly name: string;
  /** Shape, row-major. */
  readonly shape: readonly number[];
  /** Offset in the flat buffer (elements). */
  readonly offset: number;
  /** Number of elements. */
  readonly size: number;
}

export type Precision = 'float32' | 'float64';

/** Options of ParamSet.add. */
export interface ParamOptions {
  /** Row-sparse gradient: only rows recorded with touchRows() are zeroed and updated (default false). */
  sparse?: boolean;
}

/** Touched-row bookkeeping of one sparse parameter. */
interface SparseRows {
  spec: ParamSpec;
  /** Values per row (size / shape[0]). */
  rowSize: number;
  /** mark[r] = 1 when row r is in list[0..count). */
  mark: Uint8Array;
  list: Int32Array;
  count: number;
}

/** A contiguous run [offset, offset + size) of the flat buffers. */
export interface Segment { offset: number; size: number }

export class ParamSet {
  private specs: ParamSpec[] = [];
  private byName = new Map<string, ParamSpec>();
  private total = 0;
  /** Flat parameter buffer (valid after finalize()). */
  data!: FloatArray;
  /** Flat gradient buffer, same layout as data. */
  grad!: FloatArray;
  /** float32 for training/inference, float64 for gradient checks. */
  precision: Precision = 'float32';
  private sparse = new Map<string, SparseRows>();
  /** The flat-buffer runs outside sparse parameters (set by finalize). */
  private denseSegs: Segment[] = [];

  /** Declare a parameter; returns its spec (views are available after finalize()). */
  add(name: string, shape: readonly number[], options: ParamOptions = {}): ParamSpec {
    if (this.data) throw new Error(`ParamSet.add("${name}") after finalize()`);
    if (this.byName.has(name)) throw new Error(`ParamSet: duplicate parameter name "${name}"`);
    const size = shape.reduce((a, b) => a * b, 1);
    // 16-element (64-byte) alignment so SIMD kernels see aligned rows.
    const offset = Math.ceil(this.total / 16) * 16;
    const spec: ParamSpec = { name, shape: [...shape], offset, size };
    this.specs.push(spec);
    this.byName.set(name, spec);
    this.total = offset + size;
    if (options.sparse) {
      if (shape.length < 1 || shape[0] < 1) throw new WordloomError(`ParamSet: sparse parameter "${name}" needs a row dimension`, { flag: 'sparse' });
      const rows = shape[0];
      this.sparse.set(name, { spec, rowSize: size / rows, mark: new Uint8Array(rows), list: new Int32Array(rows), count: 0 });
    }
    return spec;
  }

  /** Allocate the flat buffers. */
  finalize(precision: Precision = 'float32'): this {
    this.precision = precision;
    const n = Math.max(16, Math.ceil(this.total / 16) * 16);
    this.data = precision === 'float32' ? K.alloc(n) : new Float64Array(n);
    this.grad = precision === 'float32' ? K.alloc(n) : new Float64Array(n);
    const cuts = [...this.sparse.values()].map((r) => r.spec).sort((a, b) => a.offset - b.offset);
    this.denseSegs = [];
    let at = 0;
    for (const c of cuts) { if (c.offset > at) this.denseSegs.push({ offset: at, size: c.offset - at }); at = c.offset + c.size; }
    if (n > at) this.denseSegs.push({ offset: at, size: n - at });
    return this;
  }

  /** Whether any parameter is row-sparse (optimizers then update dense runs + touched rows only). */
  get hasSparse(): boolean {
    return this.sparse.size > 0;
  }

  /** Whether parameter `name` was declared sparse. */
  isSparse(name: string): boolean {
    return this.sparse.has(name);
  }

  /** The runs of the flat buffers outside sparse parameters (the whole buffer when none is sparse). */
  denseSegments(): readonly Segment[] {
    return this.denseSegs;
  }

  /**
   * Record the rows of sparse parameter `name` that a backward wrote into (ids[0..n); negative ids are skipped).
   * Must be called for every row whose gradient is written.
   */
  touchRows(name: string, ids: ArrayLike<number>, n: number = ids.length): void {
    const r = this.sparse.get(name);
    if (!r) throw new WordloomError(`ParamSet: "${name}" is not a sparse parameter`);
    const rows = r.mark.length;
    for (let i = 0; i < n; i++) {
      const id = ids[i];
      if (id < 0) continue;
      if (id >= rows) throw new WordloomError(`ParamSet: row ${id} of "${name}" is outside 0..${rows - 1}`);
      if (!r.mark[id]) { r.mark[id] = 1; r.list[r.count++] = id; }
    }
  }

  /**
   * Touched rows of every sparse parameter since the last zeroGrad: the parameter's spec, values per row and the
   * row indices (a view, in first-touch order).
   */
  sparseRows(): Array<{ spec: ParamSpec; rowSize: number; rows: Int32Array }> {
    return [...this.sparse.values()].map((r) => ({ spec: r.spec, rowSize: r.rowSize, rows: r.list.subarray(0, r.count) }));
  }

  /** All parameter specs in declaration order. */
  list(): readonly ParamSpec[] {
    return this.specs;
  }

  get(name: string): ParamSpec {
    const s = this.byName.get(name);
    if (!s) throw new Error(`ParamSet: no parameter "${name}"`);
    return s;
  }

  /** Number of parameters (sum of sizes, without alignment padding). */
  count(): number {
    return this.specs.reduce((a, s) => a + s.size, 0);
  }

  /** Length of the flat buffers (with alignment padding). */
  get length(): number {
    return this.data.length;
  }

  view(p: ParamSpec | string): FloatArray {
    const s = typeof p === 'string' ? this.get(p) : p;
    return this.data.subarray(s.offset, s.offset + s.size);
  }

  gradView(p: ParamSpec | string): FloatArray {
    const s = typeof p === 'string' ? this.get(p) : p;
    return this.grad.subarray(s.offset, s.offset + s.size);
  }

  /** Zero the gradient (sparse parameters: only their touched rows, which are then forgotten). */
  zeroGrad(): void {
    if (!this.sparse.size) { this.grad.fill(0); return; }
    const g = this.grad;
    for (const s of this.denseSegs) g.fill(0, s.offset, s.offset + s.size);
    for (const r of this.sparse.values()) {
      const o = r.spec.offset, w = r.rowSize;
      for (let i = 0; i < r.count; i++) { const row = r.list[i]; g.fill(0, o + row * w, o + (row + 1) * w); r.mark[row] = 0; }
      r.count = 0;
    }
  }

  /** Copy values from another ParamSet with the same names and shapes (e.g. float32 → float64 for grad checks). */
  copyFrom(other: ParamSet): void {
    for (const s of this.specs) {
      const o = other.byName.get(s.name);
      if (!o || o.size !== s.size) throw new WordloomError(`parameter "${s.name}" is missing or has a different size in the source`);
      this.view(s).set(other.view(o));
    }
  }

  /** Parameter values as one contiguous Float32Array (no padding), in declaration order: for model files. */
  exportFloat32(): Float32Array {
    const out = new Float32Array(this.count());
    let o = 0;
    for (const s of this.specs) { out.set(this.view(s), o); o += s.size; }
    return out;
  }

  /** Inverse of exportFloat32(). */
  importFloat32(values: Float32Array): void {
    if (values.length !== this.count()) throw new WordloomError(`expected ${this.count()} parameter values, got ${values.length}`);
    let o = 0;
    for (const s of this.specs) { this.view(s).set(values.subarray(o, o + s.size)); o += s.size; }
  }

  /** Names and shapes, for model file headers. */
  manifest(): Array<{ name: string; shape: number[] }> {
    return this.specs.map((s) => ({ name: s.name, shape: [...s.shape] }));
  }
}
