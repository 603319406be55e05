/**
 * SimpleRNN layer (one direction, Elman network with tanh):
 *   h_t = tanh(x_t·W + h_{t−1}·U + b)        W [d][N], U [N][N], b [N]
 * Parameters "<name>.W_h", "<name>.U_h", "<name>.b_h" (one gate block "h"). Compared with torch.nn.RNN:
 * W = weight_ih_l0ᵀ, U = weight_hh_l0ᵀ, b = bias_ih_l0 + bias_hh_l0.
 *
 * Reference: J. L. Elman, "Finding structure in time", Cognitive Science 14, 1990.
 */
import { K, type FloatArray } from '../kernels/index.ts';
import {
  RecurrentBase, validateRecurrentOptions, zeroRow, recurrentBegin, recurrentCarryMasked, recurrentCarryTail, recurrentBeginBackward,
  recurrentTotalGrad, recurrentPassMasked, recurrentProjectionBackward, recurrentTransposeU, type Lengths, type RecurrentInput, type RecurrentOptions, type RecurrentWorkspace,
} from './recurrent.ts';

export type SimpleRNNOptions = RecurrentOptions;

export const SIMPLE_RNN_DEFAULTS = { name: 'rnn' } as const;

/**
 * SimpleRNN forward over a whole sequence (time-major).
 *   x [T][B][d] (or token ids [T][B] standing for one-hot rows: IndexInput, see recurrent.ts),
 *   W [d][N], U [N][N], b [N], h0 [B][N] or null, lengths [B] or null.
 *   ws.G [T][B][N] preactivations, ws.h [T+1][B][N]. Per step: G_t += h_{t−1}·U; h_t = tanh(G_t).
 */
export function rnnForward(ws: RecurrentWorkspace, x: RecurrentInput, W: FloatArray, U: FloatArray, b: FloatArray,
  T: number, B: number, lengths: Lengths, h0: FloatArray | null | undefined): FloatArray {
  const N = ws.hidden, BN = B * N;
  recurrentBegin(ws, x, T, B, lengths, h0, W, b);
  const h = ws.h, G = ws.G;
  for (let t = 0; t < ws.tMax; t++) {
    const Gt = G.subarray(t * BN, (t + 1) * BN);
    if (t > 0 || ws.hasH0) K.sgemm(false, false, B, N, N, 1, h.subarray(t * BN, (t + 1) * BN), N, U, N, 1, Gt, N); // h_0 = 0: nothing to add
    K.tanh(BN, Gt, h.subarray((t + 1) * BN, (t + 2) * BN));
    recurrentCarryMasked(ws, t);
  }
  recurrentCarryTail(ws);
  return ws.outputs();
}

/**
 * SimpleRNN backward (BPTT). dH [T][B][N] = dL/dh_t from outside (read only). Accumulates dW [d][N],
 * dU [N][N], db [N], dx [T][B][d] (if not null); dL/dh0 is left in ws.dh0 (when the forward was given h0).
 */
export function rnnBackward(ws: RecurrentWorkspace, dH: FloatArray, dx: FloatArray | null, W: FloatArray, U: FloatArray,
  dW: FloatArray, dU: FloatArray, db: FloatArray): void {
  const N = ws.hidden, B = ws.B, BN = B * N;
  const dhNext = recurrentBeginBackward(ws, dH);
  const UT = recurrentTransposeU(ws, U);
  for (let t = ws.tMax - 1; t >= 0; t--) {
    const dhTot = recurrentTotalGrad(ws, dH, t, dhNext, true);
    const dGt = ws.dG.subarray(t * BN, (t + 1) * BN);
    zeroRow(dGt, 0, BN);
    K.tanhBackward(BN, ws.h.subarray((t + 1) * BN, (t + 2) * BN), dhTot, dGt);
    if (t > 0 || ws.hasH0) K.sgemm(false, false, B, N, N, 1, dGt, N, UT, N, 0, dhNext, N); // dh_{t−1} = dG_t·Uᵀ
    else zeroRow(dhNext, 0, BN); // a zero h0 is a constant: no dL/dh0
    recurrentPassMasked(ws, t, dGt, dhNext, null);
  }
  const r0 = ws.hasH0 ? 0 : B; // rows of a zero h_0 add nothing to dU
  if (ws.tMax * B > r0) K.sgemm(true, false, N, N, ws.tMax * B - r0, 1, ws.h.subarray(r0 * N), N, ws.dG.subarray(r0 * N), N, 1, dU, N);
  recurrentProjectionBackward(ws, dx, W, dW, db);
}

export class SimpleRNN extends RecurrentBase {
  readonly cellType = 'rnn' as const;
  readonly gateOrder = 'h';

  constructor(options: SimpleRNNOptions) {
    validateRecurrentOptions(options, 'SimpleRNN');
    super(options, SIMPLE_RNN_DEFAULTS.name);
  }

  static fromConfig(c: SimpleRNNOptions): SimpleRNN {
    return new SimpleRNN(c);
  }

  /** x [T][B][d] → h_1..h_T [T][B][N] (see rnnForward). */
  forward(ws: RecurrentWorkspace, x: RecurrentInput, T: number, B: number, lengths?: Lengths, h0?: FloatArray | null): FloatArray {
    const { W, U, b } = this.views();
    return rnnForward(ws, x, W, U, b, T, B, lengths, h0);
  }

  /** BPTT (see rnnBackward). */
  backward(ws: RecurrentWorkspace, dH: FloatArray, dx: FloatArray | null): void {
    const { W, U, dW, dU, db } = this.views();
    rnnBackward(ws, dH, dx, W, U, dW, dU, db);
  }
}
