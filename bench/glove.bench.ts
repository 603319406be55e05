// GloVe benchmark: the whole `wordloom glove` pipeline (vocabulary → co-occurrence counting with the
// --memory budget → seeded shuffle → AdaGrad training) with the reference settings of issue #6
// (--window-size 10 --vector-size 100 --iter 15 --x-max 10 --threads 2 --min-count 5), each run a child
// process of the CLI so its peak memory (maxRSS) is its own. Records the time of every stage, the
// per-iteration cost, peak memory, and quality: Google analogy accuracy at 30,000 words (3CosAdd) and
// WordSim-353 Spearman ρ, both from the vectors helper's evaluator (src/embeddings). Writes
// bench/results/glove.json and prints a table.
//
//   flock /tmp/wordloom-bench.lock node --import tsx bench/glove.bench.ts [--quick] [--corpus a.txt.gz,b.txt.gz]
//
// The full-size corpus is not shipped with the repo (it is ~100 MB gzipped): pass its files with --corpus, or
// set WORDLOOM_CORPUS_DIR to a folder holding imdb_unsup.txt.gz and gutenberg.txt.gz (default: the team's
// /work/shared/data/corpus). --quick uses the bundled data/corpus files.
//
// Default (~5–8 min on 2 quiet cores): imdb_unsup + gutenberg (~39M tokens), --memory 1 (spills sorted
// runs), then the counting stages alone (--iter 0) with --memory 4 for the memory/time trade-off.
// --quick (≤ 1.5 min): brown + moby_dick (~1.4M tokens), --memory 0.05 (spills) and --memory 4.
// Peer: Stanford's GloVe C tool is not installable here (no source download), so there is no
// side-by-side C run; the word2vec benchmark (bench/word2vec.bench.ts) has the gensim figures.
// The machine is shared by several jobs: timings are indicative.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir, cpus } from 'node:os';
import { loadVectors, evaluateAnalogiesFile, evaluateWordPairsFile } from '../src/embeddings/index.ts';

const quick = process.argv.includes('--quick');
const corpusFlag = process.argv.indexOf('--corpus');
const corpusDir = process.env.WORDLOOM_CORPUS_DIR ?? '/work/shared/data/corpus';
const big = [join(corpusDir, 'imdb_unsup.txt.gz'), join(corpusDir, 'gutenberg.txt.gz')];
const corpus = corpusFlag >= 0 ? (process.argv[corpusFlag + 1] ?? '').split(',').filter(Boolean)
  : quick ? ['data/corpus/brown.txt.gz', 'data/corpus/moby_dick.txt.gz'] : big;
if (corpus.length === 0) { console.error('--corpus needs a comma-separated list of files'); process.exit(2); }
for (const f of corpus) {
  if (!existsSync(f)) {
    console.error(`missing corpus file ${f}: pass --corpus <files> or set WORDLOOM_CORPUS_DIR (see the header of bench/glove.bench.ts)`);
    process.exit(1);
  }
}
const work = join(tmpdir(), `wordloom-glove-bench-${process.pid}`);
mkdirSync(work, { recursive: true });
process.on('exit', () => rmSync(work, { recursive: true, force: true }));

const SETTINGS = ['--window-size', '10', '--vector-size', '100', '--iter', '15', '--x-max', '10', '--threads', '2', '--min-count', '5'];

interface RunSummary {
  label: string; memoryGB: number; iter: number; wallSeconds: number; cpuSeconds: number; seconds: Record<string, number>; cpuSecondsByStage: Record<string, number>; maxRSSMB: number;
  costs: number[]; words: number; stats: Record<string, number>; quality?: { analogy: number; analogySeen: number; analogyQuestions: number; semantic: number | null; syntactic: number | null; ws353: number; ws353Pairs: number };
}

function run(label: string, memoryGB: number, iter: number, evaluate: boolean): RunSummary {
  const out = join(work, `${label}.txt`);
  const args = ['--import', 'tsx', 'src/cli/main.ts', 'glove', '--train', corpus.join(','), '--output', out, ...SETTINGS,
    '--iter', String(iter), '--memory', String(memoryGB), '--temp-dir', work, '--json', '--force'];
  const t0 = performance.now();
  const r = spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 64 << 20 });
  const wall = (performance.now() - t0) / 1000;
  if (r.status !== 0) { console.error(r.stderr); throw new Error(`${label}: exit ${r.status}`); }
  const j = JSON.parse(r.stdout);
  const s: RunSummary = { label, memoryGB, iter, wallSeconds: wall, cpuSeconds: j.cpuSeconds, seconds: j.seconds, cpuSecondsByStage: j.cpuSecondsByStage, maxRSSMB: j.maxRSSMB, costs: j.costs, words: j.words, stats: j.stats };
  if (evaluate) {
    const v = loadVectors(out);
    const a = evaluateAnalogiesFile(v, 'data/eval/google-analogy/questions-words.txt', { restrictVocab: 30000 });
    const w = evaluateWordPairsFile(v, 'data/eval/wordsim353/combined.tab');
    s.quality = {
      analogy: a.score, analogySeen: a.total.seen, analogyQuestions: a.questions, semantic: a.semantic.accuracy, syntactic: a.syntactic.accuracy,
      ws353: w.spearman.rho, ws353Pairs: w.pairs,
    };
  }
  rmSync(out, { force: true });
  return s;
}

const runs: RunSummary[] = [];
if (quick) {
  runs.push(run('spill-0.05GB', 0.05, 15, true));
  runs.push(run('count-only-4GB', 4, 0, false));
} else {
  runs.push(run('full-1GB', 1, 15, true));
  runs.push(run('count-only-4GB', 4, 0, false));
}

const f = (x: number, d = 1) => x.toFixed(d);
console.log(`\nGloVe pipeline on ${corpus.map((c) => c.split('/').pop()).join(' + ')} (${runs[0].stats.tokens} tokens, ${runs[0].words} words, ${runs[0].stats.nonZeros} non-zero X_ij)`);
console.log(`settings: ${SETTINGS.join(' ')} (kernel: WASM SIMD when available), ${cpus().length} cores (shared)`);
console.log('run                memory  vocab s  cooccur s  merge+shuffle s  train s  s/iter  total s  CPU s  peak RSS MB  runs  final cost  analogy@30k  WS353 ρ');
for (const r of runs) {
  const it = r.costs.length;
  console.log([
    r.label.padEnd(18), `${r.memoryGB} GB`.padStart(6), f(r.seconds.vocab).padStart(8), f(r.seconds.cooccur).padStart(10),
    f(r.seconds.mergeShuffle).padStart(16), f(r.seconds.train).padStart(8), (it ? f(r.seconds.train / it, 2) : '-').padStart(7),
    f(r.wallSeconds).padStart(8), f(r.cpuSeconds).padStart(6), String(r.maxRSSMB).padStart(12), String(r.stats.runs).padStart(5),
    (it ? r.costs[it - 1].toFixed(5) : '-').padStart(11),
    (r.quality ? `${(100 * r.quality.analogy).toFixed(2)}%` : '-').padStart(12), (r.quality ? r.quality.ws353.toFixed(3) : '-').padStart(8),
  ].join(' '));
}
mkdirSync('bench/results', { recursive: true });
writeFileSync('bench/results/glove.json', JSON.stringify({
  bench: 'glove', date: new Date().toISOString(), quick, corpus, settings: SETTINGS.join(' '), cores: cpus().length,
  quality: 'Google analogy (3CosAdd, 30,000 most frequent words) and WordSim-353 combined Spearman ρ via src/embeddings evaluators',
  peer: 'Stanford GloVe C tool not installable here (no source download): no side-by-side C run; see bench/results/word2vec.json for gensim',
  note: 'wallSeconds includes Node start-up and writing the vectors file; the machine is shared, timings are indicative',
  runs,
}, null, 1) + '\n');
console.log('wrote bench/results/glove.json');
