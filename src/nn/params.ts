/**
 * Parameters and gradients in one flat buffer each, with named views.
 * Save/load, zero-grad, optimizers, clipping and gradient checks all work on the flat buffers.
 *
 *   const ps = new ParamSet();
 *   const W = ps.add('lstm0.W', [d, 4 * H]);   // returns { name, shape, offset, size }
 *   ps.finalize();                              // allocates data + grad (K.alloc, or Float64Array for grad checks)
 *   ps.view(W) / ps.gradView(W)                 // Float32Array (or Float64Array) views
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

  /** Declare a parameter; returns its spec (views are available after finalize()). */
  add(name: string, shape: readonly number[]): ParamSpec {
    if (this.data) throw new Error(`ParamSet.add("${name}") after finalize()`);
    if (this.byName.has(name)) throw new Error(`ParamSet: duplicate parameter name "${name}"`);
    const size = shape.reduce((a, b) => a * b, 1);
    // 16-element (64-byte) alignment so SIMD kernels see aligned rows.
    const offset = Math.ceil(this.total / 16) * 16;
    const spec: ParamSpec = { name, shape: [...shape], offset, size };
    this.specs.push(spec);
    this.byName.set(name, spec);
    this.total = offset + size;
    return spec;
  }

  /** Allocate the flat buffers. */
  finalize(precision: Precision = 'float32'): this {
    this.precision = precision;
    const n = Math.max(16, Math.ceil(this.total / 16) * 16);
    this.data = precision === 'float32' ? K.alloc(n) : new Float64Array(n);
    this.grad = precision === 'float32' ? K.alloc(n) : new Float64Array(n);
    return this;
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

  zeroGrad(): void {
    this.grad.fill(0);
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
