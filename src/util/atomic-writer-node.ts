/**
 * A file written in pieces but replaced atomically (Node only): everything goes to a temporary file beside the
 * target (same folder, so the final rename is atomic), and the target appears only on `commit()` — complete or not
 * at all. Opening checks the location before any work starts: the folder exists and is writable, the target is not
 * a folder, and an existing target is refused unless `overwrite` (flag --force).
 */
import { openSync, writeSync, fsyncSync, closeSync, renameSync, unlinkSync, existsSync, statSync } from 'node:fs';
import { dirname, basename, join } from 'node:path';
import { WordloomError } from './errors.ts';

let counter = 0;

export class AtomicWriter {
  private fd: number;
  private readonly tmp: string;
  private buf: string[] = [];
  private bufChars = 0;
  private done = false;

  /** `flag`: the option that named the path (for messages). */
  constructor(readonly path: string, opts: { overwrite?: boolean; flag?: string } = {}) {
    const where = { file: path, flag: opts.flag };
    if (existsSync(path)) {
      if (statSync(path).isDirectory()) throw new WordloomError('is a directory, expected a file name', where);
      if (!opts.overwrite) throw new WordloomError('refusing to overwrite an existing file (pass --force to replace it)', where);
    }
    const dir = dirname(path);
    if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new WordloomError(`folder ${dir} does not exist`, where);
    this.tmp = join(dir, `.${basename(path)}.${process.pid}.${counter++}.tmp`);
    try { this.fd = openSync(this.tmp, 'wx'); } catch (e) {
      throw new WordloomError(`cannot write in ${dir}: ${(e as { code?: string }).code ?? String(e)}`, where);
    }
  }

  /** Append text (buffered; flushed every ~1 MB). */
  write(s: string): void {
    this.buf.push(s);
    this.bufChars += s.length;
    if (this.bufChars >= 1 << 20) this.flush();
  }

  private flush(): void {
    if (!this.buf.length) return;
    const b = Buffer.from(this.buf.join(''), 'utf8');
    this.buf = []; this.bufChars = 0;
    let off = 0;
    while (off < b.length) off += writeSync(this.fd, b, off, b.length - off);
  }

  /** Flush, fsync and rename into place. */
  commit(): void {
    if (this.done) return;
    try { this.flush(); fsyncSync(this.fd); } catch (e) { this.abort(); throw e; }
    closeSync(this.fd);
    this.done = true;
    renameSync(this.tmp, this.path);
  }

  /** Drop the temporary file; the target is untouched. */
  abort(): void {
    if (this.done) return;
    this.done = true;
    try { closeSync(this.fd); } catch { /* already closed */ }
    try { unlinkSync(this.tmp); } catch { /* already gone */ }
  }
}
