/**
 * Streaming corpus reader (Node): plain text or gzip (detected by magic bytes), one document/sentence
 * per line or one huge line (text8-style: long lines are cut at whitespace into ≤ maxLineChars chunks).
 * Memory is independent of corpus length. Invalid UTF-8 is an error naming file and line.
 */
import { createReadStream, existsSync, openSync, readSync, closeSync, statSync } from 'node:fs';
import { createGunzip } from 'node:zlib';
import { WordloomError } from '../util/errors.ts';

export interface CorpusReadOptions {
  /** Called with (bytesRead, totalBytes) of the file on disk (compressed size for gzip). */
  onBytes?: (done: number, total: number) => void;
  /** Lines longer than this are split at whitespace (text8 is one 100 MB line). Default 1,000,000 chars. */
  maxLineChars?: number;
}

export function isGzip(path: string): boolean {
  const fd = openSync(path, 'r');
  try {
    const b = Buffer.alloc(2);
    return readSync(fd, b, 0, 2, 0) === 2 && b[0] === 0x1f && b[1] === 0x8b;
  } finally { closeSync(fd); }
}

/** Yield the lines of a (possibly gzipped) UTF-8 text file, with 1-based line numbers. */
export async function* readCorpusLines(path: string, opts: CorpusReadOptions = {}): AsyncGenerator<{ line: string; lineNo: number }> {
  if (!existsSync(path)) throw new WordloomError('corpus file not found', { file: path });
  const total = statSync(path).size;
  const maxChars = opts.maxLineChars ?? 1_000_000;
  const raw = createReadStream(path, { highWaterMark: 1 << 20 });
  let done = 0;
  raw.on('data', (c) => { done += c.length; opts.onBytes?.(done, total); });
  const stream = isGzip(path) ? raw.pipe(createGunzip()) : raw;
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let rest = '';
  let lineNo = 1;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      let text: string;
      try { text = decoder.decode(chunk, { stream: true }); } catch {
        // Name the line that holds the bad bytes: lineNo is the line in progress at the chunk start.
        const bad = firstInvalidUtf8(chunk);
        let line = lineNo;
        for (let i = 0; i < (bad < 0 ? 0 : bad); i++) if (chunk[i] === 0x0a) line++;
        throw new WordloomError('invalid UTF-8 byte sequence', { file: path, line });
      }
      text = rest + text;
      let start = 0;
      for (;;) {
        const nl = text.indexOf('\n', start);
        if (nl < 0) break;
        let line = text.slice(start, nl);
        if (line.endsWith('\r')) line = line.slice(0, -1);
        yield { line, lineNo };
        lineNo++;
        start = nl + 1;
      }
      rest = text.slice(start);
      while (rest.length > maxChars) {
        let cut = rest.lastIndexOf(' ', maxChars);
        if (cut <= 0) cut = maxChars;
        yield { line: rest.slice(0, cut), lineNo };
        rest = rest.slice(cut + 1);
      }
    }
    try { rest += decoder.decode(); } catch {
      throw new WordloomError('invalid UTF-8 at end of file (truncated multi-byte character)', { file: path, line: lineNo });
    }
  } catch (e) {
    if (e instanceof WordloomError) throw e;
    throw new WordloomError(`cannot read corpus: ${(e as Error).message}`, { file: path, line: lineNo });
  }
  if (rest.length) yield { line: rest.endsWith('\r') ? rest.slice(0, -1) : rest, lineNo };
}

/**
 * Index of the first byte that starts an invalid UTF-8 sequence in `b`, or -1. Up to 3 leading
 * continuation bytes are skipped (they may finish a character begun in the previous chunk).
 */
export function firstInvalidUtf8(b: Uint8Array): number {
  let i = 0;
  while (i < 3 && i < b.length && (b[i] & 0xc0) === 0x80) i++;
  while (i < b.length) {
    const c = b[i];
    if (c < 0x80) { i++; continue; }
    let n: number, min: number;
    if ((c & 0xe0) === 0xc0) { n = 1; min = 0x80; } else if ((c & 0xf0) === 0xe0) { n = 2; min = 0x800; } else if ((c & 0xf8) === 0xf0) { n = 3; min = 0x10000; } else return i;
    let cp = c & (0x3f >> n);
    for (let k = 1; k <= n; k++) {
      if (i + k >= b.length) return -1;
      const d = b[i + k];
      if ((d & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (d & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += n + 1;
  }
  return -1;
}
