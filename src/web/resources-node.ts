/**
 * Loads the playground's backends (Node only) from files chosen at start-up — by default the outputs that
 * `wordloom start` recorded in the cache manifest (.wordloom-cache/manifest.json), or explicit files given on the
 * command line (`wordloom serve --vectors F --sentiment F`). Each part that cannot be loaded becomes
 * `{ ok: false, reason }`, which the API answers as 503 "not available: <reason>" and the page shows as such.
 * Request data never reaches this module.
 */
import { existsSync, readFileSync } from 'node:fs';
import { basename, join, resolve, relative, isAbsolute } from 'node:path';
import { loadVectors } from '../embeddings/io-node.ts';
import { cacheLayout, readManifest, type Manifest } from '../tasks/start/cache.ts';
import { readRunLogs } from '../tasks/start/logs-node.ts';
import type { Backends, Loaded, WordsBackend, TrainingBackend, SentimentBackend, MemoryBackend, GloveBackend } from './backends.ts';
import { wordsBackend } from './adapters.ts';

export interface ResourceOptions {
  /** The pipeline cache folder (default .wordloom-cache). */
  cacheDir?: string;
  /** Word-vector file (any format `parseVectors` detects); overrides the cache's. */
  vectors?: string;
  /** Sentiment model file; overrides the cache's. */
  sentiment?: string;
}

const START_HINT = 'run `npm start` (or `wordloom start`) first';

function errMsg(e: unknown): string { return e instanceof Error ? e.message : String(e); }

/** A manifest output path, resolved and checked to stay inside the cache root. */
export function cacheOutput(root: string, m: Manifest, step: string, output: string): string | null {
  const rel = m.steps[step]?.outputs[output];
  if (!rel) return null;
  const p = resolve(root, rel);
  const r = relative(resolve(root), p);
  if (r.startsWith('..') || isAbsolute(r)) return null;
  return p;
}

export function loadWords(file: string): Loaded<WordsBackend> {
  try {
    const wv = loadVectors(file);
    wv.source.file = basename(file);
    return { ok: true, value: wordsBackend(wv), info: { source: basename(file), format: wv.source.format, vocab: wv.size, dim: wv.dim } };
  } catch (e) {
    return { ok: false, reason: `cannot load word vectors from ${basename(file)}: ${errMsg(e)}` };
  }
}

export function loadTraining(logsDir: string): Loaded<TrainingBackend> {
  if (!existsSync(logsDir)) return { ok: false, reason: `no training logs yet (${START_HINT})` };
  const runs = readRunLogs(logsDir);
  if (!runs.length) return { ok: false, reason: `no training logs yet (${START_HINT})` };
  return { ok: true, value: { runs: () => readRunLogs(logsDir) }, info: { runs: runs.map((r) => r.name) } };
}

export function loadBackends(opts: ResourceOptions = {}): Backends {
  const root = opts.cacheDir ?? '.wordloom-cache';
  const layout = cacheLayout(root);
  let manifest: Manifest = { version: 1, steps: {} };
  let manifestError = '';
  try { manifest = readManifest(root); } catch (e) { manifestError = errMsg(e); }
  const fromCache = (step: string, output: string, what: string): { file: string } | { reason: string } => {
    if (manifestError) return { reason: manifestError };
    const f = cacheOutput(root, manifest, step, output);
    if (!f) return { reason: `no ${what} in ${root} (${START_HINT})` };
    if (!existsSync(f)) return { reason: `${what} file ${relative(root, f)} is missing from ${root} (${START_HINT})` };
    return { file: f };
  };

  let words: Loaded<WordsBackend>;
  if (opts.vectors) words = existsSync(opts.vectors) ? loadWords(opts.vectors) : { ok: false, reason: `vectors file not found: ${opts.vectors}` };
  else {
    const c = fromCache('vectors', 'vectors', 'word vectors');
    words = 'file' in c ? loadWords(c.file) : { ok: false, reason: c.reason };
  }

  const sentiment: Loaded<SentimentBackend> = { ok: false, reason: 'the sentiment model loader (src/tasks/sentiment) is not in this build yet' };
  const memory: Loaded<MemoryBackend> = { ok: false, reason: 'the memory experiment (src/tasks/memory) is not in this build yet' };
  const glove: Loaded<GloveBackend> = { ok: false, reason: 'the GloVe co-occurrence counts (src/embeddings/glove) are not in this build yet' };
  const training = loadTraining(layout.logsDir);
  void join;
  return { words, sentiment, memory, training, glove };
}
