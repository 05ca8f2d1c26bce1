import {
  APIConnectionError,
  APIError,
  AuthenticationError,
  BadRequestError,
  InternalServerError,
  NotFoundError,
  RateLimitError,
} from 'openai';
import { describe, expect, it } from 'vitest';
import { classifier, OpenAiRequestError } from './classify.js';

const classify = classifier('127.0.0.1:11434');
const redact = (text: string) => text.replaceAll('sk-secret-000', '[REDACTED]');
const body = (message: string) => ({ message });

describe('classifier', () => {
  it('retries 429 and 5xx, with the retry-after the server asks for', () => {
    const headers = new Headers({ 'retry-after-ms': '1500' });
    expect(
      classify(new RateLimitError(429, body('slow down'), undefined, headers), redact),
    ).toMatchObject({ kind: 'retry', reason: 'rate limit (429): slow down', retryAfterMs: 1500 });
    expect(
      classify(new InternalServerError(503, body('busy'), undefined, new Headers()), redact),
    ).toMatchObject({ kind: 'retry', reason: 'server error (503): busy' });
  });

  it('gives up on credentials without the server’s words, and on an unknown model', () => {
    const auth = classify(
      new AuthenticationError(401, body('bad key sk-secret-000'), undefined, new Headers()),
      redact,
    );
    expect(auth).toEqual({
      kind: 'unavailable',
      message:
        'The OpenAI-compatible server at 127.0.0.1:11434 refused the credentials (HTTP 401). Check OPENAI_API_KEY.',
    });
    expect(
      classify(new NotFoundError(404, body('no model'), undefined, new Headers()), redact)?.kind,
    ).toBe('unavailable');
    expect(
      classify(new APIError(402, body('no credits'), undefined, new Headers()), redact)?.kind,
    ).toBe('unavailable');
  });

  it('fails other 4xx with an OpenAiRequestError, secrets redacted', () => {
    const verdict = classify(
      new BadRequestError(400, body('bad max_tokens near sk-secret-000'), undefined, new Headers()),
      redact,
    );
    expect(verdict?.kind).toBe('fail');
    const error = verdict?.kind === 'fail' ? (verdict.error as OpenAiRequestError) : undefined;
    expect(error).toBeInstanceOf(OpenAiRequestError);
    expect(error?.status).toBe(400);
    expect(error?.message).toBe(
      'The OpenAI-compatible server at 127.0.0.1:11434 rejected the request (HTTP 400): bad max_tokens near [REDACTED]',
    );
  });

  it('leaves connections to the shared rules', () => {
    const refused = new APIConnectionError({
      cause: new TypeError('fetch failed', {
        cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }),
      }),
    });
    expect(classify(refused, redact)).toMatchObject({
      kind: 'unreachable',
      reason: 'connection refused',
    });
    expect(classify(new TypeError('terminated'), redact)).toBeUndefined();
  });
});
