/**
 * The playground server's protections (Node only), registered by buildServer before any route:
 * - Host allow-list: a request whose Host header is not an address of this server — localhost, 127.0.0.1, [::1],
 *   the configured --host (every local interface address when it is 0.0.0.0 or ::) and any `allowedHosts` — is
 *   refused with 421 and nothing else runs. A web page that rebinds its own DNS name to 127.0.0.1 sends its own name
 *   as Host, so it cannot read the API. When listening, the Host's port must be the listening port.
 * - Headers on every response (API, page, errors): X-Content-Type-Options: nosniff, a Content-Security-Policy for the
 *   built page (scripts and styles from this origin; 'wasm-unsafe-eval' for the kernels; inline style attributes,
 *   which the page's tables and bars use; frame-ancestors 'none'), X-Frame-Options: DENY, Referrer-Policy:
 *   no-referrer, Cross-Origin-Resource-Policy: same-origin.
 * - Strict JSON schemas: ajv runs without type coercion (buildServer sets coerceTypes: false), so {"text": 12345} is a
 *   400. Query strings are text by nature: a query parameter whose schema says integer is converted here, and only
 *   when it is exactly a decimal integer. API routes declared without a querystring schema get an empty strict one
 *   (unknown parameters are a 400).
 * - Error bodies (status ≥ 400) and /api/status never show absolute server paths: they are cut to the file name.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import { networkInterfaces, homedir, tmpdir } from 'node:os';

/** What registerSecurity needs to know. */
export interface SecurityOptions {
  /** The address the server listens on (default 127.0.0.1). */
  host?: string;
  /** More Host names to accept (e.g. a name this machine is reached by). */
  allowedHosts?: string[];
}

/** The Content-Security-Policy sent with every response. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'", "script-src 'self' 'wasm-unsafe-eval'", "style-src 'self' 'unsafe-inline'", "img-src 'self' data:",
  "connect-src 'self'", "worker-src 'self'", "object-src 'none'", "base-uri 'none'", "form-action 'self'", "frame-ancestors 'none'",
].join('; ');

export const SECURITY_HEADERS: Record<string, string> = {
  'x-content-type-options': 'nosniff',
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cross-origin-resource-policy': 'same-origin',
};

/** A host as it appears in a Host header: IPv6 in brackets, lower case. */
function hostForm(h: string): string {
  const x = h.trim().toLowerCase();
  return x.includes(':') && !x.startsWith('[') ? `[${x}]` : x;
}

/** Host names (without port) this server answers to. */
export function allowedHostnames(opts: SecurityOptions = {}): Set<string> {
  const out = new Set(['localhost', '127.0.0.1', '[::1]']);
  const host = opts.host ?? '127.0.0.1';
  if (host === '0.0.0.0' || host === '::' || host === '[::]') {
    for (const list of Object.values(networkInterfaces())) for (const a of list ?? []) out.add(hostForm(a.address.split('%')[0]));
  } else out.add(hostForm(host));
  for (const h of opts.allowedHosts ?? []) out.add(hostForm(h));
  return out;
}

/** Split a Host header into host name and port (null when absent); null for a malformed header. */
export function parseHostHeader(h: string): { name: string; port: number | null } | null {
  const m = /^(\[[0-9a-f:.]+\]|[^:[\]]+)(?::(\d{1,5}))?$/i.exec(h.trim());
  if (!m) return null;
  return { name: m[1].toLowerCase(), port: m[2] === undefined ? null : Number(m[2]) };
}

const ABSOLUTE_PATH = /(?<=^|[\s'"`(=,:])(?:\/(?!api\/)(?:[^/\s'"`():,]+\/)+|[A-Za-z]:(?:\\{1,2}[^\\\s'"`<>|:*?]+)*\\{1,2})/g;

/** A message with absolute paths cut to their last component (known roots first, then anything path-like). */
export function redactPaths(message: string, roots: readonly string[] = []): string {
  let s = message;
  for (const r of [...roots, process.cwd(), homedir(), tmpdir()].filter((x) => x.length > 1).sort((a, b) => b.length - a.length)) {
    s = s.split(r.endsWith('/') ? r : r + '/').join('');
  }
  return s.replace(ABSOLUTE_PATH, '');
}

/** Install the protections on `app` (call before declaring routes). */
export function registerSecurity(app: FastifyInstance, opts: SecurityOptions = {}, pathRoots: readonly string[] = []): void {
  const hosts = allowedHostnames(opts);
  const integerQuery = new Map<string, string[]>();

  app.addHook('onRoute', (route: RouteOptions) => {
    if (!route.url.startsWith('/api/')) return;
    const schema = (route.schema ??= {}) as { querystring?: { properties?: Record<string, { type?: string }> } };
    schema.querystring ??= { type: 'object', additionalProperties: false, properties: {} } as never;
    const props = schema.querystring!.properties ?? {};
    const ints = Object.keys(props).filter((k) => props[k].type === 'integer');
    if (ints.length) for (const m of [route.method].flat()) integerQuery.set(`${m} ${route.url}`, ints);
  });

  app.addHook('onRequest', async (req: FastifyRequest, reply: FastifyReply) => {
    const raw = req.headers.host ?? '';
    const h = parseHostHeader(raw);
    const addr = app.server.address();
    const port = typeof addr === 'object' && addr ? addr.port : null;
    const portOk = !h || port === null || (h.port ?? 80) === port;
    if (!h || !hosts.has(h.name) || !portOk) {
      return reply.code(421).send({ error: `request refused: the Host header ${JSON.stringify(raw.slice(0, 100))} is not this server's address (use http://127.0.0.1 or http://localhost)` });
    }
  });

  app.addHook('preValidation', async (req: FastifyRequest) => {
    const ints = integerQuery.get(`${req.method} ${req.routeOptions.url}`);
    if (!ints || !req.query || typeof req.query !== 'object') return;
    const q = req.query as Record<string, unknown>;
    for (const k of ints) if (typeof q[k] === 'string' && /^-?\d{1,15}$/.test(q[k] as string)) q[k] = Number(q[k]);
  });

  app.addHook('onSend', async (req: FastifyRequest, reply: FastifyReply, payload: unknown) => {
    for (const [k, v] of Object.entries(SECURITY_HEADERS)) reply.header(k, v);
    const redact = reply.statusCode >= 400 || req.url.split('?')[0] === '/api/status';
    return redact && typeof payload === 'string' ? redactPaths(payload, pathRoots) : payload;
  });
}
