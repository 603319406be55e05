/**
 * `wordloom glove`: train GloVe vectors (issue #6), flags mirroring the Stanford GloVe tool
 * (vocab_count + cooccur + shuffle + glove in one command), and `wordloom glove ratios`: the
 * co-occurrence probability table of Pennington et al. (2014), Table 1.
 *
 *   wordloom glove --train corpus.txt.gz --output vec.txt --vector-size 100 --window-size 10 --x-max 10 \
 *     --iter 15 --threads 2 --memory 4 --min-count 5
 *   wordloom glove ratios --corpus corpus.txt.gz --probe ice,steam --context solid,gas,water,fashion
 */
import type { Command } from 'commander';
import { existsSync } from 'node:fs';
import { saveVectors, WordVectors, VECTOR_FORMATS, type VectorFormat } from '../../embeddings/index.ts';
import { trainGloveOnFiles } from '../../embeddings/glove/pipeline-node.ts';
import { GLOVE_DEFAULTS } from '../../embeddings/glove/options.ts';
import { cooccurrenceRatios, formatRatiosTable, RATIOS_DEFAULTS } from '../../embeddings/glove/ratios-node.ts';
import type { KernelChoice } from '../../embeddings/glove/train-kernel-node.ts';
import { WordloomError } from '../../util/errors.ts';
import { checkWritable, checkWritableDir } from '../../util/fs-node.ts';
import { boolArg, choiceArg, floatArg, intArg } from '../options.ts';
import { terminalProgress } from '../progress-bar.ts';

interface TrainFlags {
  train: string[]; output: string; vectorSize: number; windowSize: number; xMax: number; alpha: number; eta: number; iter: number;
  threads: number; memory: number; minCount: number; maxVocab: number; symmetric: boolean; distanceWeighting: boolean;
  model: number; seed: number; binary?: boolean; format?: VectorFormat; checkpoint?: string; checkpointEvery: number;
  resume?: string; tempDir?: string; kernel: KernelChoice | 'auto'; force?: boolean; json?: boolean; quiet?: boolean;
}

const D = GLOVE_DEFAULTS;
const list = (v: string, prev: string[] = []) => [...prev, ...v.split(',').map((s) => s.trim()).filter(Boolean)];

/** Output format: --format, else --binary 1 → word2vec-binary, else by extension (.txt → GloVe text, like the tool). */
function outputFormat(o: TrainFlags): VectorFormat {
  if (o.format) return o.format;
  if (o.binary) return 'word2vec-binary';
  const ext = o.output.toLowerCase().split('.').pop();
  return ext === 'wlv' ? 'wordloom' : ext === 'bin' ? 'word2vec-binary' : ext === 'vec' ? 'fasttext' : 'glove';
}

export function register(program: Command): void {
  const glove = program.command('glove')
    .description('train GloVe word vectors (Pennington et al. 2014) like the Stanford tool; `glove ratios` prints Table 1')
    .addHelpText('after', '\n`wordloom glove --train …` runs `glove train` (the default subcommand); see `wordloom glove train --help` for its flags.');
  glove.command('train', { isDefault: true })
    .description('train GloVe vectors: vocabulary, co-occurrence counts (memory-bounded), shuffle, AdaGrad (the default subcommand)')
    .option('--train <files>', 'corpus file(s), text or .gz, one document per line (comma-separated or repeated)', list)
    .option('--output <file>', 'output vectors file (format from --format/--binary, else the extension: .txt GloVe text, .bin word2vec binary, .vec fastText, .wlv native)')
    .option('--vector-size <d>', 'vector dimension', intArg(1, 10000), D.vectorSize)
    .option('--window-size <n>', 'context words on each side', intArg(1, 1000), D.windowSize)
    .option('--symmetric <0|1>', '1: left and right context; 0: left only', boolArg, D.symmetric)
    .option('--distance-weighting <0|1>', '1: a pair d words apart counts 1/d; 0: counts 1', boolArg, D.distanceWeighting)
    .option('--min-count <n>', 'ignore words seen fewer times', intArg(1), D.minCount)
    .option('--max-vocab <n>', 'keep at most n most frequent words (0 = all)', intArg(0), D.maxVocab)
    .option('--memory <GB>', 'memory budget for counting and shuffling, GB (fractions allowed; beyond it sorted runs spill to disk)', floatArg(1e-9, 1024), D.memory)
    .option('--x-max <x>', 'cutoff of the weighting function f', floatArg(1e-12), D.xMax)
    .option('--alpha <a>', 'exponent of the weighting function f', floatArg(1e-12, 100), D.alpha)
    .option('--eta <lr>', 'AdaGrad initial learning rate', floatArg(1e-12, 100), D.eta)
    .option('--iter <n>', 'training iterations (on --resume: the total to reach)', intArg(1), D.iter)
    .option('--threads <n>', 'Hogwild worker threads (1 = deterministic)', intArg(1, 256), D.threads)
    .option('--model <1|2|3>', '2: output W + W̃ (the tool default); 1: W only; 3: W̃ only', intArg(1, 3), D.model)
    .option('--seed <n>', 'random seed (initialisation and shuffle)', intArg(0, 0xffffffff), D.seed)
    .option('--binary <0|1>', 'shorthand for --format word2vec-binary', boolArg)
    .option('--format <format>', `output format: ${VECTOR_FORMATS.join(' | ')}`, choiceArg(VECTOR_FORMATS))
    .option('--checkpoint <file>', 'checkpoint file (weights + AdaGrad state); default <output>.ckpt with --checkpoint-every')
    .option('--checkpoint-every <n>', 'save a checkpoint every n iterations (0 = never)', intArg(0), 0)
    .option('--resume <file>', 'continue from a checkpoint: its settings are used (only --iter, --threads, --model may change)')
    .option('--temp-dir <dir>', 'directory for temporary files (default: the OS temp dir)')
    .option('--kernel <k>', 'training kernel: auto | wasm | reference', choiceArg(['auto', 'wasm', 'reference'] as const), 'auto')
    .option('--force', 'overwrite an existing output file')
    .option('--quiet', 'no progress bars or per-iteration lines')
    .option('--json', 'print a JSON summary (per-iteration cost, timings, counts) on stdout')
    .action(async (o: TrainFlags, cmd: Command) => {
      if (!o.train?.length) throw new WordloomError('a corpus is required', { flag: '--train' });
      if (!o.output) throw new WordloomError('an output file is required', { flag: '--output' });
      for (const f of o.train) if (!existsSync(f)) throw new WordloomError('corpus file not found', { file: f, flag: '--train' });
      if (existsSync(o.output) && !o.force) throw new WordloomError('refusing to overwrite an existing file (pass --force to replace it)', { file: o.output, flag: '--output' });
      const format = outputFormat(o);
      const checkpointPath = o.checkpoint ?? (o.checkpointEvery > 0 ? o.output + '.ckpt' : undefined);
      // Every output location is checked before the first step, so no run is lost to an unwritable path.
      checkWritable(o.output, '--output', { force: o.force });
      if (checkpointPath) checkWritable(checkpointPath, '--checkpoint', { force: true }); // rewritten as training goes
      if (o.tempDir) checkWritableDir(o.tempDir, '--temp-dir');
      // Only the flags given on the command line: on --resume the checkpoint's settings fill in the rest.
      const given = <T>(name: string, v: T): T | undefined => (cmd.getOptionValueSource(name) === 'default' ? undefined : v);
      const quiet = o.quiet || o.json;
      const progress = terminalProgress({ quiet });
      const r = await trainGloveOnFiles(o.train, {
        vectorSize: given('vectorSize', o.vectorSize), windowSize: given('windowSize', o.windowSize), symmetric: given('symmetric', o.symmetric),
        distanceWeighting: given('distanceWeighting', o.distanceWeighting), minCount: given('minCount', o.minCount), maxVocab: given('maxVocab', o.maxVocab),
        memory: given('memory', o.memory), xMax: given('xMax', o.xMax), alpha: given('alpha', o.alpha), eta: given('eta', o.eta), iter: given('iter', o.iter),
        threads: given('threads', o.threads), model: given('model', o.model as 1 | 2 | 3), seed: given('seed', o.seed),
      }, {
        tempDir: o.tempDir, checkpointEvery: o.checkpointEvery, checkpointPath, resume: o.resume,
        kernel: o.kernel === 'auto' ? undefined : o.kernel,
        onIteration: quiet ? undefined : (it, cost, sec) => process.stderr.write(`iter: ${String(it).padStart(3, '0')}, cost: ${cost.toFixed(6)} (${sec.toFixed(1)} s)\n`),
      }, progress);
      const vectors = new WordVectors(r.words, r.vectors, r.dim, { copy: false });
      saveVectors(vectors, o.output, { format, overwrite: !!o.force, flag: '--output' });
      const summary = {
        output: o.output, format, words: r.words.length, dim: r.dim, iterations: r.costs.length,
        costs: r.costs.map((c) => Number(c.toPrecision(8))), stats: r.stats,
        seconds: Object.fromEntries(Object.entries(r.seconds).map(([k, v]) => [k, Number(v.toFixed(3))])),
        cpuSecondsByStage: Object.fromEntries(Object.entries(r.cpuSeconds).map(([k, v]) => [k, Number(v.toFixed(3))])),
        maxRSSMB: Math.round(process.resourceUsage().maxRSS / 1024),
        cpuSeconds: Number(((process.cpuUsage().user + process.cpuUsage().system) / 1e6).toFixed(2)), options: r.options,
        checkpoint: checkpointPath ?? null,
      };
      if (o.json) console.log(JSON.stringify(summary));
      else if (!o.quiet) {
        console.log(`wrote ${r.words.length} × ${r.dim} vectors to ${o.output} (${format}); ${r.stats.tokens} tokens, ${r.stats.nonZeros} non-zero X_ij, ` +
          `${r.stats.runs} spilled runs; ${r.seconds.total.toFixed(1)} s (vocab ${r.seconds.vocab.toFixed(1)}, cooccur ${r.seconds.cooccur.toFixed(1)}, ` +
          `merge+shuffle ${r.seconds.mergeShuffle.toFixed(1)}, train ${r.seconds.train.toFixed(1)})`);
      }
    });

  glove.command('ratios')
    .description('co-occurrence probabilities P(k|i) and their ratio, as Table 1 of Pennington et al. (2014)')
    .requiredOption('--corpus <files>', 'corpus file(s), text or .gz (comma-separated or repeated)', list)
    .option('--probe <words>', 'probe words i (two for the ratio)', (v: string) => list(v), ['ice', 'steam'])
    .option('--context <words>', 'context words k', (v: string) => list(v), ['solid', 'gas', 'water', 'fashion'])
    .option('--window-size <n>', 'context words on each side', intArg(1, 1000), RATIOS_DEFAULTS.windowSize)
    .option('--symmetric <0|1>', '1: left and right context; 0: left only', boolArg, RATIOS_DEFAULTS.symmetric)
    .option('--distance-weighting <0|1>', '1: weight 1/d; 0: weight 1', boolArg, RATIOS_DEFAULTS.distanceWeighting)
    .option('--min-count <n>', 'drop words seen fewer times before windowing', intArg(1), RATIOS_DEFAULTS.minCount)
    .option('--json', 'print JSON')
    .action(async (o: { corpus: string[]; probe: string[]; context: string[]; windowSize: number; symmetric: boolean; distanceWeighting: boolean; minCount: number; json?: boolean }) => {
      const r = await cooccurrenceRatios(o.corpus, {
        probes: o.probe, contexts: o.context, windowSize: o.windowSize, symmetric: o.symmetric,
        distanceWeighting: o.distanceWeighting, minCount: o.minCount,
      }, terminalProgress({ quiet: o.json }));
      if (o.json) console.log(JSON.stringify({ corpus: o.corpus, windowSize: o.windowSize, symmetric: o.symmetric, distanceWeighting: o.distanceWeighting, minCount: o.minCount, ...r }));
      else {
        console.log(formatRatiosTable(r));
        console.log(`(${r.tokens} tokens; window ${o.windowSize}${o.symmetric ? ' symmetric' : ' left'}, ${o.distanceWeighting ? '1/d' : 'flat'} weighting; ` +
          r.probes.map((w, k) => `${w}: ${r.probeCounts[k]} occurrences, X_i = ${r.rowSums[k].toFixed(1)}`).join('; ') + ')');
      }
    });
}
