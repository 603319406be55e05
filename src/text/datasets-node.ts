/**
 * Reading labelled text datasets from disk (Node): one file (SST trees, TSV, CSV, JSONL — by extension or
 * content) or a directory laid out like data/sst (trees/{train,dev,test}.txt or {train,dev,test}.tsv) or
 * data/rt-polarity (rt-polarity.tsv). Files are read as strict UTF-8 (invalid bytes → error naming file and line).
 * Files without a dev/test split are split with a seeded shuffle.
 */
import { existsSync, statSync } from 'node:fs';
import { join, extname, basename } from 'node:path';
import { readTextFile } from '../util/fs-node.ts';
import { WordloomError, check } from '../util/errors.ts';
import { Rng } from '../util/rng.ts';
import { parseSstTrees, parseDelimited, parseLabelledRows, parseJsonl, type LabelledText, type ColumnOptions } from './datasets.ts';
import { applyTarget, DEFAULT_RATING_COLUMN, type Target } from './targets.ts';

export type DatasetFormat = 'auto' | 'sst-trees' | 'tsv' | 'csv' | 'jsonl';

export interface ReadDatasetOptions extends ColumnOptions {
  /** File format; 'auto' (default) guesses from the extension and the first line. */
  format?: DatasetFormat;
  /** SST trees: every labelled phrase instead of root labels (use for training files only). Default false. */
  phrases?: boolean;
  /**
   * What to predict (--target): 'label' (default) = the label column as written; 'polarity' | 'stars10' | 'stars5'
   * derive the class from a 1–10 rating read from the label column (default column "rating").
   */
  target?: Target;
}

/** Strip a trailing .gz (so `train.jsonl.gz` is JSONL). */
function dataExt(path: string): string {
  const p = path.toLowerCase().endsWith('.gz') ? path.slice(0, -3) : path;
  return extname(p).toLowerCase();
}

/** Guess a file's format from its name and first non-empty line. */
export function detectFormat(path: string, content: string): Exclude<DatasetFormat, 'auto'> {
  const ext = dataExt(path);
  if (ext === '.jsonl' || ext === '.ndjson') return 'jsonl';
  if (ext === '.csv') return 'csv';
  const first = content.slice(0, 4096).split('\n').find((l) => l.trim() !== '') ?? '';
  if (/^\(\s*\S+\s*\(/.test(first) || /^\(\d+ /.test(first)) return 'sst-trees';
  if (first.trimStart().startsWith('{')) return 'jsonl';
  if (first.includes('\t')) return 'tsv';
  if (ext === '.tsv') return 'tsv';
  throw new WordloomError('cannot tell the format (not SST trees, TSV, CSV or JSONL); pass --format', { file: path, line: 1 });
}

/** Read one labelled file (plain or gzip), with the target derived from the label column (--target). */
export function readLabelledFile(path: string, opts: ReadDatasetOptions = {}): LabelledText[] {
  const target = opts.target ?? 'label';
  const labelColumn = opts.labelColumn ?? (target === 'label' ? undefined : DEFAULT_RATING_COLUMN);
  const xs = readLabelledRaw(path, { ...opts, labelColumn });
  return applyTarget(xs, target, String(labelColumn ?? DEFAULT_RATING_COLUMN));
}

function readLabelledRaw(path: string, opts: ReadDatasetOptions): LabelledText[] {
  if (!existsSync(path)) throw new WordloomError('file not found', { file: path });
  if (statSync(path).isDirectory()) throw new WordloomError('expected a file, got a directory', { file: path });
  const content = readTextFile(path);
  const fmt = !opts.format || opts.format === 'auto' ? detectFormat(path, content) : opts.format;
  const col: ColumnOptions = { ...opts, file: path };
  switch (fmt) {
    case 'sst-trees': return parseSstTrees(content, { phrases: opts.phrases, file: path });
    case 'tsv': return parseLabelledRows(parseDelimited(content, '\t', path), col);
    case 'csv': return parseLabelledRows(parseDelimited(content, ',', path), col);
    case 'jsonl': return parseJsonl(content, col);
  }
}

export interface DatasetSplits {
  train: LabelledText[];
  dev: LabelledText[];
  test: LabelledText[];
  /** Files each split came from (or "<file> (seeded split)"). */
  sources: { train: string; dev: string; test: string };
}

export interface LoadSplitsOptions extends ReadDatasetOptions {
  /** Fraction for dev when a single file is split. Default 0.1. */
  devFraction?: number;
  /** Fraction for test when a single file is split (0 = none). Default 0.1. */
  testFraction?: number;
  /** Seed for splitting single files and taking a dev split out of train. Default 1. */
  seed?: number;
  /** With a single --data file: read the test split from this file (--test) instead of splitting one off. */
  testFile?: string;
}

/** Extensions tried for {train,dev,test}.<ext> in a data directory, in order. */
const SPLIT_EXTS = ['tsv', 'csv', 'jsonl', 'txt'].flatMap((e) => [e, `${e}.gz`]);

/**
 * Load train/dev/test from a directory or a single file. In a directory: `trees/{train,dev,test}.txt` (SST; preferred
 * because phrase labels are available), else `{train,dev,test}.{tsv,csv,jsonl}`, else one data file that is split.
 * Only the training split gets phrases.
 */
export function loadSplits(path: string, opts: LoadSplitsOptions = {}): DatasetSplits {
  if (!existsSync(path)) throw new WordloomError('data path not found', { file: path, flag: '--data' });
  const devF = opts.devFraction ?? 0.1, testF = opts.testFraction ?? 0.1;
  check(devF > 0 && testF >= 0 && devF + testF < 1, `dev/test fractions must be in (0, 1) and sum below 1, got ${devF} + ${testF}`, { flag: '--dev-fraction' });
  const noPhrases = { ...opts, phrases: false };
  if (statSync(path).isDirectory()) {
    const trees = ['train', 'dev', 'test'].map((s) => join(path, 'trees', `${s}.txt`));
    if (trees.every(existsSync) && (opts.format === undefined || opts.format === 'auto' || opts.format === 'sst-trees')) {
      return {
        train: readLabelledFile(trees[0], { ...opts, format: 'sst-trees' }),
        dev: readLabelledFile(trees[1], { ...noPhrases, format: 'sst-trees' }),
        test: readLabelledFile(trees[2], { ...noPhrases, format: 'sst-trees' }),
        sources: { train: trees[0], dev: trees[1], test: trees[2] },
      };
    }
    const find = (split: string) => SPLIT_EXTS.map((e) => join(path, `${split}.${e}`)).find(existsSync);
    const [trainF, devFile, testFile] = ['train', 'dev', 'test'].map(find);
    if (trainF && devFile) {
      const test = testFile ? readLabelledFile(testFile, noPhrases) : [];
      return { train: readLabelledFile(trainF, opts), dev: readLabelledFile(devFile, noPhrases), test, sources: { train: trainF, dev: devFile, test: test.length ? testFile! : '' } };
    }
    if (trainF && testFile) {
      // No dev file (IMDB's official split): a seeded dev split out of train, the official test untouched.
      const s = splitFile(trainF, opts, devF, 0);
      return { ...s, test: readLabelledFile(testFile, noPhrases), sources: { ...s.sources, test: testFile } };
    }
    const single = ['rt-polarity.tsv', 'data.tsv', 'data.csv', 'data.jsonl', 'data.jsonl.gz'].map((n) => join(path, n)).find(existsSync);
    if (!single) throw new WordloomError('no dataset found in this directory (expected trees/{train,dev,test}.txt, {train,dev}.tsv, train + test files, or rt-polarity.tsv)', { file: path, flag: '--data' });
    return splitFile(single, opts, devF, testF);
  }
  if (opts.testFile) {
    const s = splitFile(path, opts, devF, 0);
    return { ...s, test: readLabelledFile(opts.testFile, noPhrases), sources: { ...s.sources, test: opts.testFile } };
  }
  return splitFile(path, opts, devF, testF);
}

function splitFile(file: string, opts: LoadSplitsOptions, devF: number, testF: number): DatasetSplits {
  const all = readLabelledFile(file, { ...opts, phrases: false });
  check(all.length >= (testF > 0 ? 3 : 2), `need at least ${testF > 0 ? 3 : 2} examples to split into train/dev${testF > 0 ? '/test' : ''}, got ${all.length}`, { file });
  const order = Array.from({ length: all.length }, (_, i) => i);
  new Rng(opts.seed ?? 1).shuffle(order);
  const nDev = Math.max(1, Math.round(all.length * devF));
  const nTest = testF > 0 ? Math.max(1, Math.round(all.length * testF)) : 0;
  const pick = (a: number, b: number) => order.slice(a, b).sort((x, y) => x - y).map((i) => all[i]);
  const name = `${basename(file)} (seeded split)`;
  return {
    dev: pick(0, nDev),
    test: pick(nDev, nDev + nTest),
    train: pick(nDev + nTest, all.length),
    sources: { train: name, dev: name, test: nTest ? name : '' },
  };
}
