/**
 * Reference kernels in plain TypeScript: the ground truth the WASM backends are tested against,
 * the fallback where WebAssembly SIMD is missing, and the float64 path of gradient checks.
 * Written for clarity first, with cache-friendly loop orders.
 */
import type { FloatArray, KernelBackend } from './types.ts';

function sgemm(transA: boolean, transB: boolean, M: number, N: number, K: number, alpha: number,
  A: FloatArray, lda: number, B: FloatArray, ldb: number, beta: number, C: FloatArray, ldc: number): void {
  // Scale / clear C first.
  for (let i = 0; i < M; i++) {
    const ci = i * ldc;
    if (beta === 0) for (let j = 0; j < N; j++) C[ci + j] = 0;
    else if (beta !== 1) for (let j = 0; j < N; j++) C[ci + j] *= beta;
  }
  if (alpha === 0 || K === 0) return;
  if (!transB) {
    // C[i,:] += alpha·a(i,p)·B[p,:]  (i-p-j order: B and C rows are contiguous)
    for (let i = 0; i < M; i++) {
      const ci = i * ldc;
      for (let p = 0; p < K; p++) {
        const a = alpha * (transA ? A[p * lda + i] : A[i * lda + p]);
        if (a === 0) continue;
        const bp = p * ldb;
        for (let j = 0; j < N; j++) C[ci + j] += a * B[bp + j];
      }
    }
  } else {
    // C[i,j] += alpha·Σ_p a(i,p)·B[j,p]  (dot products over contiguous rows of B)
    for (let i = 0; i < M; i++) {
      const ci = i * ldc;
      for (let j = 0; j < N; j++) {
        const bj = j * ldb;
        let s = 0;
        if (transA) for (let p = 0; p < K; p++) s += A[p * lda + i] * B[bj + p];
        else { const ai = i * lda; for (let p = 0; p < K; p++) s += A[ai + p] * B[bj + p]; }
        C[ci + j] += alpha * s;
      }
    }
  }
}

export const referenceKernels: KernelBackend = {
  name: 'reference',
  sgemm,
  dot(n, x, y) {
    let s = 0;
    for (let i = 0; i < n; i++) s += x[i] * y[i];
    return s;
  },
  axpy(n, a, x, y) {
    for (let i = 0; i < n; i++) y[i] += a * x[i];
  },
  scale(n, a, x) {
    for (let i = 0; i < n; i++) x[i] *= a;
  },
  sigmoid(n, x, out) {
    for (let i = 0; i < n; i++) out[i] = 1 / (1 + Math.exp(-x[i]));
  },
  tanh(n, x, out) {
    for (let i = 0; i < n; i++) out[i] = Math.tanh(x[i]);
  },
  sigmoidBackward(n, y, dy, dx) {
    for (let i = 0; i < n; i++) dx[i] += dy[i] * y[i] * (1 - y[i]);
  },
  tanhBackward(n, y, dy, dx) {
    for (let i = 0; i < n; i++) dx[i] += dy[i] * (1 - y[i] * y[i]);
  },
  addBias(rows, n, b, X) {
    for (let r = 0; r < rows; r++) { const o = r * n; for (let j = 0; j < n; j++) X[o + j] += b[j]; }
  },
  biasBackward(rows, n, dX, db) {
    for (let r = 0; r < rows; r++) { const o = r * n; for (let j = 0; j < n; j++) db[j] += dX[o + j]; }
  },
  alloc(n) {
    return new Float32Array(n);
  },
  free() {},
  adamStep(n, p, g, m, v, beta1, beta2, eps, stepSize, invSqrtBc2, l2, decay) {
    const c1 = 1 - beta1, c2 = 1 - beta2;
    for (let i = 0; i < n; i++) {
      const gi = g[i] + l2 * p[i];
      const mi = beta1 * m[i] + c1 * gi;
      const vi = beta2 * v[i] + c2 * gi * gi;
      m[i] = mi; v[i] = vi;
      p[i] = decay * p[i] - stepSize * mi / (Math.sqrt(vi) * invSqrtBc2 + eps);
    }
  },

  lstmCellForward(B, H, G, cPrev, c, tc, h) {
    const G4 = 4 * H;
    for (let b = 0; b < B; b++) {
      const g0 = b * G4, r = b * H;
      for (let j = 0; j < H; j++) {
        const i = 1 / (1 + Math.exp(-G[g0 + j]));
        const f = 1 / (1 + Math.exp(-G[g0 + H + j]));
        const g = Math.tanh(G[g0 + 2 * H + j]);
        const o = 1 / (1 + Math.exp(-G[g0 + 3 * H + j]));
        G[g0 + j] = i; G[g0 + H + j] = f; G[g0 + 2 * H + j] = g; G[g0 + 3 * H + j] = o;
        const cv = f * cPrev[r + j] + i * g;
        const t = Math.tanh(cv);
        c[r + j] = cv; tc[r + j] = t; h[r + j] = o * t;
      }
    }
  },
  lstmCellBackward(B, H, G, cPrev, tc, dh, dc, dG) {
    const G4 = 4 * H;
    for (let b = 0; b < B; b++) {
      const g0 = b * G4, r = b * H;
      for (let j = 0; j < H; j++) {
        const i = G[g0 + j], f = G[g0 + H + j], g = G[g0 + 2 * H + j], o = G[g0 + 3 * H + j];
        const t = tc[r + j], d = dh[r + j];
        const dct = dc[r + j] + d * o * (1 - t * t);
        dG[g0 + j] = dct * g * i * (1 - i);
        dG[g0 + H + j] = dct * cPrev[r + j] * f * (1 - f);
        dG[g0 + 2 * H + j] = dct * i * (1 - g * g);
        dG[g0 + 3 * H + j] = d * t * o * (1 - o);
        dc[r + j] = dct * f;
      }
    }
  },
  gruGatesForward(B, H, G, hPrev, rh) {
    const G3 = 3 * H;
    for (let b = 0; b < B; b++) {
      const g0 = b * G3, r0 = b * H;
      for (let j = 0; j < H; j++) {
        G[g0 + j] = 1 / (1 + Math.exp(-G[g0 + j]));
        const r = 1 / (1 + Math.exp(-G[g0 + H + j]));
        G[g0 + H + j] = r;
        rh[r0 + j] = r * hPrev[r0 + j];
      }
    }
  },
  gruOutputForward(B, H, G, hPrev, h) {
    const G3 = 3 * H;
    for (let b = 0; b < B; b++) {
      const g0 = b * G3, r0 = b * H;
      for (let j = 0; j < H; j++) {
        const hh = Math.tanh(G[g0 + 2 * H + j]);
        G[g0 + 2 * H + j] = hh;
        const z = G[g0 + j], hp = hPrev[r0 + j];
        h[r0 + j] = hp + z * (hh - hp);
      }
    }
  },
  gruOutputBackward(B, H, G, hPrev, dh, dG, dhPrev) {
    const G3 = 3 * H;
    for (let b = 0; b < B; b++) {
      const g0 = b * G3, r0 = b * H;
      for (let j = 0; j < H; j++) {
        const z = G[g0 + j], hh = G[g0 + 2 * H + j], hp = hPrev[r0 + j], d = dh[r0 + j];
        dG[g0 + j] = d * (hh - hp) * z * (1 - z);
        dG[g0 + 2 * H + j] = d * z * (1 - hh * hh);
        dhPrev[r0 + j] = d * (1 - z);
      }
    }
  },
  gruGatesBackward(B, H, G, hPrev, drh, dG, dhPrev) {
    const G3 = 3 * H;
    for (let b = 0; b < B; b++) {
      const g0 = b * G3, r0 = b * H;
      for (let j = 0; j < H; j++) {
        const r = G[g0 + H + j], d = drh[r0 + j];
        dG[g0 + H + j] = d * hPrev[r0 + j] * r * (1 - r);
        dhPrev[r0 + j] += d * r;
      }
    }
  },

  sgemv(trans, M, N, alpha, A, lda, x, beta, y) {
    if (!trans) {
      // y[i] = alpha·(A[i,:]·x) + beta·y[i]; four partial sums so V8 keeps the loop tight.
      for (let i = 0; i < M; i++) {
        const o = i * lda;
        let s0 = 0, s1 = 0, s2 = 0, s3 = 0, p = 0;
        for (; p + 3 < N; p += 4) {
          s0 += A[o + p] * x[p]; s1 += A[o + p + 1] * x[p + 1];
          s2 += A[o + p + 2] * x[p + 2]; s3 += A[o + p + 3] * x[p + 3];
        }
        for (; p < N; p++) s0 += A[o + p] * x[p];
        const s = alpha * ((s0 + s1) + (s2 + s3));
        y[i] = beta === 0 ? s : s + beta * y[i];
      }
    } else {
      // y[j] = alpha·Σ_i A[i,j]·x[i] + beta·y[j] (row-by-row axpy: A rows are contiguous)
      if (beta === 0) for (let j = 0; j < N; j++) y[j] = 0;
      else if (beta !== 1) for (let j = 0; j < N; j++) y[j] *= beta;
      for (let i = 0; i < M; i++) {
        const a = alpha * x[i];
        if (a === 0) continue;
        const o = i * lda;
        for (let j = 0; j < N; j++) y[j] += a * A[o + j];
      }
    }
  },
};
