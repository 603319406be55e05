/**
 * A small, dependency-free SVG line chart (used for the memory sweep: success rate vs sequence length,
 * one line per cell type). Log or linear x axis, fixed y range, legend, axis ticks, escaped text.
 */

export interface ChartSeries {
  /** Legend label. */
  name: string;
  /** Points (x, y); drawn in the given order. */
  points: Array<[number, number]>;
  /** Stroke colour (CSS). */
  color?: string;
}

export interface LineChartOptions {
  title: string;
  xLabel: string;
  yLabel: string;
  series: ChartSeries[];
  /** Log-scale x axis (x values must be > 0). */
  xLog?: boolean;
  /** X tick values (default: the union of the series' x values). */
  xTicks?: number[];
  /** Y range (default [0, 1]). */
  yRange?: [number, number];
  /** Y tick values (default 5 even steps). */
  yTicks?: number[];
  /** Format of y tick labels. */
  yFormat?: (y: number) => string;
  width?: number;
  height?: number;
}

const PALETTE = ['#d62728', '#1f77b4', '#2ca02c', '#9467bd', '#ff7f0e', '#8c564b'];

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

const r2 = (v: number) => Math.round(v * 100) / 100;

/** Render the chart as a standalone SVG document. */
export function lineChartSvg(o: LineChartOptions): string {
  const W = o.width ?? 640, H = o.height ?? 400;
  const m = { l: 64, r: 130, t: 40, b: 52 };
  const pw = W - m.l - m.r, ph = H - m.t - m.b;
  const xs = o.xTicks ?? [...new Set(o.series.flatMap((s) => s.points.map((p) => p[0])))].sort((a, b) => a - b);
  const tx = (v: number) => (o.xLog ? Math.log(v) : v);
  const x0 = tx(Math.min(...xs)), x1 = tx(Math.max(...xs));
  const [y0, y1] = o.yRange ?? [0, 1];
  const X = (v: number) => m.l + (x1 === x0 ? pw / 2 : ((tx(v) - x0) / (x1 - x0)) * pw);
  const Y = (v: number) => m.t + ph - ((v - y0) / (y1 - y0)) * ph;
  const yTicks = o.yTicks ?? Array.from({ length: 6 }, (_, i) => y0 + ((y1 - y0) * i) / 5);
  const yFmt = o.yFormat ?? ((v: number) => String(+v.toPrecision(3)));
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="system-ui, sans-serif" font-size="12">`);
  out.push(`<rect width="${W}" height="${H}" fill="#fff"/>`);
  out.push(`<text x="${r2(m.l + pw / 2)}" y="22" text-anchor="middle" font-size="15" font-weight="600">${esc(o.title)}</text>`);
  // grid + ticks
  for (const v of yTicks) {
    out.push(`<line x1="${m.l}" x2="${m.l + pw}" y1="${r2(Y(v))}" y2="${r2(Y(v))}" stroke="#e5e5e5"/>`);
    out.push(`<text x="${m.l - 8}" y="${r2(Y(v) + 4)}" text-anchor="end">${esc(yFmt(v))}</text>`);
  }
  for (const v of xs) {
    out.push(`<line x1="${r2(X(v))}" x2="${r2(X(v))}" y1="${m.t}" y2="${m.t + ph}" stroke="#f0f0f0"/>`);
    out.push(`<text x="${r2(X(v))}" y="${m.t + ph + 18}" text-anchor="middle">${esc(String(v))}</text>`);
  }
  out.push(`<rect x="${m.l}" y="${m.t}" width="${pw}" height="${ph}" fill="none" stroke="#333"/>`);
  out.push(`<text x="${r2(m.l + pw / 2)}" y="${H - 12}" text-anchor="middle">${esc(o.xLabel)}</text>`);
  out.push(`<text transform="translate(16 ${r2(m.t + ph / 2)}) rotate(-90)" text-anchor="middle">${esc(o.yLabel)}</text>`);
  // series
  o.series.forEach((s, i) => {
    const c = s.color ?? PALETTE[i % PALETTE.length];
    const pts = s.points.filter((p) => Number.isFinite(p[1]));
    if (pts.length) out.push(`<polyline fill="none" stroke="${c}" stroke-width="2" points="${pts.map((p) => `${r2(X(p[0]))},${r2(Y(p[1]))}`).join(' ')}"/>`);
    for (const p of pts) out.push(`<circle cx="${r2(X(p[0]))}" cy="${r2(Y(p[1]))}" r="3.5" fill="${c}"><title>${esc(`${s.name}: x=${p[0]} y=${yFmt(p[1])}`)}</title></circle>`);
    const ly = m.t + 14 + i * 20;
    out.push(`<line x1="${m.l + pw + 14}" x2="${m.l + pw + 38}" y1="${ly}" y2="${ly}" stroke="${c}" stroke-width="2"/>`);
    out.push(`<text x="${m.l + pw + 44}" y="${ly + 4}">${esc(s.name)}</text>`);
  });
  out.push('</svg>');
  return out.join('\n') + '\n';
}
