/**
 * The playground's JSON API: request/response shapes shared by the server (src/web/server-node.ts) and the page
 * (/web). Browser-safe (types and constants only).
 */

/** Limits the server enforces (also used by the page to cap its inputs). */
export const API_LIMITS = {
  /** Max request body in bytes. */
  bodyBytes: 16 * 1024,
  /** Max URL length (path + query) in characters. */
  urlChars: 2048,
  /** Max length of one word. */
  wordChars: 64,
  /** Max neighbours / results asked for. */
  maxK: 100,
  /** Max words in a map / doesn't-match / probe list. */
  maxWords: 200,
  /** Max body of /api/predict and /api/review in bytes (a whole review, JSON-escaped). */
  reviewBodyBytes: 1024 * 1024,
  /** Max text length in characters (/api/predict, /api/review): whole reviews (IMDB's longest is ~13,700). */
  textChars: 100_000,
  /** Max tokens of a text for /api/predict, max words for /api/review. */
  textTokens: 5_000,
  /**
   * Word-level occlusion in /api/predict re-runs the model once per explained token on the whole text: the first
   * max(1, min(n, ⌊occlusionSteps / n⌋)) tokens are explained (all of a text up to 200 tokens), later ones get 0.
   */
  occlusionSteps: 40_000,
} as const;

/** One part of the playground and whether the server can answer it. */
export interface Availability {
  available: boolean;
  /** Why not (when unavailable): shown by the page as "not available: <reason>". */
  reason?: string;
  /** Facts about the loaded resource (vocabulary size, dimension, model config, source file name). */
  info?: Record<string, unknown>;
}

export interface StatusResponse {
  words: Availability;
  sentiment: Availability;
  memory: Availability;
  training: Availability;
  glove: Availability;
  /** The whole-review model of the Reviews tab (`wordloom serve --review-model`). */
  review: Availability;
}

export interface ScoredWord { word: string; score: number }

export interface NeighborsResponse { word: string; neighbors: ScoredWord[] }

/** "a is to b as c is to ?" = b − a + c (paris : france :: tokyo : japan), 3CosAdd. */
export interface AnalogyRequest { a: string; b: string; c: string; k?: number }
export interface AnalogyResponse { a: string; b: string; c: string; results: ScoredWord[] }

export interface SimilarityResponse { a: string; b: string; cosine: number; euclidean: number }

export interface DoesntMatchRequest { words: string[] }
export interface DoesntMatchResponse { words: string[]; odd: string; /** cosine of each word to the mean of the others */ scores: ScoredWord[] }

/** Either explicit `words`, or the `k` nearest neighbours of `center` (plus the centre). */
export interface MapRequest { words?: string[]; center?: string; k?: number }
export interface MapPoint { word: string; x: number; y: number }
export interface MapResponse { method: 'pca'; points: MapPoint[]; explained: [number, number]; skipped: string[] }

export interface PredictRequest { text: string }
export interface TokenContribution {
  token: string;
  /** Whether the model knows the token (unknown tokens map to <unk>). */
  known: boolean;
  /** Change of the expected star rating when this token is removed (occlusion), sign flipped: >0 pushes up. */
  contribution: number;
}
export interface PredictResponse {
  text: string;
  labels: string[];
  probs: number[];
  /** Most likely class index (0-based) and its star count (1-based). */
  predicted: number;
  stars: number;
  /** Σ probs[i]·(i+1). */
  expectedStars: number;
  tokens: TokenContribution[];
  /** How many of the first tokens were explained by occlusion (the rest have contribution 0; see API_LIMITS.occlusionSteps). */
  explainedTokens: number;
}

/** Which model rates a whole review: the sentence model (SST, the Sentence tab's) or a model trained on reviews. */
export type ReviewModelChoice = 'sentence' | 'review';
export interface ReviewRequest { text: string; model?: ReviewModelChoice }
/** A sentence or word of the review with what dropping it did (offsets into the request's text). */
export interface ReviewSpan {
  start: number; end: number; text: string;
  /** E[stars | review] − E[stars | review without it]: > 0 raises the rating. */
  effect: number;
  /** p(predicted class | review) − p(that class | review without it). */
  probEffect: number;
}
export interface ReviewResponse {
  model: ReviewModelChoice;
  /** The model's kind ('rnn', 'ngram') and file name. */
  modelInfo: Record<string, unknown>;
  labels: string[];
  probs: number[];
  predicted: number;
  stars: number;
  expectedStars: number;
  sentences: ReviewSpan[];
  /** The most influential measured words, strongest first. */
  topWords: ReviewSpan[];
  /** Words in the review / words measured (a long review's word budget goes to its most influential sentences). */
  wordCount: number;
  wordsMeasured: number;
  /** Texts the model predicted for this answer, and the time it took. */
  predictions: number;
  seconds: number;
  attention?: { tokens: string[]; weights: number[] };
}

/** One line of the sweep plot: success (or another 0–1 measure) against sequence length for one cell. */
export interface SweepSeries { name: string; points: Array<{ length: number; value: number }> }
export interface MemorySweep {
  /** What the y axis is (e.g. "success rate"). */
  measure: string;
  /** Plain-language criterion (e.g. "test MSE < 1 % of Var(x₁)"). */
  criterion: string;
  series: SweepSeries[];
  /** Extra facts (seeds, hidden size, steps). */
  info: Record<string, unknown>;
}
/** Gate activations over time of one trained LSTM on one input sequence. */
export interface GateTraces {
  cell: string;
  /** Sequence length T and hidden size H. */
  T: number;
  H: number;
  /** The input sequence (length T), if recorded. */
  inputs?: number[];
  /** gate name → T × H activations, row t = time step t (names in the file's order, e.g. i, f, g, o, c, h). */
  gates: Record<string, number[][]>;
  info: Record<string, unknown>;
}
export interface MemoryResponse { sweep: MemorySweep; traces: GateTraces | null }

export interface TrainingPoint { step: number; [metric: string]: number }
export interface TrainingRun { name: string; kind: string; unit: string; points: TrainingPoint[] }
export interface TrainingLogsResponse { runs: TrainingRun[] }

export interface GloveRatiosRequest { probes: string[]; a?: string; b?: string }
export interface GloveRatioRow {
  k: string;
  /** P(k|a), P(k|b) and P(k|a)/P(k|b); null when k never occurs with b (ratio undefined). */
  pka: number; pkb: number; ratio: number | null;
  /** Raw co-occurrence counts X_ak, X_bk. */
  xak: number; xbk: number;
}
export interface GloveRatiosResponse { a: string; b: string; rows: GloveRatioRow[]; unknown: string[]; info: Record<string, unknown> }

export interface ErrorResponse { error: string; unknown?: string[] }
