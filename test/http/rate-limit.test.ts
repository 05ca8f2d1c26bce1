import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  signedInject,
  signedInjectOptions,
  startTestApp,
  type TestApp,
} from '../support/harness.js';
import { fixtureRoutes } from '../support/fixture-routes.js';

const body = (userId: string) => ({ userId, project: { name: 'n', pages: 1 } });

describe('rate limits', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({
      routes: fixtureRoutes,
      env: { RATE_LIMIT_USER_MAX: '5', RATE_LIMIT_IP_MAX: '40', RATE_LIMIT_WINDOW_MS: '60000' },
    });
  });
  afterAll(() => t.close());

  it('limits each user separately and answers 429 with Retry-After', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) {
      const res = await signedInject(t.app, {
        method: 'POST',
        url: '/v1/fixture/echo',
        body: body('alice'),
      });
      statuses.push(res.statusCode);
      if (res.statusCode === 429) {
        expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
        expect(res.json().error).toMatchObject({
          code: 'RATE_LIMITED',
          hint: expect.stringContaining('Retry-After'),
        });
      }
    }
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429, 429]);

    // Same IP, another user: not affected by alice's burst.
    const bob = await signedInject(t.app, {
      method: 'POST',
      url: '/v1/fixture/echo',
      body: body('bob'),
    });
    expect(bob.statusCode).toBe(200);
    // The user id in a query counts as the same user.
    const aliceQuery = await signedInject(t.app, {
      method: 'GET',
      url: '/v1/fixture/items?userId=alice',
    });
    expect(aliceQuery.statusCode).toBe(429);
  });

  it('does not let unsigned requests spend a user allowance', async () => {
    for (let i = 0; i < 10; i++) {
      const res = await t.app.inject({
        method: 'POST',
        url: '/v1/fixture/echo',
        payload: body('carol'),
      });
      expect(res.statusCode).toBe(401);
    }
    const carol = await signedInject(t.app, {
      method: 'POST',
      url: '/v1/fixture/echo',
      body: body('carol'),
    });
    expect(carol.statusCode).toBe(200);
  });

  it('limits each IP across users', async () => {
    let limited = 0;
    for (let i = 0; i < 45; i++) {
      const res = await t.app.inject({ method: 'GET', url: '/nope', remoteAddress: '203.0.113.9' });
      if (res.statusCode === 429) limited++;
    }
    expect(limited).toBe(5);
    const other = await t.app.inject({
      method: 'GET',
      url: '/nope',
      remoteAddress: '203.0.113.10',
    });
    expect(other.statusCode).toBe(404);
  });

  it('counts signed reads against their IP, and refuses them over it whatever the signature', async () => {
    const remoteAddress = '203.0.113.20';
    const read = (userId: string, secret?: string) =>
      t.app.inject({
        ...signedInjectOptions({
          method: 'GET',
          url: `/v1/fixture/items?userId=${userId}`,
          ...(secret ? { secret } : {}),
        }),
        remoteAddress,
      });
    const statuses: number[] = [];
    // 40 reads from one address, each for another user (so no user limit is near).
    for (let i = 0; i < 40; i++) statuses.push((await read(`ip-user-${i}`)).statusCode);
    expect(statuses.every((s) => s === 200)).toBe(true);
    const over = await read('ip-user-x');
    expect(over.statusCode).toBe(429);
    expect(over.json().error.code).toBe('RATE_LIMITED');
    // A bad signature from the same address is refused as rate-limited too, not examined.
    const forged = await read('ip-user-y', 'not-the-secret');
    expect(forged.statusCode).toBe(429);
    // Another address is not affected.
    const elsewhere = await t.app.inject({
      ...signedInjectOptions({ method: 'GET', url: '/v1/fixture/items?userId=ip-user-x' }),
      remoteAddress: '203.0.113.21',
    });
    expect(elsewhere.statusCode).toBe(200);
  });
});

describe('rate limits on reads answered before their signature check', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ routes: fixtureRoutes, env: { RATE_LIMIT_IP_MAX: '5' } });
  });
  afterAll(() => t.close());

  it('still counts them against the IP', async () => {
    const remoteAddress = '203.0.113.40';
    // A preview host is answered by the site hook, whatever the path: no signature check.
    const siteHost = `build-${'0'.repeat(26)}.localhost`;
    for (let i = 0; i < 5; i++) {
      const res = await t.app.inject({
        method: 'GET',
        url: '/v1/fixture/items?userId=u',
        headers: { host: siteHost },
        remoteAddress,
      });
      expect(res.statusCode).toBe(404);
    }
    const next = await t.app.inject({
      ...signedInjectOptions({ method: 'GET', url: '/v1/fixture/items?userId=u' }),
      remoteAddress,
    });
    expect(next.statusCode).toBe(429);
  });
});
