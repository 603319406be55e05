/**
 * The wordloom playground page: six tabs over the JSON API of `wordloom serve` (src/web/server-node.ts), each
 * opening on a worked example (its pre-filled inputs are run when the tab is first shown).
 * Charts: Chart.js (+ chartjs-plugin-zoom for the word map); the gate heat map is drawn on a canvas.
 * The Sentences and Reviews tabs can also run their models in this browser with the same inference code as Node
 * (see local.ts).
 */
import './style.css';
import {
  Chart, LineController, LineElement, PointElement, ScatterController, BarController, BarElement,
  LinearScale, LogarithmicScale, CategoryScale, Legend, Tooltip, Title, type ChartConfiguration, type Plugin,
} from 'chart.js';
import zoomPlugin from 'chartjs-plugin-zoom';
import type {
  StatusResponse, NeighborsResponse, AnalogyResponse, SimilarityResponse, DoesntMatchResponse, MapResponse,
  PredictResponse, MemoryResponse, TrainingLogsResponse, GloveRatiosResponse, Availability, ScoredWord, ReviewResponse, ReviewModelChoice,
} from '../../src/web/api-types.ts';
import { renderMemory } from './memory.ts';
import { renderReview, applyReviewStatus } from './review.ts';
import { localPredict, localPredictAvailable, localReview } from './local.ts';

Chart.register(LineController, LineElement, PointElement, ScatterController, BarController, BarElement,
  LinearScale, LogarithmicScale, CategoryScale, Legend, Tooltip, Title, zoomPlugin);
Chart.defaults.font.family = getComputedStyle(document.documentElement).fontFamily;
Chart.defaults.animation = false;

// ---------- helpers ----------
const $ = <T extends HTMLElement = HTMLElement>(sel: string): T => {
  const el = document.querySelector<T>(sel);
  if (!el) throw new Error(`missing element ${sel}`);
  return el;
};

export class ApiError extends Error {}

async function api<T>(path: string, body?: unknown): Promise<T> {
  const res = await fetch(`api/${path}`, body === undefined ? {} : {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body),
  });
  let data: unknown;
  try { data = await res.json(); } catch { throw new ApiError(`server answered ${res.status} without JSON`); }
  if (!res.ok) throw new ApiError((data as { error?: string }).error ?? `server answered ${res.status}`);
  return data as T;
}

function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}
const fmt = (x: number, d = 3) => (Number.isFinite(x) ? x.toFixed(d) : String(x));
const words = (s: string) => s.split(/[\s,]+/).map((w) => w.trim()).filter(Boolean);

function showError(out: HTMLElement, e: unknown): void {
  out.innerHTML = `<p class="error">${esc(e instanceof Error ? e.message : String(e))}</p>`;
}

/** Run a form's handler on submit with its button disabled meanwhile; errors go to `out`. */
function onSubmit(form: HTMLFormElement, out: HTMLElement, fn: (data: FormData) => Promise<void>): void {
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const buttons = form.querySelectorAll('button');
    buttons.forEach((b) => (b.disabled = true));
    out.dataset.state = 'busy';
    try { await fn(new FormData(form)); out.dataset.state = 'done'; } catch (e) { showError(out, e); out.dataset.state = 'error'; } finally { buttons.forEach((b) => (b.disabled = false)); }
  });
}

function scoredTable(rows: ScoredWord[], header = 'cosine'): string {
  const max = Math.max(1e-9, ...rows.map((r) => Math.abs(r.score)));
  return `<table><tr><th>#</th><th>word</th><th class="num">${header}</th><th></th></tr>${rows.map((r, i) =>
    `<tr><td>${i + 1}</td><td>${esc(r.word)}</td><td class="num">${fmt(r.score)}</td><td style="width:40%"><div class="bar" style="width:${(100 * Math.abs(r.score)) / max}%"></div></td></tr>`).join('')}</table>`;
}

const charts = new Map<string, Chart>();
function chart(id: string, config: ChartConfiguration): Chart {
  charts.get(id)?.destroy();
  const c = new Chart($<HTMLCanvasElement>(`#${id}`), config);
  charts.set(id, c);
  return c;
}

// ---------- tabs + availability ----------
let status: StatusResponse | null = null;
const loaded = new Set<string>();

function selectTab(name: string): void {
  document.querySelectorAll<HTMLButtonElement>('#tabs button').forEach((b) => b.setAttribute('aria-selected', String(b.dataset.tab === name)));
  document.querySelectorAll<HTMLElement>('section.tab').forEach((s) => (s.hidden = s.id !== `tab-${name}`));
  if (location.hash !== `#${name}`) history.replaceState(null, '', `#${name}`);
  if (!loaded.has(name)) { loaded.add(name); void onFirstShow(name); }
}

/** The Reviews tab works with either model: the review model, or the sentence model meanwhile. */
function reviewsAvailability(s: StatusResponse): Availability {
  if (s.review.available || s.sentiment.available) return { available: true };
  return { available: false, reason: `no model to rate reviews: ${s.review.reason ?? ''}; sentence model: ${s.sentiment.reason ?? ''}` };
}

function applyStatus(s: StatusResponse): void {
  document.querySelectorAll<HTMLElement>('section.tab').forEach((sec) => {
    const part = sec.dataset.part!;
    const a: Availability = part === 'reviews' ? reviewsAvailability(s) : s[part as keyof StatusResponse];
    const banner = sec.querySelector<HTMLElement>('.unavailable')!;
    banner.hidden = a.available;
    if (!a.available) banner.textContent = `not available: ${a.reason ?? 'unknown reason'}`;
    sec.querySelectorAll<HTMLButtonElement>('form button').forEach((b) => (b.disabled = !a.available));
    sec.classList.toggle('off', !a.available);
  });
  applyReviewStatus(s, { chart, $ });
  const probes = (s.glove.info?.probes ?? []) as string[];
  $('#glove-probes').innerHTML = probes.map((p) => `<option value="${esc(p)}"></option>`).join('');
  if (probes.length) $('#glove-probes-note').textContent = `i and j can be any of the words whose co-occurrence rows were counted: ${probes.join(', ')}; k can be any word of the corpus.`;
  const w = s.words.info, se = s.sentiment.info, rv = s.review.info;
  $('#footer').textContent = [
    w ? `vectors: ${w.source ?? ''} ${w.vocab ?? '?'} words × ${w.dim ?? '?'}` : '',
    se ? `sentiment: ${se.source ?? ''} ${se.cell ?? ''}` : '',
    rv ? `review model: ${rv.source ?? ''} (${rv.kind ?? ''})` : '',
  ].filter(Boolean).join(' · ');
}

/** The forms each tab runs on its first showing, so it opens on a worked example rather than an empty panel. */
const EXAMPLES: Record<string, string[]> = {
  words: ['#neighbors-form', '#analogy-form', '#similarity-form', '#odd-form', '#map-form'],
  sentence: ['#predict-form'],
  reviews: ['#review-form'],
  glove: ['#glove-form'],
};

async function onFirstShow(name: string): Promise<void> {
  if (!status) return;
  if (name === 'memory' && status.memory.available) await loadMemory();
  if (name === 'training' && status.training.available) await loadTraining();
  const sec = document.querySelector<HTMLElement>(`#tab-${name}`);
  if (sec && !sec.classList.contains('off')) for (const f of EXAMPLES[name] ?? []) $<HTMLFormElement>(f).requestSubmit();
}

// ---------- Words ----------
function setupWords(): void {
  onSubmit($<HTMLFormElement>('#neighbors-form'), $('#neighbors-out'), async (d) => {
    const r = await api<NeighborsResponse>(`neighbors?word=${encodeURIComponent(String(d.get('word')).trim())}&k=${Number(d.get('k')) || 10}`);
    $('#neighbors-out').innerHTML = `<p class="note">nearest to <b>${esc(r.word)}</b></p>` + scoredTable(r.neighbors);
  });
  onSubmit($<HTMLFormElement>('#analogy-form'), $('#analogy-out'), async (d) => {
    const r = await api<AnalogyResponse>('analogy', { a: String(d.get('a')).trim(), b: String(d.get('b')).trim(), c: String(d.get('c')).trim(), k: 5 });
    $('#analogy-out').innerHTML = `<p>${esc(r.a)} : ${esc(r.b)} :: ${esc(r.c)} : <span class="big">${esc(r.results[0]?.word ?? '—')}</span> <span class="note">(nearest to ${esc(r.b)} − ${esc(r.a)} + ${esc(r.c)})</span></p>` + scoredTable(r.results);
  });
  document.querySelectorAll<HTMLButtonElement>('#analogy-examples .chip').forEach((chip) => chip.addEventListener('click', () => {
    const [a, b, c] = chip.dataset.abc!.split(' ');
    const f = $<HTMLFormElement>('#analogy-form');
    (f.elements.namedItem('a') as HTMLInputElement).value = a;
    (f.elements.namedItem('b') as HTMLInputElement).value = b;
    (f.elements.namedItem('c') as HTMLInputElement).value = c;
    f.requestSubmit();
  }));
  onSubmit($<HTMLFormElement>('#similarity-form'), $('#similarity-out'), async (d) => {
    const r = await api<SimilarityResponse>(`similarity?a=${encodeURIComponent(String(d.get('a')).trim())}&b=${encodeURIComponent(String(d.get('b')).trim())}`);
    $('#similarity-out').innerHTML = `<table><tr><th>pair</th><th class="num">cosine</th><th class="num">Euclidean distance</th></tr>
      <tr><td>${esc(r.a)} · ${esc(r.b)}</td><td class="num big">${fmt(r.cosine)}</td><td class="num big">${fmt(r.euclidean)}</td></tr></table>`;
  });
  onSubmit($<HTMLFormElement>('#odd-form'), $('#odd-out'), async (d) => {
    const r = await api<DoesntMatchResponse>('doesnt-match', { words: words(String(d.get('words'))) });
    $('#odd-out').innerHTML = `<p>${r.words.map((w) => (w === r.odd ? `<span class="odd">${esc(w)}</span>` : esc(w))).join(' ')}</p>` +
      scoredTable(r.scores, 'cosine to the mean');
  });
  const mapForm = $<HTMLFormElement>('#map-form');
  onSubmit(mapForm, $('#map-note'), async (d) => {
    const body = d.get('mode') === 'center' ? { center: String(d.get('center')).trim(), k: Number(d.get('k')) || 30 } : { words: words(String(d.get('words'))) };
    const r = await api<MapResponse>('map', body);
    $('#map-note').textContent = `PCA of ${r.points.length} word vectors: components explain ${(100 * r.explained[0]).toFixed(1)}% + ${(100 * r.explained[1]).toFixed(1)}% of the variance` +
      (r.skipped.length ? `; not in the vocabulary: ${r.skipped.join(', ')}` : '');
    drawMap(r);
  });
}

const labelPlugin: Plugin<'scatter'> = {
  id: 'wordLabels',
  afterDatasetsDraw(c) {
    const ctx = c.ctx;
    const meta = c.getDatasetMeta(0);
    const data = c.data.datasets[0].data as unknown as { x: number; y: number; word: string }[];
    ctx.save();
    ctx.font = '13px ' + Chart.defaults.font.family;
    ctx.fillStyle = '#1d2330';
    ctx.beginPath();
    ctx.rect(c.chartArea.left, c.chartArea.top, c.chartArea.right - c.chartArea.left, c.chartArea.bottom - c.chartArea.top);
    ctx.clip();
    meta.data.forEach((pt, i) => ctx.fillText(data[i].word, pt.x + 6, pt.y - 5));
    ctx.restore();
  },
};

function drawMap(r: MapResponse): void {
  const c = chart('map-chart', {
    type: 'scatter',
    data: { datasets: [{ label: 'words', data: r.points.map((p) => ({ x: p.x, y: p.y, word: p.word })) as never, pointRadius: 4, backgroundColor: '#3558d6' }] },
    options: {
      maintainAspectRatio: false,
      plugins: {
        legend: { display: false },
        tooltip: { callbacks: { label: (it) => (it.raw as { word: string }).word } },
        zoom: {
          zoom: { wheel: { enabled: true }, pinch: { enabled: true }, mode: 'xy', onZoomComplete: ({ chart: ch }) => showRange(ch) },
          pan: { enabled: true, mode: 'xy', onPanComplete: ({ chart: ch }) => showRange(ch) },
        },
      },
      scales: { x: { grace: '10%', title: { display: true, text: 'PC 1' } }, y: { grace: '8%', title: { display: true, text: 'PC 2' } } },
    },
    plugins: [labelPlugin as Plugin],
  });
  $<HTMLCanvasElement>('#map-chart').ondblclick = () => { c.resetZoom(); showRange(c); };
  showRange(c);
}

/** The visible x range of the map, on the canvas (for tests and for people reading the DOM). */
function showRange(c: Chart): void {
  const x = c.scales.x;
  c.canvas.dataset.xrange = `${x.min.toFixed(3)} ${x.max.toFixed(3)}`;
}

// ---------- Sentences ----------
const STAR_NAMES = ['very negative', 'negative', 'neutral', 'positive', 'very positive'];

function setupReviews(): void {
  const localBox = $<HTMLInputElement>('#predict-form input[name="local"]');
  localBox.parentElement!.hidden = !localPredictAvailable();
  onSubmit($<HTMLFormElement>('#predict-form'), $('#tokens'), async (d) => {
    const text = String(d.get('text'));
    const t0 = performance.now();
    const local = localBox.checked;
    const r = local ? await localPredict(text) : await api<PredictResponse>('predict', { text });
    $('#predict-where').textContent = `${local ? 'computed in this browser' : 'computed by the server'} in ${Math.round(performance.now() - t0)} ms`;
    renderPrediction(r);
  });
}

function renderPrediction(r: PredictResponse): void {
  const n = r.labels.length;
  const names = n === 5 ? STAR_NAMES : r.labels;
  $('#stars').dataset.probs = JSON.stringify(r.probs);
  $('#stars').innerHTML = (n === 5 ? '★'.repeat(r.stars) + `<span class="dim">${'★'.repeat(5 - r.stars)}</span>` : '') +
    `<span class="label">${esc(names[r.predicted])} (${(100 * r.probs[r.predicted]).toFixed(0)}%, expected ${r.expectedStars.toFixed(2)} stars)</span>`;
  chart('probs-chart', {
    type: 'bar',
    data: { labels: names.map((l, i) => (n === 5 ? `${i + 1}★ ${l}` : l)), datasets: [{ label: 'probability', data: r.probs, backgroundColor: r.probs.map((_, i) => (i === r.predicted ? '#3558d6' : '#a5b4fc')) }] },
    options: { indexAxis: 'y', maintainAspectRatio: false, plugins: { legend: { display: false } }, scales: { x: { min: 0, max: 1 } } },
  });
  const max = Math.max(1e-6, ...r.tokens.map((t) => Math.abs(t.contribution)));
  $('#tokens').innerHTML = r.tokens.map((t) => {
    const a = Math.min(1, Math.abs(t.contribution) / max);
    const bg = t.contribution >= 0 ? `rgba(27,158,90,${(0.75 * a).toFixed(3)})` : `rgba(208,67,58,${(0.75 * a).toFixed(3)})`;
    return `<span class="tok${t.known ? '' : ' unk'}" style="background:${bg}" title="${esc(t.token)}: ${t.contribution >= 0 ? '+' : ''}${t.contribution.toFixed(3)} stars${t.known ? '' : ' (unknown word)'}">${esc(t.token)}</span>`;
  }).join(' ');
  $('#token-legend').textContent = `strongest effect ±${max.toFixed(3)} stars; dotted = not in the model's vocabulary` +
    (r.explainedTokens < r.tokens.length ? `; words measured for the first ${r.explainedTokens} of ${r.tokens.length} tokens (whole reviews: see the Reviews tab)` : '');
}

// ---------- Reviews ----------
function setupWholeReviews(): void {
  const form = $<HTMLFormElement>('#review-form');
  const localBox = $<HTMLInputElement>('#review-form input[name="local"]');
  localBox.parentElement!.hidden = !localPredictAvailable();
  onSubmit(form, $('#review-sentences'), async (d) => {
    const text = String(d.get('text'));
    const model = (String(d.get('model') ?? 'sentence')) as ReviewModelChoice;
    const t0 = performance.now();
    const local = localBox.checked;
    const r = local ? await localReview(text, model) : await api<ReviewResponse>('review', { text, model });
    $('#review-where').textContent = `${local ? 'computed in this browser' : 'computed by the server'} in ${Math.round(performance.now() - t0)} ms`;
    renderReview(text, r, { chart, $ });
  });
}

// ---------- Memory ----------
async function loadMemory(): Promise<void> {
  try {
    const m = await api<MemoryResponse>('memory');
    renderMemory(m, { chart, $ });
  } catch (e) { showError($('#sweep-table'), e); }
}

// ---------- Training ----------
async function loadTraining(): Promise<void> {
  try {
    const { runs: all } = await api<TrainingLogsResponse>('training-logs');
    const rank = (n: string) => { const i = ['sentiment-epochs', 'sentiment', 'word2vec'].indexOf(n); return i < 0 ? 99 : i; };
    const runs = [...all].sort((a, b) => rank(a.name) - rank(b.name) || a.name.localeCompare(b.name));
    const sel = $<HTMLSelectElement>('#run-select');
    sel.innerHTML = runs.map((r, i) => `<option value="${i}">${esc(r.name)}</option>`).join('');
    const draw = () => {
      const run = runs[Number(sel.value)];
      if (!run) { $('#training-note').textContent = 'no training runs logged yet'; return; }
      const metrics = [...new Set(run.points.flatMap((p) => Object.keys(p).filter((k) => k !== 'step')))];
      const colors = ['#3558d6', '#d0433a', '#1b9e5a', '#f0a500', '#7c3aed', '#0891b2'];
      chart('training-chart', {
        type: 'line',
        data: {
          datasets: metrics.map((m, i) => ({
            label: m, data: run.points.filter((p) => Number.isFinite(p[m])).map((p) => ({ x: p.step, y: p[m] })),
            borderColor: colors[i % colors.length], backgroundColor: colors[i % colors.length], pointRadius: run.points.length > 60 ? 0 : 2,
            yAxisID: /acc|success|score/i.test(m) ? 'y2' : 'y', borderWidth: 2,
          })),
        },
        options: {
          maintainAspectRatio: false, parsing: false,
          scales: {
            x: { type: 'linear', title: { display: true, text: run.unit } },
            y: { position: 'left', type: $<HTMLInputElement>('#log-y').checked ? 'logarithmic' : 'linear', title: { display: true, text: 'loss' } },
            y2: { position: 'right', min: 0, max: 1, display: 'auto', title: { display: true, text: 'accuracy' }, grid: { drawOnChartArea: false } },
          },
        },
      });
      $('#training-note').textContent = `${run.kind}: ${run.points.length} logged points`;
    };
    sel.onchange = draw;
    $<HTMLInputElement>('#log-y').onchange = draw;
    draw();
  } catch (e) { showError($('#training-note'), e); }
}

// ---------- GloVe ----------
function setupGlove(): void {
  onSubmit($<HTMLFormElement>('#glove-form'), $('#glove-out'), async (d) => {
    const a = String(d.get('a')).trim(), b = String(d.get('b')).trim();
    const r = await api<GloveRatiosResponse>('glove-ratios', { a, b, probes: words(String(d.get('probes'))) });
    const sci = (x: number) => (x === 0 ? '0' : x.toExponential(1));
    $('#glove-out').innerHTML = `<table><tr><th>probability and ratio</th>${r.rows.map((x) => `<th class="num">k = ${esc(x.k)}</th>`).join('')}</tr>
      <tr><td>P(k | ${esc(r.a)})</td>${r.rows.map((x) => `<td class="num">${sci(x.pka)}</td>`).join('')}</tr>
      <tr><td>P(k | ${esc(r.b)})</td>${r.rows.map((x) => `<td class="num">${sci(x.pkb)}</td>`).join('')}</tr>
      <tr><td>P(k | ${esc(r.a)}) / P(k | ${esc(r.b)})</td>${r.rows.map((x) => `<td class="num big">${x.ratio === null ? (x.pka > 0 ? '∞' : '—') : x.ratio < 0.1 ? sci(x.ratio) : x.ratio.toFixed(2)}</td>`).join('')}</tr>
      <tr><td class="note">counts X<sub>${esc(r.a)},k</sub> / X<sub>${esc(r.b)},k</sub></td>${r.rows.map((x) => `<td class="num note">${+x.xak.toFixed(2)} / ${+x.xbk.toFixed(2)}</td>`).join('')}</tr></table>`;
    const info = Object.entries(r.info).filter(([k]) => k !== 'probes').map(([k, v]) => `${k} ${v}`).join(', ');
    $('#glove-note').textContent = (r.unknown.length ? `not in the vocabulary: ${r.unknown.join(', ')}. ` : '') + (info ? `counts: ${info}` : '') +
      '. X is weighted by 1/distance; "—" = k never seen near either word, "∞" = never near j.';
  });
}

// ---------- start ----------
async function init(): Promise<void> {
  document.querySelectorAll<HTMLButtonElement>('#tabs button').forEach((b) => b.addEventListener('click', () => selectTab(b.dataset.tab!)));
  setupWords(); setupReviews(); setupWholeReviews(); setupGlove();
  try {
    status = await api<StatusResponse>('status');
    applyStatus(status);
  } catch (e) {
    document.querySelectorAll<HTMLElement>('.unavailable').forEach((b) => { b.hidden = false; b.textContent = `not available: cannot reach the server (${(e as Error).message})`; });
  }
  const first = location.hash.slice(1);
  selectTab(['words', 'sentence', 'reviews', 'memory', 'training', 'glove'].includes(first) ? first : 'words');
  document.body.dataset.ready = '1';
}

void init();
