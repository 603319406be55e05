/**
 * Hardware ceiling of the GEMM and the LSTM step (issue #2): how fast can one thread multiply-add at all?
 *
 *   1. WASM 128-bit peak: f32x4 multiply-adds with 8 and 12 independent accumulators (bench/peers/fma_peak.as,
 *      compiled here with asc: relaxed SIMD = f32x4.relaxed_madd → one vfmadd; plain SIMD = mul + add).
 *   2. Native peaks (bench/peers/fma_peak.c, compiled here with gcc if present): FMA on xmm (128-bit), ymm (AVX2)
 *      and zmm (AVX-512) registers.
 *   3. What the GEMMs reach: wordloom's sgemm (both WASM builds) and numpy/OpenBLAS (its AVX-512 kernel and its
 *      AVX2 "Haswell" kernel) on one thread, on the bench/gemm shapes, the LSTM-step shapes and 1024³ — as GFLOP/s
 *      and as a fraction of the matching peak.
 *   4. The ceiling that follows: wordloom ÷ OpenBLAS-AVX2 cannot exceed (128-bit peak ÷ AVX2 peak) × (our
 *      efficiency ÷ OpenBLAS's), and the LSTM training step (bench/lstm-step) cannot run faster than its GEMM
 *      FLOPs at the 128-bit peak.
 *
 * Run under the shared bench lock (2 shared cores):
 *   flock /tmp/wordloom-bench.lock node --import tsx bench/fma-peak.bench.ts [--quick]
 * Writes bench/results/fma-peak.json.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { getKernels, availableKernels, setThreads, type KernelBackend } from '../src/kernels/index.ts';
import { Rng } from '../src/util/rng.ts';
import { timeIt } from './timing.ts';

const quick = process.argv.includes('--quick');
const MIN_TIME = quick ? 0.15 : 0.5; // seconds per GEMM measurement
const here = new URL('.', import.meta.url).pathname;
const work = mkdtempSync(join(tmpdir(), 'wl-fma-peak-'));

// ---------------------------------------------------------------- 1. WASM 128-bit peak
function compileAs(relaxed: boolean): Uint8Array<ArrayBuffer> {
  const asc = createRequire(import.meta.url).resolve('assemblyscript/bin/asc.js');
  const out = join(work, relaxed ? 'relaxed.wasm' : 'simd.wasm');
  // asc wants a .ts entry; the source is kept as .as so that tsc (bench/**/*.ts) does not type-check it.
  const src = join(work, 'fma_peak.ts');
  writeFileSync(src, readFileSync(join(here, 'peers/fma_peak.as')));
  const args = [asc, src, '-O3', '--noAssert', '--runtime', 'stub', '--enable', 'simd', ...(relaxed ? ['--enable', 'relaxed-simd'] : []), '-o', out];
  const r = spawnSync(process.execPath, args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`asc failed: ${r.stderr}`);
  return new Uint8Array(readFileSync(out));
}

interface PeakExports { peak8(n: number, x: number, y: number): number; peak12(n: number, x: number, y: number): number }

function wasmPeak(bytes: Uint8Array<ArrayBuffer>): { acc8: number; acc12: number } {
  const x = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { abort: () => { throw new Error('abort'); } } }).exports as unknown as PeakExports;
  const n = quick ? 5e6 : 2e7;
  const measure = (f: (n: number, a: number, b: number) => number, acc: number) => {
    f(n / 10, 1.0000001, 0.9999999);
    let best = Infinity;
    for (let r = 0; r < 5; r++) { const t0 = performance.now(); f(n, 1.0000001, 0.9999999); best = Math.min(best, performance.now() - t0); }
    return (n * acc * 4 * 2) / (best / 1000) / 1e9;
  };
  return { acc8: measure(x.peak8, 8), acc12: measure(x.peak12, 12) };
}

// The kernels import enabled relaxed SIMD on Node 20 (v8 flag) before we get here.
const wasmRelaxed = availableKernels().includes('wasm-relaxed-simd') ? wasmPeak(compileAs(true)) : null;
const wasmPlain = wasmPeak(compileAs(false));
const peak128 = Math.max(wasmRelaxed?.acc12 ?? 0, wasmRelaxed?.acc8 ?? 0, wasmPlain.acc12, wasmPlain.acc8);

// ---------------------------------------------------------------- 2. native peaks
let native: { xmm128: number | null; ymm256: number | null; zmm512: number | null } | null = null;
{
  const exe = join(work, 'fma_peak');
  const cc = spawnSync('gcc', ['-O2', '-o', exe, join(here, 'peers/fma_peak.c')], { encoding: 'utf8' });
  if (cc.status === 0) {
    const r = spawnSync(exe, [], { encoding: 'utf8' });
    if (r.status === 0) native = JSON.parse(r.stdout.trim());
  } else console.error(`(gcc not available or failed: native peaks skipped) ${cc.error?.message ?? cc.stderr.slice(0, 200)}`);
}

// ---------------------------------------------------------------- 3. GEMMs on one thread
type Layout = 'NN' | 'TN' | 'NT';
const SHAPES: Array<[number, number, number, Layout, string]> = [
  [64, 228, 512, 'NN', 'bench/gemm'], [64, 228, 512, 'TN', 'bench/gemm'], [64, 228, 512, 'NT', 'bench/gemm'],
  [64, 512, 2048, 'NN', 'bench/gemm'], [128, 400, 1200, 'NN', 'bench/gemm'], [256, 256, 256, 'NN', 'bench/gemm'],
  [6400, 100, 512, 'NN', 'LSTM x·W (all steps)'], [64, 128, 512, 'NN', 'LSTM h·U (per step)'], [64, 512, 128, 'NT', 'LSTM dG·Uᵀ (per step)'],
  [128, 6400, 512, 'TN', 'LSTM dU = hᵀ·dG'], [100, 6400, 512, 'TN', 'LSTM dW = xᵀ·dG'],
  [1024, 1024, 1024, 'NN', 'large'],
];

function gemmGflops(k: KernelBackend, [M, K, N, layout]: [number, number, number, Layout, string]): number {
  const rng = new Rng(3);
  const tA = layout === 'TN', tB = layout === 'NT';
  const A = k.alloc(M * K), B = k.alloc(K * N), C = k.alloc(M * N);
  rng.fillUniform(A, -1, 1); rng.fillUniform(B, -1, 1);
  const s = timeIt(() => k.sgemm(tA, tB, M, N, K, 1, A, tA ? M : K, B, tB ? K : N, 0, C, N), MIN_TIME, 4);
  k.free(A); k.free(B); k.free(C);
  return (2 * M * N * K) / s / 1e9;
}

function numpyGflops(coretype: string | null): Map<string, number> {
  const env: NodeJS.ProcessEnv = { ...process.env, OPENBLAS_NUM_THREADS: '1', OMP_NUM_THREADS: '1' };
  delete env.OPENBLAS_CORETYPE;
  delete env.OPENBLAS_L2_SIZE;
  if (coretype) env.OPENBLAS_CORETYPE = coretype;
  const out = new Map<string, number>();
  for (const layout of ['NN', 'TN', 'NT'] as const) {
    const shapes = SHAPES.filter((s) => s[3] === layout).map(([M, K, N]) => [M, K, N]);
    const cfg = JSON.stringify({ shapes, layouts: [layout], min_time: MIN_TIME, batches: 4 });
    const r = spawnSync('/usr/bin/python3', [join(here, 'peers/gemm_numpy.py'), cfg], { env, encoding: 'utf8' });
    if (r.status !== 0) { console.error(`numpy peer failed: ${r.stderr.slice(-300)}`); return out; }
    for (const x of (JSON.parse(r.stdout) as { results: Array<{ M: number; K: number; N: number; layout: string; gflops: number }> }).results) {
      out.set(`${x.M}×${x.K}×${x.N} ${x.layout}`, x.gflops);
    }
  }
  return out;
}

setThreads(1);
const engines = availableKernels().filter((n) => n.startsWith('wasm'));
const ours = new Map<string, Map<string, number>>();
for (const e of engines) {
  const m = new Map<string, number>();
  for (const s of SHAPES) m.set(`${s[0]}×${s[1]}×${s[2]} ${s[3]}`, gemmGflops(getKernels(e), s));
  ours.set(e, m);
}
const npAvx512 = numpyGflops(null);
const npAvx2 = numpyGflops('Haswell');

// ---------------------------------------------------------------- 4. report
const f1 = (v: number | null | undefined) => (v === null || v === undefined || !Number.isFinite(v) ? '-' : v.toFixed(1));
const pct = (v: number | undefined, p: number | null | undefined) => (v === undefined || !p ? '-' : `${((100 * v) / p).toFixed(0)}%`);
const ymm = native?.ymm256 ?? 2 * peak128, zmm = native?.zmm512 ?? null;
console.log(`fma-peak (${quick ? 'quick' : 'default'}): CPU ${cpus()[0]?.model} ×${cpus().length}; node ${process.version}\n`);
console.log('Peak f32 multiply-add throughput, one thread (GFLOP/s):');
console.log(`  WASM relaxed SIMD (f32x4.relaxed_madd)  8 acc ${f1(wasmRelaxed?.acc8)}  12 acc ${f1(wasmRelaxed?.acc12)}`);
console.log(`  WASM plain SIMD (f32x4.mul + add)       8 acc ${f1(wasmPlain.acc8)}  12 acc ${f1(wasmPlain.acc12)}`);
console.log(`  native FMA xmm 128-bit ${f1(native?.xmm128)}   ymm 256-bit (AVX2) ${f1(native?.ymm256)}   zmm 512-bit (AVX-512) ${f1(native?.zmm512)}`);
console.log(`  → 128-bit peak used below: ${f1(peak128)}; AVX2 peak ${f1(ymm)}; AVX-512 peak ${f1(zmm)}\n`);

const best = engines[0];
const head = ['shape M×K×N', 'layout', 'what', ...engines.map((e) => e.replace('wasm-relaxed-simd', 'relaxed').replace('wasm-simd', 'simd')), '% of 128-bit peak', 'OpenBLAS AVX2', '% of AVX2 peak', 'OpenBLAS AVX-512', '% of AVX-512 peak', 'ours ÷ AVX2', 'ceiling ÷ AVX2'];
const rows: string[][] = [head];
const json: Array<Record<string, unknown>> = [];
for (const s of SHAPES) {
  const key = `${s[0]}×${s[1]}×${s[2]} ${s[3]}`;
  const w = ours.get(best)!.get(key)!, a2 = npAvx2.get(key), a5 = npAvx512.get(key);
  // If our GEMM ran at 100% of the 128-bit peak, its ratio to OpenBLAS-AVX2 on this shape would be:
  const ceiling = a2 ? peak128 / a2 : undefined;
  rows.push([`${s[0]}×${s[1]}×${s[2]}`, s[3], s[4], ...engines.map((e) => f1(ours.get(e)!.get(key))), pct(w, peak128),
    f1(a2), pct(a2, ymm), f1(a5), pct(a5, zmm), a2 ? (w / a2).toFixed(2) : '-', ceiling ? ceiling.toFixed(2) : '-']);
  json.push({ M: s[0], K: s[1], N: s[2], layout: s[3], what: s[4], ...Object.fromEntries(engines.map((e) => [e, ours.get(e)!.get(key)])),
    fractionOf128BitPeak: w / peak128, openblasAvx2: a2 ?? null, openblasAvx512: a5 ?? null, ratioVsAvx2: a2 ? w / a2 : null, ceilingVsAvx2: ceiling ?? null });
}
const widths = head.map((_, i) => Math.max(...rows.map((r) => r[i].length)));
for (const r of rows) console.log(r.map((c, i) => (i < 3 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  '));

// LSTM training step floor (bench/lstm-step: batch 64, T 100, input 100, hidden 128, no input gradient, h0 = 0):
// forward x·W (T steps) + h·U (T−1 steps), backward dh = dG·Uᵀ (T−1), dU (T−1 rows of h), dW (T steps).
const B = 64, T = 100, D = 100, H = 128;
const lstmFlops = 2 * B * 4 * H * (2 * T * D + 3 * (T - 1) * H);
console.log(`\nLSTM step (bench/lstm-step) GEMM work: ${(lstmFlops / 1e9).toFixed(3)} GFLOP → at least ${(lstmFlops / peak128 / 1e6).toFixed(1)} ms on one thread at the 128-bit peak` +
  ` (${(lstmFlops / ymm / 1e6).toFixed(1)} ms at the AVX2 peak, ${zmm ? (lstmFlops / zmm / 1e6).toFixed(1) : '-'} ms at the AVX-512 peak), before any pointwise work.`);

mkdirSync(join(here, 'results'), { recursive: true });
writeFileSync(join(here, 'results/fma-peak.json'), JSON.stringify({
  bench: 'fma-peak', date: new Date().toISOString(), quick, node: process.version, cpu: cpus()[0]?.model, unit: 'GFLOP/s', threads: 1,
  wasm: { relaxed: wasmRelaxed, plain: wasmPlain }, native, peak128, peakAvx2: ymm, peakAvx512: zmm, gemm: json,
  lstmStep: { gemmFlops: lstmFlops, floorMs128: lstmFlops / peak128 / 1e6, floorMsAvx2: lstmFlops / ymm / 1e6, floorMsAvx512: zmm ? lstmFlops / zmm / 1e6 : null },
}, null, 1) + '\n');
rmSync(work, { recursive: true, force: true });
console.log('wrote bench/results/fma-peak.json');
process.exit(0);
