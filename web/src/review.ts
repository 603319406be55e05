/**
 * Reviews tab: a whole review rated by the review model (`wordloom serve --review-model`) or the sentence model,
 * with the probability bars, every sentence coloured by how much dropping it moved the expected stars, and the
 * most influential words (POST /api/review, or the same code in this page: src/tasks/sentiment/explain.ts).
 */
import type { Chart, ChartConfiguration } from 'chart.js';
import type { ReviewResponse, ReviewSpan, StatusResponse } from '../../src/web/api-types.ts';

interface Ctx {
  chart(id: string, config: ChartConfiguration): Chart;
  $<T extends HTMLElement = HTMLElement>(sel: string): T;
}

function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

const NAMES: Record<string, string> = { neg: 'negative', pos: 'positive' };
const STAR_NAMES = ['very negative', 'negative', 'neutral', 'positive', 'very positive'];
/** "+0.123" / "−0.0042": three decimals, or two significant digits for small effects (saturated models). */
const signed = (x: number) => { const a = Math.abs(x); return `${x >= 0 ? '+' : '−'}${a >= 0.01 || a === 0 ? a.toFixed(3) : a.toPrecision(2)}`; };

/** Background for an effect: green raises, red lowers; opacity ∝ |effect| / the strongest. */
function shade(effect: number, max: number): string {
  const a = Math.min(1, Math.abs(effect) / max);
  return effect >= 0 ? `rgba(27,158,90,${(0.55 * a).toFixed(3)})` : `rgba(208,67,58,${(0.55 * a).toFixed(3)})`;
}

/** Review model radio: disabled with a note when the server has none (the sentence model is then used). */
export function applyReviewStatus(s: StatusResponse, ctx: Ctx): void {
  const radio = ctx.$<HTMLInputElement>('#review-form input[name="model"][value="review"]');
  const other = ctx.$<HTMLInputElement>('#review-form input[name="model"][value="sentence"]');
  const note = ctx.$('#review-model-note');
  radio.disabled = !s.review.available;
  other.disabled = !s.sentiment.available;
  note.hidden = s.review.available;
  if (!s.review.available) {
    note.textContent = `Review model: not available — ${s.review.reason ?? 'none loaded'}.`;
    other.checked = true;
  }
}

/** The text with each sentence coloured by its effect, paragraph breaks kept, the top words in bold. */
function highlighted(text: string, r: ReviewResponse, unit: string): string {
  const max = Math.max(1e-9, ...r.sentences.map((s) => Math.abs(s.effect)));
  const top = [...r.topWords].sort((a, b) => a.start - b.start);
  let html = '', at = 0;
  for (const s of r.sentences) {
    if (/<br|\n/i.test(text.slice(at, s.start))) html += '<span class="gap"></span>';
    else if (at > 0) html += ' ';
    let inner = '', k = s.start;
    for (const w of top) {
      if (w.start < s.start || w.end > s.end) continue;
      inner += esc(text.slice(k, w.start)) + `<b title="${esc(w.text)}: ${signed(w.effect)} ${esc(unit)}">${esc(text.slice(w.start, w.end))}</b>`;
      k = w.end;
    }
    inner += esc(text.slice(k, s.end));
    html += `<span class="sent" data-effect="${s.effect}" style="background:${shade(s.effect, max)}" title="this sentence: ${signed(s.effect)} ${esc(unit)}">${inner}</span>`;
    at = s.end;
  }
  return html;
}

/** What an effect is in: expected stars, which for two classes is 1 + p(second class). */
function unitOf(r: ReviewResponse): string {
  return r.labels.length === 2 ? `p(${NAMES[r.labels[1]] ?? r.labels[1]})` : 'stars';
}

function wordTable(words: ReviewSpan[], unit: string): string {
  if (!words.length) return '<p class="note">no words measured</p>';
  const max = Math.max(1e-9, ...words.map((w) => Math.abs(w.effect)));
  return `<table><tr><th>word</th><th class="num">Δ ${esc(unit)}</th><th></th></tr>${words.map((w) =>
    `<tr><td>${esc(w.text)}</td><td class="num">${signed(w.effect)}</td><td style="width:45%"><span class="wbar ${w.effect >= 0 ? 'pos' : 'neg'}" style="width:${(100 * Math.abs(w.effect)) / max}%"></span></td></tr>`).join('')}</table>`;
}

export function renderReview(text: string, r: ReviewResponse, ctx: Ctx): void {
  const n = r.labels.length;
  const names = n === 5 ? STAR_NAMES : r.labels.map((l) => NAMES[l] ?? l);
  const stars = ctx.$('#review-stars');
  stars.dataset.probs = JSON.stringify(r.probs);
  stars.innerHTML = (n >= 3 ? '★'.repeat(r.stars) + `<span class="dim">${'★'.repeat(n - r.stars)}</span>` : '') +
    `<span class="label">${esc(names[r.predicted])} (${(100 * r.probs[r.predicted]).toFixed(0)}%${n >= 3 ? `, expected ${r.expectedStars.toFixed(2)} stars` : ''})</span>`;
  ctx.$('#review-model-name').textContent = `(${r.model === 'review' ? 'review model' : 'sentence model'}: ${String(r.modelInfo.kind ?? '')} ${String(r.modelInfo.source ?? '')})`;
  ctx.chart('review-probs-chart', {
    type: 'bar',
    data: { labels: names.map((l, i) => (n === 5 ? `${i + 1}★ ${l}` : l)), datasets: [{ label: 'probability', data: r.probs, backgroundColor: r.probs.map((_, i) => (i === r.predicted ? '#3558d6' : '#a5b4fc')) }] },
    options: { indexAxis: 'y', maintainAspectRatio: false, plugins: { legend: { display: false } }, scales: { x: { min: 0, max: 1 } } },
  });
  ctx.$('#review-sentences').innerHTML = highlighted(text, r, unitOf(r));
  ctx.$('#review-words').innerHTML = wordTable(r.topWords, unitOf(r));
  ctx.$('#review-note').textContent = `${r.sentences.length} sentences; ${r.wordsMeasured} of ${r.wordCount} words measured` +
    (r.wordsMeasured < r.wordCount ? ' (long review: words of the most influential sentences first)' : '') +
    `; ${r.predictions} predictions in ${r.seconds.toFixed(2)} s`;
}
