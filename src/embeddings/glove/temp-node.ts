/**
 * Temporary working directories for the GloVe pipeline (co-occurrence runs, shuffle chunks, the
 * shuffled training file). Removed when the job ends — normally, on error, and on Ctrl-C (SIGINT) or
 * SIGTERM, where a handler deletes every live directory synchronously before the process exits.
 */
import { mkdtempSync, rmSync, existsSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WordloomError } from '../../util/errors.ts';

const live = new Set<string>();
let handlersInstalled = false;

function cleanupAll(): void {
  for (const d of live) { try { rmSync(d, { recursive: true, force: true }); } catch { /* best effort */ } }
  live.clear();
}

function onSignal(sig: NodeJS.Signals): void {
  cleanupAll();
  process.stderr.write(`\nwordloom: interrupted (${sig}); temporary files removed\n`);
  process.exit(sig === 'SIGINT' ? 130 : 143);
}

function installHandlers(): void {
  if (handlersInstalled) return;
  handlersInstalled = true;
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.on('exit', cleanupAll);
}

function removeHandlers(): void {
  if (!handlersInstalled || live.size > 0) return;
  handlersInstalled = false;
  process.off('SIGINT', onSignal);
  process.off('SIGTERM', onSignal);
  process.off('exit', cleanupAll);
}

/** A temporary directory owned by one job. */
export class TempDir {
  readonly path: string;
  private n = 0;

  constructor(parent?: string) {
    const base = parent ?? tmpdir();
    if (!existsSync(base) || !statSync(base).isDirectory()) throw new WordloomError('temporary directory does not exist', { flag: '--temp-dir', file: base });
    this.path = mkdtempSync(join(base, 'wordloom-glove-'));
    live.add(this.path);
    installHandlers();
  }

  /** A fresh file name inside the directory. */
  file(stem: string): string {
    return join(this.path, `${stem}-${this.n++}.bin`);
  }

  /** Delete the directory and everything in it. */
  dispose(): void {
    if (!live.has(this.path)) return;
    live.delete(this.path);
    rmSync(this.path, { recursive: true, force: true });
    removeHandlers();
  }
}

/** Run `fn` with a temporary directory that is removed afterwards (also when `fn` throws). */
export async function withTempDir<T>(parent: string | undefined, fn: (dir: TempDir) => Promise<T>): Promise<T> {
  const dir = new TempDir(parent);
  try { return await fn(dir); } finally { dir.dispose(); }
}
