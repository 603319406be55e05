/**
 * `wordloom vectors …`: inspect, query, convert and evaluate word-vector files (issue #4).
 *
 *   info | neighbors | analogy | similarity | doesnt-match | convert | eval-analogy | eval-similarity
 *
 * Every subcommand loads `--vectors <file>` (format auto-detected: GloVe text, word2vec text/binary,
 * fastText .vec, native .wlv; `--format` forces one, `--limit N` reads the first N words, `--lenient`
 * skips malformed rows and reports how many, `--threads N` parses text files and runs the long
 * matrix-vector products of queries on N threads — default: the available cores, at most 8; the result is
 * the same for any N). Reporting commands print JSON with `--json`.
 */
import type { Command } from 'commander';
import { performance } from 'node:perf_hooks';
import {
  loadVectors, saveVectors, evaluateAnalogiesFile, evaluateWordPairsFile, VECTOR_FORMATS,
  type VectorFormat, type WordVectors, type Neighbor,
} from '../../embeddings/index.ts';
import { WordloomError } from '../../util/errors.ts';
import { checkWritable } from '../../util/fs-node.ts';
import { setThreads } from '../../kernels/index.ts';
import { availableParallelism } from 'node:os';
import { boolArg, choiceArg, intArg } from '../options.ts';
import { terminalProgress } from '../progress-bar.ts';

interface LoadFlags { vectors: string; format: VectorFormat | 'auto'; limit?: number; lenient?: boolean; threads?: number; json?: boolean }

function addLoadFlags(c: Command): Command {
  return c
    .requiredOption('--vectors <file>', 'vectors file (GloVe/word2vec text, word2vec binary, fastText .vec, wordloom .wlv)')
    .option('--format <format>', `input format: auto | ${VECTOR_FORMATS.join(' | ')}`, choiceArg(['auto', ...VECTOR_FORMATS] as const), 'auto')
    .option('--limit <n>', 'read only the first n words', intArg(1))
    .option('--lenient', 'skip (and count) malformed rows instead of failing')
    .option('--threads <n>', 'threads for parsing text files and for queries (default: the available cores, at most 8; same result for any n)', intArg(1, 256));
}

function load(o: LoadFlags): { v: WordVectors; seconds: number } {
  // Query threads start now, while the file loads (the kernels use only threads that are ready).
  setThreads(o.threads ?? Math.min(8, availableParallelism()));
  const t0 = performance.now();
  const v = loadVectors(o.vectors, { format: o.format, limit: o.limit, lenient: o.lenient, threads: o.threads, progress: terminalProgress({ quiet: o.json }) });
  const seconds = (performance.now() - t0) / 1000;
  if (v.source.skipped && !o.json) {
    process.stderr.write(`wordloom: skipped ${v.source.skipped} malformed rows (--lenient):\n${(v.source.skippedReasons ?? []).map((r) => '  ' + r).join('\n')}\n`);
  }
  return { v, seconds };
}

const round = (x: number, d = 6) => Number(x.toFixed(d));
const printNeighbors = (list: Neighbor[]) => { for (const n of list) console.log(`${n.word}\t${n.score.toFixed(4)}`); };
const pct = (x: number | null) => (x === null ? 'n/a' : (100 * x).toFixed(2) + '%');

export function register(program: Command): void {
  const vec = program.command('vectors').description('word vectors: inspect, query, convert, evaluate (GloVe, word2vec, fastText, native)');

  addLoadFlags(vec.command('info').description('vocabulary size, dimensions, format, norms and the first words'))
    .option('--json', 'print JSON')
    .action((o: LoadFlags) => {
      const { v, seconds } = load(o);
      const norms = v.rowNorms();
      let sum = 0, min = Infinity, max = 0, zero = 0;
      for (const n of norms) { sum += n; min = Math.min(min, n); max = Math.max(max, n); if (n === 0) zero++; }
      const info = {
        file: o.vectors, format: v.source.format, words: v.size, dim: v.dim, headerCount: v.source.headerCount ?? null,
        skipped: v.source.skipped ?? 0, loadSeconds: round(seconds, 4),
        norm: { mean: round(sum / v.size), min: round(min), max: round(max), zeroRows: zero },
        firstWords: v.words.slice(0, 10), lastWord: v.words[v.size - 1],
      };
      if (o.json) { console.log(JSON.stringify(info)); return; }
      console.log(`${info.file}: ${info.format}, ${info.words} words × ${info.dim} dims${info.headerCount !== null ? ` (header ${info.headerCount})` : ''}, loaded in ${info.loadSeconds}s`);
      console.log(`norms: mean ${info.norm.mean}, min ${info.norm.min}, max ${info.norm.max}, zero rows ${zero}; skipped rows: ${info.skipped}`);
      console.log(`first words: ${info.firstWords.join(' ')} … last: ${info.lastWord}`);
    });

  addLoadFlags(vec.command('neighbors').description('nearest words by cosine similarity (gensim most_similar)'))
    .argument('<words...>', 'query words (each looked up separately)')
    .option('--topn <n>', 'number of neighbours', intArg(1), 10)
    .option('--restrict-vocab <n>', 'search only the first n words', intArg(1))
    .option('--json', 'print JSON')
    .action((words: string[], o: LoadFlags & { topn: number; restrictVocab?: number }) => {
      const { v } = load(o);
      v.need(words);
      const out = words.map((w) => ({ word: w, neighbors: v.mostSimilar({ positive: [w], topn: o.topn, restrictVocab: o.restrictVocab }) }));
      if (o.json) { console.log(JSON.stringify(out)); return; }
      for (const r of out) { console.log(`# ${r.word}`); printNeighbors(r.neighbors); }
    });

  addLoadFlags(vec.command('analogy').description('"a is to b as c is to ?" (3CosAdd, or --method 3cosmul)'))
    .argument('<a>').argument('<b>').argument('<c>')
    .option('--topn <n>', 'number of answers', intArg(1), 10)
    .option('--method <m>', '3cosadd | 3cosmul', choiceArg(['3cosadd', '3cosmul'] as const), '3cosadd')
    .option('--restrict-vocab <n>', 'search only the first n words', intArg(1))
    .option('--json', 'print JSON')
    .action((a: string, b: string, c: string, o: LoadFlags & { topn: number; method: '3cosadd' | '3cosmul'; restrictVocab?: number }) => {
      const { v } = load(o);
      const res = v.analogy(a, b, c, { topn: o.topn, method: o.method, restrictVocab: o.restrictVocab });
      if (o.json) { console.log(JSON.stringify({ a, b, c, method: o.method, answers: res })); return; }
      console.log(`${a} : ${b} :: ${c} : ?  (${o.method})`);
      printNeighbors(res);
    });

  addLoadFlags(vec.command('similarity').description('cosine similarity and Euclidean distance of two words'))
    .argument('<word1>').argument('<word2>')
    .option('--json', 'print JSON')
    .action((w1: string, w2: string, o: LoadFlags) => {
      const { v } = load(o);
      const r = { word1: w1, word2: w2, cosine: v.similarity(w1, w2), euclidean: v.distance(w1, w2) };
      if (o.json) console.log(JSON.stringify(r));
      else console.log(`cosine ${r.cosine.toFixed(6)}  euclidean ${r.euclidean.toFixed(6)}`);
    });

  addLoadFlags(vec.command('doesnt-match').description('the word that does not fit with the others (gensim doesnt_match)'))
    .argument('<words...>', 'at least two words')
    .option('--json', 'print JSON')
    .action((words: string[], o: LoadFlags) => {
      if (words.length < 2) throw new WordloomError('give at least two words');
      const { v } = load(o);
      const ranking = v.rankByCentrality(words);
      const odd = ranking[ranking.length - 1].word;
      if (o.json) { console.log(JSON.stringify({ words, doesntMatch: odd, ranking })); return; }
      console.log(odd);
    });

  addLoadFlags(vec.command('convert').description('convert between formats (atomic write; --force to replace)'))
    .requiredOption('--output <file>', 'output file')
    .option('--to <format>', `output format: ${VECTOR_FORMATS.join(' | ')} (default: from the extension: .wlv native, .bin word2vec-binary, .vec fasttext, else word2vec text)`, choiceArg(VECTOR_FORMATS))
    .option('--binary <0|1>', 'shorthand for --to word2vec-binary (as the C tools)', boolArg)
    .option('--newline <0|1>', 'word2vec-binary: newline after each vector (word2vec.c: 1, gensim: 0)', boolArg, true)
    .option('--force', 'overwrite an existing output file')
    .option('--json', 'print JSON')
    .action((o: LoadFlags & { output: string; to?: VectorFormat; binary?: boolean; newline: boolean; force?: boolean }) => {
      checkWritable(o.output, '--output', { force: o.force });
      const { v, seconds } = load(o);
      const t0 = performance.now();
      const format = saveVectors(v, o.output, { format: o.to, binary: o.binary, newline: o.newline, overwrite: !!o.force, flag: '--output' });
      const r = { input: o.vectors, inputFormat: v.source.format, output: o.output, format, words: v.size, dim: v.dim, loadSeconds: round(seconds, 4), saveSeconds: round((performance.now() - t0) / 1000, 4) };
      if (o.json) console.log(JSON.stringify(r));
      else console.log(`wrote ${r.output} (${format}): ${r.words} words × ${r.dim} dims`);
    });

  addLoadFlags(vec.command('eval-analogy').description('analogy accuracy on questions-words.txt-style files (gensim evaluate_word_analogies)'))
    .requiredOption('--questions <file>', 'questions file (": section" lines, then "a b c d")')
    .option('--restrict-vocab <n>', 'only the first n words (compute-accuracy uses 30000)', intArg(1), 30000)
    .option('--method <m>', '3cosadd | 3cosmul', choiceArg(['3cosadd', '3cosmul'] as const), '3cosadd')
    .option('--case-sensitive', 'match words exactly (default: case-insensitive, as gensim)')
    .option('--details', 'with --json: include every question with the predicted word')
    .option('--json', 'print JSON')
    .action((o: LoadFlags & { questions: string; restrictVocab: number; method: '3cosadd' | '3cosmul'; caseSensitive?: boolean; details?: boolean }) => {
      const { v } = load(o);
      const t0 = performance.now();
      const r = evaluateAnalogiesFile(v, o.questions, {
        restrictVocab: o.restrictVocab, method: o.method, caseInsensitive: !o.caseSensitive, lenient: o.lenient,
        progress: terminalProgress({ quiet: o.json }),
      });
      const seconds = (performance.now() - t0) / 1000;
      if (o.json) {
        const sections = r.sections.map((s) => ({
          section: s.section, accuracy: s.accuracy, correct: s.correct.length, incorrect: s.incorrect.length, oov: s.oov,
          ...(o.details ? { correctItems: s.correct, incorrectItems: s.incorrect } : {}),
        }));
        console.log(JSON.stringify({ vectors: o.vectors, questionsFile: o.questions, ...r, sections, seconds: round(seconds, 3) }));
        return;
      }
      for (const s of r.sections) {
        const n = s.correct.length + s.incorrect.length;
        console.log(`${s.section.padEnd(28)} ${n ? pct(s.accuracy).padStart(7) : '    n/a'}  (${s.correct.length}/${n}, ${s.oov} OOV)`);
      }
      console.log(`semantic: ${pct(r.semantic.accuracy)} (${r.semantic.correct}/${r.semantic.seen})  syntactic: ${pct(r.syntactic.accuracy)} (${r.syntactic.correct}/${r.syntactic.seen})`);
      console.log(`total: ${pct(r.total.accuracy)} (${r.total.correct}/${r.total.seen}); ${r.oov} of ${r.questions} questions OOV (${(100 * r.oovRatio).toFixed(1)}%) with restrict-vocab ${r.restrictVocab}, ${r.method}; ${seconds.toFixed(2)}s`);
    });

  addLoadFlags(vec.command('eval-similarity').description('Spearman/Pearson vs human word-pair scores (gensim evaluate_word_pairs)'))
    .requiredOption('--pairs <files...>', 'WordSim-353-style files: "word1 word2 score" (tab, comma or space; optional header)')
    .option('--restrict-vocab <n>', 'only the first n words count as known', intArg(1), 300000)
    .option('--case-sensitive', 'match words exactly (default: case-insensitive, as gensim)')
    .option('--details', 'with --json: include every pair with its model similarity')
    .option('--json', 'print JSON')
    .action((o: LoadFlags & { pairs: string[]; restrictVocab: number; caseSensitive?: boolean; details?: boolean }) => {
      const { v } = load(o);
      const results = o.pairs.map((file) => {
        const r = evaluateWordPairsFile(v, file, { restrictVocab: o.restrictVocab, caseInsensitive: !o.caseSensitive, lenient: o.lenient });
        const { items, ...rest } = r;
        return { file, ...rest, ...(o.details ? { items } : {}) };
      });
      if (o.json) { console.log(JSON.stringify({ vectors: o.vectors, results })); return; }
      for (const r of results) {
        console.log(`${r.file}: Spearman ${r.spearman.rho.toFixed(4)} (p ${r.spearman.pValue.toExponential(2)}), Pearson ${r.pearson.r.toFixed(4)}; ${r.pairs}/${r.total} pairs, OOV ${r.oovRatio.toFixed(1)}%`);
      }
    });
}
