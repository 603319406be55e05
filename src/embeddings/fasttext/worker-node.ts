/**
 * fastText supervised worker thread (Hogwild): trains its shard of the examples on matrices in SharedArrayBuffers
 * that every worker updates without locks, as fastText's threads do. Posts { progress } now and then and
 * { done, loss } at the end; a failure posts { error }.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { Rng } from '../../util/rng.ts';
import { trainShard, sharedCounter, type FastTextExamples } from './train.ts';
import { FT_LOSS_OVA, FT_LOSS_SOFTMAX } from '../../kernels/fasttext-reference.ts';
import type { FastTextModelArgs } from './args.ts';

export interface FastTextWorkerData {
  wi: SharedArrayBuffer;
  wo: SharedArrayBuffer;
  /** NB feature weights (read only), or null. */
  scale: SharedArrayBuffer | null;
  ex: FastTextExamples;
  shard: Int32Array;
  counter: SharedArrayBuffer;
  args: FastTextModelArgs;
  nlabels: number;
  lr: number;
  epochs: number;
  totalTokens: number;
  seed: number;
  stream: number;
}

const d = workerData as FastTextWorkerData;
try {
  const model = {
    wi: new Float32Array(d.wi), wo: new Float32Array(d.wo), scale: d.scale ? new Float32Array(d.scale) : null, args: d.args, labels: new Array<string>(d.nlabels).fill(''),
    lossCode: d.args.loss === 'ova' ? FT_LOSS_OVA : FT_LOSS_SOFTMAX,
  };
  const loss = trainShard(model, d.ex, d.shard, {
    lr: d.lr, epochs: d.epochs, totalTokens: d.totalTokens, reportEvery: 1000,
    onProgress: (p) => parentPort!.postMessage({ progress: p }),
  }, new Rng(d.seed).fork(d.stream), sharedCounter(d.counter));
  parentPort!.postMessage({ done: true, loss });
} catch (e) {
  parentPort!.postMessage({ error: (e as Error).stack ?? String(e) });
}
