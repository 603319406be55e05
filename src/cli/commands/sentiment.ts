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
import { SENTIMENT_DEFAULTS, POOLINGS, type SentimentConfig } from '../../tasks/sentiment/config.ts';
import { TRUNCATE_POLICIES } from '../../text/encoding.ts';
import { trainSentiment, loadSentimentModel, type DataOptions } from '../../tasks/sentiment/train-node.ts';
import { SentimentClassifier } from '../../tasks/sentiment/model.ts';
import { formatConfusion, formatStarReport, starReportFromConfusion } from '../../tasks/sentiment/metrics.ts';
import { trainNgram, NGRAM_DEFAULTS, type NgramTrainResult } from '../../tasks/sentiment/ngram-node.ts';
import { STAR_DECODES, type StarDecode } from '../../tasks/sentiment/ngram.ts';
import { loadTextClassifier, evaluateClassifierFile } from '../../tasks/sentiment/classifier-node.ts';
import type { TextEvalReport } from '../../tasks/sentiment/evaluate.ts';
import { FASTTEXT_LOSSES, type FastTextLoss } from '../../embeddings/fasttext/args.ts';
import { TARGETS, isStarTarget, starValue, type Target } from '../../text/targets.ts';
import { runCurve, formatCurveTable, CURVE_VARIANTS, type CurveVariant } from '../../tasks/sentiment/curve-node.ts';
import type { DatasetFormat } from '../../text/datasets-node.ts';
import { argumentRecords, fileRecords, countLines, INPUT_DEFAULTS, PREDICT_FORMATS, type PredictFormat } from '../../tasks/sentiment/predict-input-node.ts';
import { predictRecords, PREDICT_RUN_DEFAULTS, type PredictionLine } from '../../tasks/sentiment/predict-node.ts';
import { AtomicWriter } from '../../util/fs-node.ts';
import { resolve } from 'node:path';

const FORMATS = ['auto', 'sst-trees', 'tsv', 'csv', 'jsonl'] as const;

interface DataFlags { format?: DatasetFormat; textColumn?: string; labelColumn?: string; target?: Target; devFraction?: number; test?: string | boolean }

function addDataFlags(c: Command): Command {
  return c
    .option('--format <format>', `data format: ${FORMATS.join(' | ')}`, choiceArg(FORMATS), 'auto')
    .option('--text-column <name|index>', 'text column (header name or 0-based index) for TSV/CSV/JSONL')
    .option('--label-column <name|index>', 'label column (header name or 0-based index) for TSV/CSV/JSONL (default for rating targets: "rating")')
    .option('--target <what>', `what to predict: ${TARGETS.join(' | ')} — label = the label column as written (default; eval: the model's own); ` +
      'polarity = rating ≥ 7 pos, ≤ 4 neg; stars10 = the 1–10 rating; stars5 = ⌈rating/2⌉', choiceArg(TARGETS));
}

function dataOpts(o: DataFlags): DataOptions {
  return { format: o.format, textColumn: o.textColumn, labelColumn: o.labelColumn, target: o.target, devFraction: o.devFraction, testFile: typeof o.test === 'string' ? o.test : undefined };
}

interface NgramFlags { arch?: 'rnn' | 'ngram'; nb?: boolean; dim?: number; wordNgrams?: number; bucket?: number | boolean; threads?: number; loss?: FastTextLoss; decode?: StarDecode }

function addNgramFlags(c: Command): Command {
  const d = NGRAM_DEFAULTS;
  return c
    .option('--arch <arch>', 'model: rnn (recurrent, default) | ngram (fastText bag of words and word n-grams)', choiceArg(['rnn', 'ngram'] as const), 'rnn')
    .option('--dim <n>', `ngram: vector size (fastText -dim; default ${d.dim})`, intArg(1, 4096))
    .option('--word-ngrams <n>', `ngram: longest word n-gram (fastText -wordNgrams; default ${d.wordNgrams})`, intArg(1, 10))
    .option('--bucket <n>', `ngram: hash buckets for word n-grams (fastText -bucket; default ${d.bucket})`, intArg(1, 2 ** 30))
    .option('--threads <n>', `ngram: Hogwild worker threads (fastText -thread; default ${d.threads}: deterministic)`, intArg(1, 64))
    .option('--loss <loss>', `ngram: ${FASTTEXT_LOSSES.join(' | ')} (fastText -loss; default ${d.loss})`, choiceArg(FASTTEXT_LOSSES))
    .option('--nb', 'ngram: NB-scaled features (Wang & Manning 2012 log-count ratios weight each feature; star targets use the negative/positive ratio; not in fastText; default for two classes and star targets)')
    .option('--no-nb', 'ngram: plain fastText features (default for other targets with more than two classes)')
    .option('--decode <how>', `ngram, star targets: class from the predicted distribution: ${STAR_DECODES.join(' | ')} (default ${d.decode})`, choiceArg(STAR_DECODES));
}

/** Flags that belong to the other architecture are errors, not silently ignored. */
function checkArchFlags(o: Record<string, unknown>, arch: 'rnn' | 'ngram'): void {
  const rnnOnly: Record<string, string> = {
    cell: '--cell', embeddings: '--embeddings', freeze: '--freeze', embeddingDim: '--embedding-dim', hidden: '--hidden', layers: '--layers',
    bidirectional: '--bidirectional', pooling: '--pooling', dropout: '--dropout', batchSize: '--batch-size', weightDecay: '--weight-decay',
    clip: '--clip', patience: '--patience', phrases: '--phrases', binary: '--binary', maxVocab: '--max-vocab', maxLength: '--max-length', resume: '--resume',
  };
  const ngramOnly: Record<string, string> = { nb: '--nb', dim: '--dim', wordNgrams: '--word-ngrams', threads: '--threads', loss: '--loss', decode: '--decode' };
  const other = arch === 'ngram' ? rnnOnly : ngramOnly;
  for (const [k, flag] of Object.entries(other)) {
    if (o[k] !== undefined) throw new WordloomError(`${flag} applies to --arch ${arch === 'ngram' ? 'rnn' : 'ngram'} only`, { flag });
  }
  if (arch === 'ngram' && o.bucket === false) throw new WordloomError('--no-bucket applies to --arch rnn only', { flag: '--no-bucket' });
  if (arch === 'rnn' && typeof o.bucket === 'number') throw new WordloomError('--bucket <n> applies to --arch ngram only', { flag: '--bucket' });
}

function evalJson(r: TextEvalReport): Record<string, unknown> {
  return {
    n: r.n, accuracy: r.accuracy, macroF1: r.macroF1, maeStars: r.maeStars, loss: r.loss, oovRate: r.oovRate, confusion: r.confusion, perClass: r.perClass,
    ...(r.stars ? { stars: r.stars } : {}), ...(r.decodes ? { decodes: r.decodes } : {}),
  };
}

function printNgramSummary(o: { out: string }, r: NgramTrainResult): void {
  const a = r.args;
  console.log(`saved ${o.out}: n-gram model (dim ${a.dim}, word n-grams ${a.wordNgrams}, bucket ${a.bucket}, ${a.loss}${a.nb ? ', NB-scaled' : ''}), ${r.params} parameters, ` +
    `${r.vocabSize} words; trained in ${r.trainSeconds.toFixed(2)} s (${Math.round(r.tokensPerSecond)} tokens/s, ${a.threads} thread${a.threads > 1 ? 's' : ''}), data prepared in ${r.prepSeconds.toFixed(1)} s`);
  for (const [name, e] of [['dev', r.dev], ['test', r.test]] as const) {
    if (!e || !e.n) continue;
    console.log(`${name}: accuracy ${pct(e.accuracy)}, macro-F1 ${pct(e.macroF1)} (${e.n} examples)`);
    if (e.stars) console.log(formatStarReport(e.stars));
    if (e.decodes) console.log('decodings: ' + Object.entries(e.decodes).map(([k, v]) => `${k}: exact ${pct(v!.accuracy)} MAE ${v!.stars.mae.toFixed(3)} within-one ${pct(v!.stars.withinOne)}`).join(' | '));
  }
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
    .option('--epochs <n>', `maximum epochs (default ${d.epochs}; ngram: passes, default ${NGRAM_DEFAULTS.epochs})`, intArg(1))
    .option('--batch-size <n>', `mini-batch size (default ${d.batchSize})`, intArg(1))
    .option('--lr <rate>', `Adam learning rate (default ${d.lr}; ngram: SGD rate decayed linearly to 0, default ${NGRAM_DEFAULTS.lr})`, floatArg(0, 10))
    .option('--weight-decay <l2>', `L2 penalty (default ${d.weightDecay})`, floatArg(0, 1))
    .option('--clip <norm>', `global gradient-norm clipping (default ${d.clip})`, floatArg(1e-9))
    .option('--patience <n>', `early stopping: epochs without dev improvement (0 = off; default ${d.patience})`, intArg(0))
    .option('--phrases', `SST trees: also train on all labelled phrases (Tai et al. 2015)${d.phrases ? ' (default)' : ''}`)
    .option('--no-phrases', 'SST trees: train on whole sentences only')
    .option('--binary', 'binary task: drop neutral, merge negative/positive (SST-2)')
    .option('--min-count <n>', `vocabulary: minimum count (default ${d.minCount}; ngram: ${NGRAM_DEFAULTS.minCount})`, intArg(1))
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

  addNgramFlags(addModelFlags(addDataFlags(s.command('train').description('train a classifier (--arch rnn: keeps the best dev model in --out and a resumable checkpoint <out>.ckpt; --arch ngram: fastText supervised)'))))
    .requiredOption('--data <dir|file>', 'dataset directory (data/sst, data/rt-polarity) or a labelled file')
    .requiredOption('--out <model.wl>', 'output model file (the best dev epoch)')
    .option('--resume', 'continue from <out>.ckpt (written at every epoch end and every --checkpoint-minutes)')
    .option('--checkpoint-minutes <m>', 'also checkpoint inside an epoch every m minutes (0 = epoch ends only)', floatArg(0), 2)
    .option('--force', 'replace an existing --out / ignore an old checkpoint')
    .option('--test <file>', 'with a single --data file: the test file (default: a seeded test split)')
    .option('--no-test', 'do not evaluate on the test split at the end')
    .option('--dev-fraction <f>', 'fraction of train held out as the seeded dev split when there is no dev file', floatArg(0.001, 0.9))
    .option('--json', 'print a JSON summary')
    .action(async (o: ModelFlags & DataFlags & NgramFlags & { data: string; out: string; resume?: boolean; checkpointMinutes: number; force?: boolean; json?: boolean }) => {
      const arch = o.arch ?? 'rnn';
      checkArchFlags(o as unknown as Record<string, unknown>, arch);
      if (arch === 'ngram') {
        const r = await trainNgram({
          data: o.data, out: o.out, force: o.force, evalTest: o.test !== false, ...dataOpts(o), decode: o.decode,
          args: { dim: o.dim, wordNgrams: o.wordNgrams, bucket: typeof o.bucket === 'number' ? o.bucket : undefined, lr: o.lr, epochs: o.epochs, minCount: o.minCount, threads: o.threads, loss: o.loss, seed: o.seed, nb: o.nb },
          tokenizer: o.lowercase === false ? { lowercase: false } : {},
          progress: terminalProgress({ quiet: o.json }), log: o.json ? undefined : (l) => process.stderr.write(l + '\n'),
        });
        if (o.json) {
          console.log(JSON.stringify({
            out: o.out, arch, target: r.target, decode: r.decode, args: r.args, labels: r.labels, vocabSize: r.vocabSize, params: r.params, trainExamples: r.trainExamples,
            prepSeconds: r.prepSeconds, trainSeconds: r.trainSeconds, tokens: r.tokens, tokensPerSecond: r.tokensPerSecond, trainLoss: r.trainLoss,
            dev: evalJson(r.dev), test: r.test ? evalJson(r.test) : null,
          }));
        } else printNgramSummary(o, r);
        return;
      }
      const r = trainSentiment({
        data: o.data, out: o.out, force: o.force, resume: o.resume, checkpointMinutes: o.checkpointMinutes, config: configFrom(o), evalTest: o.test !== false, ...dataOpts(o),
        progress: terminalProgress({ quiet: o.json }), log: o.json ? undefined : (l) => process.stderr.write(l + '\n'),
      });
      const testStars = r.test && o.target && isStarTarget(o.target) ? starReportFromConfusion(r.test.confusion, r.labels.map(starValue)) : null;
      const summary = {
        out: o.out, target: o.target ?? 'label', config: r.config, labels: r.labels, vocabSize: r.vocabSize, params: r.params, trainExamples: r.trainExamples,
        devOovRate: r.devOovRate, pretrained: r.pretrained, bestEpoch: r.bestEpoch, bestDevAccuracy: r.bestDevAccuracy,
        stoppedEarly: r.stoppedEarly, history: r.history,
        test: r.test ? { accuracy: r.test.accuracy, macroF1: r.test.macroF1, maeStars: r.test.maeStars, confusion: r.test.confusion, oovRate: r.test.oovRate, n: r.test.n, ...(testStars ? { stars: testStars } : {}) } : null,
      };
      if (o.json) { console.log(JSON.stringify(summary)); return; }
      const secs = r.history.reduce((a, h) => a + h.seconds, 0) / Math.max(1, r.history.length);
      console.log(`saved ${o.out}: ${r.config.cell.toUpperCase()}${r.config.bidirectional ? ' (bidirectional)' : ''}, ${r.params} parameters, best dev ${pct(r.bestDevAccuracy)} at epoch ${r.bestEpoch}, ${secs.toFixed(1)} s/epoch`);
      if (r.test) console.log(`test: accuracy ${pct(r.test.accuracy)}, macro-F1 ${pct(r.test.macroF1)}, MAE ${r.test.maeStars.toFixed(3)} stars (${r.test.n} examples)`);
      if (testStars) console.log(formatStarReport(testStars));
    });

  addDataFlags(s.command('eval').description('evaluate a model on a labelled file: accuracy, macro-F1, confusion matrix, MAE in stars'))
    .requiredOption('--model <model.wl>', 'model file')
    .requiredOption('--data <file>', 'labelled file (SST trees, label<TAB>text TSV, CSV, JSONL)')
    .option('--json', 'print JSON')
    .action((o: DataFlags & { model: string; data: string; json?: boolean }) => {
      const model = loadTextClassifier(o.model);
      const r = evaluateClassifierFile(model, o.data, dataOpts(o));
      const kind = model instanceof SentimentClassifier ? 'rnn' : 'ngram';
      if (o.json) {
        console.log(JSON.stringify({ model: o.model, kind, data: o.data, target: r.target, labels: model.labels, ...evalJson(r) }));
        return;
      }
      console.log(`${o.data}: ${r.n} examples, ${kind} model, target ${r.target}, OOV ${pct(r.oovRate)}`);
      console.log(`accuracy ${pct(r.accuracy)}  macro-F1 ${pct(r.macroF1)}  MAE ${r.maeStars.toFixed(3)} (class indices)  loss ${r.loss?.toFixed(4)}`);
      if (r.stars) console.log(formatStarReport(r.stars));
      if (r.decodes) console.log('decodings: ' + Object.entries(r.decodes).map(([k, v]) => `${k}: exact ${pct(v!.accuracy)} MAE ${v!.stars.mae.toFixed(3)} within-one ${pct(v!.stars.withinOne)}`).join(' | '));
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
