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
 * Speed: the input projection x·W + b of all T steps is one [T·B × d]·[d × 4N] GEMM; only h·U runs per step;
 * backward accumulates dW, dU, db and dx with one GEMM each after the time loop.
 */
import { K, type FloatArray } from '../kernels/index.ts';
import type { Rng } from '../util/rng.ts';
import { WordloomError } from '../util/errors.ts';
import { RecurrentBase, validateRecurrentOptions, zeroRow, copyRow, type Lengths, type RecurrentOptions, type RecurrentWorkspace } from './recurrent.ts';

export interface LSTMOptions extends RecurrentOptions {
  /** Initial value of the forget-gate bias b_f (default 1, Jozefowicz et al. 2015). */
  forgetBias?: number;
}

export const LSTM_DEFAULTS = { name: 'lstm', forgetBias: 1 } as const;

/** The whole-sequence LSTM forward (llm.c style). Shapes: x [T][B][d], W [d][4N], U [N][4N], b [4N];
 * h0, c0 [B][N] or null. Fills ws.G (activations i,f,g,o), ws.h, ws.c [T+1][B][N], ws.tc [T][B][N]. */
export function lstmForward(layer: LSTM, ws: RecurrentWorkspace, x: FloatArray, T: number, B: number,
  lengths: Lengths, h0: FloatArray | null | undefined, c0: FloatArray | null | undefined): FloatArray {
  return layer.forward(ws, x, T, B, lengths, h0, c0);
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

  /**
   * x [T][B][d] → states ws.h [T+1][B][N]; returns h_1..h_T [T][B][N].
   * Per step: G_t += h_{t−1}·U (G_t already holds x_t·W + b), then the fused pointwise cell.
   */
  forward(ws: RecurrentWorkspace, x: FloatArray, T: number, B: number, lengths?: Lengths,
    h0?: FloatArray | null, c0?: FloatArray | null): FloatArray {
    const { W, U, b } = this.views();
    const N = this.hiddenSize, G4 = 4 * N, BN = B * N;
    this.begin(ws, x, T, B, lengths, h0, W, b);
    const h = ws.h, c = ws.c!, tc = ws.tc!, G = ws.G;
    if (c0) { if (c0.length < BN) throw new WordloomError(`${this.name}: c0 must have B·N = ${BN} values`, { flag: 'c0' }); copyRow(c, 0, c0, 0, BN); } else zeroRow(c, 0, BN);
    for (let t = 0; t < ws.tMax; t++) {
      const Gt = G.subarray(t * B * G4, (t + 1) * B * G4);
      K.sgemm(false, false, B, G4, N, 1, h.subarray(t * BN, (t + 1) * BN), N, U, G4, 1, Gt, G4);
      K.lstmCellForward(B, N, Gt, c.subarray(t * BN, (t + 1) * BN), c.subarray((t + 1) * BN, (t + 2) * BN),
        tc.subarray(t * BN, (t + 1) * BN), h.subarray((t + 1) * BN, (t + 2) * BN));
      this.carryMasked(ws, t);
    }
    this.carryTail(ws);
    return ws.outputs();
  }

  /** BPTT. dH [T][B][N] = dL/dh_t from outside; grads accumulate into dW, dU, db and dx [T][B][d]. */
  backward(ws: RecurrentWorkspace, dH: FloatArray, dx: FloatArray | null): void {
    const { W, U, dW, dU, db } = this.views();
    const N = this.hiddenSize, G4 = 4 * N, B = ws.B, BN = B * N;
    const dhNext = this.beginBackward(ws, dH);
    const dc = ws.dc0!;
    for (let t = ws.tMax - 1; t >= 0; t--) {
      const dhTot = this.totalGrad(ws, dH, t, dhNext);
      const saved = this.saveMaskedDc(ws, t);
      const Gt = ws.G.subarray(t * B * G4, (t + 1) * B * G4), dGt = ws.dG.subarray(t * B * G4, (t + 1) * B * G4);
      K.lstmCellBackward(B, N, Gt, ws.c!.subarray(t * BN, (t + 1) * BN), ws.tc!.subarray(t * BN, (t + 1) * BN), dhTot, dc, dGt);
      K.sgemm(false, true, B, N, G4, 1, dGt, G4, U, G4, 0, dhNext, N); // dh_{t−1} = dG_t·Uᵀ
      this.passMasked(ws, t, dGt, dhNext, saved);
    }
    // dU += [h_0..h_{tMax−1}]ᵀ·dG  (one GEMM over all steps)
    K.sgemm(true, false, N, G4, ws.tMax * B, 1, ws.h, N, ws.dG, G4, 1, dU, G4);
    this.finishBackward(ws, dx, W, dW, db);
  }
}
