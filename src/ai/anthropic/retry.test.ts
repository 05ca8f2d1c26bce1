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
import { backoffMs, classify, retryAfterMs, StreamCutError } from './retry.js';
import { sleep } from '../agent/sleep.js';

const body = (type: string, message = 'm') => ({ type: 'error', error: { type, message } });

describe('retryAfterMs', () => {
  it('reads seconds, milliseconds and HTTP dates', () => {
    expect(retryAfterMs(new Headers({ 'retry-after': '2' }))).toBe(2000);
    expect(retryAfterMs(new Headers({ 'retry-after': '0.5' }))).toBe(500);
    expect(retryAfterMs(new Headers({ 'retry-after-ms': '250', 'retry-after': '9' }))).toBe(250);
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(retryAfterMs(new Headers({ 'retry-after': 'Thu, 01 Jan 2026 00:00:03 GMT' }), now)).toBe(
      3000,
    );
    expect(retryAfterMs(new Headers({ 'retry-after': 'soon' }))).toBeUndefined();
    expect(retryAfterMs(new Headers())).toBeUndefined();
    expect(retryAfterMs(undefined)).toBeUndefined();
  });
});

describe('backoffMs', () => {
  it('is full jitter under an exponentially growing, capped ceiling', () => {
    expect(backoffMs(0, 1000, 30_000, () => 0.999)).toBe(999);
    expect(backoffMs(3, 1000, 30_000, () => 0.5)).toBe(4000);
    expect(backoffMs(10, 1000, 30_000, () => 1)).toBe(30_000);
    expect(backoffMs(2, 1000, 30_000, () => 0)).toBe(0);
  });
});

describe('classify', () => {
  const headers = new Headers({ 'retry-after': '3' });
  it('retries rate limits, overload, server errors, cut streams and connection failures', () => {
    expect(classify(new RateLimitError(429, body('rate_limit_error'), undefined, headers))).toEqual(
      {
        kind: 'retry',
        reason: 'rate limit (429)',
        retryAfterMs: 3000,
      },
    );
    expect(
      classify(new OverloadedError(529, body('overloaded_error'), undefined, new Headers())),
    ).toEqual({
      kind: 'retry',
      reason: 'overloaded (529)',
    });
    expect(
      classify(new InternalServerError(500, body('api_error'), undefined, new Headers())).kind,
    ).toBe('retry');
    // An `event: error` inside a stream has no status.
    expect(
      classify(new APIError(undefined, body('overloaded_error'), undefined, undefined)).kind,
    ).toBe('retry');
    expect(classify(new StreamCutError('stream ended before message_stop')).kind).toBe('retry');
    expect(classify(new APIConnectionError({ message: 'x' })).kind).toBe('retry');
    expect(classify(new APIUserAbortError()).kind).toBe('retry');
    expect(classify(new TypeError('terminated')).kind).toBe('retry');
    expect(classify(Object.assign(new Error('x'), { code: 'ECONNRESET' })).kind).toBe('retry');
  });

  it('gives up on auth, permission and missing models; fails bad requests', () => {
    const auth = classify(
      new AuthenticationError(401, body('authentication_error'), undefined, new Headers()),
    );
    expect(auth.kind).toBe('unavailable');
    expect(
      classify(new PermissionDeniedError(403, body('permission_error'), undefined, new Headers()))
        .kind,
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
    expect(bad).toEqual({
      kind: 'fatal',
      message:
        'The Anthropic API refused the request (400 invalid_request_error: prompt is too long: [REDACTED]).',
    });
    expect(classify(new Error('bug')).kind).toBe('fatal');
  });
});

describe('sleep', () => {
  it('rejects with the abort reason as soon as the signal aborts', async () => {
    const controller = new AbortController();
    const started = performance.now();
    const pending = sleep(10_000, controller.signal);
    controller.abort(new Error('cancelled'));
    await expect(pending).rejects.toThrow('cancelled');
    expect(performance.now() - started).toBeLessThan(1000);
  });
});
