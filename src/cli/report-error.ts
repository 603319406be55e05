/**
 * How the CLI reports failures: every user-facing error is ONE line on stderr, `wordloom: <file>[:line]
 * [flag]: <what>`, exit code 2 — WordloomErrors and Node file-system errors (ENOENT, EISDIR, EACCES, ENOSPC,
 * EROFS, ENOTDIR, …) alike. The flag is found from the command line when the error names a file given to a flag.
 * A closed stdout (`wordloom … | head -1`, also `--output /dev/stdout`) ends the process quietly with code 0. Anything else is a bug: one
 * line with "internal error", exit code 1, and the stack trace only with WORDLOOM_DEBUG=1.
 */
import { resolve } from 'node:path';
import { WordloomError } from '../util/errors.ts';
import { errorCode, fsError, isFsError } from '../util/fs-node.ts';

/** Exit code of user errors (bad input, bad flag, unwritable output). */
export const USER_ERROR_EXIT = 2;
/** Exit code of internal errors (bugs). */
export const INTERNAL_ERROR_EXIT = 1;

/** The flag whose value names `file` (exactly, or as a folder / name prefix of it), from the command line. */
export function flagForFile(file: string, argv: readonly string[]): string | undefined {
  const target = resolve(file);
  let best: { flag: string; len: number } | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith('--')) continue;
    const eq = a.indexOf('=');
    const flag = eq > 0 ? a.slice(0, eq) : a;
    const value = eq > 0 ? a.slice(eq + 1) : argv[i + 1];
    if (!value || value.startsWith('--')) continue;
    for (const v of value.split(',')) {
      if (!v) continue;
      const r = resolve(v);
      const hit = r === target ? Infinity : target.startsWith(r) && '/.'.includes(target[r.length]) ? r.length : -1;
      if (hit >= 0 && (!best || hit > best.len)) best = { flag, len: hit };
    }
  }
  return best?.flag;
}

/** The one line to print and the exit code for an error that reached the top level. */
export function describeError(e: unknown, argv: readonly string[]): { message: string; exitCode: number } {
  // The reader of stdout went away (`| head`): nothing to say. (A closed FIFO given as --output is an error.)
  const file = e instanceof WordloomError ? e.file : undefined;
  if (isClosedOutput(e) && (file === undefined || /^\/dev\/stdout$|^\/(dev|proc\/self)\/fd\/1$/.test(file))) return { message: '', exitCode: 0 };
  let err: WordloomError | null = null;
  if (e instanceof WordloomError) err = e;
  else if (isFsError(e)) err = fsError(e);
  if (err) {
    // Name the flag that gave the file when the error does not (appended, so "file:line: what" stays as it was).
    const flag = err.file !== undefined && err.flag === undefined ? flagForFile(err.file, argv) : undefined;
    return { message: `wordloom: ${err.message}${flag ? ` (${flag})` : ''}`, exitCode: USER_ERROR_EXIT };
  }
  const msg = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  const debug = process.env.WORDLOOM_DEBUG === '1' && e instanceof Error ? `\n${e.stack}` : '';
  return { message: `wordloom: internal error: ${msg} (please report it; WORDLOOM_DEBUG=1 shows the stack trace)${debug}`, exitCode: INTERNAL_ERROR_EXIT };
}

/** True for the error of writing to a closed pipe or terminal. */
export function isClosedOutput(e: unknown): boolean {
  const c = errorCode(e);
  return c === 'EPIPE' || c === 'ERR_STREAM_DESTROYED' || c === 'ECONNRESET';
}

let installed = false;

/**
 * Process-wide handlers: a closed stdout exits quietly (0); errors raised outside the command's promise
 * (stream 'error' events, rejected promises nobody awaited) are reported like any other error.
 */
export function installProcessHandlers(argv: readonly string[]): void {
  if (installed) return;
  installed = true;
  process.stdout.on('error', (e) => {
    if (isClosedOutput(e)) process.exit(0);
    report(e, argv);
  });
  process.stderr.on('error', () => { /* nowhere left to report to */ });
  process.on('uncaughtException', (e) => {
    if (isClosedOutput(e)) process.exit(0);
    report(e, argv);
  });
  process.on('unhandledRejection', (e) => report(e, argv));
}

/** Print an error's one line and exit with its code. */
export function report(e: unknown, argv: readonly string[]): never {
  const d = describeError(e, argv);
  try { if (d.message) process.stderr.write(d.message + '\n'); } catch { /* stderr closed */ }
  process.exit(d.exitCode);
}
