/**
 * The `wordloom start` pipeline: trains everything the playground shows on the data shipped in the repository,
 * step by step, caching each step's outputs in the cache folder (see cache.ts). A step is re-run only when its
 * settings, its input files or the package version changed, or with `retrain`. A failing step is reported and
 * the others still run (the playground then shows that part as "not available").
 *
 * Steps (files in this folder): vectors (word2vec on the bundled corpus + analogy/similarity evaluation),
 * glove (co-occurrence counts for the probability-ratio table), sentiment (LSTM on SST, the sentiment task's
 * defaults), memory (a quick remember-the-first-number sweep + gate traces of one trained LSTM).
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { silentProgress, type ProgressReporter } from '../../util/progress.ts';
import { cacheLayout, isFresh, readManifest, stepKey, writeManifest, type CacheLayout, type StepRecord } from './cache.ts';

export interface StepContext {
  /** The step's own folder inside the cache (created, emptied before a run). */
  dir: string;
  layout: CacheLayout;
  /** Folder of the bundled data (default "data"). */
  dataDir: string;
  progress: ProgressReporter;
  log: (line: string) => void;
  /** Threads the step may use. */
  threads: number;
  /** A resumable step's folder holds an interrupted run with the same key (continue it instead of starting over). */
  resume: boolean;
}

export interface StepOutcome {
  /** Output files, relative to the cache root. */
  outputs: Record<string, string>;
  metrics: Record<string, unknown>;
}

export interface PipelineStep {
  name: string;
  /** One line for the progress log ("word vectors: word2vec skip-gram on …"). */
  title: string;
  settings: Record<string, unknown>;
  /** Input files (for the cache key). */
  inputs: string[];
  /** Keep the step's folder when an interrupted run with the same key left it (the step resumes from its checkpoint). */
  resumable?: boolean;
  run(ctx: StepContext): Promise<StepOutcome>;
}

export interface StepReport {
  name: string;
  title: string;
  status: 'trained' | 'cached' | 'failed';
  seconds: number;
  metrics: Record<string, unknown>;
  settings: Record<string, unknown>;
  error?: string;
}

export interface PipelineOptions {
  cacheDir: string;
  dataDir?: string;
  /** Recompute every step (or the named ones). */
  retrain?: boolean | string[];
  progress?: ProgressReporter;
  log?: (line: string) => void;
  threads?: number;
  /** Version string mixed into the cache keys (the package version). */
  codeVersion: string;
}

export async function runPipeline(steps: PipelineStep[], o: PipelineOptions): Promise<StepReport[]> {
  const layout = cacheLayout(o.cacheDir);
  const log = o.log ?? (() => {});
  const progress = o.progress ?? silentProgress;
  mkdirSync(layout.root, { recursive: true });
  const manifest = readManifest(o.cacheDir);
  const reports: StepReport[] = [];
  for (const step of steps) {
    const key = stepKey(step.name, step.settings, step.inputs, o.codeVersion);
    const forced = o.retrain === true || (Array.isArray(o.retrain) && o.retrain.includes(step.name));
    if (!forced && isFresh(o.cacheDir, manifest, step.name, key)) {
      const r = manifest.steps[step.name];
      log(`✓ ${step.title} — cached (${r.finishedAt}, took ${r.seconds.toFixed(1)} s)`);
      reports.push({ name: step.name, title: step.title, status: 'cached', seconds: r.seconds, metrics: r.metrics, settings: r.settings });
      continue;
    }
    const dir = join(layout.root, step.name);
    const keyFile = join(dir, '.step-key');
    const resume = !forced && !!step.resumable && existsSync(keyFile) && readFileSync(keyFile, 'utf8') === key;
    log(`▶ ${step.title}${resume ? ' (resuming the interrupted run)' : ''}`);
    if (!resume) {
      rmSync(dir, { recursive: true, force: true });
      mkdirSync(dir, { recursive: true });
      writeFileSync(keyFile, key);
    }
    const t0 = performance.now();
    try {
      const out = await step.run({ dir, layout, dataDir: o.dataDir ?? 'data', progress, log, threads: o.threads ?? 2, resume });
      const seconds = (performance.now() - t0) / 1000;
      const rec: StepRecord = { key, finishedAt: new Date().toISOString(), seconds, outputs: out.outputs, metrics: out.metrics, settings: step.settings };
      manifest.steps[step.name] = rec;
      writeManifest(o.cacheDir, manifest);
      log(`✓ ${step.title} — ${seconds.toFixed(1)} s`);
      reports.push({ name: step.name, title: step.title, status: 'trained', seconds, metrics: out.metrics, settings: step.settings });
    } catch (e) {
      const seconds = (performance.now() - t0) / 1000;
      progress.stop();
      delete manifest.steps[step.name];
      writeManifest(o.cacheDir, manifest);
      const msg = e instanceof Error ? e.message : String(e);
      log(`✗ ${step.title} — failed after ${seconds.toFixed(1)} s: ${msg}`);
      reports.push({ name: step.name, title: step.title, status: 'failed', seconds, metrics: {}, settings: step.settings, error: msg });
    }
  }
  return reports;
}
