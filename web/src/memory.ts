/**
 * Memory tab: the sweep plot (success vs sequence length, one line per cell) with Chart.js, and a heat map of one
 * trained LSTM's gate activations over time drawn on a canvas (rows = hidden units, columns = time steps).
 */
import type { Chart, ChartConfiguration } from 'chart.js';
import type { MemoryResponse, GateTraces } from '../../src/web/api-types.ts';

interface Ctx {
  chart(id: string, config: ChartConfiguration): Chart;
  $<T extends HTMLElement = HTMLElement>(sel: string): T;
}

const COLORS: Record<string, string> = { rnn: '#d0433a', gru: '#1b9e5a', lstm: '#3558d6' };
const FALLBACK = ['#7c3aed', '#f0a500', '#0891b2', '#be185d'];

function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

export function renderMemory(m: MemoryResponse, ctx: Ctx): void {
  const { sweep } = m;
  const lengths = [...new Set(sweep.series.flatMap((s) => s.points.map((p) => p.length)))].sort((a, b) => a - b);
  const logX = lengths.length > 2 && lengths[lengths.length - 1] / Math.max(1, lengths[0]) >= 20;
  ctx.chart('sweep-chart', {
    type: 'line',
    data: {
      datasets: sweep.series.map((s, i) => {
        const c = COLORS[s.name.toLowerCase().split(/[^a-z]/)[0]] ?? FALLBACK[i % FALLBACK.length];
        return { label: s.name, data: s.points.map((p) => ({ x: p.length, y: p.value })), borderColor: c, backgroundColor: c, pointRadius: 4, borderWidth: 2 };
      }),
    },
    options: {
      maintainAspectRatio: false, parsing: false,
      scales: {
        x: { type: logX ? 'logarithmic' : 'linear', title: { display: true, text: 'sequence length T' }, ticks: { callback: (v) => (lengths.includes(Number(v)) ? String(v) : '') } },
        y: { min: 0, max: 1, title: { display: true, text: sweep.measure } },
      },
      plugins: { title: { display: !!sweep.criterion, text: sweep.criterion } },
    },
  });
  ctx.$('#sweep-caption').textContent = Object.entries(sweep.info).map(([k, v]) => `${k} ${typeof v === 'object' ? JSON.stringify(v) : v}`).join(' · ');
  ctx.$('#sweep-table').innerHTML = `<table><tr><th>cell</th>${lengths.map((T) => `<th class="num">T=${T}</th>`).join('')}</tr>${sweep.series.map((s) =>
    `<tr><td>${esc(s.name)}</td>${lengths.map((T) => { const p = s.points.find((q) => q.length === T); return `<td class="num">${p ? p.value.toFixed(2) : '—'}</td>`; }).join('')}</tr>`).join('')}</table>`;

  const buttons = ctx.$('#gate-buttons');
  if (!m.traces) { ctx.$('#heat-note').textContent = 'not available: the memory run recorded no gate traces'; buttons.innerHTML = ''; return; }
  const tr = m.traces;
  const names = Object.keys(tr.gates);
  buttons.innerHTML = names.map((g, i) => `<button type="button" data-gate="${esc(g)}" aria-pressed="${i === 0}">${esc(gateTitle(g))}</button>`).join('');
  const show = (g: string) => {
    buttons.querySelectorAll('button').forEach((b) => b.setAttribute('aria-pressed', String(b.dataset.gate === g)));
    drawHeatmap(ctx.$<HTMLCanvasElement>('#heatmap'), tr, g);
  };
  buttons.querySelectorAll<HTMLButtonElement>('button').forEach((b) => (b.onclick = () => show(b.dataset.gate!)));
  ctx.$('#heat-caption').textContent = `${tr.cell.toUpperCase()}, T = ${tr.T}, H = ${tr.H}` + Object.entries(tr.info).map(([k, v]) => ` · ${k} ${v}`).join('');
  if (names.length) show(names[0]);
}

function gateTitle(g: string): string {
  return ({ i: 'input gate i', f: 'forget gate f', g: 'candidate g', o: 'output gate o', c: 'cell state c', h: 'hidden h', z: 'update gate z', r: 'reset gate r' } as Record<string, string>)[g] ?? g;
}

/** Colour scale: sequential (white→blue) for [0,1] gates, diverging (red–white–blue) for signed values. */
function colour(v: number, lo: number, hi: number): string {
  if (lo >= 0) {
    const t = Math.max(0, Math.min(1, (v - lo) / (hi - lo || 1)));
    return `rgb(${Math.round(255 - 202 * t)},${Math.round(255 - 167 * t)},${Math.round(255 - 41 * t)})`;
  }
  const m = Math.max(Math.abs(lo), Math.abs(hi)) || 1;
  const t = Math.max(-1, Math.min(1, v / m));
  return t >= 0 ? `rgb(${Math.round(255 - 202 * t)},${Math.round(255 - 167 * t)},${Math.round(255 - 41 * t)})` : `rgb(${Math.round(255 + 47 * t)},${Math.round(255 + 188 * t)},${Math.round(255 + 197 * t)})`;
}

function drawHeatmap(canvas: HTMLCanvasElement, tr: GateTraces, gate: string): void {
  const data = tr.gates[gate];
  const T = data.length, H = data[0]?.length ?? 0;
  const left = 60, top = tr.inputs ? 44 : 16, bottom = 40, right = 90;
  const cw = Math.max(2, Math.min(36, Math.floor((1050 - left - right) / Math.max(1, T))));
  const ch = Math.max(4, Math.min(30, Math.floor(300 / Math.max(1, H))));
  canvas.width = left + T * cw + right;
  canvas.height = top + H * ch + bottom;
  const g = canvas.getContext('2d')!;
  g.fillStyle = '#fff'; g.fillRect(0, 0, canvas.width, canvas.height);
  let lo = Infinity, hi = -Infinity;
  for (const row of data) for (const v of row) { if (v < lo) lo = v; if (v > hi) hi = v; }
  if (['i', 'f', 'o', 'z', 'r'].includes(gate)) { lo = 0; hi = 1; }
  for (let t = 0; t < T; t++) for (let u = 0; u < H; u++) {
    g.fillStyle = colour(data[t][u], lo, hi);
    g.fillRect(left + t * cw, top + u * ch, cw, ch);
  }
  g.fillStyle = '#1d2330'; g.font = '12px system-ui, sans-serif';
  g.textAlign = 'right';
  for (let u = 0; u < H; u += Math.ceil(H / 16)) g.fillText(`unit ${u}`, left - 6, top + u * ch + ch / 2 + 4);
  g.textAlign = 'center';
  const step = Math.max(1, Math.ceil(T / 20));
  for (let t = 0; t < T; t += step) g.fillText(String(t + 1), left + t * cw + cw / 2, top + H * ch + 16);
  g.fillText('time step t', left + (T * cw) / 2, top + H * ch + 34);
  if (tr.inputs) { // the input sequence as a strip above the map
    const inp = tr.inputs;
    const m = Math.max(1e-9, ...inp.map(Math.abs));
    for (let t = 0; t < T; t++) { g.fillStyle = colour(inp[t], -m, m); g.fillRect(left + t * cw, 8, cw, 18); }
    g.textAlign = 'right'; g.fillStyle = '#1d2330'; g.fillText('input x', left - 6, 21);
  }
  // legend
  const lx = left + T * cw + 24;
  for (let k = 0; k <= 100; k++) { g.fillStyle = colour(lo + ((hi - lo) * (100 - k)) / 100, lo, hi); g.fillRect(lx, top + (k * H * ch) / 101, 14, (H * ch) / 101 + 1); }
  g.fillStyle = '#1d2330'; g.textAlign = 'left';
  g.fillText(hi.toFixed(2), lx + 18, top + 10);
  g.fillText(lo.toFixed(2), lx + 18, top + H * ch);
}
