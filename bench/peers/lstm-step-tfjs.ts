/**
 * TensorFlow.js peer of bench/lstm-step.bench.ts: one LSTM training step (tf.layers.lstm with
 * returnSequences, MSE on all outputs, Adam) via model.trainOnBatch, on the `cpu` (pure JS) or `wasm`
 * backend (@tensorflow/tfjs-backend-wasm, .wasm files loaded from node_modules, no download).
 * Run as a child process so each backend starts clean. Prints one JSON line.
 * Usage: node --import tsx bench/peers/lstm-step-tfjs.ts --backend wasm --iters 2 --warmup 1
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';

const args = process.argv.slice(2);
const arg = (name: string, def: string) => { const i = args.indexOf(`--${name}`); return i >= 0 ? args[i + 1] : def; };
const backend = arg('backend', 'cpu');
const B = Number(arg('batch', '64')), T = Number(arg('steps', '100')), D = Number(arg('input', '100')), H = Number(arg('hidden', '128'));
const iters = Number(arg('iters', '2')), warmup = Number(arg('warmup', '1'));

async function main(): Promise<void> {
  if (backend === 'wasm') {
    const require = createRequire(import.meta.url);
    const dir = dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json'));
    setWasmPaths(join(dir, 'dist') + '/');
  }
  if (!(await tf.setBackend(backend))) throw new Error(`tfjs backend ${backend} failed to initialise`);
  await tf.ready();
  const model = tf.sequential();
  model.add(tf.layers.lstm({ units: H, returnSequences: true, inputShape: [T, D], kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }), recurrentInitializer: tf.initializers.orthogonal({ seed: 2 }) }));
  model.compile({ optimizer: tf.train.adam(1e-3), loss: 'meanSquaredError' });
  const x = tf.randomNormal([B, T, D], 0, 1, 'float32', 3);
  const y = tf.randomNormal([B, T, H], 0, 1, 'float32', 4);
  for (let i = 0; i < warmup; i++) await model.trainOnBatch(x, y);
  const times: number[] = [];
  for (let i = 0; i < iters; i++) {
    const t0 = performance.now();
    await model.trainOnBatch(x, y);
    times.push(performance.now() - t0);
  }
  console.log(JSON.stringify({ peer: `tfjs-${backend}`, version: tf.version.tfjs, backend: tf.getBackend(), msPerStep: times }));
}
main().catch((e) => { console.error(e); process.exit(1); });
