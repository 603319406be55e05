/**
 * The `wordloom start` cache (.wordloom-cache/ by default, gitignored): one folder per pipeline step plus a
 * manifest that records, per step, the key of the inputs and settings it was computed from, its metrics and
 * timings. A step whose key matches the manifest is reused (a second `start` is instant); `--retrain` recomputes.
 *
 * The layout is fixed here and shared by the pipeline (writer) and the playground server (reader): the server
 * never takes a file path from a request, only these names under the cache root chosen at start-up.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../../util/fs-node.ts';
import { WordloomError } from '../../util/errors.ts';

export const DEFAULT_CACHE_DIR = '.wordloom-cache';
export const MANIFEST_VERSION = 1;

/** The files of the cache, relative to its root. */
export function cacheLayout(root: string) {
  return {
    root,
    manifest: join(root, 'manifest.json'),
    /** Training logs, one JSON-lines file per run: {"step":…, "<metric>":…} (see logs-node.ts). */
    logsDir: join(root, 'logs'),
    vectorsDir: join(root, 'vectors'),
    sentimentDir: join(root, 'sentiment'),
    memoryDir: join(root, 'memory'),
    gloveDir: join(root, 'glove'),
  };
}
export type CacheLayout = ReturnType<typeof cacheLayout>;

export interface StepRecord {
  /** Hash of the step's settings and input files. */
  key: string;
  /** ISO time the step finished. */
  finishedAt: string;
  /** Wall-clock seconds the step took. */
  seconds: number;
  /** Output files, relative to the cache root. */
  outputs: Record<string, string>;
  /** Headline numbers of the step (printed by start, shown by the page). */
  metrics: Record<string, unknown>;
  /** The settings the step ran with. */
  settings: Record<string, unknown>;
}

export interface Manifest { version: number; steps: Record<string, StepRecord> }

export function readManifest(root: string): Manifest {
  const p = cacheLayout(root).manifest;
  if (!existsSync(p)) return { version: MANIFEST_VERSION, steps: {} };
  let m: Manifest;
  try { m = JSON.parse(readFileSync(p, 'utf8')) as Manifest; } catch (e) {
    throw new WordloomError(`corrupt cache manifest (${(e as Error).message}); delete it or run with --retrain`, { file: p });
  }
  if (m.version !== MANIFEST_VERSION || typeof m.steps !== 'object' || m.steps === null) return { version: MANIFEST_VERSION, steps: {} };
  return m;
}

export function writeManifest(root: string, m: Manifest): void {
  mkdirSync(root, { recursive: true });
  writeFileAtomic(cacheLayout(root).manifest, JSON.stringify(m, null, 2) + '\n');
}

/**
 * Key of a step: its name, settings, a code version, and each input file's path, size and a hash of its first and
 * last 64 KiB (cheap on the 90 MB corpus, and any edit of a shipped file changes its size or its ends in practice).
 */
export function stepKey(name: string, settings: unknown, inputs: string[], codeVersion: string): string {
  const h = createHash('sha256');
  h.update(JSON.stringify({ name, settings, codeVersion }));
  for (const f of [...inputs].sort()) {
    if (!existsSync(f)) { h.update(`${f}:missing`); continue; }
    const st = statSync(f);
    h.update(`${f}:${st.size}:`);
    if (st.isFile()) {
      const buf = readFileSync(f);
      h.update(buf.subarray(0, 65536));
      h.update(buf.subarray(Math.max(0, buf.length - 65536)));
    }
  }
  return h.digest('hex').slice(0, 16);
}

/** Is the step's record there, with the same key, and do all its outputs exist? */
export function isFresh(root: string, m: Manifest, name: string, key: string): boolean {
  const r = m.steps[name];
  return !!r && r.key === key && Object.values(r.outputs).every((o) => existsSync(join(root, o)));
}
