/**
 * GRU layer (one direction) exactly as Cho et al. 2014, gate order z, r, h:
 *   z  = σ(x·W_z + h_{t−1}·U_z + b_z)                 update gate
 *   r  = σ(x·W_r + h_{t−1}·U_r + b_r)                 reset gate
 *   ĥ  = tanh(x·W_h + (r⊙h_{t−1})·U_h + b_h)          reset applied to h BEFORE the recurrent matmul
 *   h_t = (1−z)⊙h_{t−1} + z⊙ĥ                          z = 1 takes the candidate (Cho's convention)
 * W [d][3N] = [W_z|W_r|W_h], U [N][3N] = [U_z|U_r|U_h], b [3N] (one bias per gate); parameters are named
 * "<name>.W_zrh", "<name>.U_zrh", "<name>.b_zrh".
 *
 * NOTE: torch.nn.GRU is a different cell (r multiplies (U_h·h + b_hh) AFTER the matmul, and h' = (1−z)ĥ + z·h),
 * so the golden test checks this layer against an independent hand-written Cho cell under torch autograd.
 *
 * Reference: K. Cho, B. van Merriënboer, C. Gulcehre, D. Bahdanau, F. Bougares, H. Schwenk, Y. Bengio,
 * "Learning phrase representations using RNN encoder–decoder for statistical machine translation", EMNLP 2014, eq. 5–8.
 */
import { K, type FloatArray } from '../kernels/index.ts';
import {
  RecurrentBase, validateRecurrentOptions, recurrentBegin, recurrentCarryMasked, recurrentCarryTail, recurrentBeginBackward,
  recurrentTotalGrad, recurrentPassMasked, recurrentProjectionBackward, recurrentTransposeU, zeroRow, type Lengths, type RecurrentInput, type RecurrentOptions, type RecurrentWorkspace,
} from './recurrent.ts';

export type GRUOptions = RecurrentOptions;

export const GRU_DEFAULTS = { name: 'gru' } as const;

/**
 * GRU forward over a whole sequence (time-major), gate order z,r,h (Cho et al. 2014).
 *   x [T][B][d] (or token ids [T][B] standing for one-hot rows: IndexInput, see recurrent.ts),
 *   W [d][3N], U [N][3N], b [3N], h0 [B][N] or null, lengths [B] or null.
 *   Fills ws.G [T][B][3N] (z, r, ĥ activations), ws.rh [T][B][N] (r⊙h_{t−1}), ws.h [T+1][B][N].
 * Per step (G_t holds x_t·W + b): G_t[z,r] += h_{t−1}·U_zr; z,r = σ; rh = r⊙h_{t−1}; G_t[h] += rh·U_h;
 * ĥ = tanh; h_t = (1−z)⊙h_{t−1} + z⊙ĥ. Returns h_1..h_T [T][B][N].
 */
export function gruForward(ws: RecurrentWorkspace, x: RecurrentInput, W: FloatArray, U: FloatArray, b: FloatArray,
  T: number, B: number, lengths: Lengths, h0: FloatArray | null | undefined): FloatArray {
  const N = ws.hidden, G3 = 3 * N, BN = B * N;
  recurrentBegin(ws, x, T, B, lengths, h0, W, b);
  const h = ws.h, G = ws.G, rh = ws.rh!;
  const Uh = U.subarray(2 * N);
  for (let t = 0; t < ws.tMax; t++) {
    const Gt = G.subarray(t * B * G3, (t + 1) * B * G3);
    const hPrev = h.subarray(t * BN, (t + 1) * BN), rht = rh.subarray(t * BN, (t + 1) * BN);
    const rec = t > 0 || ws.hasH0; // h_0 = 0 (and so r⊙h_0 = 0): step 0 has no recurrent products
    if (rec) K.sgemm(false, false, B, 2 * N, N, 1, hPrev, N, U, G3, 1, Gt, G3);
    K.gruGatesForward(B, N, Gt, hPrev, rht);
    if (rec) K.sgemm(false, false, B, N, N, 1, rht, N, Uh, G3, 1, Gt.subarray(2 * N), G3);
    K.gruOutputForward(B, N, Gt, hPrev, h.subarray((t + 1) * BN, (t + 2) * BN));
    recurrentCarryMasked(ws, t);
  }
  recurrentCarryTail(ws);
  return ws.outputs();
}

/**
 * GRU backward (BPTT) through the last gruForward on ws. dH [T][B][N] = dL/dh_t from outside (read only).
 * Accumulates dW [d][3N], dU [N][3N], db [3N], dx [T][B][d] (if not null); dL/dh0 is left in ws.dh0 (when the
 * forward was given h0: ws.hasH0).
 */
export function gruBackward(ws: RecurrentWorkspace, dH: FloatArray, dx: FloatArray | null, W: FloatArray, U: FloatArray,
  dW: FloatArray, dU: FloatArray, db: FloatArray): void {
  const N = ws.hidden, G3 = 3 * N, B = ws.B, BN = B * N;
  const dhNext = recurrentBeginBackward(ws, dH);
  const drh = ws.tmp;
  const UT = recurrentTransposeU(ws, U), UhT = UT.subarray(2 * N * N); // Uᵀ [3N][N]: rows [U_zᵀ; U_rᵀ; U_hᵀ]
  for (let t = ws.tMax - 1; t >= 0; t--) {
    const rec = t > 0 || ws.hasH0; // a zero h_0: dG_r = 0 and no dL/dh0 (see ws.hasH0)
    const dhTot = recurrentTotalGrad(ws, dH, t, dhNext);
    const Gt = ws.G.subarray(t * B * G3, (t + 1) * B * G3), dGt = ws.dG.subarray(t * B * G3, (t + 1) * B * G3);
    const hPrev = ws.h.subarray(t * BN, (t + 1) * BN);
    K.gruOutputBackward(B, N, Gt, hPrev, dhTot, dGt, dhNext);                       // dG_z, dG_h; dh_{t−1} = dh(1−z)
    if (rec) K.sgemm(false, false, B, N, N, 1, dGt.subarray(2 * N), G3, UhT, N, 0, drh, N); // d(r⊙h) = dG_h·U_hᵀ
    else zeroRow(drh, 0, BN);
    K.gruGatesBackward(B, N, Gt, hPrev, drh, dGt, dhNext);                           // dG_r; dh_{t−1} += d(rh)⊙r
    if (rec) K.sgemm(false, false, B, N, 2 * N, 1, dGt, G3, UT, N, 1, dhNext, N);    // dh_{t−1} += dG_zr·U_zrᵀ
    else zeroRow(dhNext, 0, BN);
    recurrentPassMasked(ws, t, dGt, dhNext, null);
  }
  // Rows of a zero h_0 (and r⊙h_0) add nothing to dU.
  const r0 = ws.hasH0 ? 0 : B, rows = ws.tMax * B - r0;
  if (rows > 0) {
    K.sgemm(true, false, N, 2 * N, rows, 1, ws.h.subarray(r0 * N), N, ws.dG.subarray(r0 * G3), G3, 1, dU, G3);                 // dU_zr += hᵀ·dG_zr
    K.sgemm(true, false, N, N, rows, 1, ws.rh!.subarray(r0 * N), N, ws.dG.subarray(r0 * G3 + 2 * N), G3, 1, dU.subarray(2 * N), G3); // dU_h += (r⊙h)ᵀ·dG_h
  }
  recurrentProjectionBackward(ws, dx, W, dW, db);
}

export class GRU extends RecurrentBase {
  readonly cellType = 'gru' as const;
  readonly gateOrder = 'zrh';

  constructor(options: GRUOptions) {
    validateRecurrentOptions(options, 'GRU');
    super(options, GRU_DEFAULTS.name);
  }

  static fromConfig(c: GRUOptions): GRU {
    return new GRU(c);
  }

  /** x [T][B][d] → h_1..h_T [T][B][N] (see gruForward). */
  forward(ws: RecurrentWorkspace, x: RecurrentInput, T: number, B: number, lengths?: Lengths, h0?: FloatArray | null): FloatArray {
    const { W, U, b } = this.views();
    return gruForward(ws, x, W, U, b, T, B, lengths, h0);
  }

  /** BPTT (see gruBackward). */
  backward(ws: RecurrentWorkspace, dH: FloatArray, dx: FloatArray | null): void {
    const { W, U, dW, dU, db } = this.views();
    gruBackward(ws, dH, dx, W, U, dW, dU, db);
  }
}
