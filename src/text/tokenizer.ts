/**
 * Tokenizer shared by every text path (sentiment, word2vec, GloVe), browser-safe.
 *
 * Choices (consistent with SST and GloVe's Stanford tokenization):
 * - Contractions are split PTB-style: `isn't` → `is` `n't`, `it's` → `it` `'s`, `we're` → `we` `'re`.
 * - `<br />` tags are removed; SST/PTB escapes are undone (`-LRB-` → `(`, `-RRB-` → `)`, `\/` → `/`, `\*` → `*`),
 *   and PTB quotes `` and '' become `"`.
 * - Words are runs of Unicode letters/marks/numbers, with inner `-`, `.`, `'` joins kept (`e-mail`, `u.s.`, `o'clock`).
 * - Punctuation marks are single tokens (dropped with `punctuation: false`, as the embedding trainers do).
 * - Optional lower-casing (default on).
 */

export interface TokenizerOptions {
  /** Lower-case every token (locale-independent). Default true. */
  lowercase?: boolean;
  /** Keep punctuation marks as tokens. Default true. */
  punctuation?: boolean;
  /** Split contractions PTB-style (`is n't`). Default true. */
  splitContractions?: boolean;
}

export const TOKENIZER_DEFAULTS: Required<TokenizerOptions> = {
  lowercase: true,
  punctuation: true,
  splitContractions: true,
};

const BR = /<br\s*\/?>/gi;
const PTB = /-LRB-|-RRB-|-LSB-|-RSB-|-LCB-|-RCB-|\\\/|\\\*|``|''/g;
const PTB_MAP: Record<string, string> = {
  '-LRB-': '(', '-RRB-': ')', '-LSB-': '[', '-RSB-': ']', '-LCB-': '{', '-RCB-': '}', '\\/': '/', '\\*': '*', '``': '"', "''": '"',
};
const NT = /([\p{L}\p{M}])n['’]t(?![\p{L}\p{M}\p{N}])/gu;
const CLITIC = /([\p{L}\p{M}\p{N}])['’](s|re|ve|ll|d|m)(?![\p{L}\p{M}\p{N}])/giu;
const TOKEN_PUNCT = /n't|'(?:s|re|ve|ll|d|m)(?![\p{L}\p{M}\p{N}])|[\p{L}\p{M}\p{N}]+(?:[-.'’][\p{L}\p{M}\p{N}]+)*|[^\s\p{L}\p{M}\p{N}]/giu;
const TOKEN_WORDS = /n't|'(?:s|re|ve|ll|d|m)(?![\p{L}\p{M}\p{N}])|[\p{L}\p{M}\p{N}]+(?:[-.'’][\p{L}\p{M}\p{N}]+)*/giu;

export class Tokenizer {
  readonly options: Required<TokenizerOptions>;

  constructor(options: TokenizerOptions = {}) {
    this.options = { ...TOKENIZER_DEFAULTS, ...options };
  }

  /** Split one text into tokens. */
  tokenize(text: string): string[] {
    const o = this.options;
    let t = text;
    if (t.includes('<')) t = t.replace(BR, ' ');
    if (t.includes('-') || t.includes('\\') || t.includes('`') || t.includes("''")) t = t.replace(PTB, (m) => PTB_MAP[m] ?? m);
    if (o.splitContractions && (t.includes("'") || t.includes('’'))) {
      t = t.replace(NT, "$1 n't").replace(CLITIC, (_m, a: string, b: string) => `${a} '${b}`);
    }
    if (o.lowercase) t = t.toLowerCase();
    const re = o.punctuation ? TOKEN_PUNCT : TOKEN_WORDS;
    const out = t.match(re);
    if (!out) return [];
    if (!o.splitContractions) return out;
    return out.map((w) => (w.charCodeAt(w.length - 1) === 0x2019 || w.includes('’') ? w.replace(/’/g, "'") : w));
  }

  toJSON(): Required<TokenizerOptions> {
    return { ...this.options };
  }
}

/** Tokenize with default options. */
export function tokenize(text: string, options?: TokenizerOptions): string[] {
  return new Tokenizer(options).tokenize(text);
}
