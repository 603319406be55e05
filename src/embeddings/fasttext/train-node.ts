/**
 * Training driver of the fastText supervised model: one thread in-process (deterministic: same seed ⇒ same
 * model), or Hogwild on `threads` worker threads sharing the matrices and the token counter (SharedArrayBuffers;
 * results then vary slightly from run to run, as fastText's do). Reports progress (examples, loss, lr, tokens/s).
 *
 * Reference: fastText 0.9.2 src/fasttext.cc (train, startThreads, trainThread).
 */
import { Rng } from '../../util/rng.ts';
import { WordloomError } from '../../util/errors.ts';
import { silentProgress, type ProgressReporter } from '../../util/progress.ts';
import { startWorker } from '../../util/worker-node.ts';
import { FastTextModel } from './model.ts';
import type { FastTextDictionary } from './dictionary.ts';
import type { FastTextTrainArgs } from './args.ts';
import { trainShard, makeShards, totalTokens, localCounter, nbScale, type FastTextExamples, type ShardProgress } from './train.ts';
import type { FastTextWorkerData } from './worker-node.ts';

export interface FastTextRun {
  model: FastTextModel;
  /** Wall seconds of the SGD passes (not data preparation). */
  seconds: number;
  /** Tokens processed (epochs × tokens per pass). */
  tokens: number;
  /** Mean training loss of the last pass (mean over threads). */
  loss: number;
}

const fromSources = import.meta.url.endsWith('.ts');
const workerUrl = new URL(fromSources ? './worker-node.ts' : './worker-node.js', import.meta.url);

function toShared<T extends Int32Array>(a: T): Int32Array {
  const s = new Int32Array(new SharedArrayBuffer(Math.max(4, a.byteLength)), 0, a.length);
  s.set(a);
  return s;
}

/** Train a model on prepared examples (see the file header). */
export async function trainFastText(ex: FastTextExamples, dict: FastTextDictionary, labels: readonly string[], args: FastTextTrainArgs,
  progress: ProgressReporter = silentProgress, phase = 'train', opts: { nbGroups?: readonly number[] } = {}): Promise<FastTextRun> {
  const n = ex.labels.length;
  if (n === 0) throw new WordloomError('no training examples', { flag: '--data' });
  const threads = Math.min(args.threads, n);
  const groups = opts.nbGroups ?? null;
  if (args.nb && labels.length !== 2 && !groups) throw new WordloomError(`NB-scaled features need exactly 2 classes (or star ratings), got ${labels.length} (${labels.join(', ')})`, { flag: '--nb' });
  if (groups && groups.length !== labels.length) throw new WordloomError(`NB groups: ${groups.length} for ${labels.length} classes`, { flag: '--nb' });
  let scale: Float32Array | null = null;
  if (args.nb) {
    const w = nbScale(ex, dict.size + (args.wordNgrams > 1 ? args.bucket : 0), 1, groups);
    scale = threads > 1 ? new Float32Array(new SharedArrayBuffer(w.byteLength)) : w;
    if (scale !== w) scale.set(w);
  }
  const model = FastTextModel.create(args, dict, labels, new Rng(args.seed), threads > 1, scale);
  const shards = makeShards(n, threads, new Rng(args.seed).fork(1000));
  const perPass = totalTokens(ex);
  const shardOpts = { lr: args.lr, epochs: args.epochs, totalTokens: perPass };
  const total = n * args.epochs;
  progress.start(phase, total, 'ex');
  const t0 = performance.now();
  const fields = (p: ShardProgress, done: number) => ({ loss: p.loss, lr: +p.lr.toFixed(5), 'tok/s': Math.round((perPass * args.epochs * done) / total / Math.max(1e-9, (performance.now() - t0) / 1000)) });
  let loss: number;
  if (threads === 1) {
    loss = trainShard(model, ex, shards[0], { ...shardOpts, reportEvery: 1000, onProgress: (p) => progress.update({ done: p.examples, total, fields: fields(p, p.examples) }) },
      new Rng(args.seed).fork(1), localCounter());
  } else {
    loss = await runWorkers(model, ex, shards, args, shardOpts, (done, p) => progress.update({ done, total, fields: fields(p, done) }));
  }
  const seconds = (performance.now() - t0) / 1000;
  progress.stop();
  return { model, seconds, tokens: perPass * args.epochs, loss };
}

async function runWorkers(model: FastTextModel, ex: FastTextExamples, shards: Int32Array[], args: FastTextTrainArgs,
  opts: { lr: number; epochs: number; totalTokens: number }, onProgress: (done: number, p: ShardProgress) => void): Promise<number> {
  const shared: FastTextExamples = { ids: toShared(ex.ids), offsets: toShared(ex.offsets), labels: toShared(ex.labels), tokens: toShared(ex.tokens) };
  const counter = new SharedArrayBuffer(8);
  const done = new Array<number>(shards.length).fill(0);
  const losses = await Promise.all(shards.map((shard, t) => new Promise<number>((resolve, reject) => {
    const data: FastTextWorkerData = {
      wi: model.wi.buffer as SharedArrayBuffer, wo: model.wo.buffer as SharedArrayBuffer, scale: model.scale ? model.scale.buffer as SharedArrayBuffer : null, ex: shared, shard, counter, args: model.args,
      nlabels: model.labels.length, lr: opts.lr, epochs: opts.epochs, totalTokens: opts.totalTokens, seed: args.seed, stream: t + 1,
    };
    const w = startWorker(workerUrl, { workerData: data });
    let settled = false;
    w.on('message', (m: { progress?: ShardProgress; done?: boolean; loss?: number; error?: string }) => {
      if (m.progress) { done[t] = m.progress.examples; onProgress(done.reduce((a, b) => a + b, 0), m.progress); }
      if (m.error) { settled = true; reject(new Error(`fastText worker ${t}: ${m.error}`)); void w.terminate(); }
      if (m.done) { settled = true; resolve(m.loss ?? NaN); void w.terminate(); }
    });
    w.on('error', (e) => { if (!settled) { settled = true; reject(e); } });
    w.on('exit', (code) => { if (!settled) { settled = true; reject(new Error(`fastText worker ${t} exited with code ${code}`)); } });
  })));
  return losses.reduce((a, b) => a + b, 0) / losses.length;
}
