/**
 * `wordloom word2vec`: train skip-gram / CBOW word vectors with negative sampling, hierarchical softmax or
 * the full softmax, with flags that mirror the C tool:
 *
 *   wordloom word2vec --train corpus.txt.gz --output vec.bin --size 100 --window 5 --negative 5 --hs 0 \
 *     --sample 1e-3 --min-count 5 --iter 5 --threads 2 --cbow 0 --binary 1 [--softmax full] [--json]
 *
 * Reference: word2vec.c (T. Mikolov et al. 2013a/b), its command-line flags and defaults.
 */
import type { Command } from 'commander';
import { WordloomError } from '../../util/errors.ts';
import { checkWritable, writeFileAtomic } from '../../util/fs-node.ts';
import { serializeVectors, outputFormat, VECTOR_FORMATS, type VectorFormat } from '../../embeddings/formats.ts';
import { trainWord2VecFile } from '../../embeddings/word2vec/train-node.ts';
import { WORD2VEC_DEFAULTS } from '../../embeddings/word2vec/options.ts';
import { boolArg, choiceArg, floatArg, intArg } from '../options.ts';
import { terminalProgress } from '../progress-bar.ts';

interface Flags {
  train: string; output?: string; size?: number; window?: number; sample?: number; hs?: boolean; negative?: number;
  negPower?: number; threads?: number; iter?: number; minCount?: number; maxVocab?: number; alpha?: number; cbow?: boolean;
  binary?: boolean; format?: VectorFormat; saveVocab?: string; readVocab?: string; softmax?: 'sampled' | 'full'; seed?: number;
  lowercase?: boolean; tokenizer?: 'words' | 'whitespace'; checkpoint?: string; checkpointEvery?: number; resume?: string; kernels?: 'auto' | 'wasm' | 'reference';
  chunkWords?: number; sharedNegatives?: boolean; force?: boolean; json?: boolean; quiet?: boolean;
}

export function register(program: Command): void {
  const d = WORD2VEC_DEFAULTS;
  program.command('word2vec')
    .description('train word2vec vectors (skip-gram/CBOW; negative sampling, hierarchical or full softmax) on a text or gzip corpus')
    .requiredOption('--train <file>', 'training corpus: UTF-8 text or .gz, one sentence/document per line (or one long line)')
    .option('--output <file>', 'write the word vectors here')
    .option('--size <n>', `vector dimension (default ${d.size})`, intArg(1, 10000))
    .option('--window <n>', `max skip length between words (default ${d.window})`, intArg(1, 1000))
    .option('--sample <t>', `subsampling threshold of frequent words, 0 = off (default ${d.sample})`, floatArg(0, 0.999999))
    .option('--hs <0|1>', 'hierarchical softmax (default 0)', boolArg)
    .option('--negative <n>', `negative samples, 0 = off (default ${d.negative}; 0 when --hs 1 or --softmax full is given alone)`, intArg(0, 1000))
    .option('--neg-power <p>', `exponent of the negative-sampling distribution count^p (default ${d.negPower})`, floatArg(0, 2))
    .option('--softmax <kind>', 'output layer: sampled (negative/hs) | full (exact softmax, small vocabularies) (default sampled)', choiceArg(['sampled', 'full'] as const))
    .option('--threads <n>', `training threads; >1 = Hogwild worker threads (default ${d.threads})`, intArg(1, 256))
    .option('--iter <n>', `training epochs (default ${d.iter})`, intArg(1, 100000))
    .option('--min-count <n>', `discard words seen fewer times (default ${d.minCount})`, intArg(1))
    .option('--max-vocab <n>', 'keep only the n most frequent words, 0 = all (default 0)', intArg(0))
    .option('--alpha <a>', 'starting learning rate (default 0.025 skip-gram, 0.05 CBOW)', floatArg(1e-9, 10))
    .option('--cbow <0|1>', 'CBOW instead of skip-gram (default 0)', boolArg)
    .option('--binary <0|1>', 'write the word2vec binary format (default 0: text)', boolArg)
    .option('--format <f>', `output format: ${VECTOR_FORMATS.join(' | ')} (default word2vec)`, choiceArg(VECTOR_FORMATS))
    .option('--save-vocab <file>', 'write the vocabulary ("word count" lines)')
    .option('--read-vocab <file>', 'read the vocabulary instead of counting it from the corpus')
    .option('--seed <n>', `random seed (default ${d.seed})`, intArg(0, 2 ** 32 - 1))
    .option('--lowercase <0|1>', 'lower-case the corpus (default 1)', boolArg)
    .option('--tokenizer <t>', "words (the text pipeline's tokenizer, no punctuation) | whitespace (split on whitespace only, like word2vec.c; for pre-tokenized corpora) (default words)", choiceArg(['words', 'whitespace'] as const))
    .option('--checkpoint <file>', 'write a resumable checkpoint here (every --checkpoint-every seconds and after each epoch)')
    .option('--checkpoint-every <s>', 'seconds between checkpoints (default 300)', floatArg(1))
    .option('--resume <file>', 'resume training from a checkpoint (its settings are used; a flag that contradicts them is an error; --threads may differ)')
    .option('--kernels <k>', 'inner loop: auto | wasm | reference (default auto)', choiceArg(['auto', 'wasm', 'reference'] as const))
    .option('--shared-negatives <0|1>', `negative sampling: skip-gram draws the negatives once per centre word for its whole window (after Ji et al. 2016); CBOW: 8 centre words share them (default 1 for skip-gram, 0 for CBOW)`, boolArg)
    .option('--chunk-words <n>', `words per work chunk (default ${d.chunkWords})`, intArg(1000, 1 << 24))
    .option('--force', 'overwrite existing output files')
    .option('--quiet', 'no progress bar')
    .option('--json', 'print a JSON summary on stdout')
    .action(async (f: Flags) => {
      if (!f.output && !f.saveVocab && !f.checkpoint) throw new WordloomError('nothing to write: give --output (and/or --save-vocab, --checkpoint)', { flag: '--output' });
      const fmt = outputFormat({ format: f.format, binary: f.binary });
      // Every output location is checked before the first step, so no run is lost to an unwritable path.
      if (f.output) checkWritable(f.output, '--output', { force: f.force });
      if (f.saveVocab) checkWritable(f.saveVocab, '--save-vocab', { force: f.force });
      if (f.checkpoint) checkWritable(f.checkpoint, '--checkpoint', { force: true }); // rewritten as training goes
      const full = f.softmax === undefined ? undefined : f.softmax === 'full';
      // As in word2vec.c, --negative defaults to 5; with --hs 1 or --softmax full and no explicit --negative, use 0.
      // (Not on --resume: the checkpoint's settings are used, and only flags given explicitly are compared.)
      const negative = f.negative ?? (!f.resume && (full || f.hs) ? 0 : undefined);
      const r = await trainWord2VecFile({
        train: f.train, size: f.size, window: f.window, sample: f.sample, hs: f.hs, negative, negPower: f.negPower,
        fullSoftmax: full, threads: f.threads, iter: f.iter, minCount: f.minCount, maxVocab: f.maxVocab, alpha: f.alpha,
        cbow: f.cbow, seed: f.seed, lowercase: f.lowercase, tokenizer: f.tokenizer, chunkWords: f.chunkWords, sharedNegatives: f.sharedNegatives, readVocab: f.readVocab,
        checkpoint: f.checkpoint, checkpointEvery: f.checkpointEvery, resume: f.resume, kernel: f.kernels,
        progress: terminalProgress({ quiet: f.quiet }),
      });
      if (f.output) writeFileAtomic(f.output, serializeVectors(r.vectors, { format: fmt }), { overwrite: Boolean(f.force), flag: '--output' });
      if (f.saveVocab) writeFileAtomic(f.saveVocab, r.vocab.toText(), { overwrite: Boolean(f.force), flag: '--save-vocab' });
      const s = r.stats;
      if (f.json) {
        console.log(JSON.stringify({ ...s, output: f.output ?? null, format: f.output ? fmt : null, options: r.options }));
      } else {
        console.log(`word2vec: ${s.architecture}, ${s.objective}, size ${r.options.size}, window ${r.options.window}, ${s.threads} thread(s), kernel ${s.kernel}`);
        console.log(`vocabulary: ${s.vocabSize} words; corpus ${s.corpusTokens} tokens, ${s.trainWords} in vocabulary (${s.vocabSeconds.toFixed(1)} s)`);
        console.log(`trained ${s.wordsTrained} words in ${s.trainSeconds.toFixed(1)} s: ${Math.round(s.wordsPerSecond)} words/s (${Math.round(s.wordsPerSecondPerThread)} per thread); loss per epoch ${s.epochLoss.map((x) => x.toFixed(4)).join(' ')}`);
        if (f.output) console.log(`wrote ${f.output} (${fmt})`);
        if (f.saveVocab) console.log(`wrote ${f.saveVocab}`);
      }
    });
}
