/**
 * Tokenizer shared by every text path (sentiment, word2vec, GloVe), browser-safe.
 *
 * Choices (consistent with the Stanford Sentiment Treebank's PTB tokens and GloVe's Stanford tokenization):
 * - Contractions are split PTB-style: `isn't` → `is` `n't`, `it's` → `it` `'s`, `we're` → `we` `'re`,
 *   `cannot` → `can` `not`.
 * - `<br />` tags are removed; SST/PTB escapes are undone (`-LRB-` → `(`, `-RRB-` → `)`, `\/` → `/`, `\*` → `*`);
 *   PTB quotes `` and '' and curly double quotes become `"`, curly single quotes `'`, `…` becomes `...`,
 *   `—` becomes `--`; the common HTML entities (`&amp;` `&quot;` `&#39;` `&lt;` `&gt;`) are decoded.
 * - Words are runs of Unicode letters/marks/numbers with inner joins kept: `-`, `'`, `/`, `.` (`e-mail`,
 *   `o'clock`, `writer/director`, `u.s`), and `,` between digit groups (`2,500`).
 * - A trailing period stays on acronyms (`u.s.`, `j.r.r.`), capitalised initials before a name (`J. Lo`) and
 *   common abbreviations (`Mr.`, `Ms.`, `Dr.`, `vs.`, `Jr.`, `etc.`), as in the PTB/SST tokens.
 * - Punctuation marks are single tokens, except runs that PTB keeps whole: `...`, `--`, `**`, `!!`, `?!`
 *   (all dropped with `punctuation: false`, as the embedding trainers do).
 * - Optional lower-casing (default on, locale-independent).
 *
 * On the SST training sentences (leaves joined by spaces) this reproduces the treebank's own
 * tokenization for ≥ 98% of the sentences (see test/text/tokenizer.test.ts).
 *
 * Reference: Socher et al. 2013 (SST, PTB tokenization); Penn Treebank tokenization conventions.
 */

export interface TokenizerOptions {
  /** Lower-case every token (locale-independent). Default true. */
  lowercase?: boolean;
  /** Keep punctuation marks as tokens. Default true. */
  punctuation?: boolean;
  /** Split contractions PTB-style (`is n't`, `can not`). Default true. */
  splitContractions?: boolean;
  /**
   * Split on whitespace only, nothing else (word2vec.c's rule, for corpora that are already tokenized); the
   * other options except `lowercase` are then ignored. Default false.
   */
  whitespace?: boolean;
}

export const TOKENIZER_DEFAULTS: Required<TokenizerOptions> = {
  lowercase: true,
  punctuation: true,
  splitContractions: true,
  whitespace: false,
};

const BR = /<br\s*\/?>/gi;
const PTB = /-LRB-|-RRB-|-LSB-|-RSB-|-LCB-|-RCB-|\\\/|\\\*|``|''|[“”‘’…—]|&(?:amp|quot|lt|gt|#39|apos);/g;
const PTB_MAP: Record<string, string> = {
  '-LRB-': '(', '-RRB-': ')', '-LSB-': '[', '-RSB-': ']', '-LCB-': '{', '-RCB-': '}', '\\/': '/', '\\*': '*', '``': '"', "''": '"',
  '“': '"', '”': '"', '‘': "'", '’': "'", '…': '...', '—': ' -- ',
  '&amp;': '&', '&quot;': '"', '&lt;': '<', '&gt;': '>', '&#39;': "'", '&apos;': "'",
};
// Characters that trigger the normalisation pass (cheap pre-check before running the PTB regex).
const NEEDS_NORM = /[-\\`'“”‘’…—&]/;

// Contractions (the text is normalised first, so only ASCII apostrophes remain).
const NT = /([\p{L}\p{M}])[nN]'[tT](?![\p{L}\p{M}\p{N}])/gu;
const CLITIC = /([\p{L}\p{M}\p{N}])'([sSdDmM]|[rR][eE]|[vV][eE]|[lL][lL])(?![\p{L}\p{M}\p{N}])/gu;
const CANNOT = /(?<![\p{L}\p{M}\p{N}])([cC][aA][nN])([nN][oO][tT])(?![\p{L}\p{M}\p{N}])/gu;

const W = '[\\p{L}\\p{M}\\p{N}]';
// A word: letters/numbers with inner joins (- ' / and . before a letter/number, , between digit groups).
// An inner period joins only numbers (`3.14`); between words it is a sentence end with a missing space
// (IMDB's `film.I`), so `film.i` never becomes one token. Acronyms with periods are the ACRONYM rule below.
const WORD = `${W}+(?:(?:[-'/]|(?<=\\p{N})\\.(?=\\p{N})|(?<=\\p{N}),(?=\\p{N}{3}))${W}+)*`;
// Words that keep a trailing period: acronyms (u.s.), initials before a capitalised word, abbreviations.
const ACRONYM = `(?:${W}\\.){2,}(?!\\.)`;
const INITIAL = `(?<![\\p{L}\\p{M}\\p{N}.])\\p{Lu}\\.(?=\\s+\\p{Lu})`;
const ABBREV = `(?<![\\p{L}\\p{M}\\p{N}.'])(?:[Mm]rs?|[Mm]s|[Dd]r|[Vv]s|[Jj]r|[Ss]r|[Ss]t|[Bb]ros|[Ii]nc|[Cc]o|[Ee]tc|[Ll]td|[Pp]rof|[Mm]t|[Vv]ol|[Nn]o(?=\\.\\s*\\p{N}))\\.(?!\\.)`;
const CLITIC_TOK = `[nN]'[tT](?![\\p{L}\\p{M}\\p{N}])|'(?:[sSdDmM]|[rR][eE]|[vV][eE]|[lL][lL])(?![\\p{L}\\p{M}\\p{N}])|'(?:\\p{N}0s|em|til)(?![\\p{L}\\p{M}\\p{N}])`;
const PUNCT_RUN = `\\.{2,}|-{2,}|\\*{2,}|[!?]{2,}|[^\\s\\p{L}\\p{M}\\p{N}]`;
const WORD_ALTS = `${CLITIC_TOK}|${ACRONYM}|${INITIAL}|${ABBREV}|${WORD}`;
const TOKEN_PUNCT = new RegExp(`${WORD_ALTS}|${PUNCT_RUN}`, 'gu');
const TOKEN_WORDS = new RegExp(WORD_ALTS, 'gu');
const WHITESPACE = /\s+/;

/** Splits text into tokens; one instance can be shared (it holds no per-call state). */
export class Tokenizer {
  readonly options: Required<TokenizerOptions>;

  constructor(options: TokenizerOptions = {}) {
    for (const k of Object.keys(options)) {
      if (!(k in TOKENIZER_DEFAULTS)) throw new TypeError(`Tokenizer: unknown option "${k}"`);
      const v = (options as Record<string, unknown>)[k];
      if (v !== undefined && typeof v !== 'boolean') throw new TypeError(`Tokenizer: option "${k}" must be a boolean`);
    }
    this.options = { ...TOKENIZER_DEFAULTS };
    for (const [k, v] of Object.entries(options)) if (v !== undefined) (this.options as Record<string, boolean>)[k] = v as boolean;
  }

  /** Normalise markup, PTB escapes and quotes (the first step of tokenize()). */
  normalize(text: string): string {
    let t = text;
    if (t.includes('<')) t = t.replace(BR, ' ');
    if (NEEDS_NORM.test(t)) t = t.replace(PTB, (m) => PTB_MAP[m] ?? m);
    return t;
  }

  /** Split one text into tokens (empty text → []). */
  tokenize(text: string): string[] {
    const o = this.options;
    if (o.whitespace) {
      const ws = text.split(WHITESPACE);
      const out: string[] = [];
      for (const w of ws) if (w !== '') out.push(o.lowercase ? w.toLowerCase() : w);
      return out;
    }
    let t = this.normalize(text);
    if (o.splitContractions) {
      if (t.includes("'")) t = t.replace(NT, "$1 n't").replace(CLITIC, "$1 '$2");
      if (t.includes('annot') || t.includes('ANNOT')) t = t.replace(CANNOT, '$1 $2');
    }
    const re = o.punctuation ? TOKEN_PUNCT : TOKEN_WORDS;
    const out = t.match(re);
    if (!out) return [];
    if (o.lowercase) for (let i = 0; i < out.length; i++) out[i] = out[i].toLowerCase();
    return out;
  }

  /** Options as plain JSON (round-trips through `new Tokenizer(json)`). */
  toJSON(): Required<TokenizerOptions> {
    return { ...this.options };
  }
}

const defaultTokenizers = new Map<string, Tokenizer>();

/** Tokenize with the given (or default) options; tokenizers are cached per option set. */
export function tokenize(text: string, options?: TokenizerOptions): string[] {
  const key = options ? `${options.lowercase ?? ''}|${options.punctuation ?? ''}|${options.splitContractions ?? ''}|${options.whitespace ?? ''}` : '';
  let t = defaultTokenizers.get(key);
  if (!t) { t = new Tokenizer(options); defaultTokenizers.set(key, t); }
  return t.tokenize(text);
}
