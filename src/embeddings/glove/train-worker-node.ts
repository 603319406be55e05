/**
 * Hogwild worker thread for GloVe training: owns the record range [start, end) of the shuffled
 * training file (like glove.c's threads, each a contiguous slice), and on every 'iter' message runs one
 * AdaGrad pass over it, updating the shared W and G without locks (Hogwild, as glove.c does).
 * WASM: instantiates the kernel module on the shared WebAssembly memory (W, G, its record block and
 * scratch are heap offsets allocated by the main thread). Reference: W and G are SharedArrayBuffer views.
 * Started by train-node.ts (as .ts under tsx, as .js from dist/).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { runRange, type GloveWasmExports, type ThreadKernel } from './train-kernel-node.ts';

type Data = {
  file: string; start: number; end: number; d: number; V: number; eta: number; progress: SharedArrayBuffer; id: number;
} & (
  | { kind: 'reference'; Wbuf: SharedArrayBuffer; Woff: number; Gbuf: SharedArrayBuffer; Goff: number; n: number }
  | { kind: 'wasm'; module: WebAssembly.Module; memory: WebAssembly.Memory; W: number; G: number; block: number; tmp: number }
);
const data = workerData as Data;
let kernel: ThreadKernel;
if (data.kind === 'wasm') {
  const inst = new WebAssembly.Instance(data.module, { env: { memory: data.memory, abort: () => { throw new Error('wasm abort'); } } });
  kernel = { kind: 'wasm', exports: inst.exports as unknown as GloveWasmExports, memory: data.memory, W: data.W, G: data.G, block: data.block, tmp: data.tmp };
} else {
  kernel = { kind: 'reference', W: new Float32Array(data.Wbuf, data.Woff, data.n), G: new Float32Array(data.Gbuf, data.Goff, data.n) };
}
const progress = new Float64Array(data.progress);

parentPort!.on('message', async (msg: { type: 'iter' } | { type: 'exit' }) => {
  if (msg.type === 'exit') { process.exit(0); }
  try {
    const cost = await runRange(kernel, data.file, data.start, data.end, data.d, data.V, data.eta, (done) => { progress[data.id] = done; });
    parentPort!.postMessage({ type: 'done', cost });
  } catch (e) {
    parentPort!.postMessage({ type: 'error', message: (e as Error).message });
  }
});
parentPort!.postMessage({ type: 'ready' });
