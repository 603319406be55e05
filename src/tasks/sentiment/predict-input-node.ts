/**
 * Texts to classify, read one at a time with bounded memory, from command-line arguments, stdin lines, or a file:
 * JSONL (one object per line), TSV / CSV (a header row naming the columns, or 0-based column indices; CSV quoting
 * as RFC 4180, newlines inside quotes allowed) or plain text (one text per line).
 *
 * One rule for every source: an empty or whitespace-only text is an error naming where it is (argument k,
 * stdin:line, file:line); so is a text longer than `maxChars` (naming --max-chars, which raises it); bytes that are
 * not UTF-8 are an error naming file and line (the strict rule of util/fs-node.ts) unless `lenient`, which
 * replaces them with U+FFFD. Blank lines separate nothing in JSONL/TSV/CSV and are skipped there; in plain text and
 * on stdin every line is a text, so a blank line is an empty text.
 */
import { openSync, readSync, closeSync, fstatSync } from 'node:fs';
import { extname } from 'node:path';
import { WordloomError } from '../../util/errors.ts';
import { isGzip, readFileBytes } from '../../util/fs-node.ts';
import { parseDelimited } from '../../text/datasets.ts';

export type PredictFormat = 'auto' | 'jsonl' | 'tsv' | 'csv' | 'text';
export const PREDICT_FORMATS: readonly PredictFormat[] = ['auto', 'jsonl', 'tsv', 'csv', 'text'];

export interface InputOptions {
  /** File format; 'auto' (default): by extension (.jsonl .ndjson .tsv .csv .txt), else JSONL if the first line starts with "{", else text. Flag --format. */
  format?: PredictFormat;
  /** Text column: a field / header name, or a 0-based index for TSV/CSV (then the file has no header row). Default "text". Flag --text-column. */
  textColumn?: string;
  /** Id column copied to the output: name or 0-based index. Default: "id" when the file has one. Flag --id-column. */
  idColumn?: string;
  /** Replace invalid UTF-8 with U+FFFD instead of failing. Flag --lenient. */
  lenient?: boolean;
  /** Longest text accepted, in characters (UTF-16 code units); 0 = no limit. Default 100,000. Flag --max-chars. */
  maxChars?: number;
}

export const INPUT_DEFAULTS = { format: 'auto' as PredictFormat, textColumn: 'text', lenient: false, maxChars: 100_000 };

/** One text to classify and where it came from. */
export interface InputRecord {
  text: string;
  /** The id column's value, when there is one. */
  id?: string | number;
  /** "argument 2", "stdin:3" or "reviews.jsonl:7" (for messages). */
  where: string;
}

const CHUNK = 1 << 20;
const strict = new TextDecoder('utf-8', { fatal: true });
const loose = new TextDecoder('utf-8');

function sleepMs(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** readSync that waits out EAGAIN (stdin in non-blocking mode); 0 at end of input. */
function readFd(fd: number, buf: Buffer): number {
  for (;;) {
    try { return readSync(fd, buf, 0, buf.length, null); } catch (e) {
      const code = (e as { code?: string }).code;
      if (code === 'EAGAIN') { sleepMs(5); continue; }
      if (code === 'EOF') return 0;
      throw e;
    }
  }
}

/** Whether an open file starts with the gzip magic bytes (read at position 0; the descriptor's offset is kept). */
function isGzipFile(fd: number): boolean {
  const head = Buffer.alloc(2);
  return readSync(fd, head, 0, 2, 0) === 2 && isGzip(head);
}

/** A read function over bytes already in memory (for byteLines). */
function bufferReader(bytes: Uint8Array): (buf: Buffer) => number {
  let off = 0;
  return (buf) => {
    const n = Math.min(buf.length, bytes.length - off);
    buf.set(bytes.subarray(off, off + n));
    off += n;
    return n;
  };
}

/**
 * Lines of a file descriptor (or of a read function) as bytes (without "\n" / "\r\n"), 1-based line numbers, a final line without "\n"
 * included. `maxLineBytes` (> 0) stops a runaway line before it fills memory.
 */
export function* byteLines(fd: number | ((buf: Buffer) => number), name: string, maxLineBytes = 0, flag?: string): Generator<{ bytes: Uint8Array; line: number }> {
  const buf = Buffer.allocUnsafe(CHUNK);
  const readChunk = typeof fd === 'number' ? (b: Buffer) => readFd(fd, b) : fd;
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let line = 1;
  const take = (tail: Uint8Array): Uint8Array => {
    const all = pending.length ? Buffer.concat([...pending, tail]) : tail;
    pending = []; pendingBytes = 0;
    return all.length && all[all.length - 1] === 0x0d ? all.subarray(0, all.length - 1) : all;
  };
  for (let n = readChunk(buf); n > 0; n = readChunk(buf)) {
    let start = 0;
    for (let i = buf.indexOf(0x0a, 0); i >= 0 && i < n; i = buf.indexOf(0x0a, i + 1)) {
      yield { bytes: take(buf.subarray(start, i)), line: line++ };
      start = i + 1;
    }
    if (start < n) {
      pending.push(Buffer.from(buf.subarray(start, n)));
      pendingBytes += n - start;
      if (maxLineBytes > 0 && pendingBytes > maxLineBytes) {
        throw new WordloomError(`line longer than ${maxLineBytes.toLocaleString('en')} bytes: over the text length limit`, { file: name, line, flag });
      }
    }
  }
  if (pendingBytes > 0) yield { bytes: take(new Uint8Array(0)), line };
}

function decodeLine(bytes: Uint8Array, file: string, line: number, lenient: boolean): string {
  if (lenient) return loose.decode(bytes);
  try { return strict.decode(bytes); } catch {
    throw new WordloomError('invalid UTF-8 byte sequence (--lenient replaces such bytes with U+FFFD)', { file, line });
  }
}

/** Apply the one rule (non-empty, not too long) to a text found at `where`. */
export function checkText(text: string, where: { file?: string; line?: number; flag?: string; label?: string }, maxChars: number): void {
  const at = where.label ? `${where.label}: ` : '';
  if (text.trim() === '') throw new WordloomError(`${at}empty text`, { file: where.file, line: where.line, flag: where.flag });
  if (maxChars > 0 && text.length > maxChars) {
    throw new WordloomError(`${at}text has ${text.length.toLocaleString('en')} characters, over the limit of ${maxChars.toLocaleString('en')} (--max-chars raises it; 0 = no limit)`,
      { file: where.file, line: where.line, flag: '--max-chars' });
  }
}

/** Texts given as command-line arguments. */
export function* argumentRecords(args: readonly string[], maxChars: number): Generator<InputRecord> {
  for (let k = 0; k < args.length; k++) {
    checkText(args[k], { label: `argument ${k + 1}` }, maxChars);
    yield { text: args[k], where: `argument ${k + 1}` };
  }
}

/** The format of a file from its name and first line. */
export function detectPredictFormat(file: string, firstLine: string): Exclude<PredictFormat, 'auto'> {
  const ext = extname(file.replace(/\.gz$/i, '')).toLowerCase(); // reviews.jsonl.gz is JSON lines
  if (ext === '.jsonl' || ext === '.ndjson') return 'jsonl';
  if (ext === '.tsv') return 'tsv';
  if (ext === '.csv') return 'csv';
  if (ext === '.txt') return 'text';
  return firstLine.trimStart().startsWith('{') ? 'jsonl' : 'text';
}

/** Where the text (and id) are in a TSV/CSV row. */
interface Columns { text: number; id: number | null; header: boolean }

function resolveColumns(first: string[], o: Required<Pick<InputOptions, 'textColumn'>> & InputOptions, file: string): Columns {
  const isIndex = (c: string) => /^\d+$/.test(c);
  if (isIndex(o.textColumn)) {
    if (o.idColumn !== undefined && !isIndex(o.idColumn)) throw new WordloomError('--id-column by name needs --text-column by name too (a header row)', { file, flag: '--id-column' });
    return { text: Number(o.textColumn), id: o.idColumn !== undefined ? Number(o.idColumn) : null, header: false };
  }
  const names = first.map((f) => f.trim());
  const text = names.indexOf(o.textColumn);
  if (text < 0) throw new WordloomError(`no column "${o.textColumn}" in the header row (columns: ${names.join(', ')}); name the text column or give its 0-based index`, { file, line: 1, flag: '--text-column' });
  let id: number | null = names.indexOf(o.idColumn ?? 'id');
  if (id < 0) {
    if (o.idColumn !== undefined) throw new WordloomError(`no column "${o.idColumn}" in the header row (columns: ${names.join(', ')})`, { file, line: 1, flag: '--id-column' });
    id = null;
  }
  return { text, id, header: true };
}

function idValue(v: unknown, file: string, line: number): string | number {
  if (typeof v === 'string' || typeof v === 'number') return v;
  throw new WordloomError(`id field must be a string or a number, got ${v === null ? 'null' : typeof v}`, { file, line, flag: '--id-column' });
}

function jsonRecord(line: string, n: number, file: string, o: InputOptions & { textColumn: string }): InputRecord {
  let obj: unknown;
  try { obj = JSON.parse(line); } catch (e) { throw new WordloomError(`invalid JSON: ${(e as Error).message}`, { file, line: n }); }
  if (!obj || typeof obj !== 'object' || Array.isArray(obj)) throw new WordloomError('expected a JSON object per line', { file, line: n });
  const rec = obj as Record<string, unknown>;
  if (!(o.textColumn in rec)) throw new WordloomError(`no field "${o.textColumn}" in this object (fields: ${Object.keys(rec).join(', ')})`, { file, line: n, flag: '--text-column' });
  const text = rec[o.textColumn];
  if (typeof text !== 'string') throw new WordloomError(`field "${o.textColumn}" must be a string, got ${text === null ? 'null' : typeof text}`, { file, line: n, flag: '--text-column' });
  const idKey = o.idColumn ?? 'id';
  if (o.idColumn !== undefined && !(idKey in rec)) throw new WordloomError(`no field "${idKey}" in this object`, { file, line: n, flag: '--id-column' });
  const r: InputRecord = { text, where: `${file}:${n}` };
  if (idKey in rec) r.id = idValue(rec[idKey], file, n);
  return r;
}

/**
 * Records of a file or of stdin (`file` = "-"), read with bounded memory. Checks every text with `checkText`.
 * `onBytes` reports progress in bytes read (for files).
 */
export function* fileRecords(file: string, opts: InputOptions = {}): Generator<InputRecord> {
  const o = { ...INPUT_DEFAULTS, ...opts };
  const stdin = file === '-';
  const name = stdin ? 'stdin' : file;
  let fd: number;
  if (stdin) fd = 0;
  else {
    try { fd = openSync(file, 'r'); } catch (e) {
      const code = (e as { code?: string }).code;
      throw new WordloomError(code === 'ENOENT' ? 'file not found' : `cannot read: ${code ?? String(e)}`, { file, flag: '--input' });
    }
    if (fstatSync(fd).isDirectory()) { closeSync(fd); throw new WordloomError('expected a file, got a directory', { file, flag: '--input' }); }
  }
  // A gzip file (by its magic bytes, as every reader of the project) is decompressed whole (readFileBytes: bounded).
  const source = !stdin && isGzipFile(fd) ? bufferReader(readFileBytes(file)) : fd;
  // JSON may escape one character as 6 bytes ("\u00e9"); anything longer than this cannot fit under --max-chars.
  const maxLineBytes = o.maxChars > 0 ? 6 * o.maxChars + (1 << 20) : 0;
  try {
    let fmt: Exclude<PredictFormat, 'auto'> | null = o.format === 'auto' ? null : o.format;
    let cols: Columns | null = null;
    let csvPending: { text: string; line: number } | null = null;
    let any = false;
    for (const { bytes, line } of byteLines(source, name, maxLineBytes, '--max-chars')) {
      let s = decodeLine(bytes, name, line, o.lenient);
      if (line === 1 && s.charCodeAt(0) === 0xfeff) s = s.slice(1); // UTF-8 byte order mark
      fmt ??= detectPredictFormat(stdin ? '' : file, s);
      any = true;
      if (fmt === 'text') {
        checkText(s, { file: name, line }, o.maxChars);
        yield { text: s, where: `${name}:${line}` };
        continue;
      }
      if (fmt === 'jsonl') {
        if (s.trim() === '') continue;
        const r = jsonRecord(s, line, name, o);
        checkText(r.text, { file: name, line, flag: '--text-column' }, o.maxChars);
        yield r;
        continue;
      }
      // TSV / CSV: a CSV record may span lines (newlines inside quotes): gather until the quotes balance.
      if (fmt === 'csv') {
        csvPending = csvPending ? { text: csvPending.text + '\n' + s, line: csvPending.line } : { text: s, line };
        if ((csvPending.text.match(/"/g)?.length ?? 0) % 2 === 1) continue;
      }
      const rowText = fmt === 'csv' ? csvPending!.text : s;
      const rowLine = fmt === 'csv' ? csvPending!.line : line;
      csvPending = null;
      if (rowText.trim() === '') continue;
      const fields = fmt === 'tsv' ? rowText.split('\t') : (parseDelimited(rowText, ',', name)[0]?.fields ?? ['']); // a lone "" is an empty field
      if (!cols) {
        cols = resolveColumns(fields, o, name);
        if (cols.header) continue;
      }
      if (cols.text >= fields.length) throw new WordloomError(`row has ${fields.length} fields, no column ${cols.text}`, { file: name, line: rowLine, flag: '--text-column' });
      if (cols.id !== null && cols.id >= fields.length) throw new WordloomError(`row has ${fields.length} fields, no column ${cols.id}`, { file: name, line: rowLine, flag: '--id-column' });
      checkText(fields[cols.text], { file: name, line: rowLine, flag: '--text-column' }, o.maxChars);
      yield { text: fields[cols.text], ...(cols.id !== null ? { id: fields[cols.id] } : {}), where: `${name}:${rowLine}` };
    }
    if (csvPending) throw new WordloomError('unterminated quoted CSV field', { file: name, line: csvPending.line });
    if (!any) throw new WordloomError(stdin ? 'no text on stdin (empty input)' : 'empty file: no text to classify', stdin ? { flag: '<texts>' } : { file, flag: '--input' });
  } finally {
    if (!stdin) closeSync(fd);
  }
}

/** Roughly how many records a file holds (its line count), for a progress bar's total; 0 for stdin. */
export function countLines(file: string): number {
  if (file === '-') return 0;
  let fd: number;
  try { fd = openSync(file, 'r'); } catch { return 0; }
  try {
    const buf = Buffer.allocUnsafe(CHUNK);
    // A gzip file's lines are counted in its decompressed text (decompressed once more by fileRecords).
    const read = isGzipFile(fd) ? bufferReader(readFileBytes(file)) : (b: Buffer) => readSync(fd, b, 0, b.length, null);
    let lines = 0, last = 0x0a;
    for (let n = read(buf); n > 0; n = read(buf)) {
      for (let i = buf.indexOf(0x0a, 0); i >= 0 && i < n; i = buf.indexOf(0x0a, i + 1)) lines++;
      last = buf[n - 1];
    }
    return lines + (last === 0x0a ? 0 : 1);
  } finally { closeSync(fd); }
}
