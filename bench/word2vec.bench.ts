// word2vec benchmark: wordloom vs gensim 4.2 (the peer: /usr/bin/python3 bench/gensim_word2vec.py, which trains
// gensim with word2vec.c's settings and scores with the shared evaluator /work/shared/tools/run-gensim-baseline.py),
// skip-gram and CBOW with negative sampling, on the same pre-tokenized corpus (our tokenizer: lower-cased, no
// punctuation; both tools then split on spaces, so they see the same vocabulary), same settings (size 100,
// window 5, negative 5, sample 1e-3, min-count 5, alpha 0.025 skip-gram / 0.05 CBOW, alpha decayed linearly by
// words processed — see --gensim-decay), same thread count and seeds. Speed = in-vocabulary words trained per
// second of training (vocabulary pass excluded for both; end-to-end seconds are reported too). Quality = Google
// analogy accuracy (30,000 most frequent words) and WordSim-353 Spearman ρ by the same gensim evaluator on the
// vectors each tool wrote. Prints mean ± sd per cell, speed ratios and a markdown table; writes JSON.
//
//   flock /tmp/wordloom-bench.lock node --import tsx bench/word2vec.bench.ts [options]   (--help)
//
// Default corpus: the first 20,000 reviews of imdb_unsup + brown (≈5.7M tokens) from the corpus directory
// (--corpus-dir, else $WORDLOOM_CORPUS_DIR, else /work/shared/data/corpus), 1 epoch, seed 1, 1 and 2 threads.
// The machine may be shared: every run records the load average before it and its CPU seconds.
import { spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { once } from 'node:events';
import { join, isAbsolute, resolve } from 'node:path';
import { tmpdir, loadavg } from 'node:os';
import { Tokenizer } from '../src/text/tokenizer.ts';
import { readCorpusLines } from '../src/text/corpus-node.ts';

const HELP = `usage: flock /tmp/wordloom-bench.lock node --import tsx bench/word2vec.bench.ts [options]
  --corpus-dir DIR   where the default corpus files are (default: $WORDLOOM_CORPUS_DIR, else /work/shared/data/corpus)
  --corpus FILES     comma-separated corpus files instead of the default slice (imdb_unsup first 20,000 lines + brown);
                     FILE:N takes the first N lines of FILE; relative names are tried in the corpus dir; plain or gzip,
                     raw or pre-tokenized (everything goes through our tokenizer once, both tools read the result)
  --tokens N         stop after the line that reaches N tokens (default: no limit)
  --quick            brown only (≈1M tokens)
  --seeds LIST       seeds, e.g. 1,2,3; a single number N means 1..N (default 1)
  --threads LIST     thread counts (default 1,2)
  --arch LIST        skipgram,cbow (default both)
  --only a:t,...     cells to run, e.g. skipgram:1,cbow:2 (filters --arch × --threads)
  --epochs N         epochs (default 1)
  --tools LIST       gensim,wordloom (default both)
  --gensim-decay D   words (default: alpha decays by words processed, as word2vec.c and wordloom) or examples
                     (gensim's own default when it is given total_examples: by sentences processed)
  --wordloom-args S  extra word2vec flags for wordloom, space-separated (e.g. "--shared-negatives 0")
  --out FILE         results file (default bench/results/word2vec.json)
  --keep DIR         keep the corpus slice and all vector files in DIR
  --reuse-gensim F   comma-separated earlier results files: gensim runs there with the same corpus, token count, epochs,
                     decay, arch, threads and seed are taken from them instead of being run again (gensim is the fixed
                     peer; a full-scale skip-gram run takes ~6 min); each reused run records its source file and date`;

const args = process.argv.slice(2);
if (args.includes('--help') || args.includes('-h')) { console.log(HELP); process.exit(0); }
const argStr = (name: string) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : undefined; };
const argNum = (name: string, def: number) => { const v = argStr(name); if (v === undefined) return def; const n = Number(v); if (!Number.isFinite(n)) throw new Error(`${name}: expected a number, got ${v}`); return n; };
const list = (name: string, def: string) => (argStr(name) ?? def).split(',').map((s) => s.trim()).filter(Boolean);
const quick = args.includes('--quick');
const seedsArg = argStr('--seeds') ?? '1';
const seeds = seedsArg.includes(',') ? seedsArg.split(',').map(Number) : Array.from({ length: Number(seedsArg) }, (_, i) => i + 1);
const threadList = list('--threads', '1,2').map(Number);
const archList = list('--arch', 'skipgram,cbow') as ('skipgram' | 'cbow')[];
const tools = list('--tools', 'gensim,wordloom');
const epochs = argNum('--epochs', 1);
const maxTokens = argNum('--tokens', 0);
const only = argStr('--only')?.split(',');
const outFile = argStr('--out') ?? 'bench/results/word2vec.json';
const gensimDecay = argStr('--gensim-decay') ?? 'words';
if (!['words', 'examples'].includes(gensimDecay)) throw new Error(`--gensim-decay: words or examples, got ${gensimDecay}`);
const extraArgs = (argStr('--wordloom-args') ?? '').split(' ').filter(Boolean);
const corpusDir = argStr('--corpus-dir') ?? process.env.WORDLOOM_CORPUS_DIR ?? '/work/shared/data/corpus';
const keepDir = argStr('--keep');
const reuseFiles = list('--reuse-gensim', '');
for (const s of seeds) if (!Number.isInteger(s)) throw new Error(`--seeds: integers expected, got ${seedsArg}`);
const wanted = (arch: string, threads: number) => !only || only.includes(`${arch}:${threads}`);
const PY = '/usr/bin/python3';
const GENSIM = 'bench/gensim_word2vec.py';
const work = keepDir ?? join(tmpdir(), `wordloom-w2v-bench-${process.pid}`);
mkdirSync(work, { recursive: true });
if (!keepDir) process.on('exit', () => rmSync(work, { recursive: true, force: true }));

function corpusPath(f: string): string {
  if (isAbsolute(f) || existsSync(f)) return resolve(f);
  const p = join(corpusDir, f);
  if (!existsSync(p)) throw new Error(`corpus file ${f} not found (nor in the corpus dir ${corpusDir}; set --corpus-dir or WORDLOOM_CORPUS_DIR)`);
  return p;
}
const slices: [string, number][] = argStr('--corpus')
  ? argStr('--corpus')!.split(',').map((s) => { const m = /^(.*?)(?::(\d+))?$/.exec(s)!; return [corpusPath(m[1]), Number(m[2] ?? 0)]; })
  : quick ? [[corpusPath('brown.txt.gz'), 0]] : [[corpusPath('imdb_unsup.txt.gz'), 20000], [corpusPath('brown.txt.gz'), 0]];
const corpus = join(work, 'corpus.txt');
let corpusTokens = 0;
{
  const tok = new Tokenizer({ lowercase: true, punctuation: false });
  const out = createWriteStream(corpus);
  outer: for (const [file, maxLines] of slices) {
    let n = 0;
    for await (const { line } of readCorpusLines(file)) {
      if (maxLines && n++ >= maxLines) break;
      const w = tok.tokenize(line);
      if (!w.length) continue;
      corpusTokens += w.length;
      if (!out.write(w.join(' ') + '\n')) await once(out, 'drain');
      if (maxTokens && corpusTokens >= maxTokens) break outer;
    }
  }
  out.end();
  await once(out, 'close');
}
const sliceDesc = slices.map(([f, n]) => `${f}${n ? ` (first ${n} lines)` : ''}`).join(' + ') + (maxTokens ? `, first ${maxTokens} tokens` : '');
console.error(`corpus: ${sliceDesc}: ${corpusTokens} tokens`);

interface Quality { analogy: number; analogySeen: number; ws353: number }
function lastResult(stdout: string): Record<string, any> {
  const line = stdout.split('\n').find((l) => l.startsWith('RESULT '));
  if (!line) throw new Error(`no RESULT line in:\n${stdout.slice(-2000)}`);
  return JSON.parse(line.slice(7));
}
function evaluate(vectors: string): Quality {
  const r = spawnSync(PY, ['/work/shared/tools/run-gensim-baseline.py', 'eval', vectors], { encoding: 'utf8', maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`gensim eval failed: ${r.stderr}`);
  const j = lastResult(r.stdout);
  return { analogy: j.analogy_acc, analogySeen: j.analogy_seen, ws353: j.ws353_spearman };
}

interface Cell {
  tool: string; arch: string; threads: number; seed: number; wordsPerSec: number; trainS: number; trainCpuS: number;
  totalS: number; wallS: number; load1: number; vocab: number; quality: Quality;
  /** Set when the run was taken from an earlier results file (--reuse-gensim): that file and its date. */
  reusedFrom?: string;
}
const cells: Cell[] = [];
// Earlier gensim runs of exactly this configuration (--reuse-gensim).
const reusable: Cell[] = [];
for (const f of reuseFiles) {
  const j = JSON.parse(readFileSync(f, 'utf8'));
  const same = j.bench === 'word2vec' && j.corpus === sliceDesc && j.corpusTokens === corpusTokens && j.epochs === epochs &&
    (j.settings?.gensimDecay ?? 'words') === gensimDecay;
  if (!same) throw new Error(`--reuse-gensim ${f}: different configuration (${j.corpus}, ${j.corpusTokens} tokens, ${j.epochs} epochs)`);
  for (const c of j.cells as Cell[]) if (c.tool === 'gensim') reusable.push({ ...c, reusedFrom: c.reusedFrom ?? `${f} (${j.date})` });
}

for (const arch of archList) {
  for (const threads of threadList) {
    if (!wanted(arch, threads)) continue;
    for (const seed of seeds) {
      const done: Cell[] = [];
      const reused = reusable.find((c) => c.arch === arch && c.threads === threads && c.seed === seed);
      if (tools.includes('gensim') && reused) done.push(reused);
      else if (tools.includes('gensim')) {
        const gv = join(work, `gensim-${arch}-${threads}-${seed}.txt`);
        const load1 = loadavg()[0], t0 = performance.now();
        const g = spawnSync(PY, [GENSIM, corpus, ...(arch === 'cbow' ? ['--cbow'] : []), '--workers', String(threads),
          '--iter', String(epochs), '--seed', String(seed), '--decay', gensimDecay, '--save', gv], { encoding: 'utf8', maxBuffer: 1 << 26 });
        const wallS = (performance.now() - t0) / 1000;
        if (g.status !== 0) throw new Error(`gensim failed: ${g.stderr.slice(-2000)}`);
        const gj = lastResult(g.stdout);
        done.push({
          tool: 'gensim', arch, threads, seed, wordsPerSec: gj.in_vocab_words_per_s, trainS: gj.train_s, trainCpuS: gj.train_cpu_s,
          totalS: gj.build_vocab_s + gj.train_s, wallS, load1, vocab: gj.vocab_size,
          quality: { analogy: gj.analogy_acc, analogySeen: gj.analogy_seen, ws353: gj.ws353_spearman },
        });
      }
      if (tools.includes('wordloom')) {
        const wv = join(work, `wordloom-${arch}-${threads}-${seed}.txt`);
        const load1 = loadavg()[0], t0 = performance.now();
        const w = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'word2vec', '--train', corpus, '--output', wv,
          '--cbow', arch === 'cbow' ? '1' : '0', '--threads', String(threads), '--iter', String(epochs), '--seed', String(seed),
          '--json', '--quiet', '--force', ...extraArgs], { encoding: 'utf8', maxBuffer: 1 << 26 });
        const wallS = (performance.now() - t0) / 1000;
        if (w.status !== 0) throw new Error(`wordloom failed: ${w.stderr.slice(-2000)}`);
        const wj = JSON.parse(w.stdout);
        done.push({
          tool: 'wordloom', arch, threads, seed, wordsPerSec: wj.wordsPerSecond, trainS: wj.trainSeconds, trainCpuS: wj.trainCpuSeconds,
          totalS: wj.vocabSeconds + wj.trainSeconds, wallS, load1, vocab: wj.vocabSize, quality: evaluate(wv),
        });
      }
      cells.push(...done);
      console.error(`${arch} threads=${threads} seed=${seed}: ` + done.map((c) => `${c.tool} ${Math.round(c.wordsPerSec)} w/s ` +
        `(cpu ${(c.trainCpuS / c.trainS).toFixed(2)}, load ${c.load1.toFixed(1)}${c.reusedFrom ? ', reused' : ''}) analogy ${(100 * c.quality.analogy).toFixed(2)}% ρ ${c.quality.ws353.toFixed(3)}`).join(' | '));
    }
  }
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const sd = (xs: number[]) => { const m = mean(xs); return xs.length > 1 ? Math.sqrt(xs.reduce((a, x) => a + (x - m) ** 2, 0) / (xs.length - 1)) : 0; };
const ms = (xs: number[], f: (x: number) => string) => (xs.length ? f(mean(xs)) + (xs.length > 1 ? ` ± ${f(sd(xs))}` : '') : '—');
const int = (x: number) => Math.round(x).toLocaleString('en-US');
const rows: Record<string, unknown>[] = [];
const md: string[] = [
  `| arch | threads | tool | words/s | analogy % | WordSim ρ | train s | end-to-end s | speed ratio |`,
  `| --- | --- | --- | --- | --- | --- | --- | --- | --- |`,
];
for (const arch of archList) {
  for (const threads of threadList) {
    if (!wanted(arch, threads)) continue;
    const pick = (tool: string) => cells.filter((c) => c.tool === tool && c.arch === arch && c.threads === threads);
    const g = pick('gensim'), w = pick('wordloom');
    const ratio = g.length && w.length ? mean(w.map((c) => c.wordsPerSec)) / mean(g.map((c) => c.wordsPerSec)) : NaN;
    const stat = (cs: Cell[]) => cs.length ? {
      n: cs.length,
      wordsPerSec: { mean: mean(cs.map((c) => c.wordsPerSec)), sd: sd(cs.map((c) => c.wordsPerSec)) },
      analogy: { mean: mean(cs.map((c) => c.quality.analogy)), sd: sd(cs.map((c) => c.quality.analogy)) },
      ws353: { mean: mean(cs.map((c) => c.quality.ws353)), sd: sd(cs.map((c) => c.quality.ws353)) },
      trainS: mean(cs.map((c) => c.trainS)), endToEndS: mean(cs.map((c) => c.totalS)),
      cpuPerWall: mean(cs.map((c) => c.trainCpuS / c.trainS)),
    } : null;
    rows.push({ arch, threads, speedRatio: ratio, gensim: stat(g), wordloom: stat(w) });
    for (const [tool, cs] of [['gensim', g], ['wordloom', w]] as [string, Cell[]][]) {
      if (!cs.length) continue;
      md.push(`| ${arch} | ${threads} | ${tool} | ${ms(cs.map((c) => c.wordsPerSec), int)} | ${ms(cs.map((c) => 100 * c.quality.analogy), (x) => x.toFixed(2))} | ` +
        `${ms(cs.map((c) => c.quality.ws353), (x) => x.toFixed(3))} | ${mean(cs.map((c) => c.trainS)).toFixed(1)} | ${mean(cs.map((c) => c.totalS)).toFixed(1)} | ` +
        `${tool === 'wordloom' && Number.isFinite(ratio) ? ratio.toFixed(2) + '×' : ''} |`);
    }
  }
}
console.log(`\nword2vec: ${sliceDesc} (${corpusTokens} tokens), ${epochs} epoch(s), size 100, window 5, negative 5, sample 1e-3, ` +
  `min-count 5, alpha 0.025 sg / 0.05 cbow decayed by ${gensimDecay === 'words' ? 'words (both tools)' : 'words (wordloom) / sentences (gensim)'}; ` +
  `seeds ${seeds.join(',')}; mean ± sd over seeds${extraArgs.length ? `; wordloom ${extraArgs.join(' ')}` : ''}\n`);
console.log(md.join('\n'));
mkdirSync('bench/results', { recursive: true });
writeFileSync(outFile, JSON.stringify({
  bench: 'word2vec', date: new Date().toISOString(), corpus: sliceDesc, corpusTokens, epochs, seeds,
  settings: { size: 100, window: 5, negative: 5, sample: 1e-3, minCount: 5, alpha: 'C defaults (0.025 sg, 0.05 cbow)', gensimDecay },
  speedUnit: 'in-vocabulary words trained per second of training (vocabulary pass excluded for both tools)',
  quality: 'gensim KeyedVectors evaluator (run-gensim-baseline.py): Google analogy at 30,000 words, WordSim-353 Spearman',
  wordloomArgs: extraArgs,
  peer: 'gensim 4.2 (Debian python3-gensim), LineSentence iterable mode, bench/gensim_word2vec.py',
  rows, markdown: md.join('\n'), cells,
}, null, 2) + '\n');
console.log(`\nwrote ${outFile}`);
