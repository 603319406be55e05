/**
 * word2vec worker thread: attaches to the engine's shared memory (WASM instance or SharedArrayBuffer) and
 * trains the chunks the main thread puts in its token slot (Hogwild: no locks on the weights).
 * Messages in: { nTok, wordsBefore, totalWords, alpha, seed }; out: { loss, words, terms } or { error }.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { W2VRunner, type W2VShared } from './engine.ts';

const { shared, thread } = workerData as { shared: W2VShared; thread: number };
const runner = new W2VRunner(shared);
parentPort!.on('message', (m: { nTok: number; wordsBefore: number; totalWords: number; alpha: number; seed: number }) => {
  try {
    parentPort!.postMessage(runner.run(thread, m.nTok, m.wordsBefore, m.totalWords, m.alpha, m.seed));
  } catch (e) {
    parentPort!.postMessage({ error: String((e as Error)?.stack ?? e) });
  }
});
parentPort!.postMessage({ ready: true });
