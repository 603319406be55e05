/**
 * word2vec worker thread. Started before the vocabulary pass, it first tokenizes batches of corpus lines for
 * the parallel vocabulary pass, then attaches to the engine's shared memory (WASM instance or
 * SharedArrayBuffer) and trains the chunks the main thread puts in its token slots (Hogwild: no locks on the
 * weights). Messages are processed and answered in order; the first message out is { ready: true }.
 *
 * In:  { type: 'tokenize', lines }        → { ids: Int32Array, n, newTypes } — ids are this worker's own
 *        provisional ids (stable across its batches; −1 ends each line), newTypes the words first seen in
 *        this batch, in id order (so the main thread extends its per-worker id map)
 *      { type: 'attach', shared }         → { attached: true }
 *      { type: 'train', slot, nTok, wordsBefore, totalWords, alpha, seed } → { loss, words, terms }
 * Any failure answers { error }.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { W2VRunner, type W2VShared } from './engine.ts';
import { Tokenizer, type TokenizerOptions } from '../../text/tokenizer.ts';

const { thread, tokenizer } = workerData as { thread: number; tokenizer: TokenizerOptions };
let runner: W2VRunner | null = null;
let tok: Tokenizer | null = null;
const ids = new Map<string, number>();

type Msg =
  | { type: 'tokenize'; lines: string[] }
  | { type: 'attach'; shared: W2VShared }
  | { type: 'train'; slot: number; nTok: number; wordsBefore: number; totalWords: number; alpha: number; seed: number };

function tokenize(lines: string[]): void {
  tok ??= new Tokenizer(tokenizer);
  let out = new Int32Array(lines.length * 16 + 1024), n = 0;
  const newTypes: string[] = [];
  for (const line of lines) {
    const words = tok.tokenize(line);
    if (n + words.length + 1 > out.length) { const o = new Int32Array(Math.max(2 * out.length, n + words.length + 1024)); o.set(out.subarray(0, n)); out = o; }
    for (const w of words) {
      let id = ids.get(w);
      if (id === undefined) { id = ids.size; ids.set(w, id); newTypes.push(w); }
      out[n++] = id;
    }
    out[n++] = -1;
  }
  parentPort!.postMessage({ ids: out, n, newTypes }, [out.buffer]);
}

parentPort!.on('message', (m: Msg) => {
  try {
    if (m.type === 'tokenize') tokenize(m.lines);
    else if (m.type === 'attach') { runner = new W2VRunner(m.shared); parentPort!.postMessage({ attached: true }); }
    else {
      if (!runner) throw new Error('train before attach');
      parentPort!.postMessage(runner.run(thread, m.nTok, m.wordsBefore, m.totalWords, m.alpha, m.seed, m.slot));
    }
  } catch (e) {
    parentPort!.postMessage({ error: String((e as Error)?.stack ?? e) });
  }
});
parentPort!.postMessage({ ready: true });
