// The playground server's protections: Host allow-list (a DNS-rebinding page sends its own name as Host and is
// refused, on a real socket too, where the port must match as well); nosniff, a CSP and frame-ancestors 'none' on
// every response; wrong JSON types are a 400, not coerced; a model file named on the command line that fails to
// load stops the server at start-up (exit 2, one line); error bodies and /api/status show no absolute paths.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { request } from 'node:http';
import { connect } from 'node:net';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildServer, startServer } from '../../src/web/server-node.ts';
import { loadBackends, loadWords } from '../../src/web/resources-node.ts';
import { unavailable, type Backends } from '../../src/web/backends.ts';
import { loadVectors, saveVectors } from '../../src/embeddings/io-node.ts';

const GLOVE = 'data/glove-subset/glove.6B.50d.top2446.txt';
let app: FastifyInstance;
let staticDir: string;
let backends: Backends;

before(async () => {
  staticDir = mkdtempSync(join(tmpdir(), 'wl-sec-static-'));
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>page</title>');
  backends = {
    words: loadWords(GLOVE), sentiment: unavailable('no model in this test'), memory: unavailable('none'),
    training: unavailable('none'), glove: unavailable('none'),
  };
  app = await buildServer({ backends, staticDir });
});
after(async () => { await app.close(); rmSync(staticDir, { recursive: true, force: true }); });

const get = (url: string, host = 'localhost') => app.inject({ method: 'GET', url, headers: { host } });
const post = (url: string, payload: string) => app.inject({ method: 'POST', url, payload, headers: { host: '127.0.0.1', 'content-type': 'application/json' } });

test('Host allow-list: only this machine\'s names are answered', async () => {
  for (const host of ['localhost', 'localhost:80', '127.0.0.1', '127.0.0.1:8700', '[::1]', '[::1]:8700']) {
    assert.equal((await get('/api/status', host)).statusCode, 200, host);
  }
  for (const host of ['attacker.example', 'attacker.example:8700', 'localhost.attacker.example', '127.0.0.1.nip.io', 'local host', '[::2]:8700']) {
    const r = await get('/api/status', host);
    assert.equal(r.statusCode, 421, `Host ${JSON.stringify(host)}`);
    assert.match(r.json().error, /not this server's address/);
    assert.equal((await get('/', host)).statusCode, 421, `page, Host ${JSON.stringify(host)}`);
  }
  const named = await buildServer({ backends, host: 'wordloom.lan' });
  try {
    assert.equal((await named.inject({ url: '/api/status', headers: { host: 'wordloom.lan:8700' } })).statusCode, 200);
    assert.equal((await named.inject({ url: '/api/status', headers: { host: 'other.lan' } })).statusCode, 421);
  } finally { await named.close(); }
});

test('Host allow-list on a real socket: the port must be the listening one', async () => {
  const s = await startServer({ backends, port: 0, host: '127.0.0.1' });
  try {
    const port = Number(new URL(s.url).port);
    const status = (host: string) => new Promise<number>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, path: '/api/status', headers: { host } }, (res) => { res.resume(); resolve(res.statusCode ?? 0); });
      req.on('error', reject);
      req.end();
    });
    assert.equal(await status(`127.0.0.1:${port}`), 200);
    assert.equal(await status(`localhost:${port}`), 200);
    assert.equal(await status(`rebound.attacker.example:${port}`), 421);
    assert.equal(await status(`127.0.0.1:${port === 1 ? 2 : port - 1}`), 421);
    // Raw requests: an empty Host header, and HTTP/1.0 without one.
    const raw = (text: string) => new Promise<string>((resolve, reject) => {
      const sock = connect(port, '127.0.0.1', () => sock.end(text));
      let out = '';
      sock.on('data', (d) => { out += d; });
      sock.on('end', () => resolve(out.split('\r\n')[0]));
      sock.on('error', reject);
    });
    assert.match(await raw('GET /api/status HTTP/1.1\r\nHost: \r\nConnection: close\r\n\r\n'), /^HTTP\/1\.1 (421|400)/);
    assert.match(await raw('GET /api/status HTTP/1.0\r\n\r\n'), /^HTTP\/1\.[01] (421|400)/);
  } finally { await s.close(); }
});

test('every response carries nosniff, a CSP with frame-ancestors \'none\', and no framing', async () => {
  const answers = [
    await get('/api/status'), await get('/api/neighbors?word=king'), await get('/api/neighbors?word=zzzqqq'),
    await get('/api/nope'), await get('/'), await get('/missing.js'), await post('/api/analogy', '{"a":'),
    await post('/api/predict', '{"text":"x"}'), await get('/api/status', 'attacker.example'),
  ];
  for (const r of answers) {
    const where = `${r.statusCode} ${r.body.slice(0, 60)}`;
    assert.equal(r.headers['x-content-type-options'], 'nosniff', where);
    const csp = String(r.headers['content-security-policy'] ?? '');
    assert.match(csp, /frame-ancestors 'none'/, where);
    assert.match(csp, /default-src 'self'/, where);
    assert.match(csp, /object-src 'none'/, where);
    assert.equal(r.headers['x-frame-options'], 'DENY', where);
  }
});

test('wrong JSON types are a 400, never coerced; query integers are still read', async () => {
  const wrong = [
    ['/api/predict', '{"text": 12345}'], ['/api/predict', '{"text": true}'], ['/api/predict', '{"text": ["a film"]}'],
    ['/api/analogy', '{"a": 1, "b": "queen", "c": "man"}'], ['/api/analogy', '{"a": "king", "b": "queen", "c": "man", "k": "5"}'],
    ['/api/analogy', '{"a": "king", "b": "queen", "c": "man", "k": 2.5}'], ['/api/doesnt-match', '{"words": "a b c"}'],
    ['/api/map', '{"center": 7}'], ['/api/glove-ratios', '{"probes": "ice"}'], ['/api/analogy', '{"a": null, "b": "queen", "c": "man"}'],
  ];
  for (const [url, body] of wrong) {
    const r = await post(url, body);
    assert.equal(r.statusCode, 400, `${url} ${body} → ${r.statusCode} ${r.body}`);
    assert.match(r.json().error, /invalid request/);
  }
  assert.equal((await get('/api/neighbors?word=king&k=3')).json().neighbors.length, 3);
  for (const q of ['k=2.5', 'k=1e1', 'k=0x10', 'k=%203', 'k=3&k=4']) assert.equal((await get(`/api/neighbors?word=king&${q}`)).statusCode, 400, q);
  assert.equal((await get('/api/status?x=1')).statusCode, 400, 'unknown query parameter on a route without parameters');
  assert.equal((await post('/api/analogy', '{"a": "king", "b": "queen", "c": "man", "k": 3}')).statusCode, 200);
});

test('error bodies and /api/status never show absolute server paths', async () => {
  const cache = mkdtempSync(join(tmpdir(), 'wl-sec-cache-'));
  try {
    mkdirSync(join(cache, 'vectors'));
    const file = join(cache, 'vectors', 'vectors.wlv');
    saveVectors(loadVectors(GLOVE, { limit: 50 }), file);
    const b = readFileSync(file); b[b.length - 100] ^= 1; writeFileSync(file, b); // damaged
    writeFileSync(join(cache, 'manifest.json'), JSON.stringify({ version: 1, steps: { vectors: { key: 'x', finishedAt: '', seconds: 0, settings: {}, metrics: {}, outputs: { vectors: 'vectors/vectors.wlv' } } } }));
    const s = await buildServer({ backends: loadBackends({ cacheDir: cache }) });
    try {
      const answers = [await s.inject('/api/status'), await s.inject('/api/neighbors?word=king'), await s.inject('/api/memory')];
      for (const r of answers) {
        assert.doesNotMatch(r.body, new RegExp(cache.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')), r.body);
        assert.doesNotMatch(r.body, /"\/|[\s(:]\/(tmp|home|work|usr|root|var)\//, r.body);
      }
      assert.match(answers[0].body, /vectors\.wlv: checksum mismatch/, 'the reason still names the file');
      assert.equal(answers[1].statusCode, 503);
    } finally { await s.close(); }
    writeFileSync(join(cache, 'manifest.json'), '{not json');
    const t = await buildServer({ backends: loadBackends({ cacheDir: cache }) });
    try {
      const r = await t.inject('/api/neighbors?word=king');
      assert.equal(r.statusCode, 503);
      assert.match(r.body, /manifest\.json: corrupt cache manifest/);
      assert.doesNotMatch(r.body, /\/tmp\//);
    } finally { await t.close(); }
  } finally { rmSync(cache, { recursive: true, force: true }); }
});

test('a model file given on the command line that fails to load stops start-up: exit 2, one line', () => {
  const dir = mkdtempSync(join(tmpdir(), 'wl-sec-'));
  try {
    const vectors = join(dir, 'v.wlv');
    saveVectors(loadVectors(GLOVE, { limit: 20 }), vectors);
    const b = readFileSync(vectors); b[60] ^= 4; writeFileSync(vectors, b);
    const notModel = join(dir, 'model.wl');
    writeFileSync(notModel, 'not a model');
    for (const args of [['--vectors', vectors], ['--sentiment', notModel], ['--vectors', join(dir, 'missing.wlv')]]) {
      const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'serve', '--port', '0', '--cache', dir, ...args],
        { encoding: 'utf8', timeout: 30_000 });
      assert.equal(r.status, 2, `${args.join(' ')}: status ${r.status} (signal ${r.signal}), stdout ${r.stdout}, stderr ${r.stderr}`);
      assert.equal(r.stdout, '', 'never listened');
      assert.equal(r.stderr.split('\n').length, 2, `one line: ${r.stderr}`);
      assert.match(r.stderr, new RegExp(`^wordloom: ${args[0]}: `));
    }
  } finally { rmSync(dir, { recursive: true, force: true }); }
});
