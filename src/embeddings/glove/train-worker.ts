/**
 * Hogwild worker thread for GloVe training: owns the record range [start, end) of the shuffled
 * training file (like glove.c's threads, each a contiguous slice), and on every 'iter' message runs one
 * AdaGrad pass over it, updating the shared W and G buffers without locks (Hogwild, as glove.c does).
 * Started by train-node.ts (as .ts under tsx, as .js from dist/).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { runRange, type KernelChoice } from './train-kernel-node.ts';

const data = workerData as {
  file: string; start: number; end: number; W: SharedArrayBuffer; G: SharedArrayBuffer; d: number; V: number;
  eta: number; progress: SharedArrayBuffer; id: number; kernel: KernelChoice;
};
const W = new Float32Array(data.W);
const G = new Float32Array(data.G);
const progress = new Float64Array(data.progress);

parentPort!.on('message', async (msg: { type: 'iter' } | { type: 'exit' }) => {
  if (msg.type === 'exit') { process.exit(0); }
  try {
    const cost = await runRange(data.kernel, data.file, data.start, data.end, W, G, data.d, data.V, data.eta,
      (done) => { progress[data.id] = done; });
    parentPort!.postMessage({ type: 'done', cost });
  } catch (e) {
    parentPort!.postMessage({ type: 'error', message: (e as Error).message });
  }
});
parentPort!.postMessage({ type: 'ready' });
