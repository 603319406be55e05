/**
 * `wordloom sentiment …`: movie-review sentiment with recurrent networks (issue #3).
 *
 *   train    train a classifier (SST trees / TSV / CSV / JSONL), keep the best dev model, resumable checkpoints
 *   eval     accuracy, macro-F1, confusion matrix, MAE in stars of a saved model on a labelled file
 *   predict  "This movie is great!" → 5/5 with class probabilities (texts as arguments, one per stdin line, or a
 *            JSONL/TSV/CSV/text file with --input → JSON lines), any model kind (TextClassifier)
 *   curve    one-hot vs random vs pretrained-frozen vs pretrained-fine-tuned embeddings on 10/25/50/100% of the
 *            training data: test accuracy and time per epoch, plus an SVG plot
 *
 * Defaults of `train` are the best configuration measured (see SENTIMENT_DEFAULTS): `wordloom sentiment train
 * --data data/sst --out model.wl` reproduces the headline result.
 */
import type { Command } from 'commander';
import { WordloomError } from '../../util/errors.ts';
import { choiceArg, floatArg, intArg } from '../options.ts';
import { terminalProgress } from '../progress-bar.ts';
import { SENTIMENT_DEFAULTS, type SentimentConfig } from '../../tasks/sentiment/config.ts';
import { trainSentiment, loadSentimentModel, evaluateFile, type DataOptions } from '../../tasks/sentiment/train-node.ts';
import { formatConfusion } from '../../tasks/sentiment/metrics.ts';
import { runCurve, formatCurveTable, CURVE_VARIANTS, type CurveVariant } from '../../tasks/sentiment/curve-node.ts';
import type { DatasetFormat } from '../../text/datasets-node.ts';
import { loadTextClassifier } from '../../tasks/sentiment/load-node.ts';
import { argumentRecords, fileRecords, countLines, INPUT_DEFAULTS, PREDICT_FORMATS, type PredictFormat } from '../../tasks/sentiment/predict-input-node.ts';
import { predictRecords, PREDICT_RUN_DEFAULTS, type PredictionLine } from '../../tasks/sentiment/predict-node.ts';
import { AtomicWriter } from '../../util/atomic-writer-node.ts';
import { resolve } from 'node:path';

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
  bucket?: boolean; maxLength?: number; seed?: number; lowercase?: boolean;
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
    .option('--pooling <how>', `last | mean | max over the time steps (default ${d.pooling})`, choiceArg(['last', 'mean', 'max'] as const))
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
    .option('--max-length <n>', 'truncate training texts to n tokens (0 = no limit)', intArg(0))
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

interface PredictFlags {
  model: string; input?: string; format: PredictFormat; textColumn: string; idColumn?: string; output?: string; force?: boolean;
  maxChars: number; lenient?: boolean; batchSize: number; includeText?: boolean; json?: boolean;
}

/**
 * `sentiment predict`: texts from arguments, stdin lines or --input, the same checks for all (predict-input-node.ts);
 * JSON lines for files and --output, "stars<TAB>probabilities<TAB>text" lines for arguments/stdin without --json.
 */
function predictCommand(texts: string[], o: PredictFlags): void {
  const fromArgs = texts.length > 0 && !(texts.length === 1 && texts[0] === '-');
  if (o.input !== undefined && fromArgs) throw new WordloomError('give texts as arguments or --input, not both', { flag: '--input' });
  const source = o.input ?? (fromArgs ? null : '-');
  if (o.output !== undefined && source !== null && source !== '-' && resolve(o.output) === resolve(source)) {
    throw new WordloomError('--output is the input file', { file: o.output, flag: '--output' });
  }
  // Check everything that can fail before the work: model, output location.
  const model = loadTextClassifier(o.model);
  const out = o.output !== undefined ? new AtomicWriter(o.output, { overwrite: o.force, flag: '--output' }) : null;
  const jsonLines = out !== null || o.json || o.input !== undefined;
  const includeText = o.includeText ?? o.input === undefined; // short texts typed or piped: echo them
  const records = source === null ? argumentRecords(texts, o.maxChars)
    : fileRecords(source, { format: source === '-' && o.format === 'auto' ? 'auto' : o.format, textColumn: o.textColumn, idColumn: o.idColumn, lenient: o.lenient, maxChars: o.maxChars });
  const emit = (p: PredictionLine) => {
    const line = jsonLines ? JSON.stringify(p) : `${p.stars}\t${Object.entries(p.probabilities).map(([l, x]) => `${l}:${x.toFixed(3)}`).join(' ')}\t${p.text ?? ''}`;
    if (out) out.write(line + '\n'); else console.log(line);
  };
  let summary;
  try {
    summary = predictRecords(model, records, emit, {
      batchSize: o.batchSize, includeText, total: o.input !== undefined ? countLines(o.input) : 0,
      progress: o.input !== undefined ? terminalProgress() : undefined,
    });
    if (summary.n === 0) throw new WordloomError('no text to classify', source && source !== '-' ? { file: source, flag: '--input' } : { flag: '<texts>' });
  } catch (e) {
    out?.abort();
    throw e;
  }
  out?.commit();
  if (o.input !== undefined || out) {
    process.stderr.write(`predicted ${summary.n} texts with the ${model.kind} model in ${summary.seconds.toFixed(2)} s (${summary.perSecond.toFixed(1)} texts/s)${out ? ` → ${o.output}` : ''}\n`);
  }
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

  s.command('predict').description('predict the sentiment of texts (arguments, stdin lines, or a JSONL/TSV/CSV/text file): "k/C" stars and class probabilities')
    .requiredOption('--model <model.wl>', 'model file (any sentiment model kind)')
    .argument('[texts...]', 'texts to classify (none or "-": one text per line from stdin)')
    .option('--input <file>', 'read the texts from a file ("-" = stdin): JSONL, TSV, CSV (header row or column indices) or plain text, one text per line')
    .option('--format <format>', `input format: ${PREDICT_FORMATS.join(' | ')} (auto: by extension, else JSONL if the first line starts with "{", else text)`, choiceArg(PREDICT_FORMATS), 'auto')
    .option('--text-column <name|index>', 'JSONL field / TSV-CSV header name of the text, or its 0-based index (then there is no header row)', INPUT_DEFAULTS.textColumn)
    .option('--id-column <name|index>', 'column copied to the output as "id" (default: "id" when there is one)')
    .option('--output <file.jsonl>', 'write the JSON lines here (atomically) instead of stdout')
    .option('--force', 'replace an existing --output')
    .option('--max-chars <n>', 'longest text accepted, in characters (0 = no limit); a longer one is an error naming where it is', intArg(0), INPUT_DEFAULTS.maxChars)
    .option('--lenient', 'replace invalid UTF-8 bytes with U+FFFD instead of failing')
    .option('--batch-size <n>', 'texts read and predicted at a time (memory stays bounded on big files)', intArg(1, 100_000), PREDICT_RUN_DEFAULTS.batchSize)
    .option('--include-text', 'copy each text into its output line (default for texts given as arguments or stdin lines)')
    .option('--json', 'JSON lines on stdout for texts given as arguments / stdin lines (files always give JSON lines)')
    .action((texts: string[], o: PredictFlags) => {
      predictCommand(texts, o);
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
