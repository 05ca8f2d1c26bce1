import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedInject, startTestApp, type TestApp } from '../support/harness.js';
import { hostileCreateBodies, sendCreate } from '../support/hostile-input.js';
import { freshPostgresSchema, servicesUp } from '../support/services.js';

const CREATE_ROUTES = ['/v1/create-preview-for-new-project', '/build-preview-for-new-project'];

/**
 * The same guarantee as on PGlite, on real PostgreSQL, which refuses NUL in text (invalid
 * byte sequence 0x00) and \u0000 or unpaired surrogate escapes in jsonb. No REDIS_URL: the
 * embedded queue keeps jobs in the same schema, so nothing is left behind in Redis.
 */
describe.skipIf(!servicesUp)('unstorable input on PostgreSQL', () => {
  let schema: Awaited<ReturnType<typeof freshPostgresSchema>>;
  let t: TestApp;
  beforeAll(async () => {
    schema = await freshPostgresSchema();
    t = await startTestApp({ env: { DATABASE_URL: schema.url } });
  });
  afterAll(async () => {
    await t?.close();
    await schema?.drop();
  });

  it('is refused with 400 naming the field, never 500, on both create routes', async () => {
    expect(t.container.config.database.kind).toBe('postgres');
    for (const url of CREATE_ROUTES) {
      for (const { body, field } of hostileCreateBodies()) {
        const res = await sendCreate(t, url, body);
        expect(res.statusCode, `${url} ${field}`).toBe(400);
        expect(res.json().error.message, `${url} ${field}`).toMatch(
          new RegExp(`^body\\.${field}: `),
        );
      }
    }
  });

  it('stores a 20,000-character one-word prompt with a derived name inside the CHECK', async () => {
    for (const url of CREATE_ROUTES) {
      const res = await sendCreate(t, url, { userId: 'pg-long', prompt: 'p'.repeat(20_000) });
      expect(res.statusCode, url).toBeLessThan(300);
    }
    const { rows } = await t.container.db.query<{ n: number }>(
      `SELECT max(length(p.name)) AS n FROM projects p WHERE p.user_id = 'pg-long'`,
    );
    expect(Number(rows[0]?.n)).toBeGreaterThan(0);
    expect(Number(rows[0]?.n)).toBeLessThanOrEqual(200);
  });

  it('refuses an event cursor past int4 before PostgreSQL sees it', async () => {
    const created = await sendCreate(t, CREATE_ROUTES[0] ?? '', { userId: 'pg-cur', prompt: 'x' });
    const { buildId } = created.json();
    await t.container.builds.cancel(buildId);
    const res = await signedInject(t.app, {
      method: 'GET',
      url: `/v1/builds/${buildId}/events?lastEventId=2147483648`,
    });
    expect(res.statusCode).toBe(400);
  });
});
