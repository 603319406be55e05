/**
 * Runs the GloVe AdaGrad kernel over a record range of the shuffled training file, block by block
 * (memory-bounded: 64K records = 1 MB per block), with the WASM SIMD kernel (src/kernels/wasm/as/glove.ts;
 * W, G and the record block live in the shared WebAssembly memory, blocks are read straight into it)
 * or the plain-TS reference (src/kernels/glove-reference.ts). Shared by the main thread (threads = 1)
 * and the Hogwild workers.
 */
import { RecordReader, RECORD_BYTES } from './records-node.ts';
import { gloveAdaGradReference } from '../../kernels/glove-reference.ts';

/** Which kernel implementation to use. */
export type KernelChoice = 'reference' | 'wasm';

/** The AssemblyScript export (src/kernels/wasm/as/glove.ts). */
export interface GloveWasmExports {
  gloveAdaGrad(W: number, G: number, d: number, V: number, rec: number, n: number, eta: number, tmp: number): number;
}

/** Records per block. */
export const BLOCK_RECORDS = 65536;

/** What one thread needs to run the kernel. */
export type ThreadKernel =
  | { kind: 'reference'; W: Float32Array; G: Float32Array }
  | { kind: 'wasm'; exports: GloveWasmExports; memory: WebAssembly.Memory; W: number; G: number; block: number; tmp: number };

/**
 * One pass over records [start, end). Returns the summed cost (½ f diff²). With `yieldEvery` (main
 * thread) it awaits the event loop every that many blocks, so Ctrl-C can clean up during training.
 */
export async function runRange(k: ThreadKernel, file: string, start: number, end: number, d: number, V: number, eta: number,
  onProgress?: (done: number) => void, yieldEvery = 0): Promise<number> {
  const target = k.kind === 'wasm' ? new Uint8Array(k.memory.buffer, k.block, BLOCK_RECORDS * RECORD_BYTES) : undefined;
  const r = new RecordReader(file, BLOCK_RECORDS, start, end, target);
  const tmp = new Float32Array(2 * d);
  let cost = 0, done = 0, blocks = 0;
  try {
    for (let n = r.next(); n > 0; n = r.next()) {
      if (yieldEvery > 0 && ++blocks % yieldEvery === 0) await new Promise<void>((resolve) => setImmediate(resolve));
      if (k.kind === 'wasm') cost += k.exports.gloveAdaGrad(k.W, k.G, d, V, k.block, n, eta, k.tmp);
      else cost += gloveAdaGradReference(k.W, k.G, d, V, r.u32, r.f32, 0, n, eta, tmp);
      done += n;
      onProgress?.(done);
    }
  } finally { r.close(); }
  return cost;
}
