/**
 * Load test of the playground server: `wordloom serve` started as a child process on 127.0.0.1 (random port), then
 * autocannon (10 connections, 10 s per route; --quick: 3 s) on GET /api/neighbors (cycling through query words)
 * and POST /api/predict (cycling through review sentences, with occlusion explanations). Reports requests/s,
 * latency percentiles, errors and non-2xx answers, the server's resident memory during each route (first, last and
 * max of 250 ms samples: it must stay flat), and writes bench/results/serve.json.
 *
 * Serves the `npm start` cache (.wordloom-cache) when it is there; otherwise the test fixtures (GloVe 6B 50d top
 * 2,446 words; the tiny quick-trained SST model of test/web/fixtures.ts) — the result file says which.
 *
 * Run under the shared bench lock (2 shared cores; traffic only to 127.0.0.1, bounded in time):
 *   flock /tmp/wordloom-bench.lock node --import tsx bench/serve.bench.ts [--quick]
 */
import autocannon from 'autocannon';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { readManifest } from '../src/tasks/start/cache.ts';
import { FIXTURE_CACHE, GLOVE_SUBSET, makeFixtureCache } from '../test/web/fixtures.ts';

const quick = process.argv.includes('--quick');
const DURATION = quick ? 3 : 10;
const CONNECTIONS = 10;

const WORDS = ['king', 'film', 'good', 'music', 'water', 'city', 'war', 'money', 'family', 'game', 'school', 'car'];
const REVIEWS = [
  'A gorgeous, witty and deeply moving film.',
  'The plot is thin and the acting is wooden; I was bored from start to finish.',
  'It is not great, but the cast makes it watchable.',
  'An utterly forgettable sequel that nobody asked for.',
  'One of the best films of the year, funny and sad at the same time.',
];

async function main(): Promise<void> {
  const args = ['--import', 'tsx', 'src/cli/main.ts', 'serve', '--port', '0', '--host', '127.0.0.1'];
  let source: string;
  const m = existsSync('.wordloom-cache/manifest.json') ? readManifest('.wordloom-cache') : null;
  if (m?.steps.vectors && m.steps.sentiment) {
    source = '.wordloom-cache (npm start)';
  } else {
    await makeFixtureCache();
    args.push('--cache', FIXTURE_CACHE, '--vectors', GLOVE_SUBSET);
    source = `test fixtures (${GLOVE_SUBSET}; quick SST model in ${FIXTURE_CACHE})`;
  }
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => { stderr += d; });
  const url = await new Promise<string>((res, rej) => {
    let out = '';
    child.stdout.on('data', (d) => { out += d; const mm = /(http:\/\/127\.0\.0\.1:\d+)\//.exec(out); if (mm) res(mm[1]); });
    child.on('exit', (c) => rej(new Error(`server exited (${c}): ${stderr}`)));
    setTimeout(() => rej(new Error(`server did not start in 60 s: ${stderr}`)), 60_000);
  });
  const status = await (await fetch(`${url}/api/status`)).json() as Record<string, { available: boolean; info?: unknown }>;
  console.log(`serving ${source} at ${url}; ${DURATION} s per route, ${CONNECTIONS} connections`);

  const routes = [
    {
      name: 'GET /api/neighbors', setup: (i: number) => ({ method: 'GET' as const, path: `/api/neighbors?word=${WORDS[i % WORDS.length]}&k=10` }),
    },
    {
      name: 'POST /api/predict', setup: (i: number) => ({
        method: 'POST' as const, path: '/api/predict', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: REVIEWS[i % REVIEWS.length] }),
      }),
    },
  ];
  const results = [];
  // The server's resident memory (Linux /proc), sampled every 250 ms: it must stay flat under load.
  const rssMB = (): number => {
    try { return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1] ?? NaN) / 1024; } catch { return NaN; }
  };
  const rssIdle = rssMB();
  try {
    for (const r of routes) {
      let i = 0;
      const first = r.setup(0);
      const samples: number[] = [];
      const sampler = setInterval(() => samples.push(rssMB()), 250);
      const res = await autocannon({
        url, connections: CONNECTIONS, duration: DURATION,
        requests: [{ ...first, setupRequest: (req) => ({ ...req, ...r.setup(i++) }) }],
      });
      const row = {
        route: r.name, requestsPerSecond: res.requests.average, requestsTotal: res.requests.total,
        latencyMs: { p50: res.latency.p50, p90: res.latency.p90, p99: res.latency.p99, max: res.latency.max },
        errors: res.errors, timeouts: res.timeouts, non2xx: res.non2xx, throughputBytesPerSecond: res.throughput.average,
        rssMB: { first: samples[0], last: samples[samples.length - 1], max: Math.max(...samples), firstHalfMax: Math.max(...samples.slice(0, samples.length >> 1)) },
      };
      clearInterval(sampler);
      results.push(row);
      console.log(`${r.name.padEnd(20)} ${row.requestsPerSecond.toFixed(0).padStart(7)} req/s  p50 ${row.latencyMs.p50} ms  p99 ${row.latencyMs.p99} ms  errors ${row.errors}  non-2xx ${row.non2xx}  (${row.requestsTotal} requests)  server RSS ${row.rssMB.first.toFixed(0)} → ${row.rssMB.last.toFixed(0)} MB (max ${row.rssMB.max.toFixed(0)})`);
    }
  } finally {
    child.kill('SIGTERM');
  }
  mkdirSync('bench/results', { recursive: true });
  writeFileSync('bench/results/serve.json', JSON.stringify({
    bench: 'serve', date: new Date().toISOString(), quick, durationSecondsPerRoute: DURATION, connections: CONNECTIONS,
    source, models: { words: status.words?.info, sentiment: status.sentiment?.info },
    machine: { cpus: cpus().length, model: cpus()[0]?.model, node: process.version }, rssIdleMB: rssIdle, results,
  }, null, 2) + '\n');
  console.log('wrote bench/results/serve.json');
  if (results.some((r) => r.errors > 0 || r.non2xx > 0)) process.exitCode = 1;
}

await main();
