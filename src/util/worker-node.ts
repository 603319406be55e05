/**
 * Start a worker thread from a module URL. Under tsx (sources run as .ts) a worker does not inherit
 * tsx's module hooks on Node 20 ("Unknown file extension .ts"), so a .ts entry is started through a
 * tiny eval bootstrap that registers tsx's ESM API first and then imports the entry. Compiled .js
 * entries (dist/) start directly. Used by the GEMM pool, word2vec and GloVe workers.
 */
import { Worker, type WorkerOptions } from 'node:worker_threads';

export function startWorker(entry: URL, options: WorkerOptions = {}): Worker {
  if (!entry.pathname.endsWith('.ts')) return new Worker(entry, options);
  let api: string;
  try { api = import.meta.resolve('tsx/esm/api'); } catch { return new Worker(entry, options); /* another loader: try the file directly */ }
  const code = `import(${JSON.stringify(api)}).then((m) => { m.register(); return import(${JSON.stringify(entry.href)}); })`;
  return new Worker(code, { ...options, eval: true });
}
