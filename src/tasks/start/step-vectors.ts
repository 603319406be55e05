/**
 * Pipeline step "vectors": word2vec (skip-gram, negative sampling; src/embeddings/word2vec) on the bundled
 * in-domain corpus — IMDB unlabelled reviews + Brown (~12.8M tokens, data/corpus/README.md) — with fast settings
 * (1 epoch), saved in wordloom's native vector format, then evaluated on the Google analogies (3CosAdd, the
 * 30,000 most frequent words, as compute-accuracy) and WordSim-353 (Spearman ρ).
 *
 * The two gzip files are concatenated byte for byte into one multi-member gzip file (a valid gzip stream that the
 * corpus reader decompresses as one text), deleted after training.
 */
import { createReadStream, createWriteStream, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { trainWord2VecFile } from '../../embeddings/word2vec/train-node.ts';
import { saveVectors } from '../../embeddings/io-node.ts';
import { evaluateAnalogiesFile, evaluateWordPairsFile } from '../../embeddings/evaluate-node.ts';
import type { PipelineStep } from './pipeline.ts';
import { RunLogger } from './logs-node.ts';

export interface VectorsStepSettings {
  corpus: string[];
  size: number; window: number; negative: number; sample: number; minCount: number; maxVocab: number; iter: number; seed: number;
  threads: number;
  analogies: string;
  wordPairs: string;
}

export const VECTORS_STEP_DEFAULTS = (dataDir: string, threads: number): VectorsStepSettings => ({
  corpus: [join(dataDir, 'corpus/imdb_unsup.txt.gz'), join(dataDir, 'corpus/brown.txt.gz')],
  size: 100, window: 5, negative: 5, sample: 1e-4, minCount: 5, maxVocab: 100_000, iter: 3, seed: 1, threads,
  analogies: join(dataDir, 'eval/google-analogy/questions-words.txt'),
  wordPairs: join(dataDir, 'eval/wordsim353/combined.tab'),
});

async function concatFiles(files: string[], out: string): Promise<void> {
  const ws = createWriteStream(out);
  for (const f of files) await pipeline(createReadStream(f), ws, { end: false });
  await new Promise<void>((res, rej) => ws.end((e?: Error | null) => (e ? rej(e) : res())));
}

export function vectorsStep(s: VectorsStepSettings): PipelineStep {
  return {
    name: 'vectors',
    title: `word vectors: word2vec skip-gram d=${s.size} on ${s.corpus.map((c) => c.split('/').pop()).join(' + ')} (${s.iter} epoch${s.iter > 1 ? 's' : ''})`,
    settings: { ...s },
    inputs: [...s.corpus, s.analogies, s.wordPairs],
    async run(ctx) {
      const corpus = join(ctx.dir, 'corpus.txt.gz');
      await concatFiles(s.corpus, corpus);
      const logger = new RunLogger(ctx.layout.logsDir, 'word2vec', 'word2vec skip-gram, negative sampling', 'words');
      let result;
      try {
        result = await trainWord2VecFile({
          train: corpus, size: s.size, window: s.window, negative: s.negative, sample: s.sample, minCount: s.minCount,
          maxVocab: s.maxVocab, iter: s.iter, seed: s.seed, threads: s.threads, cbow: false, hs: false,
          progress: logger.recorder(ctx.progress, /^train/, /^(loss|lr)$/), cacheDir: ctx.dir,
        });
      } finally { rmSync(corpus, { force: true }); }
      const st = result.stats;
      st.epochLoss.forEach((loss, i) => logger.add((i + 1) * st.trainWords, { epochLoss: loss }));
      logger.save();
      const file = join(ctx.dir, 'vectors.wlv');
      saveVectors(result.vectors, file, { format: 'wordloom' });
      ctx.log(`  ${st.vocabSize} words × ${s.size}, ${st.corpusTokens} corpus tokens, ${Math.round(st.wordsPerSecond)} words/s, final loss ${st.finalLoss.toFixed(4)}`);
      const an = evaluateAnalogiesFile(result.vectors, s.analogies, { progress: ctx.progress });
      const ws = evaluateWordPairsFile(result.vectors, s.wordPairs);
      return {
        outputs: { vectors: 'vectors/vectors.wlv' },
        metrics: {
          vocab: st.vocabSize, dim: s.size, corpusTokens: st.corpusTokens, wordsPerSecond: st.wordsPerSecond, trainSeconds: st.trainSeconds,
          finalLoss: st.finalLoss,
          analogy: { total: an.total, semantic: an.semantic, syntactic: an.syntactic, oovRatio: an.oovRatio, restrictVocab: an.restrictVocab, method: an.method },
          wordsim353: { spearman: ws.spearman.rho, pearson: ws.pearson.r, pairs: ws.pairs, oov: ws.oov, total: ws.total },
        },
      };
    },
  };
}
