/**
 * Training logs of the pipeline's runs: JSON lines, one point per line ({"step": n, "loss": …, "acc": …}), plus a
 * first header line {"run": name, "kind": …, "unit": …}. Written by a ProgressReporter wrapper that records the
 * numeric fields every trainer reports (loss, lr, accuracy…), thinned to at most `maxPoints` per run, and by
 * explicit per-epoch points. Read back by the playground's Training tab.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ProgressReporter } from '../../util/progress.ts';
import { writeFileAtomic } from '../../util/fs-node.ts';

export interface LogPoint { step: number; [metric: string]: number }
export interface RunLog { name: string; kind: string; unit: string; points: LogPoint[] }

/** Collects points of one run; `save()` writes them to `<dir>/<name>.jsonl`. */
export class RunLogger {
  readonly points: LogPoint[] = [];
  constructor(readonly dir: string, readonly name: string, readonly kind: string, public unit = 'step') {
    if (!/^[a-z0-9][a-z0-9._-]*$/i.test(name)) throw new RangeError(`RunLogger: bad run name '${name}'`);
  }

  add(step: number, metrics: Record<string, unknown>): void {
    const p: LogPoint = { step };
    for (const [k, v] of Object.entries(metrics)) {
      const x = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
      if (Number.isFinite(x) && k !== 'step') p[k] = x;
    }
    if (Object.keys(p).length > 1) this.points.push(p);
  }

  /** Thin to ≤ maxPoints (keeps the first and last point, evenly spaced in between). */
  thinned(maxPoints = 400): LogPoint[] {
    const n = this.points.length;
    if (n <= maxPoints) return this.points;
    const out: LogPoint[] = [];
    for (let i = 0; i < maxPoints; i++) out.push(this.points[Math.round((i * (n - 1)) / (maxPoints - 1))]);
    return out;
  }

  save(maxPoints = 400): string {
    mkdirSync(this.dir, { recursive: true });
    const file = join(this.dir, `${this.name}.jsonl`);
    const lines = [JSON.stringify({ run: this.name, kind: this.kind, unit: this.unit }), ...this.thinned(maxPoints).map((p) => JSON.stringify(p))];
    writeFileAtomic(file, lines.join('\n') + '\n');
    return file;
  }

  /**
   * A reporter that forwards to `inner` and records the numeric `fields` of every update (x = `done`, in the
   * phase's unit). Only phases whose name matches `phaseFilter` (default: all) are recorded, and only fields whose
   * name matches `fieldFilter` (default: all).
   */
  recorder(inner: ProgressReporter, phaseFilter?: RegExp, fieldFilter?: RegExp): ProgressReporter {
    let recording = false;
    let offset = 0, lastDone = 0;
    return {
      start: (phase, total, unit) => {
        recording = !phaseFilter || phaseFilter.test(phase);
        if (recording) { this.unit = unit; offset = this.points.length ? this.points[this.points.length - 1].step : 0; lastDone = 0; }
        inner.start(phase, total, unit);
      },
      update: (u) => {
        if (recording && u.fields && u.done !== lastDone) {
          lastDone = u.done;
          this.add(offset + u.done, fieldFilter ? Object.fromEntries(Object.entries(u.fields).filter(([k]) => fieldFilter.test(k))) : u.fields);
        }
        inner.update(u);
      },
      stop: () => inner.stop(),
    };
  }
}

/** Read every run log in `dir` (bad lines are skipped; a missing folder is no runs). */
export function readRunLogs(dir: string): RunLog[] {
  if (!existsSync(dir)) return [];
  const runs: RunLog[] = [];
  for (const f of readdirSync(dir).filter((x) => x.endsWith('.jsonl')).sort()) {
    const lines = readFileSync(join(dir, f), 'utf8').split('\n').filter((l) => l.trim());
    if (!lines.length) continue;
    let head: { run?: string; kind?: string; unit?: string } = {};
    try { head = JSON.parse(lines[0]); } catch { continue; }
    const points: LogPoint[] = [];
    for (const l of lines.slice(1)) {
      try {
        const p = JSON.parse(l) as LogPoint;
        if (typeof p.step === 'number') points.push(p);
      } catch { /* skip a torn line */ }
    }
    runs.push({ name: head.run ?? f.replace(/\.jsonl$/, ''), kind: head.kind ?? 'run', unit: head.unit ?? 'step', points });
  }
  return runs;
}
