/**
 * The playground server (Node only): fastify 5 serving the built page (build/web) and a JSON API under /api/.
 *
 * Safety: binds 127.0.0.1 unless told otherwise; request bodies ≤ API_LIMITS.bodyBytes, URLs ≤ API_LIMITS.urlChars;
 * every body and query string is validated by a JSON schema (unknown properties rejected); bad JSON, bad values and
 * unknown words answer 4xx with {"error": message}; a part whose model is missing answers 503 "not available: <reason>".
 * No value from a request is ever used as a file path: the server only reads files chosen at start-up
 * (resources-node.ts) and the page's static files (served by @fastify/static from one fixed root).
 * Host allow-list (against DNS rebinding), security headers, strict (non-coercing) schemas and path-free error
 * bodies: security-node.ts.
 */
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import fastifyStatic from '@fastify/static';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { API_LIMITS } from './api-types.ts';
import { registerSecurity } from './security-node.ts';
import { WordloomError } from '../util/errors.ts';
import type {
  AnalogyRequest, AnalogyResponse, DoesntMatchRequest, DoesntMatchResponse, GloveRatiosRequest, GloveRatiosResponse,
  MapRequest, MapResponse, NeighborsResponse, PredictRequest, PredictResponse, SimilarityResponse, StatusResponse,
  TrainingLogsResponse, MemoryResponse, Availability,
} from './api-types.ts';
import type { Backends, Loaded } from './backends.ts';
import { pca2d } from './pca.ts';
import { predictWithOcclusion, explainedTokenCount } from './explain.ts';
import { registerReviewRoutes } from './review-routes-node.ts';
import { NO_REVIEW_MODEL } from './resources-node.ts';

export interface ServerOptions {
  /** The loaded models (see resources-node.ts). */
  backends: Backends;
  /** Folder with the built page (index.html + assets); omitted → API only, "/" explains how to build it. */
  staticDir?: string;
  /** Log requests (fastify logger). Default false. */
  logger?: boolean;
  /** The address listened on (default 127.0.0.1): requests must name it (or localhost) in their Host header. */
  host?: string;
  /** More Host names to accept besides localhost, 127.0.0.1, [::1] and `host`. */
  allowedHosts?: string[];
}

/** An error that becomes an HTTP answer with this status. */
export class HttpError extends Error {
  constructor(readonly status: number, message: string, readonly unknown?: string[]) { super(message); }
}

const WORD = { type: 'string', minLength: 1, maxLength: API_LIMITS.wordChars } as const;
const K = { type: 'integer', minimum: 1, maximum: API_LIMITS.maxK } as const;
const WORDS = { type: 'array', items: WORD, minItems: 1, maxItems: API_LIMITS.maxWords } as const;

function availability<T>(l: Loaded<T>): Availability {
  return l.ok ? { available: true, info: l.info } : { available: false, reason: l.reason };
}

function need<T>(l: Loaded<T>, what: string): T {
  if (!l.ok) throw new HttpError(503, `${what} not available: ${l.reason}`);
  return l.value;
}

/** Build the fastify app (not listening yet: call `app.listen` or use `app.inject` in tests). */
export async function buildServer(opts: ServerOptions): Promise<FastifyInstance> {
  const b = opts.backends;
  const app = Fastify({
    logger: opts.logger ?? false,
    bodyLimit: API_LIMITS.bodyBytes,
    routerOptions: { maxParamLength: API_LIMITS.wordChars },
    ajv: { customOptions: { removeAdditional: false, coerceTypes: false, allErrors: false } },
  });
  registerSecurity(app, { host: opts.host, allowedHosts: opts.allowedHosts });

  app.removeContentTypeParser('text/plain'); // the API takes JSON only: other bodies answer 415
  app.addHook('onRequest', async (req) => {
    if (req.url.length > API_LIMITS.urlChars) throw new HttpError(414, `URL longer than ${API_LIMITS.urlChars} characters`);
  });

  // Cross-origin isolation: the page then gets a shared WASM heap, whose growth never detaches the model's buffers
  // (in-browser inference on whole reviews needs more than the 64 MiB non-shared heap). Everything is same-origin.
  app.addHook('onSend', async (_req, reply) => {
    reply.header('cross-origin-opener-policy', 'same-origin');
    reply.header('cross-origin-embedder-policy', 'require-corp');
  });

  app.setErrorHandler((err: Error & { statusCode?: number; validation?: unknown; code?: string }, _req, reply) => {
    if (err instanceof HttpError) {
      return reply.code(err.status).send(err.unknown ? { error: err.message, unknown: err.unknown } : { error: err.message });
    }
    if (err.validation) return reply.code(400).send({ error: `invalid request: ${err.message}` });
    // A library's user-facing error about the request's content (e.g. a word it cannot use).
    if (err instanceof WordloomError) return reply.code(400).send({ error: err.message });
    const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 500;
    if (status === 500) app.log.error(err);
    // fastify's own 4xx (bad JSON, body too large, wrong content type) carry a safe message.
    return reply.code(status).send({ error: status === 500 ? 'internal error' : err.message });
  });

  app.setNotFoundHandler((req, reply) => {
    if (req.url.startsWith('/api/')) return reply.code(404).send({ error: `no such API route: ${req.method} ${req.url.split('?')[0]}` });
    return reply.code(404).type('text/plain').send('not found');
  });

  // ---- words ----------------------------------------------------------------------------------------------
  const knownWords = (words: string[]): string[] => {
    const w = need(b.words, 'word vectors');
    const norm = words.map((x) => w.normalize(x));
    const unknown = norm.filter((x) => !w.has(x));
    if (unknown.length) throw new HttpError(404, `not in the vocabulary: ${unknown.map((u) => `'${u}'`).join(', ')}`, unknown);
    return norm;
  };

  app.get('/api/status', async (): Promise<StatusResponse> => ({
    words: availability(b.words), sentiment: availability(b.sentiment), memory: availability(b.memory),
    training: availability(b.training), glove: availability(b.glove), review: availability(b.review ?? { ok: false, reason: NO_REVIEW_MODEL }),
  }));

  app.get('/api/neighbors', {
    schema: { querystring: { type: 'object', required: ['word'], additionalProperties: false, properties: { word: WORD, k: K } } },
  }, async (req: FastifyRequest<{ Querystring: { word: string; k?: number } }>): Promise<NeighborsResponse> => {
    const [word] = knownWords([req.query.word]);
    return { word, neighbors: need(b.words, 'word vectors').neighbors(word, req.query.k ?? 10) };
  });

  app.post('/api/analogy', {
    schema: { body: { type: 'object', required: ['a', 'b', 'c'], additionalProperties: false, properties: { a: WORD, b: WORD, c: WORD, k: K } } },
  }, async (req: FastifyRequest<{ Body: AnalogyRequest }>): Promise<AnalogyResponse> => {
    const [a, bb, c] = knownWords([req.body.a, req.body.b, req.body.c]);
    return { a, b: bb, c, results: need(b.words, 'word vectors').analogy(a, bb, c, req.body.k ?? 10) };
  });

  app.get('/api/similarity', {
    schema: { querystring: { type: 'object', required: ['a', 'b'], additionalProperties: false, properties: { a: WORD, b: WORD } } },
  }, async (req: FastifyRequest<{ Querystring: { a: string; b: string } }>): Promise<SimilarityResponse> => {
    const [a, bb] = knownWords([req.query.a, req.query.b]);
    return { a, b: bb, ...need(b.words, 'word vectors').similarity(a, bb) };
  });

  app.post('/api/doesnt-match', {
    schema: { body: { type: 'object', required: ['words'], additionalProperties: false, properties: { words: { ...WORDS, minItems: 3 } } } },
  }, async (req: FastifyRequest<{ Body: DoesntMatchRequest }>): Promise<DoesntMatchResponse> => {
    const words = knownWords(req.body.words);
    if (new Set(words).size < 3) throw new HttpError(400, 'give at least 3 different words');
    return { words, ...need(b.words, 'word vectors').doesntMatch(words) };
  });

  app.post('/api/map', {
    schema: { body: { type: 'object', additionalProperties: false, properties: { words: WORDS, center: WORD, k: K } } },
  }, async (req: FastifyRequest<{ Body: MapRequest }>): Promise<MapResponse> => {
    const w = need(b.words, 'word vectors');
    let words: string[];
    const skipped: string[] = [];
    if (req.body.center !== undefined) {
      if (req.body.words) throw new HttpError(400, 'give either "words" or "center", not both');
      const [center] = knownWords([req.body.center]);
      words = [center, ...w.neighbors(center, req.body.k ?? 30).map((n) => n.word)];
    } else if (req.body.words) {
      words = [];
      for (const raw of req.body.words) {
        const x = w.normalize(raw);
        if (!w.has(x)) skipped.push(x); else if (!words.includes(x)) words.push(x);
      }
    } else throw new HttpError(400, 'give "words" (a list) or "center" (a word)');
    if (words.length < 3) throw new HttpError(skipped.length ? 404 : 400, `need at least 3 known words for a map${skipped.length ? `; not in the vocabulary: ${skipped.join(', ')}` : ''}`, skipped.length ? skipped : undefined);
    const d = w.dim;
    const data = new Float64Array(words.length * d);
    words.forEach((word, i) => data.set(w.vector(word), i * d));
    const { coords, explained } = pca2d(data, words.length, d);
    return { method: 'pca', points: words.map((word, i) => ({ word, x: coords[2 * i], y: coords[2 * i + 1] })), explained, skipped };
  });

  // ---- sentiment ------------------------------------------------------------------------------------------
  app.post('/api/predict', {
    bodyLimit: API_LIMITS.reviewBodyBytes,
    schema: { body: { type: 'object', required: ['text'], additionalProperties: false, properties: { text: { type: 'string', minLength: 1 } } } },
  }, async (req: FastifyRequest<{ Body: PredictRequest }>): Promise<PredictResponse> => {
    const s = need(b.sentiment, 'sentiment model');
    const text = req.body.text;
    if (text.length > API_LIMITS.textChars) throw new HttpError(413, `the text has ${text.length.toLocaleString('en')} characters; at most ${API_LIMITS.textChars.toLocaleString('en')} are accepted`);
    const n = s.tokenize(text).length;
    if (n === 0) throw new HttpError(400, 'the text has no words');
    if (n > API_LIMITS.textTokens) throw new HttpError(413, `the text has ${n.toLocaleString('en')} tokens; at most ${API_LIMITS.textTokens.toLocaleString('en')} are accepted`);
    return predictWithOcclusion(s, text, explainedTokenCount(n, API_LIMITS.occlusionSteps));
  });

  registerReviewRoutes(app, b);

  app.get('/api/model/sentiment', async (_req: FastifyRequest, reply: FastifyReply) => {
    const s = need(b.sentiment, 'sentiment model');
    if (!s.modelBytes) throw new HttpError(503, 'sentiment model not available: this server has no model file to send');
    return reply.type('application/octet-stream').header('cache-control', 'no-cache').send(Buffer.from(s.modelBytes.buffer, s.modelBytes.byteOffset, s.modelBytes.byteLength));
  });

  // ---- memory, training, glove ----------------------------------------------------------------------------
  app.get('/api/memory', async (): Promise<MemoryResponse> => {
    const m = need(b.memory, 'memory experiment');
    return { sweep: m.sweep, traces: m.traces };
  });

  app.get('/api/training-logs', async (): Promise<TrainingLogsResponse> => ({ runs: need(b.training, 'training logs').runs() }));

  app.post('/api/glove-ratios', {
    schema: { body: { type: 'object', required: ['probes'], additionalProperties: false, properties: { probes: { ...WORDS, maxItems: 50 }, a: WORD, b: WORD } } },
  }, async (req: FastifyRequest<{ Body: GloveRatiosRequest }>): Promise<GloveRatiosResponse> => {
    const g = need(b.glove, 'GloVe co-occurrence counts');
    const a = g.normalize(req.body.a ?? 'ice'), bw = g.normalize(req.body.b ?? 'steam');
    const missing = [a, bw].filter((x) => !g.isProbe(x));
    if (missing.length) throw new HttpError(404, `no co-occurrence row counted for ${missing.join(', ')}; rows exist for: ${g.probes.join(', ')}`, missing);
    if (a === bw) throw new HttpError(400, 'give two different words i and j');
    const probes = [...new Set(req.body.probes.map((p) => g.normalize(p)))];
    const known = probes.filter((p) => g.has(p));
    const unknown = probes.filter((p) => !g.has(p));
    if (!known.length) throw new HttpError(404, `not in the co-occurrence vocabulary: ${unknown.join(', ')}`, unknown);
    return { a, b: bw, rows: g.ratios(a, bw, known), unknown, info: b.glove.ok ? b.glove.info : {} };
  });

  // ---- the page -------------------------------------------------------------------------------------------
  if (opts.staticDir && existsSync(opts.staticDir)) {
    await app.register(fastifyStatic, { root: resolve(opts.staticDir), index: ['index.html'], dotfiles: 'deny', wildcard: true });
  } else {
    app.get('/', async (_req: FastifyRequest, reply: FastifyReply) =>
      reply.type('text/plain').send('wordloom playground: the page is not built (run `npm run build:web`); the JSON API is under /api/\n'));
  }
  return app;
}

export interface RunningServer { app: FastifyInstance; url: string; close(): Promise<void> }

/** Build and listen. `port` 0 picks a free port. */
export async function startServer(opts: ServerOptions & { port?: number; host?: string }): Promise<RunningServer> {
  const app = await buildServer(opts);
  const host = opts.host ?? '127.0.0.1';
  await app.listen({ port: opts.port ?? 0, host });
  const addr = app.server.address();
  const port = typeof addr === 'object' && addr ? addr.port : opts.port;
  const shownHost = host.includes(':') ? `[${host}]` : host;
  return { app, url: `http://${shownHost}:${port}/`, close: () => app.close() };
}
