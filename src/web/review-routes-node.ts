/**
 * The playground's whole-review routes (registered by server-node.ts):
 *   POST /api/review        {text, model?: 'sentence' | 'review'} → stars, probabilities, per-sentence effects and the
 *                           most influential words (src/tasks/sentiment/explain.ts), with the sentence model (SST) or
 *                           the review model (`wordloom serve --review-model`)
 *   GET  /api/model/review  the review model file's bytes (in-browser inference)
 * Limits (API_LIMITS): bodies ≤ 1 MiB (413), texts ≤ 100,000 characters and ≤ 5,000 words (413 naming the limit).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { API_LIMITS, type ReviewRequest, type ReviewResponse, type ReviewModelChoice } from './api-types.ts';
import type { Backends } from './backends.ts';
import type { TextClassifier } from '../tasks/sentiment/classifier.ts';
import { explainReview, topWords, wordSpans } from '../tasks/sentiment/explain.ts';
import { HttpError } from './server-node.ts';
import { NO_REVIEW_MODEL } from './resources-node.ts';

/** Words listed in `topWords`. */
export const REVIEW_TOP_WORDS = 20;

/** Refuse texts over the limits with 413 and a message naming the limit. */
export function checkReviewText(text: string): number {
  if (text.length > API_LIMITS.textChars) throw new HttpError(413, `the text has ${text.length.toLocaleString('en')} characters; at most ${API_LIMITS.textChars.toLocaleString('en')} are accepted`);
  if (text.trim() === '') throw new HttpError(400, 'the text is empty');
  const words = wordSpans(text).length;
  if (words > API_LIMITS.textTokens) throw new HttpError(413, `the text has ${words.toLocaleString('en')} words; at most ${API_LIMITS.textTokens.toLocaleString('en')} are accepted`);
  return words;
}

function pickModel(b: Backends, choice: ReviewModelChoice): { classifier: TextClassifier; info: Record<string, unknown> } {
  if (choice === 'review') {
    const r = b.review;
    if (!r || !r.ok) throw new HttpError(503, `review model not available: ${r && !r.ok ? r.reason : NO_REVIEW_MODEL}`);
    return { classifier: r.value.classifier, info: { kind: r.value.classifier.kind, source: r.info.source } };
  }
  const s = b.sentiment;
  if (!s.ok) throw new HttpError(503, `sentiment model not available: ${s.reason}`);
  if (!s.value.classifier) throw new HttpError(503, 'sentiment model not available: this server cannot rate whole reviews with it');
  return { classifier: s.value.classifier, info: { kind: s.value.classifier.kind, source: s.info.source } };
}

export function registerReviewRoutes(app: FastifyInstance, b: Backends): void {
  app.post('/api/review', {
    bodyLimit: API_LIMITS.reviewBodyBytes,
    schema: { body: { type: 'object', required: ['text'], additionalProperties: false, properties: { text: { type: 'string' }, model: { type: 'string', enum: ['sentence', 'review'] } } } },
  }, async (req: FastifyRequest<{ Body: ReviewRequest }>): Promise<ReviewResponse> => {
    const choice = req.body.model ?? (b.review?.ok ? 'review' : 'sentence');
    const { classifier, info } = pickModel(b, choice);
    checkReviewText(req.body.text);
    const t0 = performance.now();
    const e = explainReview(classifier, req.body.text);
    const r: ReviewResponse = {
      model: choice, modelInfo: info, labels: e.labels, probs: e.probs, predicted: e.predicted, stars: e.stars, expectedStars: e.expectedStars,
      sentences: e.sentences, topWords: topWords(e.words, REVIEW_TOP_WORDS), wordCount: e.wordCount, wordsMeasured: e.wordsMeasured,
      predictions: e.predictions, seconds: (performance.now() - t0) / 1000,
    };
    if (e.attention) r.attention = e.attention;
    return r;
  });

  app.get('/api/model/review', async (_req: FastifyRequest, reply: FastifyReply) => {
    const r = b.review;
    if (!r || !r.ok) throw new HttpError(503, `review model not available: ${r && !r.ok ? r.reason : NO_REVIEW_MODEL}`);
    const bytes = r.value.modelBytes;
    if (!bytes) throw new HttpError(503, 'review model not available: this server has no model file to send');
    return reply.type('application/octet-stream').header('cache-control', 'no-cache').send(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  });
}
