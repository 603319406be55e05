/**
 * Accuracy sweep of the n-gram (fastText supervised) sentiment model on IMDB: reads and tokenizes data/imdb once,
 * then trains one model per configuration (1 thread, deterministic) and appends one JSON line per configuration to
 * the output file: args, dev and official-test accuracy, star metrics under each decoding for star targets, train
 * seconds. Configurations are chosen by dev accuracy / dev MAE; test numbers are reported, never tuned on.
 * Accuracy, not speed: run with `nice -n 10` (timings here are not benchmarks).
 *
 *   nice -n 10 node --import tsx bench/ngram-sweep.ts --target polarity --out bench/results/ngram-sweep-polarity.jsonl \
 *     '{"dim":10,"wordNgrams":2,"lr":0.5,"epochs":10}' '{"dim":10,"wordNgrams":3,"lr":0.5,"epochs":10}' ...
 */
import { appendFileSync } from 'node:fs';
import { loadSplits } from '../src/text/datasets-node.ts';
import { Tokenizer } from '../src/text/tokenizer.ts';
import { LabelSet } from '../src/text/datasets.ts';
import { isStarTarget, parseTarget } from '../src/text/targets.ts';
import { resolveFastTextArgs, type FastTextTrainArgs } from '../src/embeddings/fasttext/args.ts';
import { FastTextDictionary } from '../src/embeddings/fasttext/dictionary.ts';
import { packExamples } from '../src/embeddings/fasttext/train.ts';
import { trainFastText } from '../src/embeddings/fasttext/train-node.ts';
import { NgramClassifier, STAR_DECODES } from '../src/tasks/sentiment/ngram.ts';
import { targetLabelSet, nbGroupsFor } from '../src/tasks/sentiment/ngram-node.ts';
import { starReport } from '../src/tasks/sentiment/metrics.ts';

const argv = process.argv.slice(2);
const flag = (name: string, def: string) => { const i = argv.indexOf(name); return i >= 0 ? argv.splice(i, 2)[1] : def; };
const target = parseTarget(flag('--target', 'polarity'));
const out = flag('--out', `bench/results/ngram-sweep-${target}.jsonl`);
const data = flag('--data', 'data/imdb');
const configs = argv.map((a) => JSON.parse(a) as Partial<FastTextTrainArgs>);

const t0 = performance.now();
const splits = loadSplits(data, { target, seed: 1 });
const tok = new Tokenizer();
const toks = { train: splits.train.map((e) => tok.tokenize(e.text)), dev: splits.dev.map((e) => tok.tokenize(e.text)), test: splits.test.map((e) => tok.tokenize(e.text)) };
const labels = targetLabelSet(target, splits.train);
const L = new LabelSet(labels);
const y = { train: splits.train.map((e) => L.index(e.label, e)), dev: splits.dev.map((e) => L.index(e.label, e)), test: splits.test.map((e) => L.index(e.label, e)) };
console.error(`read + tokenized in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

for (const c of configs) {
  const args = resolveFastTextArgs({ dim: 10, wordNgrams: 2, bucket: 2_000_000, ...c, threads: 1 });
  const dict = FastTextDictionary.build(toks.train, args.minCount);
  const ex = packExamples(toks.train.map((t) => dict.features(t, args.wordNgrams, args.bucket).ids), y.train, toks.train.map((t) => t.length + 2));
  const run = await trainFastText(ex, dict, labels, args, undefined, 'train', { nbGroups: nbGroupsFor(target, labels) });
  const clf = new NgramClassifier(run.model, { target, decode: 'argmax', tokenizer: tok.toJSON() });
  const evalSplit = (tk: string[][], yy: number[]) => {
    const probs = tk.map((t) => run.model.predictFeatures(dict.features(t, args.wordNgrams, args.bucket).ids));
    const res: Record<string, unknown> = {};
    for (const d of isStarTarget(target) ? STAR_DECODES : (['argmax'] as const)) {
      const pred = probs.map((p) => clf.decode(p, d));
      const acc = pred.filter((k, i) => k === yy[i]).length / yy.length;
      const r: Record<string, number> = { accuracy: acc };
      if (isStarTarget(target)) {
        const st = starReport(yy.map((k) => clf.starValues[k]), pred.map((k) => clf.starValues[k]));
        Object.assign(r, { mae: st.mae, withinOne: st.withinOne });
      }
      res[d] = r;
    }
    return res;
  };
  const line = { target, args: { dim: args.dim, wordNgrams: args.wordNgrams, bucket: args.bucket, lr: args.lr, epochs: args.epochs, minCount: args.minCount, loss: args.loss, nb: args.nb ?? false, seed: args.seed },
    trainSeconds: +run.seconds.toFixed(2), tokensPerSecond: Math.round(run.tokens / run.seconds), dev: evalSplit(toks.dev, y.dev), test: evalSplit(toks.test, y.test), time: new Date().toISOString() };
  appendFileSync(out, JSON.stringify(line) + '\n');
  console.log(JSON.stringify(line));
}
