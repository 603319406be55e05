// Element-wise and reduction kernels (the non-GEMM part of src/kernels/types.ts), 4-wide SIMD with
// scalar tails. Pointers are byte offsets in linear memory; n counts elements.
// The vectorised exp/sigmoid/tanh approximations live in simd.ts.
import { madd, dotRow, vsigmoid, vtanh, sigmoid1, tanh1 } from './simd';

/** Σ x[i]·y[i] (float32 accumulation in 16 lanes). */
export function dot(n: i32, x: usize, y: usize): f32 {
  return dotRow(n, x, y);
}

/** y += a·x. */
export function axpy(n: i32, a: f32, x: usize, y: usize): void {
  const va = f32x4.splat(a);
  let i = 0;
  for (; i + 8 <= n; i += 8) {
    const o = <usize>i << 2;
    v128.store(y + o, madd(va, v128.load(x + o), v128.load(y + o)));
    v128.store(y + o, madd(va, v128.load(x + o, 16), v128.load(y + o, 16)), 16);
  }
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    v128.store(y + o, madd(va, v128.load(x + o), v128.load(y + o)));
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(y + o, load<f32>(y + o) + a * load<f32>(x + o));
  }
}

/** x *= a. */
export function scale(n: i32, a: f32, x: usize): void {
  const va = f32x4.splat(a);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    v128.store(x + o, f32x4.mul(v128.load(x + o), va));
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(x + o, load<f32>(x + o) * a);
  }
}

/** out = σ(x) (out may alias x). */
export function sigmoid(n: i32, x: usize, out: usize): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    v128.store(out + o, vsigmoid(v128.load(x + o)));
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(out + o, sigmoid1(load<f32>(x + o)));
  }
}

/** out = tanh(x) (out may alias x). */
export function tanh(n: i32, x: usize, out: usize): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    v128.store(out + o, vtanh(v128.load(x + o)));
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(out + o, tanh1(load<f32>(x + o)));
  }
}

/** dx += dy·y·(1−y). */
export function sigmoidBackward(n: i32, y: usize, dy: usize, dx: usize): void {
  const one = f32x4.splat(1);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    const yv = v128.load(y + o);
    const g = f32x4.mul(f32x4.mul(v128.load(dy + o), yv), f32x4.sub(one, yv));
    v128.store(dx + o, f32x4.add(v128.load(dx + o), g));
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    const yv = load<f32>(y + o);
    store<f32>(dx + o, load<f32>(dx + o) + load<f32>(dy + o) * yv * (1 - yv));
  }
}

/** dx += dy·(1−y²). */
export function tanhBackward(n: i32, y: usize, dy: usize, dx: usize): void {
  const one = f32x4.splat(1);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    const yv = v128.load(y + o);
    const g = f32x4.mul(v128.load(dy + o), f32x4.sub(one, f32x4.mul(yv, yv)));
    v128.store(dx + o, f32x4.add(v128.load(dx + o), g));
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    const yv = load<f32>(y + o);
    store<f32>(dx + o, load<f32>(dx + o) + load<f32>(dy + o) * (1 - yv * yv));
  }
}

/** X[r, :] += b for r < rows (row stride n). */
export function addBias(rows: i32, n: i32, b: usize, X: usize): void {
  for (let r = 0; r < rows; r++) {
    const row = X + ((<usize>r * <usize>n) << 2);
    let j = 0;
    for (; j + 4 <= n; j += 4) {
      const o = <usize>j << 2;
      v128.store(row + o, f32x4.add(v128.load(row + o), v128.load(b + o)));
    }
    for (; j < n; j++) {
      const o = <usize>j << 2;
      store<f32>(row + o, load<f32>(row + o) + load<f32>(b + o));
    }
  }
}

/** db[j] += Σ_r dX[r, j]. */
export function biasBackward(rows: i32, n: i32, dX: usize, db: usize): void {
  for (let r = 0; r < rows; r++) {
    const row = dX + ((<usize>r * <usize>n) << 2);
    let j = 0;
    for (; j + 4 <= n; j += 4) {
      const o = <usize>j << 2;
      v128.store(db + o, f32x4.add(v128.load(db + o), v128.load(row + o)));
    }
    for (; j < n; j++) {
      const o = <usize>j << 2;
      store<f32>(db + o, load<f32>(db + o) + load<f32>(row + o));
    }
  }
}
