/**
 * The one temporary-folder mechanism of every trainer (word2vec's token cache, GloVe's co-occurrence runs and
 * shuffle chunks). A folder is named `wordloom-<job>-<pid>-<host hash>-XXXXXX` in the OS temp dir (or a given parent) and
 * removed when its job ends — normally, on error, on process exit, and on SIGINT/SIGTERM, where a handler
 * deletes every live folder synchronously and exits with 130/143 as the shell expects. Only a SIGKILL (or a
 * power cut) can leave one behind: the next run that makes a folder in the same parent removes the folders whose
 * process on this host is gone (pid and host hash are in the name) and reports them, and reports (does not touch) folders of the older
 * `wordloom-<job>-XXXXXX` form, whose owner it cannot know.
 */
import { mkdtempSync, rmSync, existsSync, statSync, readdirSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { WordloomError } from './errors.ts';
import { withFsErrors } from './fs-node.ts';

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

/** Folders of this mechanism: `wordloom-<job>-<pid>-<host hash>-XXXXXX`. */
const OWNED = /^wordloom-([a-z0-9]+)-(\d+)-([0-9a-f]{8})-[A-Za-z0-9]{6}$/;

/** FNV-1a hash of the host name: pids are only compared for folders made on this host (a shared /tmp). */
export const HOST = (() => {
  let h = 0x811c9dc5;
  for (const c of hostname()) { h ^= c.charCodeAt(0); h = Math.imul(h, 0x01000193); }
  return (h >>> 0).toString(16).padStart(8, '0');
})();
/** Folders of older versions (no pid): `wordloom-w2v-XXXXXX`, `wordloom-glove-XXXXXX`. */
const LEGACY = /^wordloom-(w2v|glove)-[A-Za-z0-9]{6}$/;

function processAlive(pid: number): boolean {
  try { process.kill(pid, 0); return true; } catch (e) { return (e as { code?: string }).code === 'EPERM'; }
}

/** What sweepStaleTempDirs found. */
export interface StaleSweep {
  /** Folders of dead processes that were removed. */
  removed: string[];
  /** Folders of the older naming (owner unknown), left in place. */
  legacy: string[];
}

/**
 * Remove `wordloom-<job>-<pid>-*` folders in `parent` whose process is gone (killed runs) and list older-style
 * `wordloom-*` folders; `log` gets one line per folder (default: stderr).
 */
export function sweepStaleTempDirs(parent: string = tmpdir(), log: (line: string) => void = (l) => process.stderr.write(l + '\n')): StaleSweep {
  const out: StaleSweep = { removed: [], legacy: [] };
  let names: string[];
  try { names = readdirSync(parent); } catch { return out; }
  for (const name of names) {
    const owned = OWNED.exec(name);
    if (!owned && !LEGACY.test(name)) continue;
    const path = join(parent, name);
    try { if (!statSync(path).isDirectory()) continue; } catch { continue; }
    if (owned) {
      const pid = Number(owned[2]);
      if (owned[3] !== HOST || pid === process.pid || processAlive(pid)) continue;
      try { rmSync(path, { recursive: true, force: true }); } catch { continue; }
      out.removed.push(path);
      log(`wordloom: removed ${path}, temporary files of an interrupted run (process ${pid} is gone)`);
    } else {
      out.legacy.push(path);
      log(`wordloom: note: ${path} looks like temporary files of an interrupted run of an older wordloom; delete it if no wordloom is running`);
    }
  }
  return out;
}

/** Parents already swept in this process (one sweep per parent folder). */
const swept = new Set<string>();

/** A temporary folder owned by one job (see the file header). */
export class TempDir {
  readonly path: string;
  private n = 0;

  /**
   * @param job short name in the folder name ("w2v", "glove")
   * @param parent folder to create it in (default: the OS temp dir)
   * @param flag the flag that named `parent`, for error messages (e.g. "--temp-dir")
   */
  constructor(job: string, parent?: string, flag?: string) {
    const base = parent ?? tmpdir();
    if (!existsSync(base) || !statSync(base).isDirectory()) throw new WordloomError('temporary folder does not exist', { flag, file: base });
    if (!swept.has(base)) { swept.add(base); sweepStaleTempDirs(base); }
    this.path = withFsErrors({ file: base, flag }, () => mkdtempSync(join(base, `wordloom-${job}-${process.pid}-${HOST}-`)));
    live.add(this.path);
    installHandlers();
  }

  /** A fresh file name inside the folder. */
  file(stem: string, ext = '.bin'): string {
    return join(this.path, `${stem}-${this.n++}${ext}`);
  }

  /** Delete the folder and everything in it (idempotent). */
  dispose(): void {
    if (!live.has(this.path)) return;
    live.delete(this.path);
    rmSync(this.path, { recursive: true, force: true });
    removeHandlers();
  }
}

/** Run `fn` with a temporary folder that is removed afterwards (also when `fn` throws). */
export async function withTempDir<T>(job: string, parent: string | undefined, fn: (dir: TempDir) => Promise<T>): Promise<T> {
  const dir = new TempDir(job, parent);
  try { return await fn(dir); } finally { dir.dispose(); }
}
