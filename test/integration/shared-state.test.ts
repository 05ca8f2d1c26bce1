import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signRequest } from '../../src/auth/signing.js';
import {
  ADMIN_SECRET,
  latestSchemaVersion,
  SECRET,
  signedInject,
  startTestApp,
  type TestApp,
} from '../support/harness.js';
import { fixtureRoutes } from '../support/fixture-routes.js';
import { freshPostgresSchema, REDIS_URL, servicesUp, uniquePrefix } from '../support/services.js';

const body = JSON.stringify({ userId: 'dora', project: { name: 'n', pages: 1 } });

describe.skipIf(!servicesUp)('two API processes on PostgreSQL + Redis', () => {
  let schema: Awaited<ReturnType<typeof freshPostgresSchema>>;
  let a: TestApp;
  let b: TestApp;

  beforeAll(async () => {
    schema = await freshPostgresSchema();
    const env = {
      DATABASE_URL: schema.url,
      REDIS_URL,
      REDIS_KEY_PREFIX: uniquePrefix(),
      RATE_LIMIT_USER_MAX: '4',
      RATE_LIMIT_IP_MAX: '1000',
    };
    a = await startTestApp({ env, routes: fixtureRoutes });
    b = await startTestApp({ env, routes: fixtureRoutes });
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await schema?.drop();
  });

  const send = (t: TestApp, headers: Record<string, string>) =>
    t.app.inject({
      method: 'POST',
      url: '/v1/fixture/echo',
      payload: body,
      headers: { 'content-type': 'application/json', ...headers },
    });

  it('reject a request replayed against another process', async () => {
    const headers = signRequest({
      secret: SECRET,
      method: 'POST',
      pathWithQuery: '/v1/fixture/echo',
      body,
    });
    const first = await send(a, headers);
    expect(first.statusCode).toBe(200);
    const replays = await Promise.all(
      Array.from({ length: 50 }, (_, i) => send(i % 2 ? a : b, headers)),
    );
    expect(replays.map((r) => r.statusCode)).toEqual(Array(50).fill(401));
    expect(new Set(replays.map((r) => r.json().error.code))).toEqual(new Set(['AUTH_REPLAYED']));
  });

  it('share one per-user rate limit across processes', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) {
      const t = i % 2 ? a : b;
      const res = await signedInject(t.app, {
        method: 'POST',
        url: '/v1/fixture/echo',
        body: { userId: 'erin', project: { name: 'n', pages: 1 } },
      });
      statuses.push(res.statusCode);
    }
    expect(statuses).toEqual([200, 200, 200, 200, 429, 429]);
  });

  it('report PostgreSQL and Redis in system health', async () => {
    const res = await signedInject(a.app, {
      method: 'GET',
      url: '/v1/admin/system-health',
      secret: ADMIN_SECRET,
    });
    expect(res.statusCode).toBe(200);
    const checks = Object.fromEntries(
      (res.json().checks as Array<{ name: string; status: string; detail?: unknown }>).map((c) => [
        c.name,
        c,
      ]),
    );
    expect(checks.database).toMatchObject({
      status: 'ok',
      detail: { kind: 'postgres', schemaVersion: await latestSchemaVersion() },
    });
    expect(checks.redis).toMatchObject({ status: 'ok' });
  });
});
