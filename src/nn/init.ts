/**
 * Seeded weight initialisers.
 *
 * - `glorotUniform`: U(−l, l), l = gain·√(6 / (fanIn + fanOut)). Used for input weights (x·W) and Dense.
 *   Reference: X. Glorot and Y. Bengio, "Understanding the difficulty of training deep feedforward
 *   neural networks", AISTATS 2010. fanIn/fanOut follow Keras (the whole kernel [d × gates·N]).
 * - `orthogonal`: a (semi-)orthogonal matrix from the QR decomposition of a Gaussian matrix with the
 *   sign correction Q·diag(sign(diag R)) so it is uniformly (Haar) distributed. Used for recurrent weights,
 *   one square N×N block PER GATE (each gate's U_g is orthogonal), the common PyTorch practice.
 *   Reference: A. M. Saxe, J. L. McClelland, S. Ganguli, "Exact solutions to the nonlinear dynamics of
 *   learning in deep linear neural networks", ICLR 2014; F. Mezzadri, "How to generate random matrices
 *   from the classical compact groups", 2007.
 *
 * All functions write into a (possibly strided) sub-matrix of `out` so they can fill one gate block of
 * a fused [rows × gates·N] parameter in place.
 */
import type { FloatArray } from '../kernels/index.ts';
import type { Rng } from '../util/rng.ts';

/** Fill rows×cols (row stride ld, default cols) of `out` with Glorot-uniform values. */
export function glorotUniform(rng: Rng, out: FloatArray, rows: number, cols: number, fanIn: number, fanOut: number,
  gain = 1, ld = cols): void {
  const l = gain * Math.sqrt(6 / (fanIn + fanOut));
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) out[i * ld + j] = rng.uniform(-l, l);
}

/** Fill rows×cols (row stride ld) with U(lo, hi). */
export function uniformInit(rng: Rng, out: FloatArray, rows: number, cols: number, lo: number, hi: number, ld = cols): void {
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) out[i * ld + j] = rng.uniform(lo, hi);
}

/**
 * Fill rows×cols (row stride ld) with gain·Q where Q has orthonormal columns (rows ≥ cols) or orthonormal
 * rows (rows < cols). Modified Gram–Schmidt, applied twice ("twice is enough"), in float64.
 */
export function orthogonal(rng: Rng, out: FloatArray, rows: number, cols: number, gain = 1, ld = cols): void {
  // Work on the tall orientation: m ≥ n, orthonormalise the n columns of an m×n Gaussian matrix.
  const tall = rows >= cols;
  const m = tall ? rows : cols, n = tall ? cols : rows;
  const A = new Float64Array(m * n); // column-major: column k at A[k*m .. k*m+m)
  for (let i = 0; i < A.length; i++) A[i] = rng.normal();
  for (let k = 0; k < n; k++) {
    const ak = A.subarray(k * m, k * m + m);
    for (let pass = 0; pass < 2; pass++) {
      for (let q = 0; q < k; q++) {
        const aq = A.subarray(q * m, q * m + m);
        let s = 0;
        for (let i = 0; i < m; i++) s += aq[i] * ak[i];
        for (let i = 0; i < m; i++) ak[i] -= s * aq[i];
      }
    }
    let nrm = 0;
    for (let i = 0; i < m; i++) nrm += ak[i] * ak[i];
    // Gram–Schmidt's R has a positive diagonal (the norms), so this Q is already the sign-corrected one.
    nrm = Math.sqrt(nrm);
    for (let i = 0; i < m; i++) ak[i] /= nrm;
  }
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      // tall: out[i][j] = Q[i][j] = column j, row i; wide: out = Qᵀ, out[i][j] = column i, row j.
      out[i * ld + j] = gain * (tall ? A[j * m + i] : A[i * m + j]);
    }
  }
}
