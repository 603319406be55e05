/**
 * Start a worker thread from a module URL. Under tsx (sources run as .ts) a worker does not inherit
 * tsx's module hooks on Node 20 ("Unknown file extension .ts"), so a .ts entry is started through a
 * tiny eval bootstrap that registers tsx's ESM API first and then imports the entry. Compiled .js
 * entries (dist/) start directly.
 */
import { Worker, type WorkerOptions } from 'node:worker_threads';

export function startWorker(entry: URL, options: WorkerOptions): Worker {
  if (!entry.pathname.endsWith('.ts')) return new Worker(entry, options);
  const api = import.meta.resolve('tsx/esm/api');
  const code = `import(${JSON.stringify(api)}).then((m) => { m.register(); return import(${JSON.stringify(entry.href)}); })`;
  return new Worker(code, { ...options, eval: true });
}
