/**
 * Principal component analysis to 2-D for the playground's word map (browser-safe: used by the server's
 * /api/map and by the page when it computes a map itself).
 *
 * Method: centre the rows, then the top two eigenvectors of the covariance matrix CᵀC/(n−1) by power iteration
 * with deflation (d×d matrix; d ≤ a few hundred, n ≤ a few hundred words), deterministic start vector.
 * Each component's sign is fixed so that its largest-|value| loading is positive (stable pictures between runs).
 *
 * Reference: I. T. Jolliffe, "Principal Component Analysis", 2nd ed., Springer 2002 (§1, power method: Golub & Van Loan §8.2).
 */

export interface Pca2D {
  /** n × 2 projected coordinates, row-major. */
  coords: Float64Array;
  /** Fraction of the total variance explained by component 1 and 2. */
  explained: [number, number];
}

/**
 * Project `n` rows of dimension `d` (row-major in `data`) onto their first two principal components.
 * Needs n ≥ 2 rows; rows that are all equal give zero coordinates and explained [0, 0].
 */
export function pca2d(data: ArrayLike<number>, n: number, d: number, iterations = 200): Pca2D {
  if (n < 2) throw new RangeError('pca2d: need at least 2 rows');
  if (data.length !== n * d) throw new RangeError(`pca2d: expected ${n * d} values, got ${data.length}`);
  const x = new Float64Array(n * d);
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j] += data[i * d + j] / n;
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) x[i * d + j] = data[i * d + j] - mean[j];
  // Covariance d×d.
  const cov = new Float64Array(d * d);
  for (let i = 0; i < n; i++) {
    const r = i * d;
    for (let a = 0; a < d; a++) {
      const va = x[r + a];
      if (va === 0) continue;
      const ca = a * d;
      for (let b = a; b < d; b++) cov[ca + b] += va * x[r + b];
    }
  }
  for (let a = 0; a < d; a++) for (let b = a; b < d; b++) { const v = cov[a * d + b] / (n - 1); cov[a * d + b] = v; cov[b * d + a] = v; }
  let trace = 0;
  for (let a = 0; a < d; a++) trace += cov[a * d + a];

  const comps: Float64Array[] = [];
  const eig: number[] = [];
  for (let c = 0; c < 2; c++) {
    let v = new Float64Array(d);
    for (let j = 0; j < d; j++) v[j] = 1 + ((j * 7919 + c * 104729) % 1000) / 1000; // deterministic, non-degenerate start
    let lambda = 0;
    for (let it = 0; it < iterations; it++) {
      const w = new Float64Array(d);
      for (let a = 0; a < d; a++) {
        let s = 0;
        const ca = a * d;
        for (let b = 0; b < d; b++) s += cov[ca + b] * v[b];
        w[a] = s;
      }
      for (const u of comps) { // deflate: stay orthogonal to earlier components
        let p = 0;
        for (let j = 0; j < d; j++) p += w[j] * u[j];
        for (let j = 0; j < d; j++) w[j] -= p * u[j];
      }
      let norm = 0;
      for (let j = 0; j < d; j++) norm += w[j] * w[j];
      norm = Math.sqrt(norm);
      if (norm < 1e-300) { v = new Float64Array(d); lambda = 0; break; }
      let delta = 0;
      for (let j = 0; j < d; j++) { const nv = w[j] / norm; delta += Math.abs(nv - v[j]); v[j] = nv; }
      lambda = norm;
      if (delta < 1e-10) break;
    }
    let big = 0;
    for (let j = 0; j < d; j++) if (Math.abs(v[j]) > Math.abs(big)) big = v[j];
    if (big < 0) for (let j = 0; j < d; j++) v[j] = -v[j];
    comps.push(v);
    eig.push(lambda);
  }
  const coords = new Float64Array(n * 2);
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < 2; c++) {
      let s = 0;
      const u = comps[c];
      for (let j = 0; j < d; j++) s += x[i * d + j] * u[j];
      coords[i * 2 + c] = s;
    }
  }
  const explained: [number, number] = trace > 0 ? [eig[0] / trace, eig[1] / trace] : [0, 0];
  return { coords, explained };
}
