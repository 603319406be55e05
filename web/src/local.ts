/**
 * In-browser inference for the Sentences and Reviews tabs: downloads the model file the server was started with
 * (GET /api/model/sentiment or /api/model/review, the model's bytes) once, and runs it in the page with the SAME code
 * Node uses: the model decoders (src/tasks/sentiment/model.ts, load.ts; on the WASM SIMD kernels when the browser has
 * them), the server's adapter (src/web/adapters.ts) and the explanations (src/web/explain.ts for one sentence's
 * words, src/tasks/sentiment/explain.ts for a whole review).
 */
import { API_LIMITS, type PredictResponse, type ReviewResponse, type ReviewModelChoice } from '../../src/web/api-types.ts';

type Predictor = import('../../src/web/explain.ts').Predictor;
type ExplainModule = typeof import('../../src/web/explain.ts');
let loading: Promise<{ predictor: Predictor; explain: ExplainModule['predictWithOcclusion']; count: ExplainModule['explainedTokenCount'] }> | null = null;

/** Whether this page can run the model itself (WebAssembly is needed by the kernels' fast path; reference JS works without). */
export function localPredictAvailable(): boolean {
  return typeof fetch === 'function';
}

async function load() {
  // Loaded on first use only (keeps the first paint small).
  const [{ SentimentClassifier }, { sentimentBackend }, { predictWithOcclusion, explainedTokenCount }] = await Promise.all([
    import('../../src/tasks/sentiment/model.ts'), import('../../src/web/adapters.ts'), import('../../src/web/explain.ts'),
  ]);
  const res = await fetch('api/model/sentiment');
  if (!res.ok) {
    let msg = `server answered ${res.status}`;
    try { msg = ((await res.json()) as { error?: string }).error ?? msg; } catch { /* not JSON */ }
    throw new Error(msg);
  }
  const bytes = new Uint8Array(await res.arrayBuffer());
  const { model } = SentimentClassifier.fromBytes(bytes, 'model from the server');
  return { predictor: sentimentBackend(model), explain: predictWithOcclusion, count: explainedTokenCount };
}

export async function localPredict(text: string): Promise<PredictResponse> {
  loading ??= load();
  try {
    const { predictor, explain, count } = await loading;
    if (text.length > API_LIMITS.textChars) throw new Error(`the text has ${text.length} characters; at most ${API_LIMITS.textChars} are accepted`);
    const n = predictor.tokenize(text).length;
    if (n === 0) throw new Error('the text has no words');
    if (n > API_LIMITS.textTokens) throw new Error(`the text has ${n} tokens; at most ${API_LIMITS.textTokens} are accepted`);
    return explain(predictor, text, count(n, API_LIMITS.occlusionSteps));
  } catch (e) {
    if (!(e instanceof Error && /^the text has/.test(e.message))) loading = null; // retry the download next time
    throw e;
  }
}

// ---- whole reviews (Reviews tab) ----
type ReviewModules = [typeof import('../../src/tasks/sentiment/load.ts'), typeof import('../../src/tasks/sentiment/explain.ts')];
const reviewModels = new Map<ReviewModelChoice, Promise<{ model: import('../../src/tasks/sentiment/classifier.ts').TextClassifier; mods: ReviewModules; source: string }>>();

async function loadReviewModel(choice: ReviewModelChoice) {
  const mods: ReviewModules = await Promise.all([import('../../src/tasks/sentiment/load.ts'), import('../../src/tasks/sentiment/explain.ts')]);
  const url = choice === 'review' ? 'api/model/review' : 'api/model/sentiment';
  const res = await fetch(url);
  if (!res.ok) {
    let msg = `server answered ${res.status}`;
    try { msg = ((await res.json()) as { error?: string }).error ?? msg; } catch { /* not JSON */ }
    throw new Error(msg);
  }
  const model = mods[0].textClassifierFromBytes(new Uint8Array(await res.arrayBuffer()), `${choice} model from the server`);
  return { model, mods, source: 'downloaded' };
}

/** Rate and explain a whole review in this page (same code and limits as POST /api/review). */
export async function localReview(text: string, choice: ReviewModelChoice): Promise<ReviewResponse> {
  if (!reviewModels.has(choice)) reviewModels.set(choice, loadReviewModel(choice));
  let loaded;
  try { loaded = await reviewModels.get(choice)!; } catch (e) { reviewModels.delete(choice); throw e; }
  const { model, mods: [, ex] } = loaded;
  if (text.length > API_LIMITS.textChars) throw new Error(`the text has ${text.length} characters; at most ${API_LIMITS.textChars} are accepted`);
  if (text.trim() === '') throw new Error('the text is empty');
  const words = ex.wordSpans(text).length;
  if (words > API_LIMITS.textTokens) throw new Error(`the text has ${words} words; at most ${API_LIMITS.textTokens} are accepted`);
  const t0 = performance.now();
  const e = ex.explainReview(model, text);
  return {
    model: choice, modelInfo: { kind: model.kind, source: 'in this browser' }, labels: e.labels, probs: e.probs, predicted: e.predicted, stars: e.stars,
    expectedStars: e.expectedStars, sentences: e.sentences, topWords: ex.topWords(e.words, 20), wordCount: e.wordCount, wordsMeasured: e.wordsMeasured,
    predictions: e.predictions, seconds: (performance.now() - t0) / 1000, ...(e.attention ? { attention: e.attention } : {}),
  };
}
