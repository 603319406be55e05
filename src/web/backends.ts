/**
 * What the playground server needs from the trained artefacts, as small interfaces. `resources-node.ts` builds them
 * from the real libraries (WordVectors, the sentiment model, the memory experiment's files, the GloVe counts);
 * tests build them from small fixtures the same way. Browser-safe (types only + a helper).
 */
import type { ScoredWord, GloveRatioRow, TrainingRun, MemorySweep, GateTraces } from './api-types.ts';

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
  labels: string[];
  tokenize(text: string): string[];
  isKnown(token: string): boolean;
  /** Class probabilities for a token sequence (may be empty). */
  predictTokens(tokens: string[]): number[];
}

export interface MemoryBackend { sweep: MemorySweep; traces: GateTraces | null }

export interface TrainingBackend { runs(): TrainingRun[] }

export interface GloveBackend {
  normalize(word: string): string;
  has(word: string): boolean;
  ratios(a: string, b: string, probes: string[]): GloveRatioRow[];
}

export interface Backends {
  words: Loaded<WordsBackend>;
  sentiment: Loaded<SentimentBackend>;
  memory: Loaded<MemoryBackend>;
  training: Loaded<TrainingBackend>;
  glove: Loaded<GloveBackend>;
}
