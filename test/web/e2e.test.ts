// End-to-end: the built playground page in real headless Chromium against a real server (127.0.0.1, random port)
// on small fixtures. Opens each tab, runs a query, checks what is rendered, saves test-output/playground-<tab>.png.
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
  server = await startServer({ backends: await fixtureBackends(), staticDir: PAGE_DIR, port: 0 });
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

test('Words tab: neighbours, analogy, similarity, odd one out, PCA map', async () => {
  await page.click('#tabs button[data-tab="words"]');
  assert.equal(await page.isHidden('#tab-words .unavailable'), true);

  await page.fill('#neighbors-form input[name="word"]', 'king');
  await submitAndWait('#neighbors-form', '#neighbors-out');
  const nb = await page.textContent('#neighbors-out');
  assert.match(nb!, /queen/);
  assert.match(nb!, /prince/);

  await submitAndWait('#analogy-form', '#analogy-out'); // defaults: paris is to france as tokyo is to ?
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
  const box = (await page.locator('#map-chart').boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.wheel(0, -300);
  await page.screenshot({ path: shotPath('playground-words'), fullPage: true });

  // an unknown word shows the server's message
  await page.fill('#neighbors-form input[name="word"]', 'qwzxvq');
  await submitAndWait('#neighbors-form', '#neighbors-out');
  assert.match((await page.textContent('#neighbors-out .error'))!, /not in the vocabulary: 'qwzxvq'/);
});

test('Reviews tab: stars, probability bars, coloured words', async () => {
  await page.click('#tabs button[data-tab="reviews"]');
  const unavailable = await page.isVisible('#tab-reviews .unavailable');
  if (unavailable) {
    assert.match((await page.textContent('#tab-reviews .unavailable'))!, /^not available: /);
    await page.screenshot({ path: shotPath('playground-reviews'), fullPage: true });
    return;
  }
  await page.fill('#predict-form textarea', 'A gorgeous, witty and deeply moving film.');
  await submitAndWait('#predict-form', '#tokens');
  const stars = await page.textContent('#stars');
  assert.match(stars!, /expected \d\.\d\d stars/);
  const toks = await page.$$eval('#tokens .tok', (els) => els.map((e) => e.textContent));
  assert.deepEqual(toks, ['a', 'gorgeous', ',', 'witty', 'and', 'deeply', 'moving', 'film', '.']);
  await page.screenshot({ path: shotPath('playground-reviews'), fullPage: true });
});

test('Memory tab: sweep plot and gate heat map (or the server\'s reason)', async () => {
  await page.click('#tabs button[data-tab="memory"]');
  if (await page.isVisible('#tab-memory .unavailable')) {
    assert.match((await page.textContent('#tab-memory .unavailable'))!, /^not available: /);
    await page.screenshot({ path: shotPath('playground-memory'), fullPage: true });
    return;
  }
  await page.waitForSelector('#sweep-table table');
  const rows = await page.$$eval('#sweep-table tr', (trs) => trs.length);
  assert.ok(rows >= 2);
  await page.screenshot({ path: shotPath('playground-memory'), fullPage: true });
});

test('Training tab: curves from the logs (or the server\'s reason)', async () => {
  await page.click('#tabs button[data-tab="training"]');
  if (await page.isVisible('#tab-training .unavailable')) {
    assert.match((await page.textContent('#tab-training .unavailable'))!, /^not available: /);
    await page.screenshot({ path: shotPath('playground-training'), fullPage: true });
    return;
  }
  await page.waitForFunction(() => /logged points/.test(document.querySelector('#training-note')?.textContent ?? ''));
  await page.screenshot({ path: shotPath('playground-training'), fullPage: true });
});

test('GloVe tab: co-occurrence ratio table (or the server\'s reason)', async () => {
  await page.click('#tabs button[data-tab="glove"]');
  if (await page.isVisible('#tab-glove .unavailable')) {
    assert.match((await page.textContent('#tab-glove .unavailable'))!, /^not available: /);
    await page.screenshot({ path: shotPath('playground-glove'), fullPage: true });
    return;
  }
  await submitAndWait('#glove-form', '#glove-out');
  assert.match((await page.textContent('#glove-out'))!, /P\(k \| ice\)/);
  await page.screenshot({ path: shotPath('playground-glove'), fullPage: true });
});

test('the page raised no script errors', () => {
  // 4xx answers the tests provoked on purpose show up as console "Failed to load resource" lines; nothing else may.
  assert.deepEqual(pageErrors.filter((e) => !/Failed to load resource: the server responded with a status of 40\d/.test(e)), []);
});
