/**
 * The kernels module: picks the fastest available backend once, at import time (top-level await).
 * `K` is the active backend; use it for every hot loop. Float64 arrays always take the reference path.
 *
 * Choose explicitly with the environment variable WORDLOOM_KERNELS=reference|wasm-simd|wasm-relaxed-simd|auto
 * or `setKernels(name)`. Threads for large GEMMs: WORDLOOM_THREADS=n or `setThreads(n)` (default 1).
 * WASM helpers for other areas' AssemblyScript code (wasmModule, wasmMemory, heapPtr, allocF32, ...)
 * are re-exported from ./wasm/loader.ts — see its header.
 */
import type { KernelBackend } from './types.ts';
import { referenceKernels } from './reference.ts';
import { initWasm } from './wasm/loader.ts';

export type { KernelBackend, FloatArray } from './types.ts';
export { referenceKernels } from './reference.ts';
export {
  wasmModule, wasmSimdModule, wasmMemory, wasmExports, heapPtr, inHeap, allocF32, allocF64, allocI32, allocU32, allocU8,
  allocBytes, freeBytes, freeHeap, heapStats, instantiateWasm, setThreads, getThreads, threadsReady, threadedGemmCount, threadedGemvCount, threadPoolStats,
  relaxedSimdSupported, wasmAvailable, wasmError, wasmSharedMemory, type CoreExports,
} from './wasm/loader.ts';

/** The active backend (a live binding: reassigned by setKernels). */
export let K: KernelBackend = referenceKernels;

const backends = new Map<string, KernelBackend>([['reference', referenceKernels]]);

/** Names of the backends available in this environment (fastest first, reference last). */
export function availableKernels(): string[] {
  return [...backends.keys()].sort((a, b) => (a === 'reference' ? 1 : 0) - (b === 'reference' ? 1 : 0));
}

/** Get a backend by name (throws if unavailable here). */
export function getKernels(name: string): KernelBackend {
  const b = backends.get(name);
  if (!b) throw new Error(`kernels: backend "${name}" is not available here (available: ${availableKernels().join(', ')})`);
  return b;
}

/** Switch the active backend. */
export function setKernels(name: string): KernelBackend {
  K = name === 'auto' ? getKernels(availableKernels()[0]) : getKernels(name);
  return K;
}

/** Register a backend (used by the WASM loader). */
export function registerKernels(b: KernelBackend): void {
  backends.set(b.name, b);
}

for (const b of await initWasm()) registerKernels(b);

const KNOWN = ['auto', 'reference', 'wasm-simd', 'wasm-relaxed-simd'];
const requested = (typeof process !== 'undefined' ? process.env?.WORDLOOM_KERNELS : undefined) || 'auto';
if (!KNOWN.includes(requested)) {
  console.warn(`wordloom: unknown WORDLOOM_KERNELS=${requested} (expected ${KNOWN.join('|')}); using auto`);
  setKernels('auto');
} else if (requested !== 'auto' && !backends.has(requested)) {
  console.warn(`wordloom: WORDLOOM_KERNELS=${requested} is not available here; using ${availableKernels()[0]}`);
  setKernels('auto');
} else {
  setKernels(requested);
}
