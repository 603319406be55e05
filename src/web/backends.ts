/**
 * What the playground server needs from the trained artefacts, as small interfaces. `resources-node.ts` builds them
 * from the real libraries (WordVectors, the sentiment model, the memory experiment's files, the GloVe counts);
 * tests build them from small fixtures the same way. Browser-safe (types only + a helper).
 */
import type { ScoredWord, GloveRatioRow, TrainingRun, MemorySweep, GateTraces } from './api-types.ts';
import type { TextClassifier } from '../tasks/sentiment/classifier.ts';

/** A loaded resource, or why it is not there. */
export type Loaded<T> =
  | { ok: true; value: T; info: Record<string, unknown> }
  | { ok: false; reason: string };

export function unavailable<T>(reason: string): Loaded<T> {
  return { ok: false, reason };
}

export interface WordsBackend {
  has(word: string): boolean;
  /** Normalise a query word the way the vocabulary was built (e.g. lower-case). */
  normalize(word: string): string;
  neighbors(word: string, k: number): ScoredWord[];
  /** "a is to b as c is to ?" (b − a + c), excluding a, b, c. */
  analogy(a: string, b: string, c: string, k: number): ScoredWord[];
  similarity(a: string, b: string): { cosine: number; euclidean: number };
  doesntMatch(words: string[]): { odd: string; scores: ScoredWord[] };
  /** A copy of the (raw) vector of a known word. */
  vector(word: string): Float32Array;
  dim: number;
}

export interface SentimentBackend {
  /** The model file's bytes (served to the page for in-browser inference), if available. */
  modelBytes?: Uint8Array;
  labels: string[];
  tokenize(text: string): string[];
  isKnown(token: string): boolean;
  /** Class probabilities for each token sequence (a sequence may be empty). */
  predictBatch(tokenLists: string[][]): number[][];
  /** The model as a text classifier (whole-review explanations with the sentence model). */
  classifier?: TextClassifier;
}

/** A model trained on whole reviews (any TextClassifier kind). */
export interface ReviewBackend {
  classifier: TextClassifier;
  /** The model file's bytes (for in-browser inference), if available. */
  modelBytes?: Uint8Array;
}

export interface MemoryBackend { sweep: MemorySweep; traces: GateTraces | null }

export interface TrainingBackend { runs(): TrainingRun[] }

export interface GloveBackend {
  /** Words i whose co-occurrence rows were counted (only these can be a or b). */
  probes: string[];
  isProbe(word: string): boolean;
  normalize(word: string): string;
  /** Is k a known context word? */
  has(word: string): boolean;
  ratios(a: string, b: string, probes: string[]): GloveRatioRow[];
}

export interface Backends {
  words: Loaded<WordsBackend>;
  sentiment: Loaded<SentimentBackend>;
  memory: Loaded<MemoryBackend>;
  training: Loaded<TrainingBackend>;
  glove: Loaded<GloveBackend>;
  /** Optional: without it the Reviews tab offers the sentence model only. */
  review?: Loaded<ReviewBackend>;
}
