/**
 * LSTM training-step benchmark: one step = forward over the whole sequence + MSE loss on all outputs +
 * BPTT backward + Adam update, for a one-layer LSTM with batch 64, T = 100, input 100, hidden 128
 * (~117k parameters), time-major. Engines, all in this run:
 *   - wordloom (the active kernel backend, 1 and 2 threads)
 *   - PyTorch CPU torch.nn.LSTM (bench/peers/lstm_step_torch.py, torch.set_num_threads 1 and 2)
 *   - TensorFlow.js 4.22 tf.layers.lstm + trainOnBatch on the `cpu` and `wasm` backends
 *     (bench/peers/lstm-step-tfjs.ts; slow, so only a few steps)
 * Like for like: neither side computes dL/dx (torch's x does not require grad; wordloom passes dx = null, which skips
 * the input-gradient GEMM) nor dL/dh0 (both start from a zero state that needs no gradient), so both do the same GEMM
 * work: 3.80 GFLOP per step (the GFLOP/s column uses the rounder 3·2·T·B·(D+H)·4H = 4.48). The 1-thread floor of
 * that work at the 128-bit WASM SIMD peak is in bench/fma-peak.bench.ts.
 * Prints ms/step (median of the timed steps; also the fastest step) and ratios of medians against wordloom
 * (1 thread and best), writes
 * bench/results/lstm-step.json.
 *
 * Run under the shared bench lock (2 shared cores), never concurrently with another timed run:
 *   flock /tmp/wordloom-bench.lock node --import tsx bench/lstm-step.bench.ts [--quick] [--no-tfjs]
 * --quick: fewer timed steps (and one tfjs step per backend). Timings on a shared machine are indicative.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { K, setThreads, getThreads, threadsReady } from '../src/kernels/index.ts';
import { ParamSet } from '../src/nn/params.ts';
import { SequenceModel } from '../src/nn/sequence.ts';
import { mseForward, mseBackward } from '../src/nn/loss.ts';
import { Adam } from '../src/nn/optim.ts';
import { Rng } from '../src/util/rng.ts';

const quick = process.argv.includes('--quick');
const noTfjs = process.argv.includes('--no-tfjs');
const B = 64, T = 100, D = 100, H = 128;
const ITERS = quick ? 5 : 20, WARMUP = 2;
const TFJS_ITERS = quick ? 1 : 2;

interface Row { engine: string; threads: number | null; msPerStep: number; samples: number[]; note?: string }

const medianOf = (xs: number[]) => { const s = [...xs].sort((a, b) => a - b), m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };

function wordloomSteps(iters: number): number[] {
  const ps = new ParamSet();
  const lstm = new SequenceModel({ cell: 'lstm', inputSize: D, hiddenSize: H, name: 'bench' }).build(ps);
  ps.finalize();
  const rng = new Rng(1);
  lstm.initialize(rng);
  const x = K.alloc(T * B * D), y = K.alloc(T * B * H), dOut = K.alloc(T * B * H);
  rng.fillNormal(x); rng.fillNormal(y);
  const opt = new Adam({ lr: 1e-3 });
  const step = () => {
    ps.zeroGrad();
    const { outputs } = lstm.forward(x, T, B);
    const loss = mseForward(outputs, y, T * B * H);
    dOut.fill(0);
    mseBackward(dOut, outputs, y, T * B * H);
    lstm.backward(dOut, null, null);
    opt.step(ps);
    return loss;
  };
  for (let i = 0; i < WARMUP; i++) step();
  const times: number[] = [];
  for (let i = 0; i < iters; i++) {
    const t0 = performance.now();
    step();
    times.push(performance.now() - t0);
  }
  return times;
}

function child(cmd: string, args: string[], timeoutMs: number): Record<string, unknown> {
  const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: timeoutMs, maxBuffer: 1 << 24 });
  const line = (r.stdout ?? '').trim().split('\n').filter((l) => l.startsWith('{')).pop();
  if (r.status !== 0 || !line) throw new Error(`${cmd} ${args.join(' ')} failed (exit ${r.status}): ${(r.stderr ?? '').slice(-800)}`);
  return JSON.parse(line) as Record<string, unknown>;
}

async function main(): Promise<void> {
  const rows: Row[] = [];
  const flops = 3 * 2 * T * B * (D + H) * 4 * H; // forward GEMMs + ~2× for backward
  console.log(`LSTM training step: batch ${B}, T ${T}, input ${D}, hidden ${H}; forward + MSE + backward + Adam`);
  console.log(`wordloom kernels: ${K.name}; ${cpus().length} CPUs (${cpus()[0]?.model ?? '?'}); ${quick ? 'quick' : 'full'} run\n`);

  for (const threads of [1, 2]) {
    setThreads(threads);
    if (threads > 1) await threadsReady();
    const got = getThreads();
    if (threads > 1 && got < threads) { console.log(`(wordloom: ${threads} threads not available here, skipped)`); continue; }
    const s = wordloomSteps(ITERS);
    rows.push({ engine: 'wordloom', threads: got, msPerStep: medianOf(s), samples: s, note: K.name });
    console.log(`  wordloom ${K.name} ${got}T: ${medianOf(s).toFixed(1)} ms/step`);
  }
  setThreads(1);

  for (const threads of [1, 2]) {
    try {
      const r = child('/usr/bin/python3', ['bench/peers/lstm_step_torch.py', '--threads', String(threads), '--iters', String(ITERS), '--warmup', String(WARMUP)], 600_000);
      const s = r.msPerStep as number[];
      rows.push({ engine: 'pytorch', threads: r.threads as number, msPerStep: medianOf(s), samples: s, note: `torch ${r.version}` });
      console.log(`  pytorch ${r.threads}T: ${medianOf(s).toFixed(1)} ms/step`);
    } catch (e) { console.log(`  pytorch ${threads}T: FAILED ${(e as Error).message}`); }
  }

  if (!noTfjs) {
    for (const backend of ['wasm', 'cpu']) {
      try {
        const r = child(process.execPath, ['--import', 'tsx', 'bench/peers/lstm-step-tfjs.ts', '--backend', backend, '--iters', String(TFJS_ITERS), '--warmup', '1'], 900_000);
        const s = r.msPerStep as number[];
        rows.push({ engine: `tfjs-${backend}`, threads: null, msPerStep: medianOf(s), samples: s, note: `@tensorflow/tfjs ${r.version}` });
        console.log(`  tfjs ${backend}: ${medianOf(s).toFixed(1)} ms/step`);
      } catch (e) { console.log(`  tfjs ${backend}: FAILED ${(e as Error).message}`); }
    }
  }

  const w1 = rows.find((r) => r.engine === 'wordloom' && r.threads === 1)!;
  const wBest = rows.filter((r) => r.engine === 'wordloom').reduce((a, r) => (r.msPerStep < a.msPerStep ? r : a));
  console.log('');
  const head = ['engine', 'threads', 'ms/step', 'min ms', 'GFLOP/s', '÷ wordloom 1T', '÷ wordloom best'];
  const table = rows.map((r) => [r.engine + (r.note ? ` (${r.note})` : ''), r.threads === null ? '-' : String(r.threads), r.msPerStep.toFixed(1), Math.min(...r.samples).toFixed(1),
    (flops / (r.msPerStep / 1000) / 1e9).toFixed(1), (r.msPerStep / w1.msPerStep).toFixed(2) + '×', (r.msPerStep / wBest.msPerStep).toFixed(2) + '×']);
  const w = head.map((_, j) => Math.max(...[head, ...table].map((row) => row[j].length)));
  const fmt = (row: string[]) => row.map((c, j) => (j === 0 ? c.padEnd(w[j]) : c.padStart(w[j]))).join('  ');
  console.log(fmt(head));
  console.log(fmt(w.map((n) => '-'.repeat(n))));
  for (const row of table) console.log(fmt(row));
  console.log(`\n(ratio > 1: the engine is slower than wordloom by that factor; GFLOP/s counts ~${(flops / 1e9).toFixed(2)} GFLOP per step)`);
  const torch1 = rows.find((r) => r.engine === 'pytorch' && r.threads === 1);
  const torchBest = rows.filter((r) => r.engine === 'pytorch').sort((a, b) => a.msPerStep - b.msPerStep)[0];
  const tfjsBest = rows.filter((r) => r.engine.startsWith('tfjs')).sort((a, b) => a.msPerStep - b.msPerStep)[0];
  const targets = {
    vsPytorchSameThreads1: torch1 ? torch1.msPerStep / w1.msPerStep : null,
    vsPytorchBest: torchBest ? torchBest.msPerStep / wBest.msPerStep : null,
    vsTfjsBest: tfjsBest ? tfjsBest.msPerStep / wBest.msPerStep : null,
  };
  console.log(`targets: ≥1× PyTorch (1T: ${targets.vsPytorchSameThreads1?.toFixed(2) ?? 'n/a'}×, best vs best: ${targets.vsPytorchBest?.toFixed(2) ?? 'n/a'}×), ` +
    `≥20× tfjs (best tfjs / best wordloom: ${targets.vsTfjsBest?.toFixed(1) ?? 'n/a'}×)`);
  mkdirSync('bench/results', { recursive: true });
  writeFileSync('bench/results/lstm-step.json', JSON.stringify({
    bench: 'lstm-step', date: new Date().toISOString(), quick, shape: { batch: B, T, input: D, hidden: H },
    step: 'forward + MSE(all outputs) + backward + Adam', kernels: K.name, cpu: cpus()[0]?.model ?? null, cpus: cpus().length,
    flopsPerStep: flops, rows, ratios: targets,
  }, null, 1) + '\n');
  console.log('wrote bench/results/lstm-step.json');
  process.exit(0);
}

main().catch((e) => { console.error(e); process.exit(1); });
