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
        throw new WordloomError('invalid UTF-8 byte sequence', { file: path, line: lineNo });
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
