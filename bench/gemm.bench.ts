/**
 * SGEMM benchmark: GFLOP/s of the kernel backends (reference, wasm-simd, wasm-relaxed-simd at 1 and 2
 * threads) for the layouts training uses — A·B (forward), Aᵀ·B and A·Bᵀ (backward) — on recurrent-net shapes
 * (M, K, N) = (batch, input+hidden, gates·hidden), next to numpy/OpenBLAS on the same shapes and thread
 * counts (python child process, OPENBLAS_NUM_THREADS; OPENBLAS_CORETYPE/OPENBLAS_L2_SIZE removed from the
 * child's environment so OpenBLAS picks its own kernel). Prints a table with ratios to OpenBLAS and writes
 * bench/results/gemm.json.
 *
 * Run under the shared bench lock (2 shared cores):
 *   flock /tmp/wordloom-bench.lock node --import tsx bench/gemm.bench.ts [--quick]
 * Each number is the best of several batches (each batch ≥ min-time/batches seconds). Shapes are run one
 * after another, each on our backends and then on numpy, so both sides see similar machine load.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { availableKernels, getKernels, setThreads, threadsReady, type KernelBackend } from '../src/kernels/index.ts';
import { Rng } from '../src/util/rng.ts';
import { timeIt } from './timing.ts';

const quick = process.argv.includes('--quick');
const SHAPES: Array<[number, number, number]> = [[64, 228, 512], [64, 512, 2048], [128, 400, 1200], [256, 256, 256]];
const LAYOUTS = ['NN', 'TN', 'NT'] as const;
type Layout = (typeof LAYOUTS)[number];
const MIN_TIME = quick ? 0.1 : 0.6; // seconds per configuration
const BATCHES = quick ? 3 : 5;

interface Row { M: number; K: number; N: number; layout: Layout; engine: string; threads: number; gflops: number; seconds: number }

function benchBackend(k: KernelBackend, threads: number, shape: [number, number, number], rows: Row[]): void {
  const rng = new Rng(7);
  const [M, K, N] = shape;
  for (const layout of LAYOUTS) {
    const tA = layout === 'TN', tB = layout === 'NT';
    const A = k.alloc(M * K), B = k.alloc(K * N), C = k.alloc(M * N);
    rng.fillUniform(A, -1, 1); rng.fillUniform(B, -1, 1);
    const lda = tA ? M : K, ldb = tB ? K : N;
    const s = timeIt(() => k.sgemm(tA, tB, M, N, K, 1, A, lda, B, ldb, 0, C, N), MIN_TIME, BATCHES);
    rows.push({ M, K, N, layout, engine: k.name, threads, seconds: s, gflops: (2 * M * N * K) / s / 1e9 });
    k.free(A); k.free(B); k.free(C);
  }
}

// coretype: undefined = OpenBLAS picks its best kernel for this CPU (AVX-512 here); 'Haswell' = its AVX2 kernel
// (this machine's default environment pins OPENBLAS_CORETYPE=Haswell) — a 256-bit BLAS, closer to what 128-bit
// WASM SIMD can be compared with.
function benchNumpy(threads: number, shape: [number, number, number], rows: Row[], coretype?: string): string | null {
  const env: NodeJS.ProcessEnv = { ...process.env, OPENBLAS_NUM_THREADS: String(threads), OMP_NUM_THREADS: String(threads) };
  delete env.OPENBLAS_CORETYPE;
  delete env.OPENBLAS_L2_SIZE;
  if (coretype) env.OPENBLAS_CORETYPE = coretype;
  const cfg = JSON.stringify({ shapes: [shape], layouts: LAYOUTS, min_time: MIN_TIME, batches: BATCHES });
  const r = spawnSync('/usr/bin/python3', [new URL('./peers/gemm_numpy.py', import.meta.url).pathname, cfg], { env, encoding: 'utf8' });
  if (r.status !== 0) {
    console.error(`numpy peer failed (threads=${threads}): ${r.error?.message ?? r.stderr}`);
    return null;
  }
  const out = JSON.parse(r.stdout) as { numpy: string; results: Array<{ M: number; K: number; N: number; layout: Layout; seconds: number; gflops: number }> };
  for (const x of out.results) rows.push({ ...x, engine: coretype ? `numpy-${coretype}` : 'numpy', threads });
  return out.numpy;
}

const rows: Row[] = [];
const engines = availableKernels(); // fastest first, reference last
console.log(`gemm bench (${quick ? 'quick' : 'default'}): backends ${engines.join(', ')}; CPU ${cpus()[0]?.model} ×${cpus().length}; node ${process.version}`);
const t0 = performance.now();
// Shape by shape, our backends and then the numpy peer, so both see similar machine load.
let npVersion: string | null = null;
for (const shape of SHAPES) {
  for (const name of engines) {
    const k = getKernels(name);
    if (name === 'reference') { setThreads(1); benchBackend(k, 1, shape, rows); continue; }
    for (const threads of [1, 2]) {
      setThreads(threads);
      if (threads > 1 && (await threadsReady()) < threads - 1) { console.error('worker threads did not start'); continue; }
      benchBackend(k, threads, shape, rows);
    }
  }
  setThreads(1);
  for (const threads of [1, 2]) npVersion = benchNumpy(threads, shape, rows) ?? npVersion;
  for (const threads of [1, 2]) benchNumpy(threads, shape, rows, 'Haswell');
}

// ---- table ----
const get = (M: number, K: number, N: number, layout: string, engine: string, threads: number) =>
  rows.find((r) => r.M === M && r.K === K && r.N === N && r.layout === layout && r.engine === engine && r.threads === threads);
const cols: Array<[string, number]> = [];
for (const e of engines) for (const t of e === 'reference' ? [1] : [1, 2]) cols.push([e, t]);
cols.push(['numpy', 1], ['numpy', 2], ['numpy-Haswell', 1], ['numpy-Haswell', 2]);
const short = (e: string) => e.replace('wasm-relaxed-simd', 'relaxed').replace('wasm-simd', 'simd').replace('reference', 'ref').replace('numpy-Haswell', 'np-avx2');
const best = engines.find((e) => e !== 'reference');
const header = ['M×K×N', 'layout', ...cols.map(([e, t]) => `${short(e)}×${t}`), ...(best ? [`${short(best)}/np ×1`, `${short(best)}/np ×2`, `/avx2 ×1`, `/avx2 ×2`] : [])];
const lines: string[][] = [header];
const ratios: number[] = [];
const ratiosAvx2: number[] = [];
for (const [M, K, N] of SHAPES) {
  for (const layout of LAYOUTS) {
    const line = [`${M}×${K}×${N}`, layout === 'NN' ? 'A·B' : layout === 'TN' ? 'Aᵀ·B' : 'A·Bᵀ'];
    for (const [e, t] of cols) { const r = get(M, K, N, layout, e, t); line.push(r ? r.gflops.toFixed(1) : '-'); }
    if (best) {
      for (const t of [1, 2]) {
        const w = get(M, K, N, layout, best, t), n = get(M, K, N, layout, 'numpy', t);
        if (w && n) { const q = w.gflops / n.gflops; ratios.push(q); line.push(`${q.toFixed(2)}×`); } else line.push('-');
      }
      for (const t of [1, 2]) {
        const w = get(M, K, N, layout, best, t), n = get(M, K, N, layout, 'numpy-Haswell', t);
        if (w && n) { const q = w.gflops / n.gflops; ratiosAvx2.push(q); line.push(`${q.toFixed(2)}×`); } else line.push('-');
      }
    }
    lines.push(line);
  }
}
const widths = header.map((_, i) => Math.max(...lines.map((l) => l[i].length)));
console.log('\nGFLOP/s (best batch), ×n = threads');
for (const l of lines) console.log(l.map((c, i) => (i < 2 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  '));
if (ratios.length) console.log(`\n${best} vs numpy/OpenBLAS: min ${Math.min(...ratios).toFixed(2)}×, geo-mean ${Math.exp(ratios.reduce((a, r) => a + Math.log(r), 0) / ratios.length).toFixed(2)}× (target ≥ 0.5×)`);
if (ratiosAvx2.length) console.log(`${best} vs numpy/OpenBLAS AVX2 kernel (OPENBLAS_CORETYPE=Haswell): min ${Math.min(...ratiosAvx2).toFixed(2)}×, geo-mean ${Math.exp(ratiosAvx2.reduce((a, r) => a + Math.log(r), 0) / ratiosAvx2.length).toFixed(2)}×`);
console.log('(WASM SIMD vectors are 128-bit: a quarter of the AVX-512 width OpenBLAS picks on this CPU, half of AVX2.)');
console.log(`(${((performance.now() - t0) / 1000).toFixed(0)} s)`);
mkdirSync(new URL('./results/', import.meta.url), { recursive: true });
writeFileSync(new URL('./results/gemm.json', import.meta.url), JSON.stringify({
  bench: 'gemm', date: new Date().toISOString(), quick, node: process.version, cpu: cpus()[0]?.model, cores: cpus().length,
  numpy: npVersion, unit: 'GFLOP/s', shapes: 'M×K×N: C(M×N) = op(A)(M×K)·op(B)(K×N)', rows,
}, null, 2) + '\n');
