/**
 * word2vec worker thread: attaches to the engine's shared memory (WASM instance or SharedArrayBuffer) and
 * trains the chunks the main thread puts in its token slot (Hogwild: no locks on the weights).
 * Messages in: { slot, nTok, wordsBefore, totalWords, alpha, seed } (processed in order; two slots per thread
 * so the next chunk is always queued); out: { loss, words, terms } or { error }.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { W2VRunner, type W2VShared } from './engine.ts';

const { shared, thread } = workerData as { shared: W2VShared; thread: number };
const runner = new W2VRunner(shared);
parentPort!.on('message', (m: { slot: number; nTok: number; wordsBefore: number; totalWords: number; alpha: number; seed: number }) => {
  try {
    parentPort!.postMessage(runner.run(thread, m.nTok, m.wordsBefore, m.totalWords, m.alpha, m.seed, m.slot));
  } catch (e) {
    parentPort!.postMessage({ error: String((e as Error)?.stack ?? e) });
  }
});
parentPort!.postMessage({ ready: true });
