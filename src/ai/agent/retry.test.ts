import { describe, expect, it } from 'vitest';
import { closedPort } from '../../../test/support/closed-port.js';
import { EngineUnavailableError } from '../engine.js';
import {
  backoffMs,
  Retrier,
  retryAfterMs,
  secretRedactor,
  StreamCutError,
  type RetryNotice,
  type RetryPolicy,
  type Verdict,
} from './retry.js';
import { sleep } from './sleep.js';

const KEY = 'sk-' + 'test-0123456789abcdefghij';

/** An error the way an engine's classify would see it from a server that answered. */
class ServerAnswer extends Error {
  constructor(readonly verdict: Verdict) {
    super('server answered');
  }
}

function retrier(policy: Partial<RetryPolicy> = {}): Retrier {
  return new Retrier({
    engine: 'test',
    subject: 'The test server',
    unreachableHint: 'Check TEST_URL.',
    retries: 3,
    baseMs: 5,
    maxMs: 20,
    retryAfterMaxMs: 1000,
    secrets: [KEY],
    classify: (err) => (err instanceof ServerAnswer ? err.verdict : undefined),
    ...policy,
  });
}

/** Runs `failures` in turn, then succeeds; returns what happened. */
async function run(r: Retrier, failures: unknown[], signal = new AbortController().signal) {
  const notices: RetryNotice[] = [];
  let calls = 0;
  const result = await r
    .run(
      async () => {
        calls += 1;
        if (calls <= failures.length) throw failures[calls - 1];
        return 'ok';
      },
      { signal, onRetry: (n) => notices.push(n) },
    )
    .catch((err: unknown) => err);
  return { result, notices, calls };
}

const retry = (reason: string, retryAfterMs?: number): ServerAnswer =>
  new ServerAnswer({
    kind: 'retry',
    reason,
    ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
  });

describe('retryAfterMs', () => {
  it('reads milliseconds, seconds and HTTP dates', () => {
    expect(retryAfterMs(new Headers({ 'retry-after': '2' }))).toBe(2000);
    expect(retryAfterMs(new Headers({ 'retry-after': '0.5' }))).toBe(500);
    expect(retryAfterMs(new Headers({ 'retry-after-ms': '250', 'retry-after': '9' }))).toBe(250);
    expect(retryAfterMs(new Headers({ 'retry-after-ms': '', 'retry-after': '9' }))).toBe(9000);
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

describe('secretRedactor', () => {
  it('removes the key, and keys a server echoes back masked or in part', () => {
    const redact = secretRedactor([KEY]);
    expect(redact(`bad key ${KEY}`)).toBe('bad key [REDACTED]');
    expect(redact('Incorrect API key provided: sk-proj-********abcd.')).toBe(
      'Incorrect API key provided: [REDACTED]',
    );
    expect(redact('no secrets here')).toBe('no secrets here');
  });
});

describe('Retrier', () => {
  it('retries transient failures, honouring retry-after, and tells each wait', async () => {
    const { result, notices, calls } = await run(retrier(), [
      retry('rate limit (429)', 30),
      new StreamCutError('stream ended before message_stop'),
      new TypeError('terminated'),
    ]);
    expect(result).toBe('ok');
    expect(calls).toBe(4);
    expect(notices.map((n) => [n.reason, n.retry, n.retries])).toEqual([
      ['rate limit (429)', 1, 3],
      ['stream ended before message_stop', 2, 3],
      ['connection reset', 3, 3],
    ]);
    expect(notices[0]).toMatchObject({
      delayMs: 30,
      message: 'The test server: rate limit (429). Retrying in 0.0 s (retry 1 of 3).',
    });
    expect(notices[1]!.delayMs).toBeLessThanOrEqual(10);
  });

  it('gives up when retries are spent, naming the last error', async () => {
    const { result, calls } = await run(retrier({ retries: 1 }), [
      retry('server error (503)'),
      retry('server error (500)'),
    ]);
    expect(result).toBeInstanceOf(EngineUnavailableError);
    expect((result as EngineUnavailableError).engine).toBe('test');
    expect((result as Error).message).toBe(
      'The test server is unavailable after 2 attempts (last error: server error (500)).',
    );
    expect(calls).toBe(2);
  });

  it('gives up at once when retry-after asks for more than the cap', async () => {
    const { result, notices, calls } = await run(retrier(), [retry('rate limit (429)', 5000)]);
    expect((result as Error).message).toBe(
      'The test server asks to wait 5 s, longer than the 1 s the engine waits (rate limit (429)).',
    );
    expect(result).toBeInstanceOf(EngineUnavailableError);
    expect([calls, notices.length]).toEqual([1, 0]);
  });

  it('passes through failures of the request, and errors no rule knows, untouched', async () => {
    const refused = new Error('The server refused the request (400).');
    const failed = await run(retrier(), [new ServerAnswer({ kind: 'fail', error: refused })]);
    expect([failed.result, failed.calls]).toEqual([refused, 1]);
    const bug = new TypeError("Cannot read properties of undefined (reading 'x')");
    const unknown = await run(retrier(), [bug]);
    expect([unknown.result, unknown.calls]).toEqual([bug, 1]);
  });

  it('keeps secrets out of every message', async () => {
    const { result, notices } = await run(retrier({ retries: 1 }), [
      retry(`echoed ${KEY}`),
      new ServerAnswer({ kind: 'unavailable', message: `rejected sk-proj-****${KEY.slice(-4)}` }),
    ]);
    expect(notices[0]!.message).toContain('echoed [REDACTED]');
    expect((result as Error).message).toBe('rejected [REDACTED]');
    expect(JSON.stringify(notices)).not.toContain(KEY);
  });

  it('gives a refused connection two quick retries, then reports it unreachable', async () => {
    const url = `http://127.0.0.1:${await closedPort()}/`;
    const notices: RetryNotice[] = [];
    const started = performance.now();
    const error = await retrier({ baseMs: 60_000, maxMs: 60_000 })
      .run(() => fetch(url), {
        signal: new AbortController().signal,
        onRetry: (n) => notices.push(n),
      })
      .catch((err: unknown) => err);
    expect(error).toBeInstanceOf(EngineUnavailableError);
    expect((error as Error).message).toBe(
      'The test server is unreachable after 3 attempts (connection refused). Check TEST_URL.',
    );
    expect(notices.map((n) => [n.retry, n.retries, n.delayMs])).toEqual([
      [1, 2, 250],
      [2, 2, 500],
    ]);
    // The configured backoff (a minute here) never applies to a refused connection.
    expect(performance.now() - started).toBeLessThan(5000);
  });

  it('does not retry a refused connection when retries are off', async () => {
    const url = `http://127.0.0.1:${await closedPort()}/`;
    const error = await retrier({ retries: 0 })
      .run(() => fetch(url), { signal: new AbortController().signal })
      .catch((err: unknown) => err);
    expect((error as Error).message).toMatch(/unreachable after 1 attempt \(connection refused\)/);
  });

  it('stops waiting as soon as the call is aborted', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('cancelled')), 50);
    const started = performance.now();
    const { result, calls } = await run(
      retrier(),
      [retry('rate limit (429)', 900), retry('again')],
      controller.signal,
    );
    expect((result as Error).message).toBe('cancelled');
    expect(calls).toBe(1);
    expect(performance.now() - started).toBeLessThan(800);
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
