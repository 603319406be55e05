// Browser side of bench/review-browser.bench.ts: the playground's inference code (model decoders, WASM kernels,
// explain.ts) on reviews fetched from the bench server; the result goes to window.benchResult.
import { textClassifierFromBytes } from '../../src/tasks/sentiment/load.ts';
import { explainReview } from '../../src/tasks/sentiment/explain.ts';

interface Result { model: string; kind: string; reviews: number; seconds: number; reviewsPerSecond: number; explainSeconds: number; explainWords: number; backend: string }

async function run(): Promise<Result[]> {
  const q = new URLSearchParams(location.search);
  const models = (q.get('models') ?? '').split(',').filter(Boolean);
  const repeat = Number(q.get('repeat') ?? '2');
  const texts = ((await (await fetch('data')).json()) as string[]);
  const median = [...texts].sort((a, b) => a.length - b.length)[texts.length >> 1];
  const out: Result[] = [];
  for (const name of models) {
    const bytes = new Uint8Array(await (await fetch(`model/${encodeURIComponent(name)}`)).arrayBuffer());
    const model = textClassifierFromBytes(bytes, name);
    model.predict(texts.slice(0, 64)); // warm-up
    let best = Infinity;
    for (let r = 0; r < repeat; r++) {
      const t0 = performance.now();
      for (let i = 0; i < texts.length; i += 256) model.predict(texts.slice(i, i + 256)); // the CLI's batch size
      best = Math.min(best, (performance.now() - t0) / 1000);
    }
    explainReview(model, median); // warm-up
    const t1 = performance.now();
    const e = explainReview(model, median);
    const kernels = await import('../../src/kernels/index.ts');
    out.push({
      model: name, kind: model.kind, reviews: texts.length, seconds: +best.toFixed(3), reviewsPerSecond: +(texts.length / best).toFixed(1),
      explainSeconds: +((performance.now() - t1) / 1000).toFixed(3), explainWords: e.wordCount, backend: kernels.K.name,
    });
  }
  return out;
}

run().then((r) => { (window as unknown as { benchResult: unknown }).benchResult = r; document.getElementById('out')!.textContent = JSON.stringify(r); },
  (e) => { (window as unknown as { benchResult: unknown }).benchResult = { error: String(e) }; });
