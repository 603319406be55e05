/**
 * `wordloom serve`: the playground page (build/web) and its JSON API under /api/, on 127.0.0.1 by default.
 * Serves what `wordloom start` trained (the .wordloom-cache/ manifest) or files given with --vectors/--sentiment.
 */
import type { Command } from 'commander';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { WordloomError } from '../../util/errors.ts';
import { loadBackends } from '../../web/resources-node.ts';
import { startServer, type RunningServer } from '../../web/server-node.ts';
import type { Backends } from '../../web/backends.ts';
import { intArg } from '../options.ts';

/** The built page: <package>/build/web (this file is dist/cli/commands/serve.js or src/cli/commands/serve.ts). */
export function defaultStaticDir(): string {
  return fileURLToPath(new URL('../../../build/web', import.meta.url));
}

export interface ServeFlags { port: number; host: string; cache: string; vectors?: string; sentiment?: string; reviewModel?: string; log?: boolean; allowHost?: string[] }

export function describeBackends(b: Backends): string {
  return Object.entries(b).map(([k, v]) => `  ${k.padEnd(9)} ${v.ok ? 'ready' : `not available: ${v.reason}`}`).join('\n');
}

/** Start serving; resolves once listening (Ctrl-C stops it). */
export async function serve(o: ServeFlags, backends?: Backends): Promise<RunningServer> {
  const b = backends ?? loadBackends({ cacheDir: o.cache, vectors: o.vectors, sentiment: o.sentiment, review: o.reviewModel });
  const staticDir = defaultStaticDir();
  let running: RunningServer;
  try {
    running = await startServer({ backends: b, staticDir, port: o.port, host: o.host, logger: o.log, allowedHosts: o.allowHost });
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code === 'EADDRINUSE') throw new WordloomError(`port ${o.port} is already in use (choose another, or 0 for any free port)`, { flag: '--port' });
    if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') throw new WordloomError(`cannot listen on host '${o.host}'`, { flag: '--host' });
    throw e;
  }
  process.stderr.write(describeBackends(b) + '\n');
  if (!['127.0.0.1', 'localhost', '::1'].includes(o.host)) process.stderr.write(`warning: listening on ${o.host}: the playground is reachable from other machines\n`);
  if (!existsSync(staticDir)) process.stderr.write(`note: the page is not built (${staticDir}); run \`npm run build:web\`\n`);
  process.stdout.write(`wordloom playground: ${running.url}\n`);
  const stop = () => { void running.close().then(() => process.exit(0)); };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return running;
}

export function serveOptions(cmd: Command): Command {
  return cmd
    .option('--port <n>', 'TCP port (0 = any free port)', intArg(0, 65535), 8700)
    .option('--host <addr>', 'address to listen on (127.0.0.1 = this machine only)', '127.0.0.1')
    .option('--cache <dir>', 'the `wordloom start` cache folder to serve from', '.wordloom-cache')
    .option('--review-model <file>', 'a sentiment model trained on whole reviews for the Reviews tab (optional; any model kind)')
    .option('--log', 'log every request')
    .option('--allow-host <name...>', 'also answer requests whose Host header is this name (besides localhost, 127.0.0.1, [::1] and --host)');
}

export function register(program: Command): void {
  serveOptions(program.command('serve')
    .description('serve the playground page and its JSON API (default http://127.0.0.1:8700)'))
    .option('--vectors <file>', 'word vectors to serve instead of the cache\'s (any supported format)')
    .option('--sentiment <file>', 'sentiment model to serve instead of the cache\'s')
    .action(async (o: ServeFlags) => {
      await serve(o); // the listening server keeps the process alive until SIGINT/SIGTERM
    });
}
