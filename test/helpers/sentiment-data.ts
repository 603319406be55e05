// The tiny synthetic 2-class sentiment dataset of the sentiment tests and the legacy one-hot fixture generator
// (test/fixtures/sentiment-onehot-legacy/make.ts, which also runs against old checkouts: depends on Rng only).
import { Rng } from '../../src/util/rng.ts';

export const POS = ['great', 'wonderful', 'superb', 'moving', 'fun', 'brilliant'];
export const NEG = ['awful', 'boring', 'dull', 'terrible', 'bad', 'tedious'];
export const FILL = ['the', 'movie', 'film', 'plot', 'was', 'is', 'a', 'really', 'and', 'acting'];

/** `n` TSV lines `label\ttext`: the label is whether the text's one sentiment word is positive (position varies). */
export function synth(n: number, seed: number): string[] {
  const r = new Rng(seed);
  const lines: string[] = [];
  for (let i = 0; i < n; i++) {
    const y = i % 2;
    const words = Array.from({ length: 2 + r.int(6) }, () => FILL[r.int(FILL.length)]);
    words.splice(r.int(words.length + 1), 0, (y ? POS : NEG)[r.int(6)]);
    lines.push(`${y}\t${words.join(' ')}`);
  }
  return lines;
}

/**
 * `n` IMDB-style JSON lines `{"id","rating","label","text"}` from `synth`: negative texts get ratings 1–4,
 * positive ones 7–10 (cycling), as in the IMDB labelled set (no 5 or 6).
 */
export function synthReviews(n: number, seed: number): string {
  return synth(n, seed).map((l, i) => {
    const [y, text] = l.split('\t');
    return JSON.stringify({ id: i, rating: y === '1' ? 7 + (i % 4) : 1 + (i % 4), label: y === '1' ? 'pos' : 'neg', text });
  }).join('\n') + '\n';
}
