/**
 * Training and evaluation loops of the sentiment classifier (browser-safe compute; files and checkpoints are in
 * train-node.ts): one epoch of Adam over shuffled, length-bucketed mini-batches with global-norm clipping over all
 * trainable parameters, and batched evaluation with accuracy / macro-F1 / confusion / star MAE.
 * Long texts: training texts are truncated by `truncate` to `maxLength` tokens; a mini-batch with more than
 * `maxBatchTokens` padded positions runs as sub-batches whose gradients add up to the mini-batch's (bounded memory).
 */
import { K } from '../../kernels/index.ts';
import { Adam, gradNorm } from '../../nn/optim.ts';
import type { ParamSet } from '../../nn/params.ts';
import { makeBatches, splitBatchByTokens, truncateIds, type PaddedBatch } from '../../text/encoding.ts';
import type { Rng } from '../../util/rng.ts';
import type { ProgressReporter } from '../../util/progress.ts';
import { silentProgress } from '../../util/progress.ts';
import { WordloomError } from '../../util/errors.ts';
import { classificationReport, type ClassificationReport } from './metrics.ts';
import type { SentimentClassifier } from './model.ts';
import type { SentimentConfig } from './config.ts';

/** Encoded examples: ids per sequence and class indices. */
export interface EncodedSet {
  ids: Int32Array[];
  labels: Int32Array;
  /** Total tokens (for tokens/s). */
  tokens: number;
}

/** The optimizers of a model: one Adam per trainable ParamSet. */
export interface Trainer {
  sets: ParamSet[];
  optimizers: Adam[];
}

export function createTrainer(model: SentimentClassifier, cfg: Pick<SentimentConfig, 'lr' | 'weightDecay' | 'freeze'>): Trainer {
  const sets: ParamSet[] = [model.netPs];
  if (model.embPs && !cfg.freeze) sets.unshift(model.embPs);
  return { sets, optimizers: sets.map(() => new Adam({ lr: cfg.lr, weightDecay: cfg.weightDecay })) };
}

export interface EpochStats {
  loss: number;
  accuracy: number;
  tokens: number;
  seconds: number;
  /** CPU seconds of this process (user + system) where measurable (Node), else NaN: steadier than wall time on a shared machine. */
  cpuSeconds: number;
  /** Steps skipped because the gradient was not finite. */
  skipped: number;
}

/**
 * One training epoch. `rng` drives shuffling and dropout (its state after the epoch is what checkpoints save).
 * Progress reports examples done with loss, accuracy and tokens/s.
 */
export function trainEpoch(model: SentimentClassifier, trainer: Trainer, data: EncodedSet,
  cfg: Pick<SentimentConfig, 'batchSize' | 'bucket' | 'clip' | 'freeze' | 'maxLength'> & Partial<Pick<SentimentConfig, 'truncate' | 'maxBatchTokens'>>, rng: Rng,
  progress: ProgressReporter = silentProgress, label = 'train', mid: MidEpochOptions = {}): EpochStats {
  // The batch order is drawn from `rng` first; a mid-epoch checkpoint stores the RNG state from before this draw
  // (to rebuild the same batches) and the state after the last finished step (dropout continues from there).
  const epochRngState = mid.resume ? mid.resume.epochRngState : rng.getState();
  if (mid.resume) rng.setState(mid.resume.epochRngState);
  const ids = truncateAll(data.ids, cfg.maxLength, cfg.truncate ?? 'head');
  const batches = makeBatches(ids, data.labels, { batchSize: cfg.batchSize, shuffle: true, bucket: cfg.bucket }, rng);
  if (mid.resume) {
    if (mid.resume.batchesDone > batches.length) throw new WordloomError(`checkpoint is ${mid.resume.batchesDone} batches into an epoch of ${batches.length}: different data or options`, { flag: '--resume' });
    rng.setState(mid.resume.rngState);
  }
  return trainBatches(model, trainer, batches, cfg, rng, progress, label, { ...mid, epochRngState });
}

/** Every sequence truncated by `policy` to `maxLength` tokens (0 = unchanged). */
export function truncateAll(ids: readonly Int32Array[], maxLength: number, policy: SentimentConfig['truncate']): Int32Array[] {
  return maxLength > 0 ? ids.map((x) => truncateIds(x, maxLength, policy)) : [...ids];
}

/**
 * Where an interrupted epoch stands (saved in mid-epoch checkpoints): enough to rebuild the same batches, skip the
 * finished ones and continue the running statistics, so a resumed run is bit-identical to an uninterrupted one.
 */
export interface EpochPartial {
  /** RNG state before the epoch's batches were drawn. */
  epochRngState: number[];
  /** RNG state after the last finished step. */
  rngState: number[];
  /** Batches finished. */
  batchesDone: number;
  lossSum: number;
  correct: number;
  seen: number;
  tokens: number;
  skipped: number;
  /** Wall and CPU seconds spent on the finished batches (before the interruption). */
  seconds: number;
  cpuSeconds: number;
}

/** Mid-epoch checkpoint hooks of trainEpoch / trainBatches. */
export interface MidEpochOptions {
  /** Continue an interrupted epoch. */
  resume?: EpochPartial;
  /** Called after each finished step with the epoch's state (the caller decides when to write a checkpoint). */
  onStep?: (partial: EpochPartial) => void;
  /** Set by trainEpoch (RNG state before the batch draw); trainBatches passes it through to `onStep`. */
  epochRngState?: number[];
}

/** One pass over prepared (labelled) batches: forward, backward, global-norm clipping, Adam (used by trainEpoch and the benchmark). */
export function trainBatches(model: SentimentClassifier, trainer: Trainer, batches: readonly PaddedBatch[],
  cfg: Pick<SentimentConfig, 'clip' | 'freeze'> & Partial<Pick<SentimentConfig, 'maxBatchTokens'>>, rng: Rng, progress: ProgressReporter = silentProgress, label = 'train',
  mid: MidEpochOptions = {}): EpochStats {
  const total = batches.reduce((a, b) => a + b.batch, 0);
  const r = mid.resume;
  const t0 = performance.now() - (r ? r.seconds * 1000 : 0), c0 = cpuNow() - (r ? r.cpuSeconds : 0);
  let lossSum = r?.lossSum ?? 0, correct = r?.correct ?? 0, seen = r?.seen ?? 0, tokens = r?.tokens ?? 0, skipped = r?.skipped ?? 0;
  const C = model.config.numClasses;
  const notify = (batchesDone: number): void => {
    if (!mid.onStep) return;
    mid.onStep({
      epochRngState: mid.epochRngState ?? [], rngState: rng.getState(), batchesDone, lossSum, correct, seen, tokens, skipped,
      seconds: (performance.now() - t0) / 1000, cpuSeconds: cpuNow() - c0,
    });
  };
  progress.start(label, total, 'ex');
  if (r) progress.update({ done: seen, total });
  for (let bi = r?.batchesDone ?? 0; bi < batches.length; bi++) {
    const batch = batches[bi];
    for (const ps of trainer.sets) ps.zeroGrad();
    let loss = 0, right = 0;
    for (const sub of splitBatchByTokens(batch, cfg.maxBatchTokens ?? 0)) {
      const probs = model.forward(sub, true, rng);
      loss += model.lastLoss * sub.batch / batch.batch;
      model.backward(cfg.freeze, sub.batch / batch.batch);
      for (let b = 0; b < sub.batch; b++) {
        let k = 0;
        for (let j = 1; j < C; j++) if (probs[b * C + j] > probs[b * C + k]) k = j;
        if (k === sub.labels![b]) right++;
      }
    }
    let sq = 0;
    for (const ps of trainer.sets) { const n = gradNorm(ps.grad); sq += n * n; }
    const norm = Math.sqrt(sq);
    if (!Number.isFinite(norm) || !Number.isFinite(loss)) { skipped++; notify(bi + 1); continue; }
    if (norm > cfg.clip) for (const ps of trainer.sets) K.scale(ps.grad.length, cfg.clip / (norm + 1e-6), ps.grad);
    trainer.sets.forEach((ps, i) => trainer.optimizers[i].step(ps));
    lossSum += loss * batch.batch;
    correct += right;
    seen += batch.batch;
    for (let b = 0; b < batch.batch; b++) tokens += batch.lengths[b];
    const sec = (performance.now() - t0) / 1000;
    progress.update({ done: seen, total, fields: { loss: lossSum / seen, acc: correct / seen, 'tok/s': Math.round(tokens / Math.max(sec, 1e-9)) } });
    notify(bi + 1);
  }
  progress.stop();
  if (skipped === batches.length) throw new WordloomError('training diverged: every step had a non-finite gradient (lower --lr or --clip)', { flag: '--lr' });
  return { loss: seen ? lossSum / seen : NaN, accuracy: seen ? correct / seen : 0, tokens, seconds: (performance.now() - t0) / 1000, cpuSeconds: cpuNow() - c0, skipped };
}

/** Process CPU time in seconds (Node's process.cpuUsage, looked up dynamically so this file stays browser-safe; NaN elsewhere). */
function cpuNow(): number {
  const p = (globalThis as { process?: { cpuUsage?: () => { user: number; system: number } } }).process;
  if (!p?.cpuUsage) return NaN;
  const u = p.cpuUsage();
  return (u.user + u.system) / 1e6;
}

/** Evaluate on encoded data: report + predictions. */
export function evaluate(model: SentimentClassifier, data: EncodedSet, batchSize = 100, maxBatchTokens?: number): ClassificationReport & { predictions: Int32Array } {
  const probs = model.predictIds(data.ids, batchSize, maxBatchTokens);
  const pred = new Int32Array(probs.length);
  let loss = 0;
  probs.forEach((p, i) => {
    let k = 0;
    for (let j = 1; j < p.length; j++) if (p[j] > p[k]) k = j;
    pred[i] = k;
    loss += -Math.log(Math.max(p[data.labels[i]], 1e-12));
  });
  return { ...classificationReport(data.labels, pred, model.labels, probs.length ? loss / probs.length : 0), predictions: pred };
}
