// End-to-end: the built playground page in real headless Chromium against a real server (127.0.0.1, random port)
// on small fixtures. Every tab opens on a worked example; then each tab runs a query, checks what is rendered, saves
// test-output/playground-<tab>.png.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { startServer, type RunningServer } from '../../src/web/server-node.ts';
import { ensurePageBuilt, launchChromium, shotPath, PAGE_DIR, type Browser } from './browser.ts';
import { fixtureBackends } from './fixtures.ts';

let server: RunningServer;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];

before(async () => {
  ensurePageBuilt();
  server = await startServer({ backends: await fixtureBackends({ review: true }), staticDir: PAGE_DIR, port: 0 });
  browser = await launchChromium();
  page = await browser.context.newPage();
  page.on('pageerror', (e) => pageErrors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') pageErrors.push(m.text()); });
  await page.goto(server.url);
  await page.waitForSelector('body[data-ready="1"]');
});

after(async () => {
  await browser?.close();
  await server?.close();
});

async function submitAndWait(form: string, out: string): Promise<void> {
  await page.click(`${form} button`);
  await page.waitForFunction((sel) => ['done', 'error'].includes((document.querySelector(sel) as HTMLElement)?.dataset.state ?? ''), out);
}

test('every tab opens on a worked example: its pre-filled inputs already answered, no empty panel', async () => {
  // Words is the first tab shown: all five cards answer their pre-filled queries
  await page.waitForSelector('#neighbors-out table');
  await page.waitForFunction(() => /mother/.test(document.querySelector('#analogy-out .big')?.textContent ?? ''));
  await page.waitForSelector('#similarity-out td.num');
  await page.waitForSelector('#odd-out .odd');
  await page.waitForFunction(() => /PCA of \d+ word vectors/.test(document.querySelector('#map-note')?.textContent ?? ''));
  assert.deepEqual(await page.$$eval('main .error', (els) => els.map((e) => e.textContent)), []); // the defaults are all answerable
  const first: Record<string, string> = {
    sentence: '#tokens .tok', reviews: '#review-sentences .sent', memory: '#sweep-table table', glove: '#glove-out table',
  };
  for (const [tab, sel] of Object.entries(first)) {
    await page.click(`#tabs button[data-tab="${tab}"]`);
    await page.waitForSelector(sel);
  }
  await page.click('#tabs button[data-tab="training"]');
  await page.waitForFunction(() => /logged points/.test(document.querySelector('#training-note')?.textContent ?? ''));
  // the Reviews example: a whole review with <br /> breaks, rated by the review model
  assert.match((await page.textContent('#review-model-name'))!, /review model: rnn web-fixture-review\.wl/);
  assert.equal(await page.$$eval('#review-sentences .sent', (els) => els.length), 9);
  assert.equal(await page.$$eval('#review-sentences .gap', (els) => els.length), 2);
});

test('Words tab: neighbours, analogy, similarity, odd one out, PCA map', async () => {
  await page.click('#tabs button[data-tab="words"]');
  assert.equal(await page.isHidden('#tab-words .unavailable'), true);

  await page.fill('#neighbors-form input[name="word"]', 'king');
  await submitAndWait('#neighbors-form', '#neighbors-out');
  const nb = await page.textContent('#neighbors-out');
  assert.match(nb!, /queen/);
  assert.match(nb!, /prince/);

  await submitAndWait('#analogy-form', '#analogy-out'); // defaults: brother is to sister as father is to ?
  assert.equal((await page.textContent('#analogy-out .big'))?.trim(), 'mother');
  await page.click('#analogy-examples .chip[data-abc="paris france tokyo"]'); // fills the form and solves
  await page.waitForFunction(() => /tokyo/.test(document.querySelector('#analogy-out')?.textContent ?? ''));
  assert.equal((await page.textContent('#analogy-out .big'))?.trim(), 'japan');

  await page.fill('#similarity-form input[name="a"]', 'car');
  await page.fill('#similarity-form input[name="b"]', 'bus');
  await submitAndWait('#similarity-form', '#similarity-out');
  const sim = await page.$$eval('#similarity-out td.num', (tds) => tds.map((t) => Number(t.textContent)));
  assert.equal(sim.length, 2);
  assert.ok(sim[0] > 0.5 && sim[0] <= 1, `cosine ${sim[0]}`);
  assert.ok(sim[1] > 0, `euclidean ${sim[1]}`);

  await page.fill('#odd-form input[name="words"]', 'monday tuesday friday army');
  await submitAndWait('#odd-form', '#odd-out');
  assert.equal((await page.textContent('#odd-out .odd'))?.trim(), 'army');

  await page.fill('#map-form input[name="words"]', 'king queen man woman prince boy girl paris france tokyo japan london britain germany china qwzxvq');
  await submitAndWait('#map-form', '#map-note');
  assert.match((await page.textContent('#map-note'))!, /PCA of 15 word vectors: .*; not in the vocabulary: qwzxvq/);
  const drawn = await page.$eval('#map-chart', (c) => (c as HTMLCanvasElement).width > 0);
  assert.ok(drawn);
  // zoom in with the wheel over the map: the plugin changes the x range
  const range = async () => ((await page.getAttribute('#map-chart', 'data-xrange')) ?? '').split(' ').map(Number);
  const [x0, x1] = await range();
  await page.locator('#map-chart').scrollIntoViewIfNeeded();
  const box = (await page.locator('#map-chart').boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.wheel(0, -300);
  await page.waitForFunction((r) => document.querySelector('#map-chart')?.getAttribute('data-xrange') !== r, `${x0.toFixed(3)} ${x1.toFixed(3)}`);
  const [z0, z1] = await range();
  assert.ok(z1 - z0 < x1 - x0, `zoomed in: [${z0}, ${z1}] inside [${x0}, ${x1}]`);
  await page.screenshot({ path: shotPath('playground-words'), fullPage: true });

  // an unknown word shows the server's message
  await page.fill('#neighbors-form input[name="word"]', 'qwzxvq');
  await submitAndWait('#neighbors-form', '#neighbors-out');
  assert.match((await page.textContent('#neighbors-out .error'))!, /not in the vocabulary: 'qwzxvq'/);
});

test('Sentences tab: stars, probability bars, coloured words', async () => {
  await page.click('#tabs button[data-tab="sentence"]');
  assert.equal(await page.isVisible('#tab-sentence .unavailable'), false);
  await page.fill('#predict-form textarea', 'A gorgeous, witty and deeply moving film.');
  await submitAndWait('#predict-form', '#tokens');
  const stars = await page.textContent('#stars');
  assert.match(stars!, /expected \d\.\d\d stars/);
  const toks = await page.$$eval('#tokens .tok', (els) => els.map((e) => e.textContent));
  assert.deepEqual(toks, ['a', 'gorgeous', ',', 'witty', 'and', 'deeply', 'moving', 'film', '.']);
  // five probability bars that sum to 1 (read back from the chart), and some words coloured
  const probs = JSON.parse((await page.getAttribute('#stars', 'data-probs'))!) as number[];
  assert.equal(probs.length, 5);
  assert.ok(Math.abs(probs.reduce((a, b) => a + b, 0) - 1) < 1e-4);
  const bars = await page.$eval('#probs-chart', (c) => (c as HTMLCanvasElement).height);
  assert.ok(bars > 0);
  assert.match((await page.textContent('#predict-where'))!, /computed by the server/);
  // the same model run in the page (same inference code, model bytes from /api/model/sentiment) agrees
  await page.check('#predict-form input[name="local"]');
  await submitAndWait('#predict-form', '#tokens');
  assert.match((await page.textContent('#predict-where'))!, /computed in this browser/);
  const local = JSON.parse((await page.getAttribute('#stars', 'data-probs'))!) as number[];
  local.forEach((p, i) => assert.ok(Math.abs(p - probs[i]) < 1e-4, `class ${i}: browser ${p} vs server ${probs[i]}`));
  assert.deepEqual(await page.$$eval('#tokens .tok', (els) => els.map((e) => e.textContent)), toks);
  await page.uncheck('#predict-form input[name="local"]');
  const coloured = await page.$$eval('#tokens .tok', (els) => els.filter((e) => /rgba\(\d+, \d+, \d+, 0\.[1-9]/.test((e as HTMLElement).style.background)).length);
  assert.ok(coloured >= 1, 'at least one word is visibly coloured');
  await page.screenshot({ path: shotPath('playground-sentence'), fullPage: true });
});

test('Reviews tab: a whole review, review model vs sentence model, sentences coloured, top words; in the browser too', async () => {
  await page.click('#tabs button[data-tab="reviews"]');
  assert.equal(await page.isVisible('#tab-reviews .unavailable'), false);
  assert.equal(await page.isHidden('#review-model-note'), true);
  const review = Array.from({ length: 40 }, (_, i) => (i % 3 ? 'The plot was dull and the acting bad. ' : 'A great, moving film! ') + (i % 5 === 4 ? '<br /><br />' : '')).join('');
  await page.fill('#review-form textarea', review);
  await page.check('#review-form input[value="review"]');
  await submitAndWait('#review-form', '#review-sentences');
  const probs = JSON.parse((await page.getAttribute('#review-stars', 'data-probs'))!) as number[];
  assert.equal(probs.length, 2);
  assert.ok(Math.abs(probs[0] + probs[1] - 1) < 1e-5);
  const sents = await page.$$eval('#review-sentences .sent', (els) => els.map((e) => [e.textContent, Number((e as HTMLElement).dataset.effect)] as [string, number]));
  assert.equal(sents.length, 40);
  assert.equal(sents[0][0], 'A great, moving film!');
  assert.ok(sents.some(([, e]) => e !== 0));
  assert.ok((await page.$$eval('#review-words tr', (trs) => trs.length)) > 5);
  assert.match((await page.textContent('#review-note'))!, /40 sentences; \d+ of 264 words measured/);
  assert.match((await page.textContent('#review-where'))!, /computed by the server/);
  // the same model in this page gives the same numbers (the page is cross-origin isolated: a shared WASM heap, so
  // growing it for a long review never detaches the model's buffers)
  assert.equal(await page.evaluate(() => (globalThis as unknown as { crossOriginIsolated: boolean }).crossOriginIsolated), true);
  await page.check('#review-form input[name="local"]');
  await submitAndWait('#review-form', '#review-sentences');
  assert.match((await page.textContent('#review-where'))!, /computed in this browser/);
  const local = JSON.parse((await page.getAttribute('#review-stars', 'data-probs'))!) as number[];
  local.forEach((p, i) => assert.ok(Math.abs(p - probs[i]) < 1e-4, `class ${i}: browser ${p} vs server ${probs[i]}`));
  const localSents = await page.$$eval('#review-sentences .sent', (els) => els.map((e) => Number((e as HTMLElement).dataset.effect)));
  localSents.forEach((e, i) => assert.ok(Math.abs(e - sents[i][1]) < 1e-4));
  await page.uncheck('#review-form input[name="local"]');
  // the sentence model on the same review: five classes
  await page.check('#review-form input[value="sentence"]');
  await submitAndWait('#review-form', '#review-sentences');
  assert.equal((JSON.parse((await page.getAttribute('#review-stars', 'data-probs'))!) as number[]).length, 5);
  assert.match((await page.textContent('#review-model-name'))!, /sentence model/);
  // over the limit: the server's message
  await page.fill('#review-form textarea', 'fun '.repeat(5001));
  await submitAndWait('#review-form', '#review-sentences');
  assert.match((await page.textContent('#review-sentences .error'))!, /5,001 words; at most 5,000/);
  await page.fill('#review-form textarea', review);
  await page.check('#review-form input[value="review"]');
  await submitAndWait('#review-form', '#review-sentences');
  await page.screenshot({ path: shotPath('playground-reviews'), fullPage: true });
});

test('Memory tab: sweep plot and gate heat map (or the server\'s reason)', async () => {
  await page.click('#tabs button[data-tab="memory"]');
  assert.equal(await page.isVisible('#tab-memory .unavailable'), false);
  await page.waitForSelector('#sweep-table table');
  // the fixture sweep: RNN and LSTM at T = 3 and 8
  const table = await page.$$eval('#sweep-table tr', (trs) => trs.map((tr) => Array.from(tr.children).map((c) => c.textContent)));
  assert.deepEqual(table[0], ['cell', 'T=3', 'T=8']);
  assert.deepEqual(table.slice(1).map((r) => r[0]), ['RNN', 'LSTM']);
  assert.ok(table.slice(1).every((r) => r.slice(1).every((v) => /^[01]\.\d\d$/.test(v ?? ''))));
  // heat map: one button per gate of the traced LSTM (i, f, g, o, c, h); switching redraws the canvas
  const gates = await page.$$eval('#gate-buttons button', (bs) => bs.map((b) => (b as HTMLElement).dataset.gate));
  assert.deepEqual(gates, ['i', 'f', 'g', 'o', 'c', 'h']);
  const before = await page.$eval('#heatmap', (c) => (c as HTMLCanvasElement).toDataURL());
  await page.click('#gate-buttons button[data-gate="o"]');
  const after = await page.$eval('#heatmap', (c) => (c as HTMLCanvasElement).toDataURL());
  assert.notEqual(after, before);
  assert.match((await page.textContent('#heat-caption'))!, /LSTM, T = 8, H = 3/);
  await page.click('#gate-buttons button[data-gate="f"]');
  await page.screenshot({ path: shotPath('playground-memory'), fullPage: true });
});

test('Training tab: curves from the logs (or the server\'s reason)', async () => {
  await page.click('#tabs button[data-tab="training"]');
  assert.equal(await page.isVisible('#tab-training .unavailable'), false);
  await page.waitForFunction(() => /logged points/.test(document.querySelector('#training-note')?.textContent ?? ''));
  const runs = await page.$$eval('#run-select option', (os) => os.map((o) => o.textContent));
  assert.ok(runs.includes('sentiment') && runs.includes('sentiment-epochs'), JSON.stringify(runs));
  await page.selectOption('#run-select', { label: 'sentiment-epochs' });
  assert.match((await page.textContent('#training-note'))!, /per epoch: 2 logged points/);
  await page.screenshot({ path: shotPath('playground-training'), fullPage: true });
});

test('GloVe tab: co-occurrence ratio table (or the server\'s reason)', async () => {
  await page.click('#tabs button[data-tab="glove"]');
  assert.equal(await page.isVisible('#tab-glove .unavailable'), false);
  await page.fill('#glove-form input[name="probes"]', 'water sea whale qqqzzz');
  await submitAndWait('#glove-form', '#glove-out');
  const rows = await page.$$eval('#glove-out tr', (trs) => trs.map((tr) => Array.from(tr.children).map((c) => c.textContent)));
  assert.deepEqual(rows[0], ['probability and ratio', 'k = water', 'k = sea', 'k = whale']);
  assert.deepEqual(rows.slice(1, 4).map((r) => r[0]), ['P(k | ice)', 'P(k | steam)', 'P(k | ice) / P(k | steam)']);
  // the ratio column equals P(k|ice) / P(k|steam) (as printed, 2 significant digits)
  const pk = rows[1].slice(1).map(Number), pj = rows[2].slice(1).map(Number), ratio = rows[3].slice(1);
  pk.forEach((v, i) => { if (pj[i] > 0) assert.ok(Math.abs(Number(ratio[i]) - v / pj[i]) / (v / pj[i] + 1e-9) < 0.15, `${ratio[i]} vs ${v / pj[i]}`); });
  assert.match((await page.textContent('#glove-note'))!, /not in the vocabulary: qqqzzz/);
  // a word without a counted row is refused with the list of the words that have one
  await page.fill('#glove-form input[name="a"]', 'whale');
  await submitAndWait('#glove-form', '#glove-out');
  assert.match((await page.textContent('#glove-out .error'))!, /no co-occurrence row counted for whale; rows exist for: ice, steam/);
  await page.fill('#glove-form input[name="a"]', 'ice');
  await submitAndWait('#glove-form', '#glove-out');
  await page.screenshot({ path: shotPath('playground-glove'), fullPage: true });
});

test('the page raised no script errors', () => {
  // 4xx answers the tests provoked on purpose show up as console "Failed to load resource" lines; nothing else may.
  assert.deepEqual(pageErrors.filter((e) => !/Failed to load resource: the server responded with a status of 4\d\d/.test(e)), []);
});
