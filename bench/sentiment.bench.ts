/**
 * Sentiment benchmark (issue #3): time per training epoch of the SST-5 classifier and of the IMDB review model
 * (REVIEW_DEFAULTS: BiLSTM, max pooling, head+tail truncation to 400 tokens) in wordloom vs the same model in
 * PyTorch (bench/peers/sentiment_torch.py: same padded batches, same hyperparameters, same thread count), plus the
 * tokenizer's throughput (tokens/s) on IMDB reviews. Writes bench/results/sentiment.json.
 * IMDB: `--imdb-reviews N` reviews per epoch (default 2,000), `--imdb-only` / `--sst-only` run one case.
 *
 * Run ONLY under the bench lock:  flock /tmp/wordloom-bench.lock node --import tsx bench/sentiment.bench.ts [--quick]
 * Default: 2 epochs on all 8,544 SST training sentences (≈ 4–6 min on a shared 2-core machine) and 1 epoch on
 * 2,000 IMDB reviews (PyTorch dense: its packed LSTM backward is 5–10× slower on long reviews); --quick: 1 epoch on
 * 25% of the SST sentences and on 1,000 IMDB reviews.
 */
import { mkdirSync, writeFileSync, readFileSync, mkdtempSync, rmSync, existsSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { join } from 'node:path';
import { tmpdir, loadavg } from 'node:os';
import { spawnSync } from 'node:child_process';
import { K, getThreads } from '../src/kernels/index.ts';
import { Tokenizer } from '../src/text/tokenizer.ts';
import { makeBatches, type PaddedBatch } from '../src/text/encoding.ts';
import { Rng } from '../src/util/rng.ts';
import { resolveConfig, REVIEW_DEFAULTS, type SentimentConfig } from '../src/tasks/sentiment/config.ts';
import { prepareData, loadData, loadPretrained, type PreparedData } from '../src/tasks/sentiment/train-node.ts';
import type { DatasetSplits } from '../src/text/datasets-node.ts';
import type { WordVectors } from '../src/embeddings/word-vectors.ts';
import { SentimentClassifier } from '../src/tasks/sentiment/model.ts';
import { createTrainer, trainBatches, evaluate, truncateAll } from '../src/tasks/sentiment/train.ts';

const quick = process.argv.includes('--quick');
const epochs = quick ? 1 : 2;
const fraction = quick ? 0.25 : 1;
const argAfter = (flag: string) => { const i = process.argv.indexOf(flag); return i >= 0 ? process.argv[i + 1] : undefined; };
/** IMDB reviews of the timed epoch (default 2,000; 1,000 with --quick); --imdb-reviews N to change. */
const imdbReviews = Number(argAfter('--imdb-reviews') ?? (quick ? 1000 : 2000));
const imdbOnly = process.argv.includes('--imdb-only');
const sstOnly = process.argv.includes('--sst-only');
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
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

/** Train `epochs` epochs on the same batches in wordloom and in the PyTorch peer; rows for the report. */
function compareEpochs(cfg: SentimentConfig, data: PreparedData, trainIds: Int32Array[], vectors: WordVectors | null, tag: string, epochs: number, pack = true) {
  const model = new SentimentClassifier(cfg, data.vocab, data.labels.names, cfg.tokenizer);
  model.initialize(new Rng(cfg.seed), { pretrained: vectors });
  const trainer = createTrainer(model, cfg);
  const batches = makeBatches(trainIds, data.train.labels, { batchSize: cfg.batchSize, shuffle: true, bucket: cfg.bucket }, new Rng(cfg.seed));
  const devBatches = makeBatches(data.dev.ids, data.dev.labels, { batchSize: 100 });
  const tokens = trainIds.reduce((a, s) => a + s.length, 0);
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
    config: { ...cfg, embeddingDropout: true, pack }, vocabSize: data.vocab.size, numClasses: cfg.numClasses,
    train: batches.map(batchJson), dev: devBatches.map(batchJson),
  }));
  const py = spawnSync('/usr/bin/python3', ['bench/peers/sentiment_torch.py', '--data', exportPath, '--epochs', String(epochs), '--threads', String(threads)], { encoding: 'utf8', maxBuffer: 1 << 26 });
  rmSync(dir, { recursive: true, force: true });
  let torch: { version: string; threads: number; secPerEpoch: number[]; cpuSecPerEpoch: number[]; devAccuracy: number[] } | null = null;
  if (py.status === 0) torch = JSON.parse(py.stdout.trim().split('\n').pop()!);
  else process.stderr.write(`PyTorch peer failed (exit ${py.status}):\n${py.stderr}\n`);
  const wlEpoch = mean(wlSec), tEpoch = torch ? mean(torch.secPerEpoch) : NaN;
  const wlCpuEpoch = mean(wlCpu), tCpuEpoch = torch ? mean(torch.cpuSecPerEpoch) : NaN;
  const row = {
    model: { cell: cfg.cell, embeddingDim: cfg.embeddingDim, hiddenSize: cfg.hiddenSize, layers: cfg.layers, bidirectional: cfg.bidirectional, pooling: cfg.pooling,
      dropout: cfg.dropout, batchSize: cfg.batchSize, lr: cfg.lr, clip: cfg.clip, maxLength: cfg.maxLength, truncate: cfg.truncate, vocab: data.vocab.size, params: model.paramCount() },
    data: { examples: trainIds.length, tokens, batches: batches.length, paddedSteps: batches.reduce((a, b) => a + b.steps * b.batch, 0) },
    epochs,
    wordloom: { secPerEpoch: wlSec, cpuSecPerEpoch: wlCpu, tokensPerSecond: tokens / wlEpoch, devAccuracy: wlDev },
    pytorch: torch ? { version: torch.version, threads: torch.threads, secPerEpoch: torch.secPerEpoch, cpuSecPerEpoch: torch.cpuSecPerEpoch, tokensPerSecond: tokens / tEpoch, devAccuracy: torch.devAccuracy } : null,
    pytorchPacked: pack,
    ratioWordloomOverPytorch: torch ? wlEpoch / tEpoch : null,
    cpuRatioWordloomOverPytorch: torch ? wlCpuEpoch / tCpuEpoch : null,
  };
  console.log(`\n${tag} (${trainIds.length} examples, ${tokens} tokens, ${batches.length} batches of ${cfg.batchSize}; ${cfg.bidirectional ? 'Bi' : ''}${cfg.cell.toUpperCase()} ${cfg.hiddenSize}, ${cfg.pooling} pooling, emb ${cfg.embeddingDim}, ${threads} thread(s), kernels ${K.name}):`);
  console.log(`  ${'impl'.padEnd(22)}${'s/epoch'.padStart(10)}${'CPU s/epoch'.padStart(13)}${'tokens/s'.padStart(12)}${'dev acc'.padStart(10)}`);
  console.log(`  ${'wordloom'.padEnd(22)}${wlEpoch.toFixed(2).padStart(10)}${wlCpuEpoch.toFixed(2).padStart(13)}${Math.round(tokens / wlEpoch).toString().padStart(12)}${(100 * wlDev[wlDev.length - 1]).toFixed(2).padStart(10)}`);
  if (torch) console.log(`  ${('pytorch ' + torch.version).padEnd(22)}${tEpoch.toFixed(2).padStart(10)}${tCpuEpoch.toFixed(2).padStart(13)}${Math.round(tokens / tEpoch).toString().padStart(12)}${(100 * torch.devAccuracy[torch.devAccuracy.length - 1]).toFixed(2).padStart(10)}`);
  if (torch) console.log(`  ratio wordloom / pytorch per epoch: wall ${(wlEpoch / tEpoch).toFixed(2)}, CPU ${(wlCpuEpoch / tCpuEpoch).toFixed(2)} (< 1 = wordloom faster); load average ${loadavg()[0].toFixed(1)}`);
  return row;
}

let sstRow: ReturnType<typeof compareEpochs> | null = null;
if (!imdbOnly) {
  const cfg = resolveConfig({ phrases: false, epochs });
  const splits = loadData({ data: 'data/sst' }, cfg);
  const data = prepareData(splits, cfg, { trainFraction: fraction });
  const vectors = loadPretrained(cfg);
  if (vectors) cfg.embeddingDim = vectors.dim;
  sstRow = compareEpochs(cfg, data, data.train.ids, vectors, 'SST-5 epoch', epochs);
}

// IMDB: the review model (REVIEW_DEFAULTS) on whole reviews, truncated head+tail as in training. Labelled reviews
// from data/imdb/train.jsonl.gz when present; otherwise the bundled unlabelled reviews with seeded random labels
// (the time of an epoch does not depend on the labels; the dev accuracy is then meaningless, ~50%).
let imdbRow: ReturnType<typeof compareEpochs> | null = null;
if (!sstOnly) {
  const labelled = existsSync('data/imdb/train.jsonl.gz');
  const n = imdbReviews, nDev = 500;
  let texts: Array<{ text: string; label: string }>;
  if (labelled) {
    const lines = gunzipSync(readFileSync('data/imdb/train.jsonl.gz')).toString('utf8').split('\n').filter((l) => l.trim());
    new Rng(5).shuffle(lines);
    texts = lines.slice(0, n + nDev).map((l) => { const o = JSON.parse(l) as { text: string; label: string }; return { text: o.text, label: o.label }; });
  } else {
    const lab = new Rng(5);
    texts = raw.split('\n').filter((l) => l.trim()).slice(0, n + nDev).map((text) => ({ text, label: lab.uniform() < 0.5 ? 'neg' : 'pos' }));
  }
  const toLT = (xs: typeof texts, file: string) => xs.map((x, i) => ({ text: x.text, label: x.label, file, line: i + 1 }));
  const src = labelled ? 'data/imdb/train.jsonl.gz' : 'data/corpus/imdb_unsup.txt.gz';
  const splits: DatasetSplits = { train: toLT(texts.slice(0, n), src), dev: toLT(texts.slice(n), src), test: [], sources: { train: src, dev: src, test: '' } };
  const cfg = resolveConfig({ ...REVIEW_DEFAULTS, embeddingInit: 'random', epochs: 1 });
  const data = prepareData(splits, cfg, {});
  const trainIds = truncateAll(data.train.ids, cfg.maxLength, cfg.truncate);
  imdbRow = compareEpochs(cfg, data, trainIds, null, `IMDB epoch, ${labelled ? 'labelled train reviews' : 'unlabelled reviews with random labels (timing only)'}`, 1, false);
  (imdbRow as Record<string, unknown>).source = src;
}

// A run of one case keeps the other case's last result (and says when it was measured).
let previous: { date?: string; epoch?: unknown; imdb?: unknown; epochDate?: string; imdbDate?: string } = {};
try { previous = JSON.parse(readFileSync('bench/results/sentiment.json', 'utf8')); } catch { /* first run */ }
const now = new Date().toISOString();
const result = {
  bench: 'sentiment', quick, date: now, node: process.version, kernels: K.name, threads,
  loadAverage: { start: load0, end: loadavg() },
  note: 'shared 2-core machine: wall times depend on other jobs; CPU seconds (user+system of the process) are the steadier comparison',
  tokenizer: { reviews: reviews.length, chars, rows: tokRows },
  epoch: sstRow ?? previous.epoch ?? null,
  epochDate: sstRow ? now : previous.epochDate ?? previous.date ?? null,
  imdb: imdbRow ?? previous.imdb ?? null,
  imdbDate: imdbRow ? now : previous.imdbDate ?? null,
};
mkdirSync('bench/results', { recursive: true });
writeFileSync('bench/results/sentiment.json', JSON.stringify(result, null, 2) + '\n');

console.log(`tokenizer on ${reviews.length} IMDB reviews (${(chars / 1e6).toFixed(1)} M chars):`);
for (const r of tokRows) console.log(`  ${r.mode.padEnd(40)} ${(r.tokensPerSecond / 1e6).toFixed(2)} M tokens/s wall, ${(r.tokensPerCpuSecond / 1e6).toFixed(2)} M tokens/CPU-s  (${r.mbPerSecond.toFixed(1)} M chars/s)`);
console.log('wrote bench/results/sentiment.json');
