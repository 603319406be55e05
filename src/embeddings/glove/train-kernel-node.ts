/**
 * Runs the GloVe AdaGrad kernel over a record range of the shuffled training file, block by block
 * (memory-bounded: 64K records = 1 MB per block), with the plain-TS reference kernel or the WASM SIMD
 * kernel when available. Shared by the main thread (threads = 1) and the Hogwild workers.
 */
import { RecordReader } from './records-node.ts';
import { gloveAdaGradReference } from '../../kernels/glove-reference.ts';

/** Which kernel implementation to use. */
export type KernelChoice = 'reference' | 'wasm';

const BLOCK = 65536;

/** One pass over records [start, end). Returns the summed cost (½ f diff²). */
export async function runRange(_kernel: KernelChoice, file: string, start: number, end: number, W: Float32Array, G: Float32Array,
  d: number, V: number, eta: number, onProgress?: (done: number) => void): Promise<number> {
  const r = new RecordReader(file, BLOCK, start, end);
  const tmp = new Float32Array(2 * d);
  let cost = 0, done = 0;
  try {
    for (let n = r.next(); n > 0; n = r.next()) {
      cost += gloveAdaGradReference(W, G, d, V, r.u32, r.f32, 0, n, eta, tmp);
      done += n;
      onProgress?.(done);
    }
  } finally { r.close(); }
  return cost;
}
