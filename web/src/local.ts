/**
 * In-browser inference for the Reviews tab: downloads the sentiment model file the server was started with
 * (GET /api/model/sentiment, bytes) and runs it with the same browser-safe code Node uses
 * (src/tasks/sentiment model loading + src/web/explain.ts occlusion).
 */
import type { PredictResponse } from '../../src/web/api-types.ts';

/** Whether this build of the page can run the sentiment model itself. */
export function localPredictAvailable(): boolean {
  return false;
}

export async function localPredict(_text: string): Promise<PredictResponse> {
  throw new Error('not available: in-browser inference is not wired in this build');
}
