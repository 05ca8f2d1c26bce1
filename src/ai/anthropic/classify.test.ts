import {
  APIConnectionError,
  APIError,
  APIUserAbortError,
  AuthenticationError,
  InternalServerError,
  OverloadedError,
  PermissionDeniedError,
  RateLimitError,
} from '@anthropic-ai/sdk';
import { describe, expect, it } from 'vitest';
import { classify } from './classify.js';

const body = (type: string, message = 'm') => ({ type: 'error', error: { type, message } });

describe('classify', () => {
  const headers = new Headers({ 'retry-after': '3' });
  it('retries rate limits, overload, server errors and connection failures', () => {
    expect(
      classify(new RateLimitError(429, body('rate_limit_error'), undefined, headers)),
    ).toMatchObject({ kind: 'retry', reason: 'rate limit (429)', retryAfterMs: 3000 });
    const overloaded = classify(
      new OverloadedError(529, body('overloaded_error'), undefined, new Headers()),
    );
    expect(overloaded).toMatchObject({ kind: 'retry', reason: 'overloaded (529)' });
    expect(overloaded).not.toHaveProperty('retryAfterMs');
    expect(
      classify(new InternalServerError(500, body('api_error'), undefined, new Headers())),
    ).toMatchObject({ kind: 'retry', reason: 'server error (500)' });
    // An `event: error` inside a stream has no status.
    expect(
      classify(new APIError(undefined, body('overloaded_error'), undefined, undefined)),
    ).toMatchObject({ kind: 'retry', reason: 'overloaded (overloaded_error in the stream)' });
    expect(classify(new APIConnectionError({ message: 'x' }))?.kind).toBe('retry');
    expect(classify(new APIUserAbortError())?.kind).toBe('retry');
  });

  it('gives up on auth and permission; fails bad requests, with secrets redacted', () => {
    const auth = classify(
      new AuthenticationError(401, body('authentication_error'), undefined, new Headers()),
    );
    expect(auth?.kind).toBe('unavailable');
    expect(
      classify(new PermissionDeniedError(403, body('permission_error'), undefined, new Headers()))
        ?.kind,
    ).toBe('unavailable');
    const bad = classify(
      new APIError(
        400,
        body('invalid_request_error', 'prompt is too long: sk-ant-secret1'),
        undefined,
        new Headers(),
      ),
      (t) => t.replaceAll('sk-ant-secret1', '[REDACTED]'),
    );
    expect(bad?.kind).toBe('fail');
    expect(bad?.kind === 'fail' && (bad.error as Error).message).toBe(
      'The Anthropic API refused the request (400 invalid_request_error: prompt is too long: [REDACTED]).',
    );
  });

  it('leaves errors that are not the SDK’s to the shared rules', () => {
    expect(classify(new TypeError('terminated'))).toBeUndefined();
    expect(classify(new Error('bug'))).toBeUndefined();
  });
});
