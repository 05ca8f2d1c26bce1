import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedInject, startTestApp, ADMIN_SECRET, type TestApp } from '../support/harness.js';
import { freshPostgresSchema, REDIS_URL, servicesUp, uniquePrefix } from '../support/services.js';

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
const cookieOf = (res: LightMyRequestResponse) =>
  String(res.headers['set-cookie']).split(';')[0] ?? '';

async function signIn(t: TestApp): Promise<string> {
  const token = await t.container.console.auth.issueStartupToken();
  const res = await t.app.inject({
    method: 'POST',
    url: '/console/signin',
    headers: FORM,
    payload: new URLSearchParams({ token }).toString(),
  });
  expect(res.statusCode).toBe(303);
  return cookieOf(res);
}

const create = (t: TestApp) =>
  signedInject(t.app, {
    method: 'POST',
    url: '/v1/create-preview-for-new-project',
    body: { userId: 'dash-user', prompt: 'A landing page for "Queue Bakery"' },
  });

describe('queue dashboard on the embedded queue', () => {
  let t: TestApp;
  let cookie: string;
  beforeAll(async () => {
    t = await startTestApp();
    cookie = await signIn(t);
  });
  afterAll(() => t.close());

  it('refuses without a console session, and an admin signature is no session', async () => {
    const bare = await t.app.inject({ url: '/admin/queues' });
    expect(bare.statusCode).toBe(401);
    expect(bare.json().error.code).toBe('CONSOLE_SESSION_REQUIRED');
    expect(bare.body).not.toContain('Jobs per queue');
    const signed = await signedInject(t.app, {
      method: 'GET',
      url: '/admin/queues',
      secret: ADMIN_SECRET,
    });
    expect(signed.statusCode).toBe(401);
  });

  it('shows jobs per queue and the jobs touched last, read-only', async () => {
    expect((await create(t)).statusCode).toBe(202);
    const res = await t.app.inject({ url: '/admin/queues', headers: { cookie } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/html');
    expect(res.headers['content-security-policy']).toContain("script-src 'self'");
    for (const text of ['Jobs per queue', 'builds', 'webhooks', 'build.run']) {
      expect(res.body).toContain(text);
    }
    // Read-only: no form on the page changes a job.
    expect(res.body).not.toMatch(/action="\/admin\/queues/);
  });
});

describe.skipIf(!servicesUp)('queue dashboard on BullMQ (Bull Board)', () => {
  let t: TestApp;
  let cookie: string;
  let drop: () => Promise<void>;
  beforeAll(async () => {
    const schema = await freshPostgresSchema();
    drop = schema.drop;
    t = await startTestApp({
      env: { DATABASE_URL: schema.url, REDIS_URL, REDIS_KEY_PREFIX: uniquePrefix() },
    });
    cookie = await signIn(t);
  }, 60_000);
  afterAll(async () => {
    await t?.close();
    await drop?.();
  });

  it('serves Bull Board only with a console session, errors in the catalog shape', async () => {
    for (const url of ['/admin/queues', '/admin/queues/api/queues', '/admin/queues/static/x.js']) {
      const res = await t.app.inject({ url });
      expect(res.statusCode, url).toBe(401);
      expect(res.json().error).toMatchObject({ code: 'CONSOLE_SESSION_REQUIRED' });
      expect(res.body).not.toContain('builds');
    }
    const page = await t.app.inject({ url: '/admin/queues', headers: { cookie } });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('SheenApps queues');
  });

  it('lists every queue with its jobs, and takes no action', async () => {
    expect((await create(t)).statusCode).toBe(202);
    const res = await t.app.inject({
      url: '/admin/queues/api/queues?activeQueue=builds&status=waiting&page=1',
      headers: { cookie },
    });
    expect(res.statusCode).toBe(200);
    const queues = res.json<{ queues: Array<{ name: string; readOnlyMode: boolean }> }>().queues;
    expect(queues.map((q) => q.name).sort()).toEqual(expect.arrayContaining(['ai', 'builds']));
    expect(queues.every((q) => q.readOnlyMode)).toBe(true);
    // An action from a signed-in browser without the console's CSRF token is refused.
    const retry = await t.app.inject({
      method: 'PUT',
      url: '/admin/queues/api/queues/builds/retry/failed',
      headers: { cookie },
    });
    expect(retry.statusCode).toBeGreaterThanOrEqual(400);
    expect(retry.statusCode).toBeLessThan(500);
  });
});
