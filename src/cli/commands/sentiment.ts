/**
 * `wordloom sentiment …`: movie-review sentiment with recurrent networks (issue #3).
 *
 *   train    train a classifier (SST trees / TSV / CSV / JSONL), keep the best dev model, resumable checkpoints
 *   eval     accuracy, macro-F1, confusion matrix, MAE in stars of a saved model on a labelled file
 *   predict  "This movie is great!" → 5/5 with class probabilities (texts as arguments or one per stdin line)
 *   curve    one-hot vs random vs pretrained-frozen vs pretrained-fine-tuned embeddings on 10/25/50/100% of the
 *            training data: test accuracy and time per epoch, plus an SVG plot
 *
 * Defaults of `train` are the best configuration measured (see SENTIMENT_DEFAULTS): `wordloom sentiment train
 * --data data/sst --out model.wl` reproduces the headline result.
 */
import type { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { WordloomError } from '../../util/errors.ts';
import { choiceArg, floatArg, intArg } from '../options.ts';
import { terminalProgress } from '../progress-bar.ts';
import { SENTIMENT_DEFAULTS, POOLINGS, type SentimentConfig } from '../../tasks/sentiment/config.ts';
import { TRUNCATE_POLICIES } from '../../text/encoding.ts';
import { trainSentiment, loadSentimentModel, evaluateFile, type DataOptions } from '../../tasks/sentiment/train-node.ts';
import { formatConfusion } from '../../tasks/sentiment/metrics.ts';
import { runCurve, formatCurveTable, CURVE_VARIANTS, type CurveVariant } from '../../tasks/sentiment/curve-node.ts';
import type { DatasetFormat } from '../../text/datasets-node.ts';

const FORMATS = ['auto', 'sst-trees', 'tsv', 'csv', 'jsonl'] as const;

interface DataFlags { format?: DatasetFormat; textColumn?: string; labelColumn?: string }

function addDataFlags(c: Command): Command {
  return c
    .option('--format <format>', `data format: ${FORMATS.join(' | ')}`, choiceArg(FORMATS), 'auto')
    .option('--text-column <name|index>', 'text column (header name or 0-based index) for TSV/CSV/JSONL')
    .option('--label-column <name|index>', 'label column (header name or 0-based index) for TSV/CSV/JSONL');
}

function dataOpts(o: DataFlags): DataOptions {
  return { format: o.format, textColumn: o.textColumn, labelColumn: o.labelColumn };
}

interface ModelFlags {
  cell?: SentimentConfig['cell']; embeddings?: string; freeze?: boolean; embeddingDim?: number; hidden?: number; layers?: number;
  bidirectional?: boolean; pooling?: SentimentConfig['pooling']; dropout?: number; epochs?: number; batchSize?: number; lr?: number;
  weightDecay?: number; clip?: number; patience?: number; phrases?: boolean; binary?: boolean; minCount?: number; maxVocab?: number;
  bucket?: boolean; maxLength?: number; seed?: number; lowercase?: boolean; attentionSize?: number;
  truncate?: SentimentConfig['truncate']; maxBatchTokens?: number;
}

function addModelFlags(c: Command): Command {
  const d = SENTIMENT_DEFAULTS;
  return c
    .option('--cell <type>', `recurrent cell: rnn | gru | lstm (default ${d.cell})`, choiceArg(['rnn', 'gru', 'lstm'] as const))
    .option('--embeddings <vectors|random|onehot>', `input: a GloVe/word2vec vectors file, "random" embeddings, or "onehot" vectors (default ${d.vectorsFile})`)
    .option('--freeze', 'keep pretrained embeddings fixed (default: fine-tune)')
    .option('--embedding-dim <n>', `embedding size for random embeddings (default ${d.embeddingDim}; pretrained: the file's)`, intArg(1, 4096))
    .option('--hidden <n>', `hidden size per direction (default ${d.hiddenSize})`, intArg(1, 4096))
    .option('--layers <n>', `stacked recurrent layers (default ${d.layers})`, intArg(1, 8))
    .option('--bidirectional', 'bidirectional recurrent layers')
    .option('--no-bidirectional', 'unidirectional recurrent layers')
    .option('--pooling <how>', `${POOLINGS.join(' | ')} over the time steps (attention: learned weights per word; default ${d.pooling})`, choiceArg(POOLINGS))
    .option('--attention-size <n>', `hidden size of the attention scorer (default ${d.attentionSize})`, intArg(1, 4096))
    .option('--dropout <p>', `dropout on inputs and pooled features (default ${d.dropout})`, floatArg(0, 0.99))
    .option('--epochs <n>', `maximum epochs (default ${d.epochs})`, intArg(1))
    .option('--batch-size <n>', `mini-batch size (default ${d.batchSize})`, intArg(1))
    .option('--lr <rate>', `Adam learning rate (default ${d.lr})`, floatArg(0, 10))
    .option('--weight-decay <l2>', `L2 penalty (default ${d.weightDecay})`, floatArg(0, 1))
    .option('--clip <norm>', `global gradient-norm clipping (default ${d.clip})`, floatArg(1e-9))
    .option('--patience <n>', `early stopping: epochs without dev improvement (0 = off; default ${d.patience})`, intArg(0))
    .option('--phrases', `SST trees: also train on all labelled phrases (Tai et al. 2015)${d.phrases ? ' (default)' : ''}`)
    .option('--no-phrases', 'SST trees: train on whole sentences only')
    .option('--binary', 'binary task: drop neutral, merge negative/positive (SST-2)')
    .option('--min-count <n>', `vocabulary: minimum count (default ${d.minCount})`, intArg(1))
    .option('--max-vocab <n>', `vocabulary: maximum size incl. specials, also the one-hot input size (0 = all; default ${d.maxVocab})`, intArg(0))
    .option('--no-bucket', 'do not bucket batches by length')
    .option('--max-length <n>', 'truncate training texts to n tokens (0 = no limit; prediction reads whole texts)', intArg(0))
    .option('--truncate <policy>', `which tokens a truncated training text keeps: ${TRUNCATE_POLICIES.join(' | ')} (default ${d.truncate})`, choiceArg(TRUNCATE_POLICIES))
    .option('--max-batch-tokens <n>', `bound on rows × longest row per forward pass; larger batches run as sub-batches with accumulated gradients (0 = no bound; default ${d.maxBatchTokens})`, intArg(0))
    .option('--seed <n>', `random seed (default ${d.seed})`, intArg(0, 2 ** 32 - 1))
    .option('--no-lowercase', 'keep case (default: lower-case tokens)');
}

function configFrom(o: ModelFlags): Partial<SentimentConfig> {
  const c: Partial<SentimentConfig> = {};
  const set = <K extends keyof SentimentConfig>(k: K, v: SentimentConfig[K] | undefined) => { if (v !== undefined) c[k] = v; };
  set('cell', o.cell); set('hiddenSize', o.hidden); set('layers', o.layers); set('bidirectional', o.bidirectional);
  set('pooling', o.pooling); set('dropout', o.dropout); set('epochs', o.epochs); set('batchSize', o.batchSize); set('lr', o.lr);
  set('weightDecay', o.weightDecay); set('clip', o.clip); set('patience', o.patience); set('phrases', o.phrases); set('binary', o.binary);
  set('minCount', o.minCount); set('maxVocab', o.maxVocab); set('maxLength', o.maxLength); set('seed', o.seed); set('embeddingDim', o.embeddingDim);
  set('attentionSize', o.attentionSize); set('truncate', o.truncate); set('maxBatchTokens', o.maxBatchTokens);
  if (o.bucket === false) c.bucket = false;
  if (o.lowercase === false) c.tokenizer = { lowercase: false };
  if (o.embeddings !== undefined) {
    if (o.embeddings === 'onehot') { c.input = 'onehot'; c.embeddingInit = 'random'; }
    else if (o.embeddings === 'random') { c.input = 'embedding'; c.embeddingInit = 'random'; }
    else { c.input = 'embedding'; c.embeddingInit = 'pretrained'; c.vectorsFile = o.embeddings; }
  }
  if (o.freeze) c.freeze = true;
  return c;
}

const pct = (x: number) => (100 * x).toFixed(2) + '%';

/** Texts from arguments, or one per line on stdin ("-" or no argument). Empty lines are skipped. */
function readTexts(args: string[]): string[] {
  if (args.length && !(args.length === 1 && args[0] === '-')) return args;
  let input: string;
  try { input = readFileSync(0, 'utf8'); } catch { throw new WordloomError('no text given and stdin is not readable', { flag: '<text>' }); }
  return input.split('\n').map((l) => l.replace(/\r$/, '')).filter((l) => l.trim() !== '');
}

export function register(program: Command): void {
  const s = program.command('sentiment').description('sentiment analysis of movie reviews with RNN/GRU/LSTM (SST, rt-polarity, your TSV/CSV/JSONL)');

  addModelFlags(addDataFlags(s.command('train').description('train a classifier; keeps the best dev model in --out and a resumable checkpoint <out>.ckpt')))
    .requiredOption('--data <dir|file>', 'dataset directory (data/sst, data/rt-polarity) or a labelled file')
    .requiredOption('--out <model.wl>', 'output model file (the best dev epoch)')
    .option('--resume', 'continue from <out>.ckpt (written at every epoch end and every --checkpoint-minutes)')
    .option('--checkpoint-minutes <m>', 'also checkpoint inside an epoch every m minutes (0 = epoch ends only)', floatArg(0), 2)
    .option('--force', 'replace an existing --out / ignore an old checkpoint')
    .option('--no-test', 'do not evaluate on the test split at the end')
    .option('--json', 'print a JSON summary')
    .action((o: ModelFlags & DataFlags & { data: string; out: string; resume?: boolean; checkpointMinutes: number; force?: boolean; test?: boolean; json?: boolean }) => {
      const r = trainSentiment({
        data: o.data, out: o.out, force: o.force, resume: o.resume, checkpointMinutes: o.checkpointMinutes, config: configFrom(o), evalTest: o.test !== false, ...dataOpts(o),
        progress: terminalProgress({ quiet: o.json }), log: o.json ? undefined : (l) => process.stderr.write(l + '\n'),
      });
      const summary = {
        out: o.out, config: r.config, labels: r.labels, vocabSize: r.vocabSize, params: r.params, trainExamples: r.trainExamples,
        devOovRate: r.devOovRate, pretrained: r.pretrained, bestEpoch: r.bestEpoch, bestDevAccuracy: r.bestDevAccuracy,
        stoppedEarly: r.stoppedEarly, history: r.history,
        test: r.test ? { accuracy: r.test.accuracy, macroF1: r.test.macroF1, maeStars: r.test.maeStars, confusion: r.test.confusion, oovRate: r.test.oovRate, n: r.test.n } : null,
      };
      if (o.json) { console.log(JSON.stringify(summary)); return; }
      const secs = r.history.reduce((a, h) => a + h.seconds, 0) / Math.max(1, r.history.length);
      console.log(`saved ${o.out}: ${r.config.cell.toUpperCase()}${r.config.bidirectional ? ' (bidirectional)' : ''}, ${r.params} parameters, best dev ${pct(r.bestDevAccuracy)} at epoch ${r.bestEpoch}, ${secs.toFixed(1)} s/epoch`);
      if (r.test) console.log(`test: accuracy ${pct(r.test.accuracy)}, macro-F1 ${pct(r.test.macroF1)}, MAE ${r.test.maeStars.toFixed(3)} stars (${r.test.n} examples)`);
    });

  addDataFlags(s.command('eval').description('evaluate a model on a labelled file: accuracy, macro-F1, confusion matrix, MAE in stars'))
    .requiredOption('--model <model.wl>', 'model file')
    .requiredOption('--data <file>', 'labelled file (SST trees, label<TAB>text TSV, CSV, JSONL)')
    .option('--json', 'print JSON')
    .action((o: DataFlags & { model: string; data: string; json?: boolean }) => {
      const model = loadSentimentModel(o.model);
      const r = evaluateFile(model, o.data, dataOpts(o));
      if (o.json) {
        console.log(JSON.stringify({ model: o.model, data: o.data, n: r.n, accuracy: r.accuracy, macroF1: r.macroF1, maeStars: r.maeStars, loss: r.loss, oovRate: r.oovRate, labels: model.labels, confusion: r.confusion, perClass: r.perClass }));
        return;
      }
      console.log(`${o.data}: ${r.n} examples, OOV ${pct(r.oovRate)}`);
      console.log(`accuracy ${pct(r.accuracy)}  macro-F1 ${pct(r.macroF1)}  MAE ${r.maeStars.toFixed(3)} stars  loss ${r.loss?.toFixed(4)}`);
      console.log('confusion matrix (rows = true, columns = predicted):');
      console.log(formatConfusion(r, model.labels));
    });

  s.command('predict').description('predict the sentiment of texts: "k/C" stars and class probabilities')
    .requiredOption('--model <model.wl>', 'model file')
    .argument('[texts...]', 'texts to classify (none or "-": one text per line from stdin)')
    .option('--json', 'print JSON lines')
    .action((texts: string[], o: { model: string; json?: boolean }) => {
      const model = loadSentimentModel(o.model);
      const input = readTexts(texts);
      if (!input.length) throw new WordloomError('no text to classify (empty input)', { flag: '<text>' });
      const preds = model.predict(input);
      for (const p of preds) {
        if (o.json) { console.log(JSON.stringify({ text: p.text, label: p.label, stars: p.stars, probs: p.probs.map((x) => +x.toFixed(6)), unknownTokens: p.unknown })); continue; }
        const probs = p.probs.map((x, i) => `${model.labels[i]}:${x.toFixed(3)}`).join(' ');
        console.log(`${p.stars}\t${probs}\t${p.text}`);
      }
    });

  addModelFlags(addDataFlags(s.command('curve').description('learning curve: one-hot vs random vs pretrained-frozen vs pretrained-fine-tuned inputs on growing training subsets')))
    .requiredOption('--data <dir|file>', 'dataset directory or file (with a test split)')
    .option('--fractions <list>', 'training fractions, comma-separated', '0.1,0.25,0.5,1')
    .option('--variants <list>', `comma-separated subset of ${CURVE_VARIANTS.join(',')}`, CURVE_VARIANTS.join(','))
    .option('--svg <file>', 'write the plot here', 'sentiment-curve.svg')
    .option('--points <file.jsonl>', 'reuse points measured earlier and append new ones (run a long curve piecewise)')
    .option('--force', 'replace an existing SVG')
    .option('--json', 'print JSON')
    .action((o: ModelFlags & DataFlags & { data: string; fractions: string; variants: string; svg: string; points?: string; force?: boolean; json?: boolean }) => {
      const fractions = o.fractions.split(',').map((x) => Number(x.trim()));
      if (fractions.some((f) => !(f > 0 && f <= 1))) throw new WordloomError(`expected fractions in (0, 1], got ${o.fractions}`, { flag: '--fractions' });
      const variants = o.variants.split(',').map((x) => x.trim()) as CurveVariant[];
      const cfg = configFrom(o);
      delete cfg.input; delete cfg.embeddingInit; delete cfg.freeze;
      if (o.embeddings && !['random', 'onehot'].includes(o.embeddings)) cfg.vectorsFile = o.embeddings;
      const points = runCurve({
        data: o.data, fractions, variants, config: cfg, svg: o.svg, force: o.force, pointsFile: o.points, ...dataOpts(o),
        progress: terminalProgress({ quiet: o.json }), log: (l) => process.stderr.write(l + '\n'),
      });
      if (o.json) { console.log(JSON.stringify({ points, svg: o.svg })); return; }
      console.log('test accuracy (%) by fraction of the training sentences:');
      console.log(formatCurveTable(points));
      if (o.svg) console.log(`plot: ${o.svg}`);
    });
}
