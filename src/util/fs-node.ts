/**
 * Node-only file helpers: atomic writes (temp file + fsync + rename; whole, or streamed with AtomicWriter), checks
 * that an output location is writable before a long run starts, Node file-system errors turned into one-line WordloomErrors, strict
 * UTF-8 reading (gzip-compressed files, recognised by their magic bytes 1f 8b, are decompressed first; the UTF-8
 * rule applies to the decompressed text). Never import this from code that must run in the browser (the inference path).
 *
 * Special files and symlinks (docs/CONVENTIONS.md, "Errors and files"):
 *   - a character/block device or a FIFO is written directly (opened for writing, no temp file, no rename):
 *     `--output /dev/null` works, `/dev/full` is a clean "no space left" error, a FIFO gets the bytes;
 *     it is never replaced by a regular file, and needs no --force (nothing is replaced);
 *   - a symlink is written through: the file it points to is replaced atomically (temp file beside the target,
 *     rename onto the target) and the link itself stays; --force is needed when the target exists;
 *   - sockets and directories are refused.
 */
import {
  openSync, writeSync, fsyncSync, closeSync, renameSync, unlinkSync, readFileSync, existsSync, lstatSync, statSync,
  readlinkSync, readSync, type Stats,
} from 'node:fs';
import { dirname, basename, join, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { WordloomError } from './errors.ts';

let tmpCounter = 0;

/** Node error codes of file-system failures, with the words the CLI prints for them. */
const FS_ERROR_TEXT: Record<string, string> = {
  ENOENT: 'no such file or directory',
  EISDIR: 'is a directory',
  ENOTDIR: 'a component of the path is not a directory',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ENOSPC: 'no space left on device',
  EDQUOT: 'disk quota exceeded',
  EROFS: 'read-only file system',
  EEXIST: 'already exists',
  ENAMETOOLONG: 'file name too long',
  ELOOP: 'too many levels of symbolic links',
  EMFILE: 'too many open files',
  ENFILE: 'too many open files in the system',
  EIO: 'input/output error',
  EFBIG: 'file too large',
  ENXIO: 'no such device (a FIFO without a reader?)',
  ENODEV: 'no such device',
  ETXTBSY: 'file is busy',
  EBUSY: 'device or resource busy',
  EXDEV: 'cross-device link',
  EPIPE: 'broken pipe',
  EINVAL: 'invalid argument',
  ERR_FS_FILE_TOO_LARGE: 'file too large to read at once (over 2 GiB)',
};

/** The `code` of a Node system error (undefined for other values). */
export function errorCode(e: unknown): string | undefined {
  const c = (e as { code?: unknown } | null)?.code;
  return typeof c === 'string' ? c : undefined;
}

/** True when `e` is a Node file-system error this module can describe in one line. */
export function isFsError(e: unknown): boolean {
  const c = errorCode(e);
  return c !== undefined && c in FS_ERROR_TEXT && !(e instanceof WordloomError);
}

/**
 * A Node file-system error as a WordloomError naming the path (and the flag when known), e.g.
 * "out/vec.txt --output: no such file or directory". `code` keeps the Node error code.
 */
export function fsError(e: unknown, where: { file?: string; flag?: string } = {}): WordloomError {
  if (e instanceof WordloomError) return e;
  const code = errorCode(e) ?? 'EUNKNOWN';
  const text = FS_ERROR_TEXT[code] ?? (e as Error)?.message ?? String(e);
  const file = where.file ?? (e as { path?: string }).path;
  const err = new WordloomError(`${text} (${code})`, { file, flag: where.flag });
  (err as WordloomError & { code?: string }).code = code;
  return err;
}

/** Run `fn`, turning Node file-system errors into WordloomErrors naming `where`. */
export function withFsErrors<T>(where: { file?: string; flag?: string }, fn: () => T): T {
  try { return fn(); } catch (e) { throw isFsError(e) ? fsError(e, where) : e; }
}

function lstatOrNull(p: string): Stats | null {
  try { return lstatSync(p); } catch (e) { if (errorCode(e) === 'ENOENT') return null; throw e; }
}

/** Follow a chain of symlinks to the path that is finally written (the last link's target; may not exist). */
export function resolveLinkTarget(path: string): string {
  let p = path;
  for (let hops = 0; hops < 40; hops++) {
    const st = lstatOrNull(p);
    if (!st || !st.isSymbolicLink()) return p;
    p = resolve(dirname(p), readlinkSync(p));
  }
  const e = new Error('ELOOP') as Error & { code: string; path: string };
  e.code = 'ELOOP'; e.path = path;
  throw e;
}

/** What writing `path` will do: 'atomic' (temp + rename onto `target`) or 'direct' (open and write, special files). */
interface WritePlan { mode: 'atomic' | 'direct'; target: string; exists: boolean }

/** Paths that name an already open descriptor of this process: /dev/stdout, /dev/stderr, /dev/fd/N, /proc/self/fd/N. */
function openDescriptor(path: string): number | null {
  const m = /^\/(?:dev\/(stdout|stderr|fd\/(\d+))|proc\/(self|\d+)\/fd\/(\d+))$/.exec(resolve(path));
  if (!m) return null;
  if (m[1] === 'stdout') return 1;
  if (m[1] === 'stderr') return 2;
  if (m[2] !== undefined) return Number(m[2]);
  return m[3] === 'self' || Number(m[3]) === process.pid ? Number(m[4]) : null;
}

function planWrite(path: string, flag?: string): WritePlan {
  // Replacing the file behind an open descriptor would leave the descriptor on the old file: write to it.
  if (openDescriptor(path) !== null) return { mode: 'direct', target: path, exists: true };
  const st = lstatOrNull(path);
  if (st?.isSymbolicLink()) {
    // /dev/stdout, /proc/self/fd/N and links to devices or FIFOs: write through the link itself.
    let to: Stats | null = null;
    try { to = statSync(path); } catch (e) { if (errorCode(e) !== 'ENOENT') throw e; }
    if (to && (to.isCharacterDevice() || to.isBlockDevice() || to.isFIFO())) return { mode: 'direct', target: path, exists: true };
    const target = resolveLinkTarget(path);
    return planWrite(target, flag);
  }
  if (!st) return { mode: 'atomic', target: path, exists: false };
  if (st.isDirectory()) throw fsError(Object.assign(new Error('EISDIR'), { code: 'EISDIR' }), { file: path, flag });
  if (st.isCharacterDevice() || st.isBlockDevice() || st.isFIFO()) return { mode: 'direct', target: path, exists: true };
  if (st.isSocket()) throw new WordloomError('is a socket; refusing to write to it', { file: path, flag });
  return { mode: 'atomic', target: path, exists: true };
}

function writeAll(fd: number, data: Uint8Array | string | (Uint8Array | string)[]): void {
  for (const part of Array.isArray(data) ? data : [data]) {
    const buf = typeof part === 'string' ? Buffer.from(part, 'utf8') : part;
    let off = 0;
    while (off < buf.length) {
      try { off += writeSync(fd, buf, off, buf.length - off); } catch (e) {
        if (errorCode(e) !== 'EAGAIN') throw e; // a non-blocking pipe (stdout) that is full: wait for the reader
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5);
      }
    }
  }
}

/**
 * Write `data` to `path` atomically: the file is either the old one or the complete new one,
 * never half-written. With `overwrite: false` an existing file is an error (nothing is overwritten silently).
 * Devices and FIFOs are written directly and symlinks written through (see the file header); errors are
 * WordloomErrors naming `path` (and `flag` when given).
 */
export function writeFileAtomic(path: string, data: Uint8Array | string | (Uint8Array | string)[], opts: { overwrite?: boolean; flag?: string } = {}): void {
  const where = { file: path, flag: opts.flag };
  withFsErrors(where, () => {
    const plan = planWrite(path, opts.flag);
    if (plan.mode === 'direct') {
      const own = openDescriptor(plan.target);
      if (own !== null) { writeAll(own, data); return; } // (opening /dev/stdout fails when it is a socket)
      const fd = openSync(plan.target, 'w');
      try { writeAll(fd, data); } finally { closeSync(fd); }
      return;
    }
    if (opts.overwrite === false && plan.exists) {
      throw new WordloomError('refusing to overwrite an existing file (pass --force to replace it)', where);
    }
    const target = plan.target;
    const tmp = join(dirname(target), `.${basename(target)}.${process.pid}.${tmpCounter++}.tmp`);
    const fd = openSync(tmp, 'w');
    try {
      writeAll(fd, data);
      fsyncSync(fd);
    } catch (e) {
      closeSync(fd);
      try { unlinkSync(tmp); } catch { /* already gone */ }
      throw e;
    }
    closeSync(fd);
    try { renameSync(tmp, target); } catch (e) {
      try { unlinkSync(tmp); } catch { /* already gone */ }
      throw e;
    }
  });
}

/**
 * A file written in pieces that follows writeFileAtomic's rules (its plan: devices, FIFOs and open descriptors
 * are written directly; symlinks are written through; a regular target appears only on `commit()`, complete or not
 * at all, from a temporary file beside it). Opening runs checkWritable first, so a bad location fails before any
 * work; an existing target is refused unless `overwrite` (flag --force).
 */
export class AtomicWriter {
  private readonly fd: number;
  private readonly tmp: string | null;
  private readonly target: string;
  private readonly ownFd: boolean;
  private buf: string[] = [];
  private bufChars = 0;
  private done = false;

  /** `flag`: the option that named the path (for messages). */
  constructor(readonly path: string, private readonly opts: { overwrite?: boolean; flag?: string } = {}) {
    checkWritable(path, opts.flag ?? '--output', { force: opts.overwrite });
    const { fd, tmp, target, ownFd } = withFsErrors({ file: path, flag: opts.flag }, () => {
      const plan = planWrite(path, opts.flag);
      if (plan.mode === 'direct') {
        const own = openDescriptor(plan.target);
        return own !== null ? { fd: own, tmp: null, target: plan.target, ownFd: true }
          : { fd: openSync(plan.target, 'w'), tmp: null, target: plan.target, ownFd: false };
      }
      const t = join(dirname(plan.target), `.${basename(plan.target)}.${process.pid}.${tmpCounter++}.tmp`);
      return { fd: openSync(t, 'wx'), tmp: t, target: plan.target, ownFd: false };
    });
    this.fd = fd; this.tmp = tmp; this.target = target; this.ownFd = ownFd;
  }

  /** Append text (buffered; flushed every ~1 MB). */
  write(s: string): void {
    this.buf.push(s);
    this.bufChars += s.length;
    if (this.bufChars >= 1 << 20) this.flush();
  }

  private flush(): void {
    if (!this.buf.length) return;
    const text = this.buf.join('');
    this.buf = []; this.bufChars = 0;
    withFsErrors({ file: this.path, flag: this.opts.flag }, () => writeAll(this.fd, text));
  }

  /** Flush, fsync and rename into place (a direct target is just closed). */
  commit(): void {
    if (this.done) return;
    try {
      this.flush();
      if (this.tmp) withFsErrors({ file: this.path, flag: this.opts.flag }, () => fsyncSync(this.fd));
    } catch (e) { this.abort(); throw e; }
    this.done = true;
    if (!this.ownFd) closeSync(this.fd);
    if (this.tmp) {
      const tmp = this.tmp;
      withFsErrors({ file: this.path, flag: this.opts.flag }, () => {
        try { renameSync(tmp, this.target); } catch (e) { try { unlinkSync(tmp); } catch { /* already gone */ } throw e; }
      });
    }
  }

  /** Drop the temporary file; a regular target is untouched. */
  abort(): void {
    if (this.done) return;
    this.done = true;
    if (!this.ownFd) try { closeSync(this.fd); } catch { /* already closed */ }
    if (this.tmp) try { unlinkSync(this.tmp); } catch { /* already gone */ }
  }
}

/**
 * Check, before any work, that `path` can be written as an output named by `flag`: not a directory, not an
 * existing regular file unless `force`, and its folder exists and accepts a new file (probed by creating and
 * deleting an empty file, which catches permissions, read-only mounts and full disks). Devices and FIFOs pass
 * (they are written directly). Throws a WordloomError naming the path and the flag.
 */
export function checkWritable(path: string, flag: string, opts: { force?: boolean } = {}): void {
  const where = { file: path, flag };
  withFsErrors(where, () => {
    const plan = planWrite(path, flag);
    if (plan.mode === 'direct') return;
    if (plan.exists && !opts.force) throw new WordloomError('refusing to overwrite: exists (pass --force to replace it)', where);
    const dir = dirname(resolve(plan.target));
    let st: Stats;
    try { st = statSync(dir); } catch (e) {
      if (errorCode(e) === 'ENOENT') throw new WordloomError(`folder ${dir} does not exist`, where);
      throw e;
    }
    if (!st.isDirectory()) throw new WordloomError(`${dir} is not a folder`, where);
    const probe = join(dir, `.wordloom-probe-${process.pid}-${tmpCounter++}.tmp`);
    const fd = openSync(probe, 'wx');
    closeSync(fd);
    unlinkSync(probe);
  });
}

/** Check that `dir` is an existing folder in which files can be created (e.g. --temp-dir). */
export function checkWritableDir(dir: string, flag: string): void {
  const where = { file: dir, flag };
  withFsErrors(where, () => {
    if (!existsSync(dir)) throw new WordloomError('folder does not exist', where);
    if (!statSync(dir).isDirectory()) throw new WordloomError('is not a folder', where);
    const probe = join(dir, `.wordloom-probe-${process.pid}-${tmpCounter++}.tmp`);
    closeSync(openSync(probe, 'wx'));
    unlinkSync(probe);
  });
}

const strictDecoder = new TextDecoder('utf-8', { fatal: true });

/**
 * Decode bytes as UTF-8, failing with the file and line of the first invalid byte sequence.
 */
export function decodeUtf8Strict(bytes: Uint8Array, file: string): string {
  try {
    return strictDecoder.decode(bytes);
  } catch {
    // Find the first bad line to name it.
    let line = 1, start = 0;
    for (let i = 0; i <= bytes.length; i++) {
      if (i === bytes.length || bytes[i] === 0x0a) {
        try { strictDecoder.decode(bytes.subarray(start, i)); } catch {
          throw new WordloomError('invalid UTF-8 byte sequence', { file, line });
        }
        line++; start = i + 1;
      }
    }
    throw new WordloomError('invalid UTF-8', { file });
  }
}

/** Longest text file read into one string (V8's limit on string length, in bytes of one-byte text). */
export const MAX_TEXT_BYTES = 2 ** 29 - 24;

/** True when the bytes start with the gzip magic number (1f 8b). */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/**
 * Read a whole file's bytes (at most MAX_TEXT_BYTES, before and after decompression), decompressing gzip (by magic
 * bytes, whatever the name); a corrupt gzip stream names the file. A FIFO or device is read up to MAX_TEXT_BYTES
 * (so /dev/zero is an error after a bounded read, not an endless one).
 */
export function readFileBytes(path: string): Uint8Array {
  if (!existsSync(path)) throw new WordloomError('file not found', { file: path });
  const tooLong = () => new WordloomError(`more than ${MAX_TEXT_BYTES} bytes: too long for a text file (an endless device?)`, { file: path });
  const raw = readInputFile(path, undefined, (read) => {
    let n = 0;
    for (;;) {
      const want = Math.min(1 << 20, MAX_TEXT_BYTES + 1 - n);
      const got = read(want).length;
      n += got;
      if (n > MAX_TEXT_BYTES) throw tooLong();
      if (got < want) return n;
    }
  }, { maxBytes: MAX_TEXT_BYTES });
  if (!isGzip(raw)) return raw;
  try {
    return gunzipSync(raw, { maxOutputLength: MAX_TEXT_BYTES });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') throw tooLong();
    throw new WordloomError(`corrupt gzip data: ${(e as Error).message}`, { file: path });
  }
}

/** Read a whole text file (plain or gzip-compressed) as strict UTF-8; invalid bytes name the file and line. */
export function readTextFile(path: string): string {
  return decodeUtf8Strict(readFileBytes(path), path);
}

/** Largest file read into one buffer (Node's limit for a single read of a whole file). */
export const MAX_READ_BYTES = 2 ** 31 - 1;

/**
 * Read a whole binary input file (model, checkpoint) without trusting it to end: a regular file is read when
 * its size is at most `maxBytes`; a device or FIFO (whose size is unknown, e.g. /dev/zero) is read only as far as
 * its header claims, where `claim(read)` reads the header with `read(n)` (sequential; fewer bytes at the end)
 * and returns the total length the file says it has, after bounding each claim (throwing when one is beyond
 * reason). One more byte than claimed is read, so the decoder still sees trailing garbage. The decoder of the
 * format checks the bytes as for a regular file. With `headerOnly`, any file is read only as far as `claim` reads.
 */
export function readInputFile(path: string, flag: string | undefined, claim: (read: (n: number) => Uint8Array) => number,
  opts: { maxBytes?: number; headerOnly?: boolean } = {}): Buffer {
  const where = { file: path, flag };
  const maxBytes = opts.maxBytes ?? MAX_READ_BYTES;
  return withFsErrors(where, () => {
    if (!existsSync(path)) throw new WordloomError('file not found', where);
    const fd = openSync(path, 'r');
    try {
      const st = statSync(path);
      if (st.isDirectory()) throw new WordloomError('is a directory, expected a file', where);
      if (st.isFile() && !opts.headerOnly) {
        if (st.size > maxBytes) throw new WordloomError(`file is ${st.size} bytes, more than the ${maxBytes} this reader accepts`, where);
        return readFileSync(fd);
      }
      const parts: Buffer[] = [];
      let got = 0, eof = false;
      const read = (n: number): Uint8Array => {
        if (!(n >= 0) || got + n > maxBytes + 1) throw new WordloomError(`the header claims more than ${maxBytes} bytes`, where);
        const buf = Buffer.alloc(n);
        let off = 0;
        while (off < n && !eof) {
          const k = readSync(fd, buf, off, n - off, null);
          if (k <= 0) eof = true; else off += k;
        }
        got += off;
        const part = buf.subarray(0, off);
        parts.push(part);
        return part;
      };
      const total = claim(read);
      if (!opts.headerOnly) {
        if (total > maxBytes) throw new WordloomError(`the header claims ${total} bytes, more than the ${maxBytes} this reader accepts`, where);
        if (!eof && total + 1 > got) read(total + 1 - got);
      }
      return Buffer.concat(parts);
    } finally { closeSync(fd); }
  });
}
