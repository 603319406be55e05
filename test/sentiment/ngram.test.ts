// The n-gram (fastText supervised) sentiment model: gradients of the SGD step match finite differences, it learns the
// synthetic task, one thread with one seed is deterministic, Hogwild workers train, save/load keeps predictions
// identical, the loader dispatches on the model type, star decodings and metrics, the CLI end to end.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { spawnSync } from 'node:child_process';
import { ftSupervisedStep, ftPredict, FT_LOSS_OVA, FT_LOSS_SOFTMAX } from '../../src/kernels/fasttext-reference.ts';
import { FastTextDictionary, EOS } from '../../src/embeddings/fasttext/dictionary.ts';
import { resolveFastTextArgs } from '../../src/embeddings/fasttext/args.ts';
import { packExamples, nbScale } from '../../src/embeddings/fasttext/train.ts';
import { trainFastText } from '../../src/embeddings/fasttext/train-node.ts';
import { trainNgram, nbGroupsFor } from '../../src/tasks/sentiment/ngram-node.ts';
import { NgramClassifier, decodeStars } from '../../src/tasks/sentiment/ngram.ts';
import { loadTextClassifier, evaluateClassifierFile } from '../../src/tasks/sentiment/classifier-node.ts';
import { trainSentiment } from '../../src/tasks/sentiment/train-node.ts';
import { starReport } from '../../src/tasks/sentiment/metrics.ts';
import { encodeModelFile } from '../../src/nn/model-file.ts';
import { Tokenizer } from '../../src/text/tokenizer.ts';
import { Rng } from '../../src/util/rng.ts';
import { synth, synthReviews } from '../helpers/sentiment-data.ts';

function tinyDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'wl-ngram-'));
  writeFileSync(join(dir, 'train.tsv'), synth(400, 1).join('\n') + '\n');
  writeFileSync(join(dir, 'dev.tsv'), synth(60, 2).join('\n') + '\n');
  writeFileSync(join(dir, 'test.tsv'), synth(100, 3).join('\n') + '\n');
  return dir;
}

test('fastText step: the updates are −lr × the float64 finite-difference gradient (softmax, one-vs-all, NB-scaled rows)', () => {
  const dim = 4, nl = 3, rows = 6, rng = new Rng(3);
  const ids = Int32Array.of(0, 2, 2, 5); // a repeated row gets its gradient twice
  for (const [loss, nb] of [[FT_LOSS_SOFTMAX, false], [FT_LOSS_OVA, false], [FT_LOSS_SOFTMAX, true]] as const) {
    const scale = nb ? new Float64Array(rows).map((_, i) => 0.5 + i * 0.3 - (i === 2 ? 2 : 0)) : null;
    const wi = new Float64Array(rows * dim), wo = new Float64Array(nl * dim);
    rng.fillUniform(wi, -0.5, 0.5); rng.fillUniform(wo, -0.5, 0.5);
    const target = 1;
    const lossOf = (a: Float64Array, b: Float64Array): number => {
      const h = new Float64Array(dim), out = new Float64Array(nl);
      if (loss === FT_LOSS_SOFTMAX) { ftPredict(a, b, dim, nl, ids, 0, ids.length, loss, h, out, scale); return -Math.log(out[target]); }
      // one-vs-all: Σ −log σ(±s_i) from the raw scores
      let l = 0;
      for (let i = 0; i < nl; i++) {
        let s = 0;
        for (let d = 0; d < dim; d++) { let m = 0; for (const k of ids) m += a[k * dim + d]; s += b[i * dim + d] * m / ids.length; }
        const p = 1 / (1 + Math.exp(-s));
        l -= Math.log(i === target ? p : 1 - p);
      }
      return l;
    };
    const wi2 = wi.slice(), wo2 = wo.slice();
    ftSupervisedStep(wi2, wo2, dim, nl, ids, 0, ids.length, target, 1, loss, new Float64Array(dim), new Float64Array(dim), new Float64Array(nl), scale);
    const eps = 1e-6;
    for (const [w, w2, name] of [[wi, wi2, 'input'], [wo, wo2, 'output']] as const) {
      for (let j = 0; j < w.length; j++) {
        const a = w.slice(); a[j] += eps;
        const b = w.slice(); b[j] -= eps;
        const num = name === 'input' ? (lossOf(a, wo) - lossOf(b, wo)) / (2 * eps) : (lossOf(wi, a) - lossOf(wi, b)) / (2 * eps);
        const upd = w2[j] - w[j];
        // The input update uses the output rows before the step (fastText's order), so both are exact gradients.
        assert.ok(Math.abs(upd + num) < 1e-3 * Math.max(1, Math.abs(num)) + 2e-5, `${loss} ${name}[${j}]: update ${upd} vs −grad ${-num}`);
      }
    }
  }
});

test('dictionary: counts with one </s> per line, min count, most frequent first; features add n-grams', () => {
  const d = FastTextDictionary.build([['a', 'b', 'a'], ['b', 'a', 'c']], 2);
  assert.deepEqual(d.words, ['a', 'b', EOS]);
  assert.deepEqual(d.counts, [3, 2, 2]);
  const f = d.features(['a', 'zzz'], 2, 100);
  assert.equal(f.unknown, 1);
  assert.deepEqual(Array.from(f.ids.subarray(0, 2)), [0, 2]); // a, </s> (zzz is out of vocabulary)
  assert.equal(f.ids.length, 2 + 2); // + bigrams (a zzz), (zzz </s>)
  assert.ok(Array.from(f.ids.subarray(2)).every((x) => x >= 3 && x < 103));
  assert.equal(d.features(['a'], 1, 0).ids.length, 2);
});

const tiny = { dim: 8, wordNgrams: 2, bucket: 5000, lr: 0.5, epochs: 10 };

test('n-gram model learns the synthetic task; save/load gives identical predictions; the loader dispatches on the model type', async () => {
  const dir = tinyDir();
  const out = join(dir, 'm.wl');
  const r = await trainNgram({ data: dir, out, args: tiny });
  assert.ok(r.dev.accuracy >= 0.95, `dev accuracy ${r.dev.accuracy}`);
  assert.ok(r.test!.accuracy >= 0.95, `test accuracy ${r.test!.accuracy}`);
  assert.equal(r.labels.join(), '0,1');
  const texts = ['a wonderful film', 'the plot was dull', '', 'zzz unknown words'];
  const a = r.classifier.predict(texts);
  const loaded = loadTextClassifier(out);
  assert.ok(loaded instanceof NgramClassifier);
  assert.equal(loaded.kind, 'ngram');
  assert.deepEqual(loaded.predict(texts), a);
  assert.deepEqual(NgramClassifier.fromBytes(readFileSync(out)).predict(texts), a);
  assert.equal(a[0].label, '1');
  assert.equal(a[1].label, '0');
  assert.equal(a[2].probs.length, 2);
  const ev = evaluateClassifierFile(loaded, join(dir, 'test.tsv'));
  assert.equal(ev.accuracy, r.test!.accuracy);
  // A recurrent model file loads through the same function; another model type is a clear error.
  const rnnOut = join(dir, 'rnn.wl');
  trainSentiment({ data: dir, out: rnnOut, config: { embeddingInit: 'random', embeddingDim: 8, hiddenSize: 6, epochs: 1, batchSize: 20, patience: 0 }, evalTest: false });
  assert.equal(loadTextClassifier(rnnOut).constructor.name, 'SentimentClassifier');
  const other = join(dir, 'other.wl');
  writeFileSync(other, encodeModelFile({ modelType: 'word2vec', config: {}, tensors: [] }, new Float32Array(0)));
  assert.throws(() => loadTextClassifier(other), /other\.wl --model: model type is "word2vec", not a sentiment model/);
  await assert.rejects(trainNgram({ data: dir, out, args: tiny }), /output file exists/);
});

test('n-gram training: one thread with one seed is bit-identical; another seed differs; Hogwild workers train too', async () => {
  const tok = new Tokenizer();
  const lines = synth(300, 5).map((l) => l.split('\t'));
  const toks = lines.map(([, t]) => tok.tokenize(t));
  const dict = FastTextDictionary.build(toks, 1);
  const ex = packExamples(toks.map((t) => dict.features(t, 2, 1000).ids), lines.map(([y]) => Number(y)), toks.map((t) => t.length + 2));
  const args = resolveFastTextArgs({ dim: 6, wordNgrams: 2, bucket: 1000, epochs: 3, lr: 0.3, seed: 9 });
  const a = await trainFastText(ex, dict, ['0', '1'], args);
  const b = await trainFastText(ex, dict, ['0', '1'], args);
  assert.deepEqual(a.model.wi, b.model.wi);
  assert.deepEqual(a.model.wo, b.model.wo);
  const c = await trainFastText(ex, dict, ['0', '1'], { ...args, seed: 10 });
  assert.notDeepEqual(c.model.wo, a.model.wo);
  const h = await trainFastText(ex, dict, ['0', '1'], { ...args, threads: 2, epochs: 5 });
  assert.ok(h.model.wi.buffer instanceof SharedArrayBuffer);
  let correct = 0;
  toks.forEach((_, k) => { const p = h.model.predictFeatures(ex.ids, ex.offsets[k], ex.offsets[k + 1]); if ((p[1] > p[0] ? 1 : 0) === ex.labels[k]) correct++; });
  assert.ok(correct / toks.length >= 0.95, `Hogwild training accuracy ${correct / toks.length}`);
});

test('star decodings and star metrics', () => {
  const v = [1, 2, 4, 5];
  const p = [0.3, 0.25, 0, 0.45];
  assert.equal(decodeStars(p, v, 'argmax'), 3);
  assert.equal(decodeStars(p, v, 'median'), 1); // cumulative 0.3, 0.55 ≥ 0.5
  assert.equal(decodeStars(p, v, 'mean'), 2); // 0.3 + 0.5 + 0 + 2.25 = 3.05 stars: nearest value is 4
  const r = starReport([1, 1, 4, 10, 10], [1, 2, 7, 10, 9]);
  assert.equal(r.n, 5);
  assert.equal(r.exact, 2 / 5);
  assert.equal(r.withinOne, 4 / 5);
  assert.equal(r.mae, (0 + 1 + 3 + 0 + 1) / 5);
  assert.deepEqual(r.perClass.map((c) => [c.stars, c.n, c.exact, c.withinOne, c.mae, c.meanPredicted]), [[1, 2, 0.5, 1, 0.5, 1.5], [4, 1, 0, 0, 3, 7], [10, 2, 0.5, 1, 0.5, 9.5]]);
});

test('CLI: sentiment train --arch ngram with a star target (--json: star metrics, decodings), eval on it, flag errors', () => {
  const dir = mkdtempSync(join(tmpdir(), 'wl-ngram-cli-'));
  // Ratings: negative words → 1–4 stars, positive → 7–10 (the label field is ignored for rating targets).
  const rows = synthReviews;
  writeFileSync(join(dir, 'train.jsonl.gz'), gzipSync(Buffer.from(rows(400, 1))));
  writeFileSync(join(dir, 'test.jsonl.gz'), gzipSync(Buffer.from(rows(100, 3))));
  const out = join(dir, 'm.wl');
  const run = (args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { encoding: 'utf8' });
  const r = run(['sentiment', 'train', '--arch', 'ngram', '--data', dir, '--target', 'stars5', '--out', out, '--dim', '8', '--bucket', '5000', '--epochs', '10', '--lr', '0.5', '--json']);
  assert.equal(r.status, 0, r.stderr);
  const j = JSON.parse(r.stdout);
  assert.deepEqual(j.labels, ['1', '2', '4', '5']);
  assert.equal(j.target, 'stars5');
  assert.ok(j.test.stars.mae >= 0 && j.test.stars.withinOne >= j.test.stars.exact);
  assert.deepEqual(Object.keys(j.test.decodes), ['argmax', 'median', 'mean']);
  assert.ok(existsSync(out));
  const e = run(['sentiment', 'eval', '--model', out, '--data', join(dir, 'test.jsonl.gz'), '--json']);
  assert.equal(e.status, 0, e.stderr);
  const ej = JSON.parse(e.stdout);
  assert.equal(ej.kind, 'ngram');
  assert.equal(ej.target, 'stars5');
  assert.equal(ej.stars.mae, j.test.stars.mae);
  const human = run(['sentiment', 'eval', '--model', out, '--data', join(dir, 'test.jsonl.gz'), '--target', 'polarity']);
  assert.equal(human.status, 2);
  assert.match(human.stderr, /unknown label "neg"/);
  // The recurrent model takes the same targets and reports star metrics too.
  const rnn = run(['sentiment', 'train', '--data', dir, '--target', 'stars5', '--out', join(dir, 'rnn.wl'), '--embeddings', 'random', '--embedding-dim', '8',
    '--hidden', '6', '--epochs', '1', '--batch-size', '50', '--json']);
  assert.equal(rnn.status, 0, rnn.stderr);
  const rj = JSON.parse(rnn.stdout);
  assert.deepEqual(rj.labels, ['1', '2', '4', '5']);
  assert.ok(rj.test.stars.n === 100 && rj.test.stars.perClass.length === 4);
  const re = run(['sentiment', 'eval', '--model', join(dir, 'rnn.wl'), '--data', join(dir, 'test.jsonl.gz'), '--target', 'stars5', '--json']);
  assert.equal(re.status, 0, re.stderr);
  assert.equal(JSON.parse(re.stdout).stars.mae, rj.test.stars.mae);
  const bad = run(['sentiment', 'train', '--arch', 'ngram', '--data', dir, '--out', join(dir, 'x.wl'), '--cell', 'gru']);
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /--cell: --cell applies to --arch rnn only/);
  const bad2 = run(['sentiment', 'train', '--data', dir, '--out', join(dir, 'y.wl'), '--word-ngrams', '2']);
  assert.equal(bad2.status, 2);
  assert.match(bad2.stderr, /--word-ngrams applies to --arch ngram only/);
});

test('NB-scaled features: log-count ratios by hand; an --nb model learns, round-trips its weights, and rejects 3 classes', async () => {
  // Rows 0..3; doc A (class 1): rows 0, 0, 1; doc B (class 0): rows 1, 2. α = 1: p = [2, 2, 1, 1] (6), q = [1, 2, 2, 1] (6).
  const ex = packExamples([Int32Array.of(0, 0, 1), Int32Array.of(1, 2)], [1, 0], [5, 4]);
  const r = nbScale(ex, 4);
  assert.deepEqual(Array.from(r), [Math.log(2), 0, Math.log(0.5), 0].map(Math.fround));
  // Star classes: sides by rating (negative 0, positive 1, neutral −1 not counted) give the same ratios.
  const ex3 = packExamples([Int32Array.of(0, 0, 1), Int32Array.of(1, 2), Int32Array.of(3)], [3, 0, 2], [5, 4, 3]);
  assert.deepEqual(nbGroupsFor('stars5', ['1', '2', '3', '4']), [0, 0, -1, 1]);
  assert.deepEqual(nbGroupsFor('stars10', ['4', '5', '6', '7']), [0, -1, -1, 1]);
  assert.equal(nbGroupsFor('label', ['a', 'b', 'c']), undefined);
  assert.deepEqual(Array.from(nbScale(ex3, 4, 1, nbGroupsFor('stars5', ['1', '2', '3', '4']))), Array.from(r));
  const dir = tinyDir();
  const res = await trainNgram({ data: dir, out: join(dir, 'nb.wl'), args: { ...tiny, nb: true } });
  assert.ok(res.test!.accuracy >= 0.95, `NB test accuracy ${res.test!.accuracy}`);
  assert.ok(res.classifier.model.scale);
  const texts = ['a superb and moving film', 'tedious', 'words never seen'];
  assert.deepEqual(loadTextClassifier(join(dir, 'nb.wl')).predict(texts), res.classifier.predict(texts));
  writeFileSync(join(dir, 'train.tsv'), synth(30, 1).map((l, i) => (i % 3 === 2 ? l.replace(/^\d/, '2') : l)).join('\n') + '\n');
  await assert.rejects(trainNgram({ data: dir, args: { ...tiny, nb: true }, evalTest: false }), /--nb: NB-scaled features need exactly 2 classes/);
});
