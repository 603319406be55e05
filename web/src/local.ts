/**
 * In-browser inference for the Reviews tab: downloads the sentiment model file the server was started with
 * (GET /api/model/sentiment, the model's bytes) once, and runs it in the page with the SAME code Node uses:
 * SentimentClassifier.fromBytes (src/tasks/sentiment/model.ts, on the WASM SIMD kernels when the browser has them),
 * the server's adapter (src/web/adapters.ts) and the occlusion explanation (src/web/explain.ts).
 */
import { API_LIMITS, type PredictResponse } from '../../src/web/api-types.ts';

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
