/**
 * Terminal rendering of ProgressReporter with cli-progress: bar, %, rate, ETA and extra fields.
 * Writes to stderr so `--json` output on stdout stays clean; silent when stderr is not a TTY
 * unless WORDLOOM_PROGRESS=1 (then it prints a line per ~2 s).
 */
import cliProgress from 'cli-progress';
import type { ProgressReporter, ProgressUpdate } from '../util/progress.ts';

function fmtRate(r: number): string {
  if (r >= 1e6) return (r / 1e6).toFixed(2) + 'M';
  if (r >= 1e3) return (r / 1e3).toFixed(1) + 'k';
  return r.toFixed(1);
}

function fmtEta(s: number): string {
  if (!Number.isFinite(s) || s < 0) return '?';
  const m = Math.floor(s / 60), sec = Math.round(s % 60);
  return m > 0 ? `${m}m${String(sec).padStart(2, '0')}s` : `${sec}s`;
}

export function terminalProgress(opts: { quiet?: boolean } = {}): ProgressReporter {
  const tty = Boolean(process.stderr.isTTY);
  const plain = !tty && process.env.WORDLOOM_PROGRESS === '1';
  let bar: cliProgress.SingleBar | null = null;
  let phase = '', unit = '', t0 = 0, lastPlain = 0, total = 0;
  const render = (u: ProgressUpdate) => {
    const el = (performance.now() - t0) / 1000;
    const rate = el > 0 ? u.done / el : 0;
    const eta = u.total > 0 && rate > 0 ? (u.total - u.done) / rate : NaN;
    const extra = Object.entries(u.fields ?? {}).map(([k, v]) => `${k} ${typeof v === 'number' ? +v.toPrecision(4) : v}`).join(' | ');
    return { rate: `${fmtRate(rate)} ${unit}/s`, eta: fmtEta(eta), extra };
  };
  return {
    start(p, t, un) {
      if (opts.quiet) return;
      phase = p; unit = un; total = t; t0 = performance.now(); lastPlain = 0;
      if (tty) {
        bar = new cliProgress.SingleBar({
          format: `${phase} |{bar}| {percentage}% | {value}/{total} ${unit} | {rate} | ETA {etaf} | {extra}`,
          stream: process.stderr, hideCursor: true, clearOnComplete: false, barsize: 24, fps: 5,
        }, cliProgress.Presets.shades_classic);
        bar.start(Math.max(1, t), 0, { rate: '', etaf: '?', extra: '' });
      }
    },
    update(u) {
      if (opts.quiet) return;
      const r = render(u);
      if (bar) {
        if (u.total > 0 && u.total !== total) { total = u.total; bar.setTotal(total); }
        bar.update(u.done, { rate: r.rate, etaf: r.eta, extra: r.extra });
      } else if (plain) {
        const now = performance.now();
        if (now - lastPlain > 2000) {
          lastPlain = now;
          const pct = u.total > 0 ? ((100 * u.done) / u.total).toFixed(1) + '%' : `${u.done} ${unit}`;
          process.stderr.write(`${phase}: ${pct} | ${r.rate} | ETA ${r.eta} | ${r.extra}\n`);
        }
      }
    },
    stop() {
      bar?.stop();
      bar = null;
    },
  };
}
