/**
 * Dataset parsers for labelled text, browser-safe (they parse strings; `datasets-node.ts` reads files):
 * - SST PTB trees `(label (label word) ...)`: the root (sentence) label, or every labelled phrase (Tai et al. 2015
 *   trained their sequential LSTMs on all labelled phrases of the training trees);
 * - `label<TAB>sentence` TSV (SST's converted files, rt-polarity.tsv);
 * - any TSV/CSV with a header (or column indices) and JSONL with named text and label fields;
 * - label handling: a `LabelSet` maps label strings to class indices (unknown labels are errors naming file and line),
 *   and SST-2 style binarization (drop the neutral middle class, merge the halves).
 *
 * Trees are split on ASCII spaces and parentheses only: three SST leaves hold a NO-BREAK SPACE (U+00A0) inside one
 * token (`8 1\/2`).
 *
 * Reference: Socher et al. 2013 (SST); Tai, Socher and Manning 2015 (phrase-level training, SST-2 derivation).
 */
import { WordloomError, check } from '../util/errors.ts';

/** One labelled text, with where it came from (for error messages). */
export interface LabelledText {
  text: string;
  /** Label as written in the source (e.g. "3", "pos"). */
  label: string;
  /** Source file (or name) and 1-based line. */
  file?: string;
  line?: number;
  /** True for sub-sentence phrases from SST trees (false/undefined for whole sentences). */
  phrase?: boolean;
}

// ---------------------------------------------------------------- SST trees

/** PTB escapes used in SST leaves, undone (the TSV conversion did the same). */
export function unescapePtb(token: string): string {
  switch (token) {
    case '-LRB-': return '(';
    case '-RRB-': return ')';
    case '-LSB-': return '[';
    case '-RSB-': return ']';
    case '-LCB-': return '{';
    case '-RCB-': return '}';
    default: return token.includes('\\') ? token.replace(/\\([/*])/g, '$1') : token;
  }
}

export interface SstTree {
  label: string;
  /** Leaves (raw, PTB-escaped) in order. */
  leaves: string[];
  /** Every labelled node: label and leaf span [start, end). Root first. */
  nodes: Array<{ label: string; start: number; end: number }>;
}

/** Parse one PTB-style sentiment tree (one line of an SST trees file). */
export function parseSstTree(line: string, where: { file?: string; line?: number } = {}): SstTree {
  const leaves: string[] = [];
  const nodes: Array<{ label: string; start: number; end: number }> = [];
  const stack: Array<{ label: string; start: number; idx: number }> = [];
  let i = 0;
  const n = line.length;
  const fail = (msg: string): never => { throw new WordloomError(`SST tree: ${msg} (at column ${i + 1})`, where); };
  const readAtom = (): string => {
    const s = i;
    // ASCII space and parentheses only: U+00A0 stays inside the token.
    while (i < n && line[i] !== ' ' && line[i] !== '(' && line[i] !== ')') i++;
    return line.slice(s, i);
  };
  let rootDone = false;
  while (i < n) {
    const c = line[i];
    if (c === ' ' || c === '\t' || c === '\r') { i++; continue; }
    if (rootDone) fail('text after the end of the tree');
    if (c === '(') {
      i++;
      const label = readAtom();
      if (!label) fail('missing label after "("');
      stack.push({ label, start: leaves.length, idx: nodes.length });
      nodes.push({ label, start: leaves.length, end: -1 });
      while (i < n && line[i] === ' ') i++;
      if (i < n && line[i] !== '(' && line[i] !== ')') {
        const w = readAtom();
        leaves.push(w);
      }
    } else if (c === ')') {
      i++;
      const top = stack.pop();
      if (!top) fail('unbalanced ")"');
      nodes[top!.idx].end = leaves.length;
      if (nodes[top!.idx].end === top!.start) fail('node without leaves');
      if (stack.length === 0) rootDone = true;
    } else {
      fail(`unexpected "${c}"`);
    }
  }
  if (stack.length > 0 || nodes.length === 0) { i = n; fail(stack.length > 0 ? 'unbalanced "(" (tree not closed)' : 'empty tree'); }
  return { label: nodes[0].label, leaves, nodes };
}

export interface SstTreeOptions {
  /** Return every labelled phrase (root first, then sub-phrases), not only the sentences. Default false. */
  phrases?: boolean;
  /** With `phrases`: keep each distinct (text, label) phrase once per file. Default true. */
  dedupe?: boolean;
  /** Source name for error messages. */
  file?: string;
}

/** Parse an SST trees file (one tree per line; blank lines skipped). */
export function parseSstTrees(content: string, opts: SstTreeOptions = {}): LabelledText[] {
  const out: LabelledText[] = [];
  const seen = new Set<string>();
  const lines = content.split('\n');
  for (let ln = 0; ln < lines.length; ln++) {
    const raw = lines[ln];
    if (raw.trim() === '') continue;
    const where = { file: opts.file, line: ln + 1 };
    const tree = parseSstTree(raw, where);
    const words = tree.leaves.map(unescapePtb);
    const nodes = opts.phrases ? tree.nodes : tree.nodes.slice(0, 1);
    for (let k = 0; k < nodes.length; k++) {
      const nd = nodes[k];
      const text = words.slice(nd.start, nd.end).join(' ');
      if (opts.phrases && (opts.dedupe ?? true) && k > 0) {
        const key = nd.label + '\t' + text;
        if (seen.has(key)) continue;
        seen.add(key);
      }
      out.push({ text, label: nd.label, file: opts.file, line: ln + 1, phrase: k > 0 });
    }
  }
  return out;
}

// ---------------------------------------------------------------- delimited text

export type Delimiter = '\t' | ',';

/**
 * Split delimited text into rows of fields (RFC 4180 quoting for CSV: "a ""b""", newlines inside quotes).
 * TSV fields are taken literally (no quoting). Each row records its 1-based starting line.
 */
export function parseDelimited(content: string, delimiter: Delimiter, file?: string): Array<{ fields: string[]; line: number }> {
  const rows: Array<{ fields: string[]; line: number }> = [];
  if (delimiter === '\t') {
    const lines = content.split('\n');
    for (let i = 0; i < lines.length; i++) {
      let l = lines[i];
      if (l.endsWith('\r')) l = l.slice(0, -1);
      if (l.trim() === '') continue;
      rows.push({ fields: l.split('\t'), line: i + 1 });
    }
    return rows;
  }
  let line = 1, i = 0;
  const n = content.length;
  while (i < n) {
    const startLine = line;
    const fields: string[] = [];
    let field = '';
    let rowDone = false;
    while (!rowDone) {
      if (i < n && content[i] === '"') {
        i++;
        for (;;) {
          if (i >= n) throw new WordloomError('unterminated quoted CSV field', { file, line: startLine });
          const c = content[i];
          if (c === '"') {
            if (content[i + 1] === '"') { field += '"'; i += 2; continue; }
            i++; break;
          }
          if (c === '\n') line++;
          field += c; i++;
        }
        if (i < n && content[i] !== ',' && content[i] !== '\n' && content[i] !== '\r') {
          throw new WordloomError('unexpected character after a closing quote in CSV', { file, line });
        }
      } else {
        const s = i;
        while (i < n && content[i] !== ',' && content[i] !== '\n') i++;
        field = content.slice(s, i);
        if (field.endsWith('\r') && (i >= n || content[i] === '\n')) field = field.slice(0, -1);
      }
      if (i < n && content[i] === '\r') i++;
      fields.push(field); field = '';
      if (i >= n) rowDone = true;
      else if (content[i] === ',') i++;
      else { i++; line++; rowDone = true; }
    }
    if (fields.length === 1 && fields[0].trim() === '') continue;
    rows.push({ fields, line: startLine });
  }
  return rows;
}

export interface ColumnOptions {
  /** Text column: header name or 0-based index. Default: "text"/"sentence"/"review" when there is a header, else 1. */
  textColumn?: string | number;
  /** Label column: header name or 0-based index. Default: "label"/"rating"/"sentiment"/"stars"/"score" with a header, else 0. */
  labelColumn?: string | number;
  /**
   * Whether the first row is a header. 'auto' (default): yes when a column name was given, or when the first row's
   * cells include one of the default text/label names.
   */
  header?: boolean | 'auto';
  /** Source name for error messages. */
  file?: string;
}

const TEXT_NAMES = ['text', 'sentence', 'review', 'content', 'phrase', 'document'];
const LABEL_NAMES = ['label', 'rating', 'sentiment', 'stars', 'score', 'class', 'polarity'];

function resolveColumn(col: string | number | undefined, header: string[] | null, defaults: string[], fallback: number, flag: string, file?: string): number {
  if (typeof col === 'number') {
    check(Number.isInteger(col) && col >= 0, `column index must be an integer ≥ 0, got ${col}`, { flag });
    return col;
  }
  if (col !== undefined && /^\d+$/.test(col) && !(header && header.includes(col))) return Number(col);
  if (header) {
    const names = col !== undefined ? [col] : defaults;
    const lower = header.map((h) => h.trim().toLowerCase());
    for (const nm of names) {
      const k = lower.indexOf(nm.toLowerCase());
      if (k >= 0) return k;
    }
    throw new WordloomError(`no column ${col !== undefined ? `"${col}"` : `named ${defaults.join('/')}`} in the header (columns: ${header.join(', ')})`, { file, line: 1, flag });
  }
  if (col !== undefined) throw new WordloomError(`column "${col}" given by name but the file has no header row`, { file, flag });
  return fallback;
}

/** Rows of a TSV/CSV file → labelled texts (ragged rows are errors naming file and line). */
export function parseLabelledRows(rows: Array<{ fields: string[]; line: number }>, opts: ColumnOptions = {}): LabelledText[] {
  if (rows.length === 0) return [];
  const first = rows[0].fields.map((f) => f.trim().toLowerCase());
  const hasHeader = opts.header === 'auto' || opts.header === undefined
    ? (typeof opts.textColumn === 'string' && !/^\d+$/.test(opts.textColumn)) || (typeof opts.labelColumn === 'string' && !/^\d+$/.test(opts.labelColumn)) ||
      first.some((f) => TEXT_NAMES.includes(f)) && first.some((f) => LABEL_NAMES.includes(f))
    : opts.header;
  const header = hasHeader ? rows[0].fields : null;
  const ti = resolveColumn(opts.textColumn, header, TEXT_NAMES, 1, '--text-column', opts.file);
  const li = resolveColumn(opts.labelColumn, header, LABEL_NAMES, 0, '--label-column', opts.file);
  check(ti !== li, 'text and label columns are the same column', { flag: '--text-column', file: opts.file });
  const width = header ? header.length : rows[0].fields.length;
  const out: LabelledText[] = [];
  for (let r = header ? 1 : 0; r < rows.length; r++) {
    const { fields, line } = rows[r];
    if (fields.length !== width) {
      throw new WordloomError(`ragged row: ${fields.length} fields, expected ${width} (like ${header ? 'the header' : 'the first row'})`, { file: opts.file, line });
    }
    if (ti >= fields.length || li >= fields.length) throw new WordloomError(`row has no column ${Math.max(ti, li)}`, { file: opts.file, line });
    const label = fields[li].trim();
    if (label === '') throw new WordloomError('empty label', { file: opts.file, line });
    out.push({ text: fields[ti], label, file: opts.file, line });
  }
  return out;
}

/** JSONL: one object per line with text and label fields (names as in ColumnOptions; indices not allowed). */
export function parseJsonl(content: string, opts: ColumnOptions = {}): LabelledText[] {
  const out: LabelledText[] = [];
  const lines = content.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i].trim();
    if (l === '') continue;
    const where = { file: opts.file, line: i + 1 };
    let obj: unknown;
    try { obj = JSON.parse(l); } catch (e) { throw new WordloomError(`invalid JSON: ${(e as Error).message}`, where); }
    if (!obj || typeof obj !== 'object' || Array.isArray(obj)) throw new WordloomError('expected a JSON object per line', where);
    const o = obj as Record<string, unknown>;
    const pick = (col: string | number | undefined, names: string[], flag: string): unknown => {
      const keys = col !== undefined ? [String(col)] : names;
      for (const k of keys) if (k in o) return o[k];
      throw new WordloomError(`no field ${keys.map((k) => `"${k}"`).join('/')} in this object`, { ...where, flag });
    };
    const text = pick(opts.textColumn, TEXT_NAMES, '--text-column');
    const label = pick(opts.labelColumn, LABEL_NAMES, '--label-column');
    if (typeof text !== 'string') throw new WordloomError('text field must be a string', where);
    if (typeof label !== 'string' && typeof label !== 'number') throw new WordloomError('label field must be a string or a number', where);
    out.push({ text, label: String(label).trim(), ...where });
  }
  return out;
}

// ---------------------------------------------------------------- labels

/** Label strings ↔ class indices. Numeric labels are ordered numerically (so classes follow the rating scale). */
export class LabelSet {
  readonly names: readonly string[];
  private readonly map: Map<string, number>;

  constructor(names: readonly string[]) {
    check(names.length >= 2, `need at least 2 classes, got ${names.length} (${names.join(', ')})`);
    check(new Set(names).size === names.length, `duplicate label names: ${names.join(', ')}`);
    this.names = [...names];
    this.map = new Map(names.map((n, i) => [n, i]));
  }

  /** The label set of some examples: numeric labels sorted as numbers, otherwise sorted as strings. */
  static infer(examples: readonly LabelledText[]): LabelSet {
    const names = [...new Set(examples.map((e) => e.label))];
    const numeric = names.every((n) => n !== '' && Number.isFinite(Number(n)));
    names.sort(numeric ? (a, b) => Number(a) - Number(b) : undefined);
    return new LabelSet(names);
  }

  get size(): number {
    return this.names.length;
  }

  /** Class index of a label; an unknown label is an error naming the example's file and line. */
  index(label: string, where: { file?: string; line?: number } = {}): number {
    const i = this.map.get(label);
    if (i === undefined) {
      // Tolerate "3.0" for "3".
      if (Number.isFinite(Number(label))) for (const [k, v] of this.map) if (Number(k) === Number(label)) return v;
      throw new WordloomError(`unknown label "${label}" (expected one of ${this.names.join(', ')})`, where);
    }
    return i;
  }

  toJSON(): string[] {
    return [...this.names];
  }
}

/** SST's five classes. */
export const SST5_LABELS = ['0', '1', '2', '3', '4'];

/**
 * SST-2 style binarization of an ordinal label scale (`names` in scale order): with an odd number of classes the
 * middle (neutral) class is dropped; the lower half becomes "0" (negative), the upper half "1" (positive).
 * Already-binary data is returned unchanged.
 */
export function binarize(examples: readonly LabelledText[], names: readonly string[]): LabelledText[] {
  if (names.length === 2) return examples.map((e) => ({ ...e, label: String(names.indexOf(e.label) >= 0 ? names.indexOf(e.label) : e.label) }));
  const k = names.length;
  const half = Math.floor(k / 2);
  const pos = new Map(names.map((n, i) => [n, i]));
  const out: LabelledText[] = [];
  for (const e of examples) {
    const i = pos.get(e.label) ?? (Number.isFinite(Number(e.label)) ? names.findIndex((n) => Number(n) === Number(e.label)) : -1);
    if (i < 0) throw new WordloomError(`unknown label "${e.label}" (expected one of ${names.join(', ')})`, { file: e.file, line: e.line });
    if (k % 2 === 1 && i === half) continue;
    out.push({ ...e, label: i < half ? '0' : '1' });
  }
  return out;
}

/** Class counts of examples under a label set. */
export function labelCounts(examples: readonly LabelledText[], labels: LabelSet): number[] {
  const c = new Array(labels.size).fill(0);
  for (const e of examples) c[labels.index(e.label, e)]++;
  return c;
}
