// Tokenizer: PTB contractions, SST escapes, Unicode, markup, punctuation runs, agreement with SST's own tokens.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Tokenizer, tokenize, TOKENIZER_DEFAULTS } from '../../src/text/tokenizer.ts';
import { parseSstTree, unescapePtb } from '../../src/text/datasets.ts';

test('contractions are split PTB-style (SST tokens)', () => {
  assert.deepEqual(tokenize("I can't believe it's not butter"), ['i', 'ca', "n't", 'believe', 'it', "'s", 'not', 'butter']);
  assert.deepEqual(tokenize("don't they're we've I'd I'm you'll"), ['do', "n't", 'they', "'re", 'we', "'ve", 'i', "'d", 'i', "'m", 'you', "'ll"]);
  assert.deepEqual(tokenize('It cannot work'), ['it', 'can', 'not', 'work']);
  assert.deepEqual(tokenize('It’s curly and isn’t'), ['it', "'s", 'curly', 'and', 'is', "n't"]);
  assert.deepEqual(tokenize("isn't", { splitContractions: false }), ["isn't"]);
});

test('markup, PTB escapes, quotes and punctuation runs', () => {
  assert.deepEqual(tokenize('Great<br /><br />film -LRB- really -RRB- co-writer\\/director'), ['great', 'film', '(', 'really', ')', 'co-writer/director']);
  assert.deepEqual(tokenize("`` Conan '' “wow” … -- ... !!! ?!"), ['"', 'conan', '"', '"', 'wow', '"', '...', '--', '...', '!!!', '?!']);
  assert.deepEqual(tokenize('Mr. Smith vs. J. Lo in the U.S. on 9/11 for 2,500 dollars.'),
    ['mr.', 'smith', 'vs.', 'j.', 'lo', 'in', 'the', 'u.s.', 'on', '9/11', 'for', '2,500', 'dollars', '.']);
  assert.deepEqual(tokenize('R&amp;B &quot;hit&quot;'), ['r', '&', 'b', '"', 'hit', '"']);
});

test('Unicode letters and numbers, casing, empty text', () => {
  assert.deepEqual(tokenize('Écrit naïve 日本語 café ½'), ['écrit', 'naïve', '日本語', 'café', '½']);
  assert.deepEqual(tokenize('Hello World', { lowercase: false }), ['Hello', 'World']);
  assert.deepEqual(tokenize(''), []);
  assert.deepEqual(tokenize('   \n\t '), []);
  assert.deepEqual(tokenize('!!!', { punctuation: false }), []);
});

test('punctuation:false fast path keeps the same words, drops punctuation', () => {
  const s = "Well... it's a great, GREAT movie -- isn't it? (Yes!)";
  const withP = tokenize(s);
  const without = tokenize(s, { punctuation: false });
  assert.deepEqual(without, ['well', 'it', "'s", 'a', 'great', 'great', 'movie', 'is', "n't", 'it', 'yes']);
  assert.deepEqual(withP.filter((t) => /[\p{L}\p{N}]/u.test(t)), without);
});

test('options validate and round-trip through JSON', () => {
  const t = new Tokenizer({ lowercase: false });
  assert.deepEqual(new Tokenizer(JSON.parse(JSON.stringify(t))).options, { ...TOKENIZER_DEFAULTS, lowercase: false });
  assert.throws(() => new Tokenizer({ lowercas: true } as never), /unknown option/);
  assert.throws(() => new Tokenizer({ lowercase: 'yes' } as never), /boolean/);
});

test('reproduces the SST treebank tokenization for ≥ 98% of training sentences', () => {
  const lines = readFileSync('data/sst/trees/train.txt', 'utf8').split('\n').filter(Boolean);
  let same = 0;
  for (const l of lines) {
    const leaves = parseSstTree(l).leaves.map(unescapePtb).map((w) => (w === '``' || w === "''" ? '"' : w));
    if (tokenize(leaves.join(' ')).join(' ') === leaves.join(' ').toLowerCase().replace(/\u00a0/g, ' ')) same++;
  }
  assert.ok(same / lines.length >= 0.98, `agreement ${same}/${lines.length}`);
});

test('whitespace mode splits on whitespace only (word2vec.c rule), lower-casing if asked', () => {
  const text = "  Don't  <br />stop—now, U.S.\tcafé\u00a0ÉTÉ\n end ";
  assert.deepEqual(new Tokenizer({ whitespace: true }).tokenize(text), ["don't", '<br', '/>stop—now,', 'u.s.', 'café', 'été', 'end']);
  assert.deepEqual(new Tokenizer({ whitespace: true, lowercase: false }).tokenize(text), ["Don't", '<br', '/>stop—now,', 'U.S.', 'café', 'ÉTÉ', 'end']);
  assert.deepEqual(new Tokenizer({ whitespace: true }).tokenize('   '), []);
  assert.deepEqual(tokenize('A b', { whitespace: true }), ['a', 'b']);
  assert.notDeepEqual(tokenize("don't stop", { whitespace: true }), tokenize("don't stop"));
});
