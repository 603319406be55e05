/**
 * GloVe options: one typed interface with JSDoc, the DEFAULTS (the GloVe tool's demo.sh settings
 * where they exist), and validation that names the CLI flag of a bad value. Browser-safe.
 *
 * Reference: J. Pennington, R. Socher, C. D. Manning, "GloVe: Global Vectors for Word Representation",
 * EMNLP 2014; the GloVe tool (vocab_count.c, cooccur.c, shuffle.c, glove.c).
 */
import { WordloomError } from '../../util/errors.ts';

export interface GloveOptions {
  /** Word-vector dimension (`--vector-size`). Default 100. */
  vectorSize?: number;
  /** Context words on each side (`--window-size`). Default 10. */
  windowSize?: number;
  /** Count left and right context (true) or left context only (`--symmetric 0`). Default true. */
  symmetric?: boolean;
  /** Weight a pair at distance d by 1/d (true) or by 1 (`--distance-weighting 0`). Default true. */
  distanceWeighting?: boolean;
  /** Drop words seen fewer times (`--min-count`). Default 5. */
  minCount?: number;
  /** Keep at most this many words, most frequent first (`--max-vocab`, 0 = all). Default 0. */
  maxVocab?: number;
  /** Memory budget in GB for counting and shuffling (`--memory`; fractions allowed). Default 4. */
  memory?: number;
  /** Cutoff of the weighting function f (`--x-max`). Default 100. */
  xMax?: number;
  /** Exponent of the weighting function f (`--alpha`). Default 0.75. */
  alpha?: number;
  /** AdaGrad initial learning rate (`--eta`). Default 0.05. */
  eta?: number;
  /** Training passes over the shuffled co-occurrences (`--iter`). Default 25. */
  iter?: number;
  /** Worker threads for Hogwild training (`--threads`). Default 1. */
  threads?: number;
  /** Output W + W̃ (2, the tool's default), W alone (1) or W̃ alone (3) (`--model`). Default 2. */
  model?: 1 | 2 | 3;
  /** Random seed (`--seed`). Default 1. */
  seed?: number;
}

export const GLOVE_DEFAULTS: Required<GloveOptions> = {
  vectorSize: 100,
  windowSize: 10,
  symmetric: true,
  distanceWeighting: true,
  minCount: 5,
  maxVocab: 0,
  memory: 4,
  xMax: 100,
  alpha: 0.75,
  eta: 0.05,
  iter: 25,
  threads: 1,
  model: 2,
  seed: 1,
};

/** The CLI flag of each option (for error messages). */
export const GLOVE_FLAGS: Record<keyof GloveOptions, string> = {
  vectorSize: '--vector-size', windowSize: '--window-size', symmetric: '--symmetric', distanceWeighting: '--distance-weighting',
  minCount: '--min-count', maxVocab: '--max-vocab', memory: '--memory', xMax: '--x-max', alpha: '--alpha', eta: '--eta',
  iter: '--iter', threads: '--threads', model: '--model', seed: '--seed',
};

function int(v: unknown, min: number, max: number, key: keyof GloveOptions): void {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    throw new WordloomError(`expected an integer in [${min}, ${max}], got ${String(v)}`, { flag: GLOVE_FLAGS[key] });
  }
}
function num(v: unknown, minExclusive: number, max: number, key: keyof GloveOptions): void {
  if (typeof v !== 'number' || !Number.isFinite(v) || v <= minExclusive || v > max) {
    throw new WordloomError(`expected a number in (${minExclusive}, ${max}], got ${String(v)}`, { flag: GLOVE_FLAGS[key] });
  }
}

/** Merge with the defaults and validate (throws a WordloomError naming the flag). */
export function resolveGloveOptions(options: GloveOptions = {}): Required<GloveOptions> {
  for (const k of Object.keys(options)) {
    if (!(k in GLOVE_DEFAULTS)) throw new WordloomError(`unknown GloVe option "${k}"`);
  }
  const o = { ...GLOVE_DEFAULTS, ...Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) } as Required<GloveOptions>;
  int(o.vectorSize, 1, 10000, 'vectorSize');
  int(o.windowSize, 1, 1000, 'windowSize');
  if (typeof o.symmetric !== 'boolean') throw new WordloomError('expected 0 or 1', { flag: GLOVE_FLAGS.symmetric });
  if (typeof o.distanceWeighting !== 'boolean') throw new WordloomError('expected 0 or 1', { flag: GLOVE_FLAGS.distanceWeighting });
  int(o.minCount, 1, Number.MAX_SAFE_INTEGER, 'minCount');
  int(o.maxVocab, 0, 1 << 30, 'maxVocab');
  num(o.memory, 0, 1024, 'memory');
  num(o.xMax, 0, Number.MAX_VALUE, 'xMax');
  num(o.alpha, 0, 100, 'alpha');
  num(o.eta, 0, 100, 'eta');
  int(o.iter, 1, 1_000_000, 'iter'); // 0 iterations would write the random initial vectors
  int(o.threads, 1, 256, 'threads');
  if (o.model !== 1 && o.model !== 2 && o.model !== 3) throw new WordloomError(`expected 1, 2 or 3, got ${String(o.model)}`, { flag: GLOVE_FLAGS.model });
  int(o.seed, 0, 0xffffffff, 'seed');
  return o;
}

/** Options a resumed run may change: more (or the same) iterations, threads, and which vectors it writes. */
export const GLOVE_RESUME_MAY_CHANGE: readonly (keyof GloveOptions)[] = ['iter', 'threads', 'model'];

/**
 * The options of a resumed run: the checkpoint's (`saved`), with the given ones on top. A given option that
 * shapes the co-occurrences or the training (window, weighting, vocabulary, x-max, alpha, eta, memory, seed,
 * vector size) and differs from the checkpoint is refused, naming its flag — it would silently continue a
 * different model. `given` holds only what the user set (undefined = not given).
 */
export function resumeGloveOptions(given: GloveOptions, saved: Record<string, unknown>, file: string): GloveOptions {
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(GLOVE_DEFAULTS) as (keyof GloveOptions)[]) {
    if (k !== 'threads' && saved[k] !== undefined && saved[k] !== null) out[k] = saved[k];
    const v = given[k];
    if (v === undefined) continue;
    if (!GLOVE_RESUME_MAY_CHANGE.includes(k) && out[k] !== undefined && out[k] !== v) {
      throw new WordloomError(`${String(v)} contradicts the checkpoint, which was trained with ${GLOVE_FLAGS[k]} ${String(out[k])} ` +
        '(leave the flag out to continue, or start over without --resume)', { file, flag: GLOVE_FLAGS[k] });
    }
    out[k] = v;
  }
  return out as GloveOptions;
}
