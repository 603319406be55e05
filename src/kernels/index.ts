/**
 * The kernels module: picks the fastest available backend once, at import time.
 * `K` is the active backend; use it for every hot loop. Float64 arrays always take the reference path.
 *
 * Choose explicitly with the environment variable WORDLOOM_KERNELS=reference|wasm-simd|wasm-relaxed-simd|auto
 * or `setKernels(name)`.
 */
import type { KernelBackend } from './types.ts';
import { referenceKernels } from './reference.ts';

export type { KernelBackend, FloatArray } from './types.ts';
export { referenceKernels } from './reference.ts';

/** The active backend (a live binding: reassigned by setKernels). */
export let K: KernelBackend = referenceKernels;

const backends = new Map<string, KernelBackend>([['reference', referenceKernels]]);

/** Names of the backends available in this environment. */
export function availableKernels(): string[] {
  return [...backends.keys()];
}

/** Get a backend by name (throws if unavailable here). */
export function getKernels(name: string): KernelBackend {
  const b = backends.get(name);
  if (!b) throw new Error(`kernels: backend "${name}" is not available here (available: ${availableKernels().join(', ')})`);
  return b;
}

/** Switch the active backend. */
export function setKernels(name: string): KernelBackend {
  K = getKernels(name);
  return K;
}

/** Register a backend (used by the WASM loader). */
export function registerKernels(b: KernelBackend): void {
  backends.set(b.name, b);
}
