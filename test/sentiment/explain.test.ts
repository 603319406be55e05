// Review explanations: sentence splitting (offsets into the original text, <br /> breaks, abbreviations), word
// spans, occlusion effects on a model whose answer is known, the word budget (most influential sentences first),
// batching, attention pass-through, and the real recurrent model.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { splitSentences, wordSpans, explainReview, expectedStars, topWords, without, type AttentionWeights } from '../../src/tasks/sentiment/explain.ts';
import type { TextClassifier, SentimentPrediction } from '../../src/tasks/sentiment/classifier.ts';
import { SentimentClassifier } from '../../src/tasks/sentiment/model.ts';
import { resolveConfig } from '../../src/tasks/sentiment/config.ts';
import { Vocabulary } from '../../src/text/vocabulary.ts';
import { Rng } from '../../src/util/rng.ts';

test('sentences: <br /> breaks, . ! ? ends, abbreviations and initials kept, offsets into the original text', () => {
  const text = 'Mr. Smith loved it! Did J. Lo act? Yes.<br /><br />The end... Truly dull e.g. slow scenes. no capital after this. Next one';
  const s = splitSentences(text);
  assert.deepEqual(s.map((x) => x.text), [
    'Mr. Smith loved it!', 'Did J. Lo act?', 'Yes.', 'The end...', 'Truly dull e.g. slow scenes.', 'no capital after this.', 'Next one',
  ]);
  for (const x of s) assert.equal(text.slice(x.start, x.end), x.text);
  assert.deepEqual(splitSentences('  no punctuation at all  ').map((x) => x.text), ['no punctuation at all']);
  assert.deepEqual(splitSentences('<br />\n  <br/>'), []);
  assert.deepEqual(splitSentences('"Great!" she said. (Really.) Then'), [
    { start: 0, end: 8, text: '"Great!"' }, { start: 9, end: 18, text: 'she said.' }, { start: 19, end: 28, text: '(Really.)' }, { start: 29, end: 33, text: 'Then' },
  ]);
});

test('words: letters/digits with inner apostrophes and hyphens; the br of a tag is not a word', () => {
  const text = "It isn't a so-so film.<br />Rated 10/10, br";
  assert.deepEqual(wordSpans(text).map((w) => w.text), ['It', "isn't", 'a', 'so-so', 'film', 'Rated', '10', '10', 'br']);
  for (const w of wordSpans(text)) assert.equal(text.slice(w.start, w.end), w.text);
  assert.equal(without('a good film', { start: 2, end: 6 }), 'a   film');
});

/** A model with a known answer: p(pos) = σ(#good − #bad), labels neg/pos; counts calls and batch sizes. */
function lexicon(): TextClassifier & { calls: number[] } {
  const calls: number[] = [];
  return {
    kind: 'ngram', labels: ['neg', 'pos'], calls,
    predict(texts: readonly string[]): SentimentPrediction[] {
      calls.push(texts.length);
      return texts.map((text) => {
        const n = (w: string) => (text.match(new RegExp(`\\b${w}\\b`, 'gi')) ?? []).length;
        const p = 1 / (1 + Math.exp(-(n('good') - n('bad'))));
        const k = p >= 0.5 ? 1 : 0;
        return { text, classIndex: k, label: k ? 'pos' : 'neg', stars: `${k + 1}/2`, probs: [1 - p, p], tokens: [], unknown: 0 };
      });
    },
  };
}
const sig = (x: number) => 1 / (1 + Math.exp(-x));

test('occlusion effects: each sentence and word measured exactly, signs right, batches bounded', () => {
  const m = lexicon();
  const text = 'A good film. Good good acting! A bad ending. The cast.';
  const r = explainReview(m, text, { batchSize: 3 });
  // full: 3 good − 1 bad = 2
  assert.deepEqual(r.probs, [1 - sig(2), sig(2)]);
  assert.equal(r.predicted, 1);
  assert.equal(r.stars, 2);
  assert.ok(Math.abs(r.expectedStars - (1 + sig(2))) < 1e-12);
  const eff = r.sentences.map((s) => +s.effect.toFixed(12));
  assert.deepEqual(eff, [sig(2) - sig(1), sig(2) - sig(0), sig(2) - sig(3), 0].map((x) => +x.toFixed(12)));
  assert.ok(Math.abs(r.sentences[1].probEffect - (sig(2) - sig(0))) < 1e-12);
  const good = r.words.filter((w) => w.text.toLowerCase() === 'good');
  assert.equal(good.length, 3);
  good.forEach((w) => assert.ok(Math.abs(w.effect - (sig(2) - sig(1))) < 1e-12));
  assert.ok(r.words.find((w) => w.text === 'bad')!.effect < 0);
  assert.ok(r.words.filter((w) => !['good', 'bad'].includes(w.text.toLowerCase())).every((w) => w.effect === 0));
  assert.equal(r.wordCount, 11);
  assert.equal(r.wordsMeasured, 11);
  assert.equal(r.predictions, 1 + 4 + 11);
  assert.ok(m.calls.every((c) => c <= 3));
  assert.equal(m.calls.reduce((a, b) => a + b, 0), r.predictions);
  assert.deepEqual(topWords(r.words, 4).map((w) => w.text), ['good', 'Good', 'good', 'bad']); // |+0.15| > |−0.07|, ties in text order
});

test('the word budget goes to the most influential sentences first; 0 = no words', () => {
  const m = lexicon();
  const text = 'plain words here. bad bad bad. good. more plain words.';
  const perWord = text.length + 1;
  const r = explainReview(m, text, { wordBudgetChars: 4 * perWord });
  assert.equal(r.wordsMeasured, 4);
  assert.equal(r.wordCount, 10);
  // "bad bad bad." moved the rating most, then "good.": their 4 words are the ones measured
  assert.deepEqual(r.words.map((w) => w.text), ['bad', 'bad', 'bad', 'good']);
  const none = explainReview(m, text, { wordBudgetChars: 0 });
  assert.equal(none.words.length, 0);
  assert.equal(none.predictions, 1 + 4);
  assert.throws(() => explainReview(m, '   '), /empty text/);
  assert.throws(() => explainReview(m, 'x', { batchSize: 0 }), /batch size/);
});

test('attention weights are passed through when the model has them', () => {
  const m = lexicon();
  const att: AttentionWeights = { tokens: ['a', 'good', 'film'], weights: [0.1, 0.8, 0.1] };
  const withAtt = Object.assign(m, { attention: (t: string) => (t === 'a good film' ? att : null) });
  assert.deepEqual(explainReview(withAtt, 'a good film').attention, att);
  assert.equal(explainReview(lexicon(), 'a good film').attention, undefined);
});

test('with the recurrent model: effects are E[stars] differences of its own predictions', () => {
  const vocab = Vocabulary.build([['a', 'good', 'bad', 'film', 'the', 'plot', '.']]);
  const model = new SentimentClassifier({ ...resolveConfig({ embeddingInit: 'random' }), embeddingDim: 6, hiddenSize: 5, numClasses: 5 }, vocab, ['0', '1', '2', '3', '4']);
  model.initialize(new Rng(2));
  const text = 'A good film. The plot was bad.<br /><br />Good.';
  const r = explainReview(model, text);
  const base = expectedStars(model.predict([text])[0].probs);
  assert.ok(Math.abs(r.expectedStars - base) < 1e-6);
  assert.equal(r.sentences.length, 3);
  r.sentences.forEach((s) => assert.ok(Math.abs(s.effect - (base - expectedStars(model.predict([without(text, s)])[0].probs))) < 1e-6));
  r.words.forEach((w) => assert.ok(Math.abs(w.effect - (base - expectedStars(model.predict([without(text, w)])[0].probs))) < 1e-6));
  assert.equal(r.wordsMeasured, 8);
});
