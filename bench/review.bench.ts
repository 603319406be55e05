/**
 * Whole reviews in Node: prediction throughput (reviews/s) of each model given, on the first N reviews of a JSONL
 * file, through the same path as `wordloom sentiment predict --input` (streamed reading, batches of 256, JSON lines
 * written to /dev/null), best of `--repeat` runs after a warm-up; and the time `explainReview` takes for the
 * median-length and the longest of those reviews (sentence + word occlusion, default word budget).
 *
 * No models or reviews ship with the repository for this: pass them (e.g. a model trained on IMDB and 2,000 IMDB test
 * reviews, see docs/sentiment.md). Without --model and --data it prints its usage and does nothing.
 *
 *   flock /tmp/wordloom-bench.lock node --import tsx bench/review.bench.ts --data reviews.jsonl --model a.wl [--model b.wl]
 *     [--n 2000] [--repeat 3] [--threads 1]
 * Writes bench/results/review.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { cpus, loadavg } from 'node:os';
import { loadTextClassifier } from '../src/tasks/sentiment/classifier-node.ts';
import { fileRecords, type InputRecord } from '../src/tasks/sentiment/predict-input-node.ts';
import { predictRecords } from '../src/tasks/sentiment/predict-node.ts';
import { explainReview, wordSpans } from '../src/tasks/sentiment/explain.ts';
import { setThreads } from '../src/kernels/index.ts';

function args(): { data?: string; models: string[]; n: number; repeat: number; threads: number } {
  const a = process.argv.slice(2);
  const models: string[] = [];
  let data: string | undefined, n = 2000, repeat = 3, threads = 1;
  for (let i = 0; i < a.length; i++) {
    if (a[i] === '--model') models.push(a[++i]);
    else if (a[i] === '--data') data = a[++i];
    else if (a[i] === '--n') n = Number(a[++i]);
    else if (a[i] === '--repeat') repeat = Number(a[++i]);
    else if (a[i] === '--threads') threads = Number(a[++i]);
  }
  return { data, models, n, repeat, threads };
}

function* firstN(file: string, n: number): Generator<InputRecord> {
  let k = 0;
  for (const r of fileRecords(file)) { if (k++ >= n) return; yield r; }
}

async function main(): Promise<void> {
  const o = args();
  if (!o.data || !o.models.length) {
    console.log('usage: bench/review.bench.ts --data reviews.jsonl --model a.wl [--model b.wl] [--n 2000] [--repeat 3] [--threads 1] (skipped: nothing given)');
    return;
  }
  setThreads(o.threads);
  const reviews = [...firstN(o.data, o.n)];
  const words = reviews.map((r) => wordSpans(r.text).length);
  const byLen = reviews.map((_, i) => i).sort((a, b) => words[a] - words[b]);
  const median = reviews[byLen[byLen.length >> 1]], longest = reviews[byLen[byLen.length - 1]];
  const rows = [];
  for (const file of o.models) {
    const model = loadTextClassifier(file);
    predictRecords(model, reviews.slice(0, 64), () => {}); // warm-up
    let best = Infinity;
    for (let r = 0; r < o.repeat; r++) {
      let sink = 0;
      const s = predictRecords(model, firstN(o.data, o.n), (line) => { sink += JSON.stringify(line).length; });
      if (s.n !== reviews.length) throw new Error(`expected ${reviews.length} reviews, predicted ${s.n}`);
      best = Math.min(best, s.seconds);
      void sink;
    }
    const explain = (text: string) => {
      const t0 = performance.now();
      const e = explainReview(model, text);
      return { words: wordSpans(text).length, sentences: e.sentences.length, wordsMeasured: e.wordsMeasured, predictions: e.predictions, seconds: +((performance.now() - t0) / 1000).toFixed(3) };
    };
    const row = {
      model: basename(file), kind: model.kind, reviews: reviews.length, seconds: +best.toFixed(3), reviewsPerSecond: +(reviews.length / best).toFixed(1),
      explainMedian: explain(median.text), explainLongest: explain(longest.text),
    };
    rows.push(row);
    console.log(`${row.model} (${row.kind}): ${row.reviews} reviews in ${row.seconds} s = ${row.reviewsPerSecond} reviews/s; ` +
      `explain median review (${row.explainMedian.words} words) ${row.explainMedian.seconds} s, longest (${row.explainLongest.words} words, ${row.explainLongest.wordsMeasured} measured) ${row.explainLongest.seconds} s`);
  }
  mkdirSync('bench/results', { recursive: true });
  const result = {
    when: new Date().toISOString(), data: basename(o.data), n: reviews.length, meanWords: +(words.reduce((a, b) => a + b, 0) / words.length).toFixed(1),
    threads: o.threads, node: process.version, cpus: cpus().length, loadavg: loadavg().map((x) => +x.toFixed(2)), rows,
  };
  writeFileSync('bench/results/review.json', JSON.stringify(result, null, 2) + '\n');
}

void main();
