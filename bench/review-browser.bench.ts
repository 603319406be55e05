/**
 * Whole reviews in the browser: builds bench/browser/review.html with Vite (the playground's inference code: model
 * decoders, WASM kernels, explain.ts), serves it with the models and reviews from 127.0.0.1, and runs it in Debian's
 * headless Chromium: reviews/s of each model (batches of 256, best of `--repeat` after a warm-up) and the time to
 * explain the median review. Needs the same arguments as bench/review.bench.ts (nothing is shipped for it).
 *
 *   flock /tmp/wordloom-bench.lock node --import tsx bench/review-browser.bench.ts --data reviews.jsonl --model a.wl [--model b.wl] [--n 2000] [--repeat 2]
 * Writes bench/results/review-browser.json.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, loadavg } from 'node:os';
import { basename, join, resolve } from 'node:path';
import Fastify from 'fastify';
import fastifyStatic from '@fastify/static';
import { build } from 'vite';
import { launchChromium } from '../test/web/browser.ts';
import { fileRecords } from '../src/tasks/sentiment/predict-input-node.ts';

async function main(): Promise<void> {
  const a = process.argv.slice(2);
  const models: string[] = [];
  let data: string | undefined, n = 2000, repeat = 2;
  for (let i = 0; i < a.length; i++) {
    if (a[i] === '--model') models.push(a[++i]);
    else if (a[i] === '--data') data = a[++i];
    else if (a[i] === '--n') n = Number(a[++i]);
    else if (a[i] === '--repeat') repeat = Number(a[++i]);
  }
  if (!data || !models.length) {
    console.log('usage: bench/review-browser.bench.ts --data reviews.jsonl --model a.wl [--model b.wl] [--n 2000] [--repeat 2] (skipped: nothing given)');
    return;
  }
  const texts: string[] = [];
  for (const r of fileRecords(data)) { if (texts.length >= n) break; texts.push(r.text); }
  const out = mkdtempSync(join(tmpdir(), 'wordloom-review-bench-'));
  await build({ root: resolve('bench/browser'), base: './', logLevel: 'warn', build: { outDir: out, emptyOutDir: true, target: 'es2022', rollupOptions: { input: resolve('bench/browser/review.html') } } });
  const app = Fastify();
  app.addHook('onSend', async (_req, reply) => { // cross-origin isolated, like the playground: a shared WASM heap
    reply.header('cross-origin-opener-policy', 'same-origin');
    reply.header('cross-origin-embedder-policy', 'require-corp');
  });
  const byName = new Map(models.map((m) => [basename(m), m]));
  app.get('/data', async () => texts);
  app.get('/model/:name', async (req, reply) => {
    const f = byName.get((req.params as { name: string }).name);
    if (!f) return reply.code(404).send({ error: 'no such model' });
    return reply.type('application/octet-stream').send(readFileSync(f));
  });
  await app.register(fastifyStatic, { root: out });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const port = (app.server.address() as { port: number }).port;
  const browser = await launchChromium();
  try {
    const page = await browser.context.newPage();
    page.on('console', (m) => { if (m.type() === 'error') console.error('page:', m.text()); });
    await page.goto(`http://127.0.0.1:${port}/review.html?models=${[...byName.keys()].map(encodeURIComponent).join(',')}&repeat=${repeat}`);
    await page.waitForFunction(() => (window as unknown as { benchResult?: unknown }).benchResult !== undefined, undefined, { timeout: 20 * 60_000 });
    const rows = await page.evaluate(() => (window as unknown as { benchResult: unknown }).benchResult);
    if (!Array.isArray(rows)) throw new Error(`the page failed: ${JSON.stringify(rows)}`);
    const version = browser.context.browser()?.version() ?? 'chromium';
    for (const r of rows as Array<Record<string, unknown>>) console.log(JSON.stringify(r));
    mkdirSync('bench/results', { recursive: true });
    writeFileSync('bench/results/review-browser.json', JSON.stringify({ when: new Date().toISOString(), data: basename(data), n: texts.length, repeat, browser: version, loadavg: loadavg().map((x) => +x.toFixed(2)), rows }, null, 2) + '\n');
  } finally {
    await browser.close();
    await app.close();
    rmSync(out, { recursive: true, force: true });
  }
}

void main();
