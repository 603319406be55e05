/**
 * The memory experiment: can a recurrent network remember the FIRST number of a sequence until the end?
 *
 *   x_1 … x_T  (one random number per step, see data.ts)  →  RNN / GRU / LSTM (hidden N, default 1)
 *   →  h_T  →  Dense(N → 1)  →  ŷ,   loss = MSE(ŷ, x_1)
 *
 * Trained with Adam on fresh random batches (an endless stream, so there is no overfitting), global-norm
 * gradient clipping, and evaluated every `evalEvery` steps on a fixed validation set. "Solved" = MSE on a
 * separate fixed test set < `successFraction` × target variance (default 1 %). steps-to-success = the first
 * evaluation step at which the validation MSE is below that threshold.
 *
 * Length curriculum (`curriculum`, the default for a single LSTM cell): training starts at sequences of at most
 * `curriculumStart` steps and the maximum length grows ×`curriculumGrowth` whenever the current maximum is solved
 * (validation MSE at that length < threshold), until the target length. With `curriculumMixed` (default) every
 * training sequence gets its own length drawn uniformly from 1..current maximum, so the same read-out has to
 * work after any number of steps — this rules out solutions tuned to one exact length (which is what a single cell
 * learns at a fixed short length) and leaves the latch (store x_1, close the input gate) as the way to fit.
 * Reported steps include all stages. Measured in docs/memory.md.
 *
 * Reference: S. Hochreiter and J. Schmidhuber, "Long Short-Term Memory", Neural Computation 9(8), 1997:
 * gradient-based simple RNNs fail to bridge lags beyond ~10 steps, LSTM bridges long lags.
 * Reference: Y. Bengio, J. Louradour, R. Collobert, J. Weston, "Curriculum learning", ICML 2009 (easy → hard
 * schedule); W. Zaremba and I. Sutskever, "Learning to execute", 2014 (mixing easy examples into every stage).
 */
import { ParamSet } from '../../nn/params.ts';
import { SequenceModel, type SequenceModelOptions } from '../../nn/sequence.ts';
import { Dense } from '../../nn/dense.ts';
import { mseForward, mseBackward } from '../../nn/loss.ts';
import { Adam, clipGradNorm } from '../../nn/optim.ts';
import type { CellType } from '../../nn/param-count.ts';
import { encodeModelFile, decodeModelFile, loadIntoParamSet, type ModelFile } from '../../nn/model-file.ts';
import type { Lengths } from '../../nn/recurrent.ts';
import { Rng } from '../../util/rng.ts';
import { WordloomError } from '../../util/errors.ts';
import { silentProgress, type ProgressReporter } from '../../util/progress.ts';
import { memoryBatch, targetVariance, INPUT_DISTRIBUTIONS, type InputDistribution, type MemoryBatch } from './data.ts';

export const MEMORY_CELLS: readonly CellType[] = ['rnn', 'gru', 'lstm'];

export interface MemoryOptions {
  /** Recurrent cell: "rnn" (simple tanh RNN), "gru" or "lstm". */
  cell?: CellType;
  /** Sequence length T (the lag between x_1 and the read-out). */
  length?: number;
  /** Hidden size N (1 = a single cell, the headline experiment). */
  hidden?: number;
  /** Training steps (mini-batches). */
  steps?: number;
  /** Sequences per mini-batch. */
  batch?: number;
  /** Adam learning rate. */
  lr?: number;
  /** Global-norm gradient clipping threshold (0 = off). */
  clip?: number;
  /** LSTM: initial forget-gate bias. */
  forgetBias?: number;
  /** Input distribution: "uniform" on [−1, 1] or "normal" N(0, 1). */
  dist?: InputDistribution;
  /** Evaluate on the validation set every this many steps (one learning-curve point). */
  evalEvery?: number;
  /** Sequences in the validation and in the test set. */
  testSize?: number;
  /** Solved when MSE < successFraction × target variance. */
  successFraction?: number;
  /** Stop training at the first evaluation that meets the success threshold (used by the sweep). */
  stopOnSuccess?: boolean;
  /** Seed of everything (init, batches, validation and test sets). */
  seed?: number;
  /**
   * Length curriculum: train on short sequences first and grow the maximum length when it is solved (see the
   * file header). Default: true for a single LSTM cell (cell "lstm", hidden 1), false otherwise.
   */
  curriculum?: boolean;
  /** Curriculum: maximum training length of the first stage (capped at `length`). */
  curriculumStart?: number;
  /** Curriculum: factor (> 1) by which the maximum length grows after a solved stage (rounded up, at least +1). */
  curriculumGrowth?: number;
  /** Curriculum: draw each training sequence's length uniformly from 1..the stage's maximum (false = all at the maximum). */
  curriculumMixed?: boolean;
}

export const MEMORY_DEFAULTS: Required<MemoryOptions> = {
  cell: 'lstm',
  length: 50,
  hidden: 1,
  steps: 20000,
  batch: 32,
  lr: 0.01,
  clip: 1,
  // Measured: with the usual forget bias 1 (f ≈ 0.73 at init, 0.73^49 ≈ 2e-7) no cell size learns anything at
  // T = 50 in 8000 steps; with 5 (f ≈ 0.993) hidden 4 solves it in ~2000 steps. See docs/memory.md.
  forgetBias: 5,
  dist: 'uniform',
  evalEvery: 500,
  testSize: 1000,
  successFraction: 0.01,
  stopOnSuccess: false,
  seed: 1,
  curriculum: false,
  curriculumStart: 3,
  curriculumGrowth: 1.5,
  curriculumMixed: true,
};

/**
 * Defaults for a single LSTM cell (cell "lstm", hidden 1), applied by memoryConfig to the options not given.
 * Measured (docs/memory.md): without the curriculum one cell never solved T = 50 (any lr / forget bias / batch we
 * tried); with it and lr 0.1 it solved T = 20, 50, 100 and 200 for every seed we ran. With lr 0.01 the
 * curriculum still got stuck in its first stage (0/10 at T = 50 in 30 000 steps): the latch needs a large
 * recurrent input-gate weight (|u_i| ≈ 100), which Adam (≈ lr per step) reaches in time only with a larger lr.
 */
export const SINGLE_CELL_DEFAULTS: Pick<MemoryConfig, 'curriculum' | 'lr'> = { curriculum: true, lr: 0.1 };

export type MemoryConfig = Required<MemoryOptions>;

/** Curriculum: the maximum length of the stage after one of maximum `T` (growth ×g rounded up, ≥ T + 1, ≤ target). */
export function nextCurriculumLength(T: number, growth: number, target: number): number {
  return Math.min(target, Math.max(T + 1, Math.ceil(T * growth)));
}

/** Curriculum: the maximum lengths of all stages, e.g. (3, 1.5, 50) → 3, 5, 8, 12, 18, 27, 41, 50. */
export function curriculumSchedule(start: number, growth: number, target: number): number[] {
  const out = [Math.min(start, target)];
  while (out[out.length - 1] < target) out.push(nextCurriculumLength(out[out.length - 1], growth, target));
  return out;
}

/** Validate options (WordloomError naming the CLI flag) and fill in the defaults. */
export function memoryConfig(opts: MemoryOptions = {}): MemoryConfig {
  for (const k of Object.keys(opts)) {
    if (!(k in MEMORY_DEFAULTS)) throw new WordloomError(`unknown memory option "${k}"`, { flag: k });
  }
  const defined = Object.fromEntries(Object.entries(opts).filter(([, v]) => v !== undefined)) as MemoryOptions;
  const singleCell = (defined.cell ?? MEMORY_DEFAULTS.cell) === 'lstm' && (defined.hidden ?? MEMORY_DEFAULTS.hidden) === 1;
  const c = { ...MEMORY_DEFAULTS, ...(singleCell ? SINGLE_CELL_DEFAULTS : {}), ...defined } as MemoryConfig;
  const int = (k: keyof MemoryConfig, flag: string, min: number) => {
    const v = c[k] as number;
    if (!Number.isSafeInteger(v) || v < min) throw new WordloomError(`expected an integer ≥ ${min}, got ${String(v)}`, { flag });
  };
  const num = (k: keyof MemoryConfig, flag: string, lo: number, loOpen: boolean, hi = Infinity) => {
    const v = c[k] as number;
    if (typeof v !== 'number' || !Number.isFinite(v) || (loOpen ? v <= lo : v < lo) || v > hi) throw new WordloomError(`expected a number ${loOpen ? '>' : '≥'} ${lo}${hi < Infinity ? ` and ≤ ${hi}` : ''}, got ${String(v)}`, { flag });
  };
  if (!MEMORY_CELLS.includes(c.cell)) throw new WordloomError(`expected one of ${MEMORY_CELLS.join(', ')}, got "${c.cell}"`, { flag: '--cell' });
  if (!INPUT_DISTRIBUTIONS.includes(c.dist)) throw new WordloomError(`expected one of ${INPUT_DISTRIBUTIONS.join(', ')}, got "${c.dist}"`, { flag: '--dist' });
  int('length', '--length', 1); int('hidden', '--hidden', 1); int('steps', '--steps', 1); int('batch', '--batch', 1);
  int('evalEvery', '--eval-every', 1); int('testSize', '--test-size', 1); int('seed', '--seed', 0);
  num('lr', '--lr', 0, true); num('clip', '--clip', 0, false); num('forgetBias', '--forget-bias', -Infinity, true);
  num('successFraction', '--success', 0, true, 1);
  if (typeof c.stopOnSuccess !== 'boolean') throw new WordloomError('expected a boolean', { flag: 'stopOnSuccess' });
  if (typeof c.curriculum !== 'boolean') throw new WordloomError('expected a boolean', { flag: '--curriculum' });
  if (typeof c.curriculumMixed !== 'boolean') throw new WordloomError('expected a boolean', { flag: '--curriculum-mix' });
  int('curriculumStart', '--curriculum-start', 1);
  num('curriculumGrowth', '--curriculum-growth', 1, true);
  return c;
}

/** The model: a one-layer recurrent network and a linear read-out of the last state. */
export class MemoryModel {
  readonly ps = new ParamSet();
  readonly rnn: SequenceModel;
  readonly head: Dense;
  private dLast: Float32Array | null = null;
  private dy: Float32Array | null = null;

  constructor(readonly cell: CellType, readonly hidden: number, forgetBias = MEMORY_DEFAULTS.forgetBias) {
    const o: SequenceModelOptions = { cell, inputSize: 1, hiddenSize: hidden, name: 'mem', forgetBias };
    this.rnn = new SequenceModel(o).build(this.ps);
    this.head = new Dense({ inputSize: hidden, outputSize: 1, name: 'head' }).build(this.ps);
    this.ps.finalize();
  }

  initialize(rng: Rng): this {
    this.rnn.initialize(rng);
    this.head.initialize(rng);
    return this;
  }

  /** x [T][B][1] (optional lengths [B]: read out after step lengths[b]) → predictions ŷ [B] (a view, valid until the next call). */
  predict(x: Float32Array, T: number, B: number, lengths?: Lengths): Float32Array {
    const { last } = this.rnn.forward(x, T, B, lengths);
    return this.head.forward(last, B) as Float32Array;
  }

  /** MSE of predictions against x_1 on a batch (no gradients). */
  evaluate(b: MemoryBatch): number {
    return mseForward(this.predict(b.x, b.T, b.B), b.y, b.B);
  }

  /** Forward + backward on a batch (gradients are zeroed first; optional per-sequence lengths [B]); returns the MSE. */
  lossAndGrad(b: MemoryBatch, lengths?: Lengths): number {
    const { B, T } = b;
    this.ps.zeroGrad();
    const yhat = this.predict(b.x, T, B, lengths);
    const loss = mseForward(yhat, b.y, B);
    if (!this.dy || this.dy.length < B) { this.dy = new Float32Array(B); this.dLast = new Float32Array(B * this.hidden); }
    const dy = this.dy.subarray(0, B), dLast = this.dLast!.subarray(0, B * this.hidden);
    dy.fill(0); dLast.fill(0);
    mseBackward(dy, yhat, b.y, B);
    this.head.backward(dy, dLast);
    this.rnn.backward(null, dLast, null);
    return loss;
  }
}

export interface CurvePoint {
  /** Training steps done. */
  step: number;
  /** Mean training-batch MSE over the steps since the previous point. */
  trainMse: number;
  /** MSE on the fixed validation set (at the target length). */
  valMse: number;
  /** Maximum training length at this point (the curriculum stage; = the target length without curriculum). */
  length: number;
}

export interface MemoryResult {
  config: MemoryConfig;
  /** Target variance and the success threshold (= successFraction × variance). */
  targetVariance: number;
  threshold: number;
  /** Learning curve, one point per evaluation. */
  curve: CurvePoint[];
  /** Steps trained (less than config.steps when stopOnSuccess fired). */
  stepsTrained: number;
  /** First evaluation step with validation MSE < threshold (null = never). */
  stepsToSuccess: number | null;
  /** Final MSE on the separate test set, and whether it is below the threshold. */
  testMse: number;
  solved: boolean;
  /** Curriculum stages reached: maximum length and the step at which training on it began (one entry without curriculum). */
  stages: Array<{ length: number; step: number }>;
  /** Wall time of training + evaluation (ms). */
  elapsedMs: number;
  paramCount: number;
  model: MemoryModel;
}

/** Train one model. Deterministic for a given config (same seed ⇒ same curve, same test MSE). */
export function trainMemory(opts: MemoryOptions = {}, progress: ProgressReporter = silentProgress): MemoryResult {
  const c = memoryConfig(opts);
  const t0 = performance.now();
  const root = new Rng(c.seed);
  const model = new MemoryModel(c.cell, c.hidden, c.forgetBias).initialize(root.fork(1));
  const dataRng = root.fork(2);
  const val = memoryBatch(root.fork(3), c.length, c.testSize, c.dist);
  const test = memoryBatch(root.fork(4), c.length, c.testSize, c.dist);
  const variance = targetVariance(c.dist), threshold = c.successFraction * variance;
  const opt = new Adam({ lr: c.lr });
  const curve: CurvePoint[] = [];
  // Curriculum state: current maximum length, its validation set, per-sequence lengths (forks 6, 7; 5 is the CLI's
  // gate-trace sequence).
  let Tmax = c.curriculum ? Math.min(c.curriculumStart, c.length) : c.length;
  const lenRng = root.fork(6), stageRng = root.fork(7);
  let stageSet: MemoryBatch | null = null;
  const stageVal = (L: number): MemoryBatch => {
    if (L === c.length) return val;
    if (stageSet?.T !== L) stageSet = memoryBatch(stageRng.fork(L), L, c.testSize, c.dist);
    return stageSet;
  };
  const mixed = c.curriculum && c.curriculumMixed;
  const lengths = mixed ? new Int32Array(c.batch) : null;
  const stages = [{ length: Tmax, step: 0 }];
  let batch: MemoryBatch | undefined;
  let sum = 0, count = 0, stepsToSuccess: number | null = null, step = 0;
  progress.start(`${c.cell} T=${c.length} N=${c.hidden}${c.curriculum ? ' curriculum' : ''}`, c.steps, 'steps');
  while (step < c.steps) {
    batch = memoryBatch(dataRng, Tmax, c.batch, c.dist, batch);
    if (lengths) for (let b = 0; b < c.batch; b++) lengths[b] = 1 + lenRng.int(Tmax);
    const loss = model.lossAndGrad(batch, lengths);
    if (c.clip > 0) clipGradNorm(model.ps, c.clip);
    opt.step(model.ps);
    step++;
    sum += loss; count++;
    if (step % c.evalEvery === 0 || step === c.steps) {
      const point: CurvePoint = { step, trainMse: sum / count, valMse: NaN, length: Tmax };
      // Curriculum: while the current maximum is solved, move on (a stage already solved is skipped at once).
      if (c.curriculum) {
        while (Tmax < c.length && model.evaluate(stageVal(Tmax)) < threshold) {
          Tmax = nextCurriculumLength(Tmax, c.curriculumGrowth, c.length);
          stages.push({ length: Tmax, step });
        }
      }
      point.valMse = model.evaluate(val);
      curve.push(point);
      sum = 0; count = 0;
      if (stepsToSuccess === null && point.valMse < threshold) stepsToSuccess = step;
      progress.update({ done: step, total: c.steps, fields: { mse: point.valMse, ...(c.curriculum ? { T: Tmax } : {}) } });
      if (c.stopOnSuccess && stepsToSuccess !== null) break;
    }
  }
  progress.stop();
  const testMse = model.evaluate(test);
  return {
    config: c, targetVariance: variance, threshold, curve, stepsTrained: step, stepsToSuccess, stages,
    testMse, solved: testMse < threshold, elapsedMs: performance.now() - t0, paramCount: model.ps.count(), model,
  };
}

/** Gate activations of a one-layer LSTM over one sequence (per step t = 1..T, per unit j < N). */
export interface GateTraces {
  cell: CellType;
  T: number;
  hidden: number;
  /** The input sequence. */
  x: number[];
  /** LSTM gates (rows = steps, columns = units): input i, forget f, candidate g, output o; cell state c;
   * GRU gates: update z, reset r, candidate (in "g"). Hidden state h for every cell. */
  gates: Record<string, number[][]>;
  /** Cell state c_t (LSTM only). */
  c?: number[][];
  h: number[][];
  /** Read-out after the last step, and the target x_1. */
  prediction: number;
  target: number;
}

const GATE_NAMES: Record<CellType, string[]> = { lstm: ['i', 'f', 'g', 'o'], gru: ['z', 'r', 'g'], rnn: [] };

/**
 * Run a trained model on one sequence and return the gate activations over time (for the playground's
 * heat map). Uses the first-layer cell directly so its workspace (gates, states) can be read.
 */
export function gateTraces(model: MemoryModel, sequence: ArrayLike<number>): GateTraces {
  const T = sequence.length, N = model.hidden;
  if (T < 1) throw new WordloomError('gate traces need a sequence of at least one number');
  const x = new Float32Array(T);
  for (let t = 0; t < T; t++) {
    if (!Number.isFinite(sequence[t])) throw new WordloomError(`sequence value ${t + 1} is not a finite number`);
    x[t] = sequence[t];
  }
  const cell = model.rnn.cells[0][0];
  const ws = cell.createWorkspace();
  cell.forward(ws, x, T, 1);
  const names = GATE_NAMES[model.cell], G = names.length;
  const gates: Record<string, number[][]> = {};
  names.forEach((name, k) => {
    gates[name] = Array.from({ length: T }, (_, t) => Array.from(ws.G.subarray(t * G * N + k * N, t * G * N + (k + 1) * N)));
  });
  const rows = (a: ArrayLike<number> & { subarray(s: number, e: number): ArrayLike<number> }, from: number) =>
    Array.from({ length: T }, (_, t) => Array.from(a.subarray((t + from) * N, (t + from + 1) * N)));
  const prediction = model.predict(x, T, 1)[0];
  return {
    cell: model.cell, T, hidden: N, x: Array.from(x), gates,
    c: ws.c ? rows(ws.c, 1) : undefined, h: rows(ws.h, 1), prediction, target: x[0],
  };
}

export const MEMORY_MODEL_TYPE = 'memory';

/** Encode a trained model (config + weights + the result summary as metadata) as a model file. */
export function encodeMemoryModel(r: MemoryResult): Uint8Array {
  const m = r.model;
  return encodeModelFile({
    modelType: MEMORY_MODEL_TYPE,
    config: { cell: m.cell, hidden: m.hidden, forgetBias: r.config.forgetBias, rnn: m.rnn.getConfig(), head: m.head.getConfig() },
    gateOrder: { lstm: 'i,f,g,o', gru: 'z,r,h' },
    tensors: m.ps.manifest(),
    metadata: { training: r.config, testMse: r.testMse, solved: r.solved, stepsToSuccess: r.stepsToSuccess, stepsTrained: r.stepsTrained },
  }, m.ps.exportFloat32());
}

/** Rebuild a MemoryModel from a decoded model file (checks type, config and tensor shapes). */
export function memoryModelFromFile(f: ModelFile, file = '<model bytes>'): MemoryModel {
  const cfg = f.header.config as { cell?: CellType; hidden?: number; forgetBias?: number } | null;
  if (f.header.modelType !== MEMORY_MODEL_TYPE) throw new WordloomError(`model type is "${f.header.modelType}", expected "${MEMORY_MODEL_TYPE}"`, { file });
  if (!cfg || !MEMORY_CELLS.includes(cfg.cell as CellType) || !Number.isSafeInteger(cfg.hidden) || (cfg.hidden as number) < 1) {
    throw new WordloomError('memory model config needs "cell" (rnn|gru|lstm) and a positive integer "hidden"', { file });
  }
  const m = new MemoryModel(cfg.cell as CellType, cfg.hidden as number, cfg.forgetBias ?? MEMORY_DEFAULTS.forgetBias);
  loadIntoParamSet(f, m.ps, file, MEMORY_MODEL_TYPE);
  return m;
}

/** decodeModelFile + memoryModelFromFile. */
export function decodeMemoryModel(bytes: Uint8Array, file = '<model bytes>'): MemoryModel {
  return memoryModelFromFile(decodeModelFile(bytes, file), file);
}
