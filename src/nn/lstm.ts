/**
 * LSTM layer (one direction), gate order i, f, g, o:
 *   [a_i | a_f | a_g | a_o] = x_t·W + h_{t−1}·U + b          W [d][4N], U [N][4N], b [4N] (one bias per gate)
 *   i = σ(a_i), f = σ(a_f), g = tanh(a_g), o = σ(a_o)
 *   c_t = f⊙c_{t−1} + i⊙g,   h_t = o⊙tanh(c_t)
 * Parameters are named "<name>.W_ifgo", "<name>.U_ifgo", "<name>.b_ifgo". The forget-gate bias starts at
 * `forgetBias` (default 1). Compared with torch.nn.LSTM: W = weight_ih_l0ᵀ, U = weight_hh_l0ᵀ,
 * b = bias_ih_l0 + bias_hh_l0 (same i,f,g,o order) — see test/fixtures/golden/make_golden.py.
 *
 * Reference: S. Hochreiter and J. Schmidhuber, "Long short-term memory", 1997; F. A. Gers, J. Schmidhuber,
 * F. Cummins, "Learning to forget", 2000 (forget gate); R. Jozefowicz, W. Zaremba, I. Sutskever,
 * "An empirical exploration of recurrent network architectures", ICML 2015 (forget bias 1).
 *
 * Speed: the input projection x·W + b of all T steps is one [T·B × d]·[d × 4N] GEMM (a row gather for token-id
 * input); only h·U runs per step;
 * backward accumulates dW, dU, db and dx with one GEMM each after the time loop (dx skipped when not asked for),
 * and its per-step dh_{t−1} = dG_t·Uᵀ reads a Uᵀ transposed once per backward. A zero initial state saves the
 * step-0 recurrent products. The cell pointwise math is one fused kernel per step and direction.
 */
import { K, type FloatArray } from '../kernels/index.ts';
import type { Rng } from '../util/rng.ts';
import { WordloomError } from '../util/errors.ts';
import {
  RecurrentBase, validateRecurrentOptions, zeroRow, copyRow, recurrentBegin, recurrentCarryMasked, recurrentCarryTail,
  recurrentBeginBackward, recurrentTotalGrad, recurrentSaveMaskedDc, recurrentPassMasked, recurrentProjectionBackward,
  recurrentTransposeU, type Lengths, type RecurrentInput, type RecurrentOptions, type RecurrentWorkspace,
} from './recurrent.ts';

export interface LSTMOptions extends RecurrentOptions {
  /** Initial value of the forget-gate bias b_f (default 1, Jozefowicz et al. 2015). */
  forgetBias?: number;
}

export const LSTM_DEFAULTS = { name: 'lstm', forgetBias: 1 } as const;

/**
 * LSTM forward over a whole sequence (time-major), gate order i,f,g,o.
 *   x [T][B][d] (or token ids [T][B] standing for one-hot rows: IndexInput, see recurrent.ts),
 *   W [d][4N], U [N][4N], b [4N], h0/c0 [B][N] or null (zeros), lengths [B] or null.
 *   Fills ws.G [T][B][4N] (activations i,f,g,o), ws.h and ws.c [T+1][B][N] (index 0 = initial state),
 *   ws.tc [T][B][N] (tanh c). Returns h_1..h_T [T][B][N] (a view of ws.h).
 * Per step: G_t (= x_t·W + b from one big GEMM) += h_{t−1}·U, then the fused pointwise cell.
 */
export function lstmForward(ws: RecurrentWorkspace, x: RecurrentInput, W: FloatArray, U: FloatArray, b: FloatArray,
  T: number, B: number, lengths: Lengths, h0: FloatArray | null | undefined, c0: FloatArray | null | undefined): FloatArray {
  const N = ws.hidden, G4 = 4 * N, BN = B * N;
  recurrentBegin(ws, x, T, B, lengths, h0, W, b);
  const h = ws.h, c = ws.c!, tc = ws.tc!, G = ws.G;
  if (c0) {
    if (c0.length < BN) throw new WordloomError(`${ws.name}: c0 must have B·N = ${BN} values`, { flag: 'c0' });
    copyRow(c, 0, c0, 0, BN);
  } else zeroRow(c, 0, BN);
  for (let t = 0; t < ws.tMax; t++) {
    const Gt = G.subarray(t * B * G4, (t + 1) * B * G4);
    if (t > 0 || ws.hasH0) K.sgemm(false, false, B, G4, N, 1, h.subarray(t * BN, (t + 1) * BN), N, U, G4, 1, Gt, G4); // h_0 = 0: nothing to add
    K.lstmCellForward(B, N, Gt, c.subarray(t * BN, (t + 1) * BN), c.subarray((t + 1) * BN, (t + 2) * BN),
      tc.subarray(t * BN, (t + 1) * BN), h.subarray((t + 1) * BN, (t + 2) * BN));
    recurrentCarryMasked(ws, t);
  }
  recurrentCarryTail(ws);
  return ws.outputs();
}

/**
 * LSTM backward (BPTT) through the last lstmForward on ws.
 *   dH [T][B][N]: dL/dh_t from outside the recurrence (read only). Accumulates (+=) dW [d][4N], dU [N][4N],
 *   db [4N] and dx [T][B][d] (if not null); leaves dL/dh0, dL/dc0 in ws.dh0, ws.dc0 [B][N] (dL/dh0 only when
 *   the forward was given h0: ws.hasH0).
 * Per step only the pointwise backward and dh_{t−1} = dG_t·Uᵀ; dU, dW, db, dx are one GEMM each at the end.
 * With a zero initial state (no h0) step 0 needs no recurrent product forward or backward (as in PyTorch, where
 * the default hx does not require grad), and h_0's rows drop out of dU.
 */
export function lstmBackward(ws: RecurrentWorkspace, dH: FloatArray, dx: FloatArray | null, W: FloatArray, U: FloatArray,
  dW: FloatArray, dU: FloatArray, db: FloatArray): void {
  const N = ws.hidden, G4 = 4 * N, B = ws.B, BN = B * N;
  const dhNext = recurrentBeginBackward(ws, dH);
  const dc = ws.dc0!;
  const UT = recurrentTransposeU(ws, U);
  for (let t = ws.tMax - 1; t >= 0; t--) {
    const dhTot = recurrentTotalGrad(ws, dH, t, dhNext, true);
    const saved = recurrentSaveMaskedDc(ws, t);
    const Gt = ws.G.subarray(t * B * G4, (t + 1) * B * G4), dGt = ws.dG.subarray(t * B * G4, (t + 1) * B * G4);
    K.lstmCellBackward(B, N, Gt, ws.c!.subarray(t * BN, (t + 1) * BN), ws.tc!.subarray(t * BN, (t + 1) * BN), dhTot, dc, dGt);
    if (t > 0 || ws.hasH0) K.sgemm(false, false, B, N, G4, 1, dGt, G4, UT, N, 0, dhNext, N); // dh_{t−1} = dG_t·Uᵀ
    else zeroRow(dhNext, 0, BN); // a zero h0 is a constant: no dL/dh0
    recurrentPassMasked(ws, t, dGt, dhNext, saved);
  }
  // dU += [h_0..h_{tMax−1}]ᵀ·dG (rows of a zero h_0 add nothing).
  const r0 = ws.hasH0 ? 0 : B;
  if (ws.tMax * B > r0) K.sgemm(true, false, N, G4, ws.tMax * B - r0, 1, ws.h.subarray(r0 * N), N, ws.dG.subarray(r0 * G4), G4, 1, dU, G4);
  recurrentProjectionBackward(ws, dx, W, dW, db);
}

export class LSTM extends RecurrentBase {
  readonly cellType = 'lstm' as const;
  readonly gateOrder = 'ifgo';
  readonly forgetBias: number;

  constructor(options: LSTMOptions) {
    validateRecurrentOptions(options, 'LSTM');
    super(options, LSTM_DEFAULTS.name);
    this.forgetBias = options.forgetBias ?? LSTM_DEFAULTS.forgetBias;
    if (!Number.isFinite(this.forgetBias)) throw new WordloomError(`LSTM: forgetBias must be a finite number, got ${options.forgetBias}`, { flag: 'forgetBias' });
  }

  static fromConfig(c: LSTMOptions): LSTM {
    return new LSTM(c);
  }

  override getConfig() {
    return { ...super.getConfig(), forgetBias: this.forgetBias };
  }

  override initialize(rng: Rng): void {
    super.initialize(rng);
    const N = this.hiddenSize;
    this.views().b.fill(this.forgetBias, N, 2 * N); // gate order i,f,g,o: block 1 is the forget gate
  }

  /** x [T][B][d] → h_1..h_T [T][B][N] (see lstmForward). */
  forward(ws: RecurrentWorkspace, x: RecurrentInput, T: number, B: number, lengths?: Lengths,
    h0?: FloatArray | null, c0?: FloatArray | null): FloatArray {
    const { W, U, b } = this.views();
    return lstmForward(ws, x, W, U, b, T, B, lengths, h0, c0);
  }

  /** BPTT (see lstmBackward); gradients accumulate into the ParamSet's grad buffer and dx. */
  backward(ws: RecurrentWorkspace, dH: FloatArray, dx: FloatArray | null): void {
    const { W, U, dW, dU, db } = this.views();
    lstmBackward(ws, dH, dx, W, U, dW, dU, db);
  }
}
