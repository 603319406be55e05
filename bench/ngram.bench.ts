/**
 * n-gram model benchmark: wordloom's fastText supervised model vs the fastText binary (Debian's fasttext 0.9.2) on the
 * same data with the same flags. IMDB (data/imdb) is tokenized once with wordloom's Tokenizer and written as
 * fastText `__label__<class> tok tok …` lines (train shuffled with a seed, since the file is sorted by label), so both
 * tools see identical tokens and — with identical hashing — identical features. Both then read that file: wordloom
 * (split on spaces, dictionary, features, SGD) and `fasttext supervised`; accuracy on the official test set comes from
 * each tool's own predictions (`fasttext test` precision@1 = accuracy for one label per line). Times are wall seconds
 * of the whole training command (reading the file included) and of the SGD passes alone (wordloom); tokens/s =
 * epochs × tokens per pass / SGD seconds. CPU seconds (wordloom: process.cpuUsage of all its threads; fastText: bash
 * `times` of the child) are given too: on a shared machine they move much less with the load than wall time. For two classes a last row trains wordloom with NB-scaled features (--nb, the
 * sentiment command's default; not a fastText feature) on one thread.
 *
 * Run ONLY under the bench lock:
 *   flock /tmp/wordloom-bench.lock node --import tsx bench/ngram.bench.ts [--target polarity|stars5|stars10] [--threads 1,2]
 *     [--dim 10 --word-ngrams 2 --lr 0.5 --epochs 10 --bucket 2000000] [--quick]
 * Writes bench/results/ngram-<target>.json. --quick: 5,000 training reviews.
 */
import { mkdirSync, writeFileSync, readFileSync, mkdtempSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir, loadavg, cpus } from 'node:os';
import { spawnSync } from 'node:child_process';
import { readLabelledFile } from '../src/text/datasets-node.ts';
import { Tokenizer } from '../src/text/tokenizer.ts';
import { parseTarget } from '../src/text/targets.ts';
import { Rng } from '../src/util/rng.ts';
import { resolveFastTextArgs } from '../src/embeddings/fasttext/args.ts';
import { FastTextDictionary } from '../src/embeddings/fasttext/dictionary.ts';
import { packExamples } from '../src/embeddings/fasttext/train.ts';
import { trainFastText } from '../src/embeddings/fasttext/train-node.ts';
import { targetLabelSet } from '../src/tasks/sentiment/ngram-node.ts';

/** CPU seconds (user + system) of this process, all its threads. */
const cpuSeconds = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1e6; };

const argv = process.argv.slice(2);
const opt = (name: string, def: string) => { const i = argv.indexOf(name); return i >= 0 ? argv[i + 1] : def; };
const quick = argv.includes('--quick');
const target = parseTarget(opt('--target', 'polarity'));
const threadList = opt('--threads', '1,2').split(',').map(Number);
const flags = { dim: +opt('--dim', '10'), wordNgrams: +opt('--word-ngrams', '2'), lr: +opt('--lr', '0.5'), epochs: +opt('--epochs', '10'), bucket: +opt('--bucket', '2000000'), minCount: 1 };
const FT = process.env.FASTTEXT ?? '/usr/bin/fasttext';

// ---------------------------------------------------------------- data → __label__ files
const tok = new Tokenizer();
let train = readLabelledFile('data/imdb/train.jsonl.gz', { target });
const test = readLabelledFile('data/imdb/test.jsonl.gz', { target });
new Rng(1).shuffle(train);
if (quick) train = train.slice(0, 5000);
const labels = targetLabelSet(target, train);
const dir = mkdtempSync(join(tmpdir(), 'wl-ngram-bench-'));
const toLines = (xs: typeof train) => xs.map((e) => `__label__${e.label} ${tok.tokenize(e.text).join(' ')}`.trimEnd()).join('\n') + '\n';
const trainFile = join(dir, 'train.txt'), testFile = join(dir, 'test.txt');
writeFileSync(trainFile, toLines(train));
writeFileSync(testFile, toLines(test));
console.error(`data: ${train.length} train / ${test.length} test reviews, target ${target}, files in ${dir}`);

// ---------------------------------------------------------------- wordloom from the same file
function readLabelLines(path: string): { labels: string[]; tokens: string[][] } {
  const out = { labels: [] as string[], tokens: [] as string[][] };
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (!line) continue;
    const parts = line.split(' ');
    out.labels.push(parts[0].slice('__label__'.length));
    out.tokens.push(parts.slice(1));
  }
  return out;
}

async function runWordloom(threads: number, nb = false) {
  const t0 = performance.now(), c0 = cpuSeconds();
  const tr = readLabelLines(trainFile);
  const args = resolveFastTextArgs({ ...flags, threads, seed: 1, nb });
  const dict = FastTextDictionary.build(tr.tokens, args.minCount);
  const idx = new Map(labels.map((l, i) => [l, i]));
  const ex = packExamples(tr.tokens.map((t) => dict.features(t, args.wordNgrams, args.bucket).ids), tr.labels.map((l) => idx.get(l)!), tr.tokens.map((t) => t.length + 2));
  const c1 = cpuSeconds();
  const run = await trainFastText(ex, dict, labels, args);
  const totalSeconds = (performance.now() - t0) / 1000, c2 = cpuSeconds();
  const te = readLabelLines(testFile);
  let correct = 0;
  te.tokens.forEach((t, i) => {
    const p = run.model.predictFeatures(run.model.features(t).ids);
    let k = 0;
    for (let j = 1; j < p.length; j++) if (p[j] > p[k]) k = j;
    if (labels[k] === te.labels[i]) correct++;
  });
  return { tool: nb ? 'wordloom --nb' : 'wordloom', threads, accuracy: correct / te.labels.length, totalSeconds, totalCpuSeconds: c2 - c0, sgdSeconds: run.seconds, sgdCpuSeconds: c2 - c1,
    tokensPerSecond: run.tokens / run.seconds, tokensPerCpuSecond: run.tokens / (c2 - c1) };
}

function runFastText(threads: number) {
  const model = join(dir, `ft-${threads}`);
  const cmd = [FT, 'supervised', '-input', trainFile, '-output', model, '-dim', String(flags.dim), '-wordNgrams', String(flags.wordNgrams), '-lr', String(flags.lr),
    '-epoch', String(flags.epochs), '-bucket', String(flags.bucket), '-minCount', '1', '-thread', String(threads), '-verbose', '0'];
  const t0 = performance.now();
  // bash's `times` prints the children's user and system CPU time after the command.
  const r = spawnSync('bash', ['-c', `${cmd.map((a) => `'${a}'`).join(' ')} && times`], { encoding: 'utf8' });
  const totalSeconds = (performance.now() - t0) / 1000;
  if (r.status !== 0) throw new Error(`fasttext failed: ${r.stderr}`);
  const tl = r.stdout.trim().split('\n').at(-1)!.split(/\s+/).map((x) => { const m = /(\d+)m([\d.]+)s/.exec(x); return m ? 60 * Number(m[1]) + Number(m[2]) : NaN; });
  const totalCpuSeconds = tl[0] + tl[1];
  const t = spawnSync(FT, ['test', model + '.bin', testFile], { encoding: 'utf8' });
  const m = /P@1\s+([\d.]+)/.exec(t.stdout);
  return { tool: 'fasttext', threads, accuracy: m ? Number(m[1]) : NaN, totalSeconds, totalCpuSeconds, command: cmd.join(' ') };
}

const rows: Record<string, unknown>[] = [];
for (const th of threadList) {
  rows.push(await runWordloom(th));
  console.error(JSON.stringify(rows.at(-1)));
  if (existsSync(FT)) { rows.push(runFastText(th)); console.error(JSON.stringify(rows.at(-1))); }
}
if (labels.length === 2) { rows.push(await runWordloom(1, true)); console.error(JSON.stringify(rows.at(-1))); }
console.log(`IMDB ${target}: ${train.length} train reviews, official test (${test.length}); dim ${flags.dim}, wordNgrams ${flags.wordNgrams}, lr ${flags.lr}, epochs ${flags.epochs}, bucket ${flags.bucket}`);
console.log('tool           threads  accuracy  total s  total CPU s   SGD s  SGD CPU s   tokens/s  tokens/CPU s');
const f = (x: unknown, w: number) => (typeof x === 'number' ? (x >= 1e4 ? String(Math.round(x)) : x.toFixed(2)) : '-').padStart(w);
for (const r of rows) {
  console.log(`${String(r.tool).padEnd(14)} ${String(r.threads).padStart(7)}  ${(100 * (r.accuracy as number)).toFixed(2).padStart(7)}% ${f(r.totalSeconds, 8)} ${f(r.totalCpuSeconds, 12)} ${f(r.sgdSeconds, 7)} ${f(r.sgdCpuSeconds, 10)} ${f(r.tokensPerSecond, 10)} ${f(r.tokensPerCpuSecond, 13)}`);
}
mkdirSync('bench/results', { recursive: true });
const outFile = `bench/results/ngram-${target}${quick ? '-quick' : ''}.json`;
writeFileSync(outFile, JSON.stringify({ time: new Date().toISOString(), target, flags, trainReviews: train.length, testReviews: test.length, cpu: cpus()[0]?.model, loadavg: loadavg(), rows }, null, 1) + '\n');
console.log(`wrote ${outFile}`);
