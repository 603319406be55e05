// Evaluation: analogy accuracy (sections, OOV, case, restrictVocab, 3CosMul), word-pair correlations,
// and — when /usr/bin/python3 has gensim — the committed comparison scripts against gensim.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import {
  evaluateAnalogies, evaluateWordPairs, evaluateAnalogiesFile, evaluateWordPairsFile, loadVectors, rankAverage, pearson,
  corrPValue, WordVectors,
} from '../../src/embeddings/index.ts';
import { WordloomError } from '../../src/util/errors.ts';

const glove = loadVectors('data/glove-subset/glove.6B.50d.top2446.txt');

// Toy space where the analogy answers are exact: gender (e0 male, e1 female) + concept (e2 person,
// e3 royal, e4 young); "Paris"/"paris" differ only in case.
const e = (...ix: number[]) => { const r = new Array(6).fill(0); for (const i of ix) r[i] = 1; return r; };
const toy = new WordVectors(
  ['man', 'woman', 'king', 'queen', 'boy', 'girl', 'Paris', 'paris'],
  Float32Array.from([...e(0, 2), ...e(1, 2), ...e(0, 3), ...e(1, 3), ...e(0, 4), ...e(1, 4), ...e(5), 0, 0, 0, 0, 0.1, 0.9]), 6);

test('analogy sections, semantic/syntactic split, OOV counted, case-insensitive by default', () => {
  const q = ': family\nman woman king queen\nMAN WOMAN KING QUEEN\nman woman boy girl\nman woman king xyz\n: gram-x\nking queen man woman\n';
  const r = evaluateAnalogies(toy, q);
  assert.equal(r.questions, 5);
  assert.equal(r.oov, 1);
  assert.equal(r.oovRatio, 1 / 5);
  assert.deepEqual(r.sections.map((s) => [s.section, s.correct.length, s.incorrect.length, s.oov]), [['family', 3, 0, 1], ['gram-x', 1, 0, 0]]);
  assert.equal(r.semantic.seen, 3);
  assert.equal(r.syntactic.seen, 1);
  assert.equal(r.score, 1);
  assert.equal(r.sections[0].correct[1].a, 'MAN');
  // case-sensitive: MAN etc. are OOV
  const cs = evaluateAnalogies(toy, q, { caseInsensitive: false });
  assert.equal(cs.oov, 2);
  // restrictVocab 2: only man/woman are known → all OOV
  assert.equal(evaluateAnalogies(toy, q, { restrictVocab: 2 }).oov, 5);
  // upper-cased duplicates: the first variant ("Paris", row 6) is the one used
  const p = evaluateAnalogies(toy, ': x\nman woman paris PARIS\n');
  assert.equal(p.questions, 1);
});

test('malformed question files: WordloomError with file and line; lenient counts', () => {
  assert.throws(() => evaluateAnalogies(toy, ': s\nman woman king\n', { file: 'q.txt' }),
    (e: unknown) => e instanceof WordloomError && e.line === 2 && /q\.txt:2: expected 4 words/.test(e.message));
  assert.throws(() => evaluateAnalogies(toy, 'man woman king queen\n', { file: 'q.txt' }), /q\.txt:1: question before the first/);
  const r = evaluateAnalogies(toy, ': s\nman woman king\nman woman king queen\n', { lenient: true });
  assert.equal(r.invalidLines, 1);
  assert.equal(r.total.correct, 1);
});

test('analogy on the GloVe subset: 3CosAdd and 3CosMul score and agree with per-question queries', () => {
  const r = evaluateAnalogiesFile(glove, 'data/eval/google-analogy/questions-words.txt');
  assert.equal(r.questions, 19544);
  assert.equal(r.sections.length, 14);
  assert.equal(r.total.seen + r.oov, r.questions);
  assert.ok(r.score > 0.5, `accuracy ${r.score}`);
  // spot-check batched scoring against single mostSimilar queries (lower-case vocabulary)
  const sec = r.sections[0];
  for (const item of [...sec.correct.slice(0, 5), ...sec.incorrect.slice(0, 5)]) {
    const [a, b, c] = [item.a, item.b, item.c].map((w) => w.toLowerCase());
    const top = glove.mostSimilar({ positive: [b, c], negative: [a], topn: 1 })[0].word.toUpperCase();
    assert.equal(top, item.predicted);
  }
  const m = evaluateAnalogiesFile(glove, 'data/eval/google-analogy/questions-words.txt', { method: '3cosmul' });
  assert.equal(m.total.seen, r.total.seen);
  assert.ok(m.score > 0.5);
});

test('word pairs: ranks with ties, Pearson, p-values; header, CRLF, comma/tab, OOV ratio', () => {
  assert.deepEqual(rankAverage([10, 20, 10, 30]), [1.5, 3, 1.5, 4]);
  // oracle values from scipy 1.10: stats.pearsonr([1,2,3,4],[2,4,6,8.5]); 2*stats.t.sf(0.5*sqrt(28/0.75), 28)
  assert.ok(Math.abs(pearson([1, 2, 3, 4], [2, 4, 6, 8.5]) - 0.9983814394570298) < 1e-12);
  assert.ok(Math.abs(corrPValue(0.9983814394570298, 4) - 0.00161856054297016) < 1e-12);
  assert.ok(Math.abs(corrPValue(0.5, 30) - 0.004899933667068092) < 1e-12);
  const text = 'Word 1,Word 2,Human (mean)\r\nman,woman,9\r\nking,queen,8\r\nman,king,3\r\nboy,zzz,5\r\n';
  const r = evaluateWordPairs(toy, text);
  assert.equal(r.header, 'Word 1,Word 2,Human (mean)');
  assert.equal(r.pairs, 3);
  assert.equal(r.oov, 1);
  assert.equal(r.oovRatio, 25);
  const tab = evaluateWordPairs(toy, text.replace(/,/g, '\t'));
  assert.equal(tab.spearman.rho, r.spearman.rho);
  assert.throws(() => evaluateWordPairs(toy, 'a b 1\nman woman x\n', { file: 'p.txt' }), /p\.txt:2: expected "word1 word2 score"/);
  const ws = evaluateWordPairsFile(glove, 'data/eval/wordsim353/combined.tab');
  assert.equal(ws.total, 353);
  assert.ok(ws.spearman.rho > 0.4 && ws.spearman.rho < 0.9);
});

const hasGensim = spawnSync('/usr/bin/python3', ['-c', 'import gensim'], { encoding: 'utf8' }).status === 0;

test('matches gensim evaluate_word_analogies / evaluate_word_pairs (bench/compare-gensim-eval.py)', { skip: !hasGensim && 'no gensim' }, () => {
  const r = spawnSync('/usr/bin/python3', ['bench/compare-gensim-eval.py'], { encoding: 'utf8', timeout: 120000 });
  assert.equal(r.status, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /OK {3}analogy 3cosadd per-question/);
  assert.doesNotMatch(r.stdout, /FAIL/);
});
// The format check against gensim (bench/check-gensim-formats.py: 8 CLI conversions) runs in bench/vectors.bench.ts.
