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
import { RecurrentBase, validateRecurrentOptions, type Lengths, type RecurrentOptions, type RecurrentWorkspace } from './recurrent.ts';

export type GRUOptions = RecurrentOptions;

export const GRU_DEFAULTS = { name: 'gru' } as const;

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

  /**
   * x [T][B][d] → states ws.h [T+1][B][N]; returns h_1..h_T. Per step (G_t holds x_t·W + b):
   *   G_t[z,r] += h_{t−1}·U_zr; z,r = σ; rh = r⊙h_{t−1}; G_t[h] += rh·U_h; ĥ = tanh; h_t = (1−z)h_{t−1} + zĥ.
   */
  forward(ws: RecurrentWorkspace, x: FloatArray, T: number, B: number, lengths?: Lengths, h0?: FloatArray | null): FloatArray {
    const { W, U, b } = this.views();
    const N = this.hiddenSize, G3 = 3 * N, BN = B * N;
    this.begin(ws, x, T, B, lengths, h0, W, b);
    const h = ws.h, G = ws.G, rh = ws.rh!;
    const Uh = U.subarray(2 * N);
    for (let t = 0; t < ws.tMax; t++) {
      const Gt = G.subarray(t * B * G3, (t + 1) * B * G3);
      const hPrev = h.subarray(t * BN, (t + 1) * BN), rht = rh.subarray(t * BN, (t + 1) * BN);
      K.sgemm(false, false, B, 2 * N, N, 1, hPrev, N, U, G3, 1, Gt, G3);
      K.gruGatesForward(B, N, Gt, hPrev, rht);
      K.sgemm(false, false, B, N, N, 1, rht, N, Uh, G3, 1, Gt.subarray(2 * N), G3);
      K.gruOutputForward(B, N, Gt, hPrev, h.subarray((t + 1) * BN, (t + 2) * BN));
      this.carryMasked(ws, t);
    }
    this.carryTail(ws);
    return ws.outputs();
  }

  /** BPTT. dH [T][B][N] = dL/dh_t from outside; grads accumulate into dW, dU, db and dx [T][B][d]. */
  backward(ws: RecurrentWorkspace, dH: FloatArray, dx: FloatArray | null): void {
    const { W, U, dW, dU, db } = this.views();
    const N = this.hiddenSize, G3 = 3 * N, B = ws.B, BN = B * N;
    const Uh = U.subarray(2 * N);
    const dhNext = this.beginBackward(ws, dH);
    const drh = ws.tmp;
    for (let t = ws.tMax - 1; t >= 0; t--) {
      const dhTot = this.totalGrad(ws, dH, t, dhNext);
      const Gt = ws.G.subarray(t * B * G3, (t + 1) * B * G3), dGt = ws.dG.subarray(t * B * G3, (t + 1) * B * G3);
      const hPrev = ws.h.subarray(t * BN, (t + 1) * BN);
      K.gruOutputBackward(B, N, Gt, hPrev, dhTot, dGt, dhNext);                       // dG_z, dG_h; dh_{t−1} = dh(1−z)
      K.sgemm(false, true, B, N, N, 1, dGt.subarray(2 * N), G3, Uh, G3, 0, drh, N);     // d(r⊙h) = dG_h·U_hᵀ
      K.gruGatesBackward(B, N, Gt, hPrev, drh, dGt, dhNext);                           // dG_r; dh_{t−1} += d(rh)⊙r
      K.sgemm(false, true, B, N, 2 * N, 1, dGt, G3, U, G3, 1, dhNext, N);               // dh_{t−1} += dG_zr·U_zrᵀ
      this.passMasked(ws, t, dGt, dhNext, null);
    }
    const rows = ws.tMax * B;
    K.sgemm(true, false, N, 2 * N, rows, 1, ws.h, N, ws.dG, G3, 1, dU, G3);                             // dU_zr += hᵀ·dG_zr
    K.sgemm(true, false, N, N, rows, 1, ws.rh!, N, ws.dG.subarray(2 * N), G3, 1, dU.subarray(2 * N), G3); // dU_h += (r⊙h)ᵀ·dG_h
    this.finishBackward(ws, dx, W, dW, db);
  }
}
