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

export type DatasetFormat = 'auto' | 'sst-trees' | 'tsv' | 'csv' | 'jsonl';

export interface ReadDatasetOptions extends ColumnOptions {
  /** File format; 'auto' (default) guesses from the extension and the first line. */
  format?: DatasetFormat;
  /** SST trees: every labelled phrase instead of root labels (use for training files only). Default false. */
  phrases?: boolean;
}

/** Guess a file's format from its name and first non-empty line. */
export function detectFormat(path: string, content: string): Exclude<DatasetFormat, 'auto'> {
  const ext = extname(path).toLowerCase();
  if (ext === '.jsonl' || ext === '.ndjson') return 'jsonl';
  if (ext === '.csv') return 'csv';
  const first = content.slice(0, 4096).split('\n').find((l) => l.trim() !== '') ?? '';
  if (/^\(\s*\S+\s*\(/.test(first) || /^\(\d+ /.test(first)) return 'sst-trees';
  if (first.trimStart().startsWith('{')) return 'jsonl';
  if (first.includes('\t')) return 'tsv';
  if (ext === '.tsv') return 'tsv';
  throw new WordloomError('cannot tell the format (not SST trees, TSV, CSV or JSONL); pass --format', { file: path, line: 1 });
}

/** Read one labelled file. */
export function readLabelledFile(path: string, opts: ReadDatasetOptions = {}): LabelledText[] {
  if (!existsSync(path)) throw new WordloomError('file not found', { file: path });
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
  /** Seed for splitting single files. Default 1. */
  seed?: number;
}

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
    for (const ext of ['tsv', 'csv', 'jsonl', 'txt']) {
      const f = ['train', 'dev', 'test'].map((s) => join(path, `${s}.${ext}`));
      if (existsSync(f[0]) && existsSync(f[1])) {
        const test = existsSync(f[2]) ? readLabelledFile(f[2], noPhrases) : [];
        return { train: readLabelledFile(f[0], opts), dev: readLabelledFile(f[1], noPhrases), test, sources: { train: f[0], dev: f[1], test: test.length ? f[2] : '' } };
      }
    }
    const single = ['rt-polarity.tsv', 'data.tsv', 'data.csv', 'data.jsonl'].map((n) => join(path, n)).find(existsSync);
    if (!single) throw new WordloomError('no dataset found in this directory (expected trees/{train,dev,test}.txt, {train,dev}.tsv, or rt-polarity.tsv)', { file: path, flag: '--data' });
    return splitFile(single, opts, devF, testF);
  }
  return splitFile(path, opts, devF, testF);
}

function splitFile(file: string, opts: LoadSplitsOptions, devF: number, testF: number): DatasetSplits {
  const all = readLabelledFile(file, { ...opts, phrases: false });
  check(all.length >= 3, `need at least 3 examples to split into train/dev/test, got ${all.length}`, { file });
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
