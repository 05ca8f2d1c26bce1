import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { signRequest } from '../../src/auth/signing.js';
import { AppError } from '../../src/errors.js';
import { SECRET, signedInject, startTestApp, type TestApp } from '../support/harness.js';

/** How often each fixture handler ran: a read-ahead handler runs before its admission ends. */
const runs = { read: 0, missing: 0, change: 0 };
const SECRET_DATA = 'only-for-admitted-requests';

function readAheadRoutes(app: FastifyInstance): void {
  const typed = app.withTypeProvider<ZodTypeProvider>();
  typed.get(
    '/v1/fixture/read-ahead',
    {
      config: { auth: 'app', readAhead: true },
      schema: { querystring: z.object({ userId: z.string(), page: z.coerce.number().optional() }) },
    },
    async () => {
      runs.read += 1;
      return { data: SECRET_DATA };
    },
  );
  typed.get(
    '/v1/fixture/read-ahead-missing',
    { config: { auth: 'app', readAhead: true } },
    async () => {
      runs.missing += 1;
      throw new AppError('NOT_FOUND', 'No such thing.');
    },
  );
  // Says it reads ahead but changes state: the method decides, the flag is ignored.
  typed.post('/v1/fixture/read-ahead-change', { config: { auth: 'app', readAhead: true } }, () => {
    runs.change += 1;
    return { changed: true };
  });
}

const USER_MAX = 5;

describe('signed reads that run beside their admission', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({
      routes: readAheadRoutes,
      env: { RATE_LIMIT_USER_MAX: String(USER_MAX), RATE_LIMIT_WINDOW_MS: '60000' },
    });
  });
  afterAll(() => t.close());

  const get = (url: string, headers: Record<string, string>, remoteAddress = '127.0.0.1') =>
    t.app.inject({ method: 'GET', url, headers, remoteAddress });
  const sign = (url: string) => signRequest({ secret: SECRET, method: 'GET', pathWithQuery: url });

  it('answers an admitted read with its data, limit headers and all', async () => {
    const res = await signedInject(t.app, {
      method: 'GET',
      url: '/v1/fixture/read-ahead?userId=ada',
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ data: SECRET_DATA });
    expect(res.headers['x-ratelimit-limit']).toBe(String(USER_MAX));
  });

  it('never lets a replayed read carry the data it read', async () => {
    const url = '/v1/fixture/read-ahead?userId=bea';
    const captured = sign(url);
    expect((await get(url, captured, '10.0.0.2')).statusCode).toBe(200);
    const before = runs.read;
    // From other addresses, so none is refused before its route runs: each reads ahead.
    for (let i = 0; i < 20; i++) {
      const res = await get(url, captured, `10.0.1.${i}`);
      expect(res.statusCode).toBe(401);
      expect(res.json().error.code).toBe('AUTH_REPLAYED');
      expect(res.body).not.toContain(SECRET_DATA);
    }
    // The reads did run: the refusal, not the order, kept the data in.
    expect(runs.read - before).toBe(20);
  });

  it("answers a replay with the refusal, not the route's own error or a validation error", async () => {
    const missing = '/v1/fixture/read-ahead-missing?userId=cy';
    const captured = sign(missing);
    expect((await get(missing, captured, '10.0.2.1')).json().error.code).toBe('NOT_FOUND');
    const replay = await get(missing, captured, '10.0.2.2');
    expect(replay.statusCode).toBe(401);
    expect(replay.json().error).toMatchObject({
      code: 'AUTH_REPLAYED',
      requestId: replay.headers['x-request-id'],
    });

    const invalid = '/v1/fixture/read-ahead?userId=cy&page=not-a-number';
    const signed = sign(invalid);
    expect((await get(invalid, signed, '10.0.2.3')).json().error.code).toBe('VALIDATION_FAILED');
    const again = await get(invalid, signed, '10.0.2.4');
    expect(again.statusCode).toBe(401);
    expect(again.json().error.code).toBe('AUTH_REPLAYED');
  });

  it('makes a client it refused wait for admission before its route runs again', async () => {
    const ip = '10.0.3.1';
    const url = '/v1/fixture/read-ahead?userId=dee';
    const statuses: number[] = [];
    for (let i = 0; i < USER_MAX; i++) statuses.push((await get(url, sign(url), ip)).statusCode);
    expect(statuses.every((s) => s === 200)).toBe(true);
    const first = await get(url, sign(url), ip);
    expect(first.statusCode).toBe(429);
    expect(Number(first.headers['retry-after'])).toBeGreaterThan(0);
    expect(first.body).not.toContain(SECRET_DATA);
    // Refused once in this window: from now on its reads wait, and a refused read costs nothing.
    const before = runs.read;
    for (let i = 0; i < 10; i++) {
      const res = await get(url, sign(url), ip);
      expect(res.statusCode).toBe(429);
      expect(res.json().error.code).toBe('RATE_LIMITED');
    }
    expect(runs.read).toBe(before);
    // Another client still reads ahead.
    const other = await get(
      '/v1/fixture/read-ahead?userId=eve',
      sign('/v1/fixture/read-ahead?userId=eve'),
      '10.0.3.2',
    );
    expect(other.statusCode).toBe(200);
    expect(runs.read).toBe(before + 1);
  });

  it('never runs a change before its admission, whatever the route says', async () => {
    const payload = JSON.stringify({ userId: 'fay' });
    const headers = {
      ...signRequest({
        secret: SECRET,
        method: 'POST',
        pathWithQuery: '/v1/fixture/read-ahead-change',
        body: payload,
      }),
      'content-type': 'application/json',
    };
    const post = (remoteAddress: string) =>
      t.app.inject({
        method: 'POST',
        url: '/v1/fixture/read-ahead-change',
        payload,
        headers,
        remoteAddress,
      });
    expect((await post('10.0.4.1')).statusCode).toBe(200);
    const before = runs.change;
    const replay = await post('10.0.4.2');
    expect(replay.statusCode).toBe(401);
    expect(runs.change).toBe(before);
  });

  it('reads a build ahead and still refuses its replay', async () => {
    const url = '/v1/builds/01JZZZZZZZZZZZZZZZZZZZZZZZ?userId=gus';
    const captured = sign(url);
    const first = await get(url, captured, '10.0.5.1');
    expect(first.json().error.code).toBe('NOT_FOUND');
    const replay = await get(url, captured, '10.0.5.2');
    expect(replay.statusCode).toBe(401);
    expect(replay.json().error.code).toBe('AUTH_REPLAYED');
  });
});
