// word2vec benchmark: wordloom vs gensim 4.2 (the peer, /usr/bin/python3 + /work/shared/tools/run-gensim-baseline.py
// or bench/run-gensim-baseline.py), skip-gram and CBOW with negative sampling at 1 and 2 threads, on the same
// pre-tokenized corpus slice (our tokenizer: lower-cased, no punctuation; both tools then split on spaces, so
// they see the same vocabulary). Speed = in-vocabulary words trained per second of training (vocabulary
// building excluded for both; end-to-end seconds are reported too). Quality = Google analogy accuracy
// (30,000 most frequent words) and WordSim-353 Spearman ρ, both computed by the same gensim evaluator on the
// vectors each tool wrote. Prints a side-by-side table with ratios; writes bench/results/word2vec.json.
//
//   flock /tmp/wordloom-bench.lock node --import tsx bench/word2vec.bench.ts [--quick] [--seeds N] [--epochs N]
//     [--only skipgram:1,cbow:2] [--out bench/results/word2vec-seeds.json]
//
// Default: first 20,000 reviews of imdb_unsup + brown (≈5.7M tokens), 1 epoch, every cell evaluated.
// --quick: brown only (≈1M tokens), 1 epoch, quality evaluated only for the 2-thread runs.
// The machine is shared: timings are indicative.
import { spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { Tokenizer } from '../src/text/tokenizer.ts';
import { readCorpusLines } from '../src/text/corpus-node.ts';

const args = process.argv.slice(2);
if (args.includes('--help') || args.includes('-h')) {
  console.log(`usage: flock /tmp/wordloom-bench.lock node --import tsx bench/word2vec.bench.ts [options]
  --quick            brown only (≈1M tokens); quality evaluated only for 2-thread runs
  --seeds N          seeds per cell (default 1)
  --epochs N         epochs (default 1)
  --only a:t,...     cells to run, e.g. skipgram:1,cbow:1 (default: skipgram and cbow at 1 and 2 threads)
  --out FILE         results file (default bench/results/word2vec.json)
  --wordloom-args S  extra word2vec flags for wordloom, space-separated (e.g. "--shared-negatives 0")`);
  process.exit(0);
}
const quick = args.includes('--quick');
const argVal = (name: string, def: number) => { const i = args.indexOf(name); return i >= 0 ? Number(args[i + 1]) : def; };
const seeds = argVal('--seeds', 1);
const epochs = argVal('--epochs', 1);
const argStr = (name: string) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : undefined; };
const only = argStr('--only')?.split(',');
const outFile = argStr('--out') ?? 'bench/results/word2vec.json';
const extraArgs = (argStr('--wordloom-args') ?? '').split(' ').filter(Boolean);
const wanted = (arch: string, threads: number) => !only || only.includes(`${arch}:${threads}`);
const PY = '/usr/bin/python3';
const GENSIM = existsSync('/work/shared/tools/run-gensim-baseline.py') ? '/work/shared/tools/run-gensim-baseline.py' : 'bench/run-gensim-baseline.py';
const work = join(tmpdir(), `wordloom-w2v-bench-${process.pid}`);
mkdirSync(work, { recursive: true });
process.on('exit', () => rmSync(work, { recursive: true, force: true }));

const slices: [string, number][] = quick ? [['data/corpus/brown.txt.gz', 0]] : [['data/corpus/imdb_unsup.txt.gz', 20000], ['data/corpus/brown.txt.gz', 0]];
const corpus = join(work, 'corpus.txt');
{
  const tok = new Tokenizer({ lowercase: true, punctuation: false });
  const out = createWriteStream(corpus);
  for (const [file, maxLines] of slices) {
    let n = 0;
    for await (const { line } of readCorpusLines(file)) {
      if (maxLines && n++ >= maxLines) break;
      const w = tok.tokenize(line);
      if (w.length && !out.write(w.join(' ') + '\n')) await once(out, 'drain');
    }
  }
  out.end();
  await once(out, 'close');
}
const sliceDesc = slices.map(([f, n]) => `${f}${n ? ` (first ${n} lines)` : ''}`).join(' + ');

interface Quality { analogy?: number; analogySeen?: number; ws353?: number }
function lastResult(stdout: string): Record<string, any> {
  const line = stdout.split('\n').find((l) => l.startsWith('RESULT '));
  if (!line) throw new Error(`no RESULT line in:\n${stdout.slice(-2000)}`);
  return JSON.parse(line.slice(7));
}
function evaluate(vectors: string): Quality {
  const r = spawnSync(PY, [GENSIM, 'eval', vectors], { encoding: 'utf8', maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`gensim eval failed: ${r.stderr}`);
  const j = lastResult(r.stdout);
  return { analogy: j.analogy_acc, analogySeen: j.analogy_seen, ws353: j.ws353_spearman };
}

interface Cell { tool: string; arch: string; threads: number; seed: number; wordsPerSec: number; trainS: number; totalS: number; vocab: number; quality?: Quality }
const cells: Cell[] = [];
const evalThis = (threads: number) => !quick || threads === 2;

for (const arch of ['skipgram', 'cbow'] as const) {
  for (const threads of [1, 2]) {
    if (!wanted(arch, threads)) continue;
    for (let seed = 1; seed <= seeds; seed++) {
      // gensim
      const gv = join(work, `gensim-${arch}-${threads}-${seed}.txt`);
      const g = spawnSync(PY, [GENSIM, 'train', corpus, ...(arch === 'cbow' ? ['--cbow'] : []), '--workers', String(threads),
        '--iter', String(epochs), '--seed', String(seed), '--save', gv], { encoding: 'utf8', maxBuffer: 1 << 26 });
      if (g.status !== 0) throw new Error(`gensim failed: ${g.stderr.slice(-2000)}`);
      const gj = lastResult(g.stdout);
      cells.push({
        tool: 'gensim', arch, threads, seed, wordsPerSec: gj.in_vocab_words_per_s, trainS: gj.train_s, totalS: gj.build_vocab_s + gj.train_s,
        vocab: gj.vocab_size, quality: evalThis(threads) ? { analogy: gj.analogy_acc, analogySeen: gj.analogy_seen, ws353: gj.ws353_spearman } : undefined,
      });
      // wordloom
      const wv = join(work, `wordloom-${arch}-${threads}-${seed}.txt`);
      const w = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'word2vec', '--train', corpus, '--output', wv,
        '--cbow', arch === 'cbow' ? '1' : '0', '--threads', String(threads), '--iter', String(epochs), '--seed', String(seed),
        '--json', '--quiet', '--force', ...extraArgs], { encoding: 'utf8', maxBuffer: 1 << 26 });
      if (w.status !== 0) throw new Error(`wordloom failed: ${w.stderr.slice(-2000)}`);
      const wj = JSON.parse(w.stdout);
      cells.push({
        tool: 'wordloom', arch, threads, seed, wordsPerSec: wj.wordsPerSecond, trainS: wj.trainSeconds, totalS: wj.vocabSeconds + wj.trainSeconds,
        vocab: wj.vocabSize, quality: evalThis(threads) ? evaluate(wv) : undefined,
      });
      const last2 = cells.slice(-2);
      console.error(`${arch} threads=${threads} seed=${seed}: ` + last2.map((c) => `${c.tool} ${Math.round(c.wordsPerSec)} w/s` +
        (c.quality ? ` analogy ${(100 * c.quality.analogy!).toFixed(1)}% ρ ${c.quality.ws353!.toFixed(3)}` : '')).join(' | '));
    }
  }
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const sd = (xs: number[]) => { const m = mean(xs); return xs.length > 1 ? Math.sqrt(xs.reduce((a, x) => a + (x - m) ** 2, 0) / (xs.length - 1)) : 0; };
const fmtMs = (xs: number[], f: (x: number) => string) => (xs.length ? f(mean(xs)) + (xs.length > 1 ? ` ±${f(sd(xs))}` : '') : '—');
const rows: Record<string, unknown>[] = [];
console.log(`\nword2vec: ${sliceDesc}, ${epochs} epoch(s), size 100, window 5, negative 5, sample 1e-3, min-count 5; ${seeds} seed(s)`);
console.log('arch      thr | gensim w/s | wordloom w/s | ratio | gensim analogy / ρ     | wordloom analogy / ρ');
for (const arch of ['skipgram', 'cbow']) {
  for (const threads of [1, 2]) {
    if (!wanted(arch, threads)) continue;
    const pick = (tool: string) => cells.filter((c) => c.tool === tool && c.arch === arch && c.threads === threads);
    const g = pick('gensim'), w = pick('wordloom');
    const gw = mean(g.map((c) => c.wordsPerSec)), ww = mean(w.map((c) => c.wordsPerSec));
    const q = (cs: Cell[]) => {
      const withQ = cs.filter((c) => c.quality);
      if (!withQ.length) return 'not evaluated';
      return `${fmtMs(withQ.map((c) => 100 * c.quality!.analogy!), (x) => x.toFixed(1))}% / ${fmtMs(withQ.map((c) => c.quality!.ws353!), (x) => x.toFixed(3))}`;
    };
    console.log(`${arch.padEnd(9)} ${threads}   | ${Math.round(gw).toString().padStart(10)} | ${Math.round(ww).toString().padStart(12)} | ${(ww / gw).toFixed(2)}× | ${q(g).padEnd(22)} | ${q(w)}`);
    rows.push({
      arch, threads, gensimWordsPerSec: gw, wordloomWordsPerSec: ww, speedRatio: ww / gw,
      gensimEndToEndS: mean(g.map((c) => c.totalS)), wordloomEndToEndS: mean(w.map((c) => c.totalS)),
      gensimQuality: g.map((c) => c.quality ?? null), wordloomQuality: w.map((c) => c.quality ?? null),
    });
  }
}
mkdirSync('bench/results', { recursive: true });
writeFileSync(outFile, JSON.stringify({
  bench: 'word2vec', date: new Date().toISOString(), quick, corpus: sliceDesc, epochs, seeds,
  settings: { size: 100, window: 5, negative: 5, sample: 1e-3, minCount: 5, alpha: 'C defaults (0.025 sg, 0.05 cbow)' },
  speedUnit: 'in-vocabulary words trained per second of training (vocabulary pass excluded for both tools)',
  quality: 'gensim KeyedVectors evaluator (run-gensim-baseline.py): Google analogy at 30,000 words, WordSim-353 Spearman',
  wordloomArgs: extraArgs,
  peer: 'gensim 4.2 (Debian python3-gensim), LineSentence iterable mode',
  rows, cells,
}, null, 2) + '\n');
console.log(`wrote ${outFile}`);
