/**
 * Sentiment benchmark (issue #3): time per training epoch of the SST-5 classifier in wordloom vs the same model in
 * PyTorch (bench/peers/sentiment_torch.py: same padded batches, same hyperparameters, same thread count), plus the
 * tokenizer's throughput (tokens/s) on IMDB reviews. Writes bench/results/sentiment.json.
 *
 * Run ONLY under the bench lock:  flock /tmp/wordloom-bench.lock node --import tsx bench/sentiment.bench.ts [--quick]
 * Default: 2 epochs on all 8,544 SST training sentences (≈ 4–6 min on a shared 2-core machine);
 * --quick: 1 epoch on 25% of them (≈ 1 min).
 */
import { mkdirSync, writeFileSync, readFileSync, mkdtempSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { join } from 'node:path';
import { tmpdir, loadavg } from 'node:os';
import { spawnSync } from 'node:child_process';
import { K, getThreads } from '../src/kernels/index.ts';
import { Tokenizer } from '../src/text/tokenizer.ts';
import { makeBatches, type PaddedBatch } from '../src/text/encoding.ts';
import { Rng } from '../src/util/rng.ts';
import { resolveConfig } from '../src/tasks/sentiment/config.ts';
import { prepareData, loadData, loadPretrained } from '../src/tasks/sentiment/train-node.ts';
import { SentimentClassifier } from '../src/tasks/sentiment/model.ts';
import { createTrainer, trainBatches, evaluate } from '../src/tasks/sentiment/train.ts';

const quick = process.argv.includes('--quick');
const epochs = quick ? 1 : 2;
const fraction = quick ? 0.25 : 1;
const threads = getThreads();

// ---------------------------------------------------------------- tokenizer throughput
const raw = gunzipSync(readFileSync('data/corpus/imdb_unsup.txt.gz')).toString('utf8');
const reviews = raw.split('\n').slice(0, quick ? 5000 : 20000);
const chars = reviews.reduce((a, r) => a + r.length, 0);
const tokRows: Array<{ mode: string; tokens: number; seconds: number; cpuSeconds: number; tokensPerSecond: number; tokensPerCpuSecond: number; mbPerSecond: number }> = [];
/** CPU seconds (user + system) of this process since `c0`: robust to other processes on the shared machine. */
const cpuSec = (c0: NodeJS.CpuUsage) => { const d = process.cpuUsage(c0); return (d.user + d.system) / 1e6; };
const load0 = loadavg();
for (const [mode, opts] of [['punctuation (sentiment)', {}], ['words only (word2vec/GloVe fast path)', { punctuation: false }]] as const) {
  const t = new Tokenizer(opts);
  for (const r of reviews.slice(0, 500)) t.tokenize(r); // warm-up
  let n = 0;
  const t0 = performance.now(), c0 = process.cpuUsage();
  for (const r of reviews) n += t.tokenize(r).length;
  const s = (performance.now() - t0) / 1000, cpu = cpuSec(c0);
  tokRows.push({ mode, tokens: n, seconds: s, cpuSeconds: cpu, tokensPerSecond: n / s, tokensPerCpuSecond: n / cpu, mbPerSecond: chars / s / 1e6 });
}

// ---------------------------------------------------------------- one epoch: wordloom vs PyTorch
const cfg = resolveConfig({ phrases: false, epochs });
const splits = loadData({ data: 'data/sst' }, cfg);
const data = prepareData(splits, cfg, { trainFraction: fraction });
const vectors = loadPretrained(cfg);
if (vectors) cfg.embeddingDim = vectors.dim;
const model = new SentimentClassifier(cfg, data.vocab, data.labels.names, cfg.tokenizer);
model.initialize(new Rng(cfg.seed), { pretrained: vectors });
const trainer = createTrainer(model, cfg);
const batches = makeBatches(data.train.ids, data.train.labels, { batchSize: cfg.batchSize, shuffle: true, bucket: cfg.bucket }, new Rng(cfg.seed));
const devBatches = makeBatches(data.dev.ids, data.dev.labels, { batchSize: 100 });
const tokens = data.train.ids.reduce((a, s) => a + s.length, 0);

const rng = new Rng(2);
const wlSec: number[] = [], wlCpu: number[] = [], wlDev: number[] = [];
for (let e = 0; e < epochs; e++) {
  const c0 = process.cpuUsage();
  const st = trainBatches(model, trainer, batches, cfg, rng);
  wlCpu.push(cpuSec(c0));
  wlSec.push(st.seconds);
  wlDev.push(evaluate(model, data.dev).accuracy);
}

const dir = mkdtempSync(join(tmpdir(), 'wl-sent-bench-'));
const batchJson = (b: PaddedBatch) => ({ steps: b.steps, batch: b.batch, ids: Array.from(b.ids), lengths: Array.from(b.lengths), labels: Array.from(b.labels!) });
const exportPath = join(dir, 'batches.json');
writeFileSync(exportPath, JSON.stringify({
  config: { ...cfg, embeddingDropout: true }, vocabSize: data.vocab.size, numClasses: cfg.numClasses,
  train: batches.map(batchJson), dev: devBatches.map(batchJson),
}));
const py = spawnSync('/usr/bin/python3', ['bench/peers/sentiment_torch.py', '--data', exportPath, '--epochs', String(epochs), '--threads', String(threads)], { encoding: 'utf8', maxBuffer: 1 << 26 });
let torch: { version: string; threads: number; secPerEpoch: number[]; cpuSecPerEpoch: number[]; devAccuracy: number[] } | null = null;
if (py.status === 0) torch = JSON.parse(py.stdout.trim().split('\n').pop()!);
else process.stderr.write(`PyTorch peer failed (exit ${py.status}):\n${py.stderr}\n`);

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const wlEpoch = mean(wlSec);
const tEpoch = torch ? mean(torch.secPerEpoch) : NaN;
const wlCpuEpoch = mean(wlCpu), tCpuEpoch = torch ? mean(torch.cpuSecPerEpoch) : NaN;
const result = {
  bench: 'sentiment', quick, date: new Date().toISOString(), node: process.version, kernels: K.name, threads,
  loadAverage: { start: load0, end: loadavg() },
  note: 'shared 2-core machine: wall times depend on other jobs; CPU seconds (user+system of the process) are the steadier comparison',
  tokenizer: { reviews: reviews.length, chars, rows: tokRows },
  epoch: {
    model: { cell: cfg.cell, embeddingDim: cfg.embeddingDim, hiddenSize: cfg.hiddenSize, layers: cfg.layers, bidirectional: cfg.bidirectional, pooling: cfg.pooling,
      dropout: cfg.dropout, batchSize: cfg.batchSize, lr: cfg.lr, clip: cfg.clip, vocab: data.vocab.size, params: model.paramCount() },
    data: { sentences: data.train.ids.length, tokens, batches: batches.length, paddedSteps: batches.reduce((a, b) => a + b.steps * b.batch, 0) },
    epochs,
    wordloom: { secPerEpoch: wlSec, cpuSecPerEpoch: wlCpu, tokensPerSecond: tokens / wlEpoch, devAccuracy: wlDev },
    pytorch: torch ? { version: torch.version, threads: torch.threads, secPerEpoch: torch.secPerEpoch, cpuSecPerEpoch: torch.cpuSecPerEpoch, tokensPerSecond: tokens / tEpoch, devAccuracy: torch.devAccuracy } : null,
    ratioWordloomOverPytorch: torch ? wlEpoch / tEpoch : null,
    cpuRatioWordloomOverPytorch: torch ? wlCpuEpoch / tCpuEpoch : null,
  },
};
mkdirSync('bench/results', { recursive: true });
writeFileSync('bench/results/sentiment.json', JSON.stringify(result, null, 2) + '\n');

console.log(`tokenizer on ${reviews.length} IMDB reviews (${(chars / 1e6).toFixed(1)} M chars):`);
for (const r of tokRows) console.log(`  ${r.mode.padEnd(40)} ${(r.tokensPerSecond / 1e6).toFixed(2)} M tokens/s wall, ${(r.tokensPerCpuSecond / 1e6).toFixed(2)} M tokens/CPU-s  (${r.mbPerSecond.toFixed(1)} M chars/s)`);
console.log(`\nSST-5 epoch (${data.train.ids.length} sentences, ${tokens} tokens, ${batches.length} batches of ${cfg.batchSize}; ${cfg.cell.toUpperCase()} ${cfg.hiddenSize}, emb ${cfg.embeddingDim}, ${threads} thread(s), kernels ${K.name}):`);
console.log(`  ${'impl'.padEnd(22)}${'s/epoch'.padStart(10)}${'CPU s/epoch'.padStart(13)}${'tokens/s'.padStart(12)}${'dev acc'.padStart(10)}`);
console.log(`  ${'wordloom'.padEnd(22)}${wlEpoch.toFixed(2).padStart(10)}${wlCpuEpoch.toFixed(2).padStart(13)}${Math.round(tokens / wlEpoch).toString().padStart(12)}${(100 * wlDev[wlDev.length - 1]).toFixed(2).padStart(10)}`);
if (torch) console.log(`  ${('pytorch ' + torch.version).padEnd(22)}${tEpoch.toFixed(2).padStart(10)}${tCpuEpoch.toFixed(2).padStart(13)}${Math.round(tokens / tEpoch).toString().padStart(12)}${(100 * torch.devAccuracy[torch.devAccuracy.length - 1]).toFixed(2).padStart(10)}`);
if (torch) console.log(`  ratio wordloom / pytorch per epoch: wall ${(wlEpoch / tEpoch).toFixed(2)}, CPU ${(wlCpuEpoch / tCpuEpoch).toFixed(2)} (< 1 = wordloom faster); load average ${loadavg()[0].toFixed(1)}`);
console.log('wrote bench/results/sentiment.json');
