/**
 * `wordloom kernels`: which numeric kernels are active (reference / wasm-simd / wasm-relaxed-simd), whether
 * the engine supports relaxed SIMD, the thread setting, and a quick self-test of every backend: a
 * correctness check of sgemm against the reference and its GFLOP/s on a recurrent-net shape (untimed
 * machines vary; for the full comparison with OpenBLAS run bench/gemm.bench.ts).
 */
import type { Command } from 'commander';
import {
  K, availableKernels, getKernels, referenceKernels, relaxedSimdSupported, wasmAvailable, wasmError,
  setThreads, getThreads, threadsReady, type KernelBackend,
} from '../../kernels/index.ts';
import { Rng } from '../../util/rng.ts';
import { intArg, floatArg } from '../options.ts';

interface SelfTest { backend: string; threads: number; shape: [number, number, number]; gflops: number; maxAbsError: number }

function maxError(k: KernelBackend, rng: Rng): number {
  const M = 13, N = 21, Kd = 35;
  const A = rng.fillUniform(k.alloc(M * Kd), -1, 1) as Float32Array, B = rng.fillUniform(k.alloc(Kd * N), -1, 1) as Float32Array;
  const C = k.alloc(M * N), R = new Float32Array(M * N);
  k.sgemm(false, true, M, N, Kd, 1, A, Kd, B, Kd, 0, C, N);
  referenceKernels.sgemm(false, true, M, N, Kd, 1, A, Kd, B, Kd, 0, R, N);
  let e = 0;
  for (let i = 0; i < R.length; i++) e = Math.max(e, Math.abs(C[i] - R[i]));
  k.free(A); k.free(B); k.free(C);
  return e;
}

function gflops(k: KernelBackend, M: number, Kd: number, N: number, seconds: number, rng: Rng): number {
  const A = rng.fillUniform(k.alloc(M * Kd), -1, 1) as Float32Array, B = rng.fillUniform(k.alloc(Kd * N), -1, 1) as Float32Array;
  const C = k.alloc(M * N);
  const run = () => k.sgemm(false, false, M, N, Kd, 1, A, Kd, B, N, 0, C, N);
  run();
  let best = Infinity, calls = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < seconds * 1000 || calls < 3) {
    const t = performance.now();
    run();
    best = Math.min(best, (performance.now() - t) / 1000);
    calls++;
  }
  k.free(A); k.free(B); k.free(C);
  return (2 * M * N * Kd) / best / 1e9;
}

export function register(program: Command): void {
  program.command('kernels')
    .description('print the active numeric kernels, relaxed-SIMD support and a quick GFLOP/s self-test')
    .option('--threads <n>', 'also test sgemm with n threads (default: the current setting, WORDLOOM_THREADS)', intArg(1, 256))
    .option('--seconds <s>', 'time per measurement', floatArg(0.01, 60), 0.3)
    .option('--json', 'print JSON')
    .action(async (o: { threads?: number; seconds: number; json?: boolean }) => {
      const rng = new Rng(1);
      const shape: [number, number, number] = [128, 400, 1200];
      const threadCounts = [...new Set([1, o.threads ?? getThreads()])];
      const configured = getThreads();
      const tests: SelfTest[] = [];
      for (const name of availableKernels()) {
        const k = getKernels(name);
        for (const t of name === 'reference' ? [1] : threadCounts) {
          setThreads(t);
          if (t > 1) await threadsReady();
          const [M, Kd, N] = name === 'reference' ? [64, 228, 512] : shape;
          tests.push({ backend: name, threads: getThreads(), shape: [M, Kd, N], gflops: gflops(k, M, Kd, N, o.seconds, rng), maxAbsError: maxError(k, rng) });
        }
      }
      setThreads(configured);
      const info = {
        active: K.name,
        available: availableKernels(),
        wasm: wasmAvailable(),
        wasmError: wasmError()?.message ?? null,
        relaxedSimd: relaxedSimdSupported(),
        threads: configured,
        selfTest: tests,
      };
      if (o.json) { console.log(JSON.stringify(info)); return; }
      console.log(`active kernels: ${info.active}   (available: ${info.available.join(', ')}; choose with WORDLOOM_KERNELS)`);
      console.log(`relaxed SIMD:   ${info.relaxedSimd ? 'yes' : 'no'}${info.wasm ? '' : `   (WASM unavailable: ${info.wasmError})`}`);
      console.log(`threads:        ${info.threads}   (WORDLOOM_THREADS or --threads)`);
      console.log('self-test (sgemm C = A·B, best call; max |error| vs reference on 13×35·35×21):');
      for (const t of tests) {
        console.log(`  ${t.backend.padEnd(18)} ×${t.threads}  ${t.shape.join('×').padEnd(12)} ${t.gflops.toFixed(1).padStart(6)} GFLOP/s   max error ${t.maxAbsError.toExponential(1)}`);
      }
    });
}
