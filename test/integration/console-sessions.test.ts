import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/harness.js';
import { freshPostgresSchema, servicesUp } from '../support/services.js';

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

/** Two API processes on one PostgreSQL database, as behind a load balancer. */
describe.skipIf(!servicesUp)('console sessions on PostgreSQL', () => {
  let schema: Awaited<ReturnType<typeof freshPostgresSchema>>;
  let a: TestApp;
  let b: TestApp;

  const signIn = (app: TestApp, token: string) =>
    app.app.inject({
      method: 'POST',
      url: '/console/signin',
      headers: FORM,
      payload: new URLSearchParams({ token }).toString(),
    });

  beforeAll(async () => {
    schema = await freshPostgresSchema();
    a = await startTestApp({ env: { DATABASE_URL: schema.url } });
    b = await startTestApp({ env: { DATABASE_URL: schema.url } });
  }, 60_000);
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await schema?.drop();
  });

  it('a link printed by one process signs in on another, and a session works on both', async () => {
    const res = await signIn(b, await a.container.console.auth.issueStartupToken());
    expect(res.statusCode).toBe(303);
    const cookie = String(res.headers['set-cookie']).split(';')[0] ?? '';
    for (const app of [a, b]) {
      const page = await app.app.inject({ url: '/console/projects', headers: { cookie } });
      expect(page.statusCode).toBe(200);
    }
    const csrf = /name="_csrf" value="([^"]+)"/.exec(
      (await a.app.inject({ url: '/console', headers: { cookie } })).body,
    )?.[1];
    const out = await b.app.inject({
      method: 'POST',
      url: '/console/signout',
      headers: { ...FORM, cookie },
      payload: new URLSearchParams({ _csrf: csrf ?? '' }).toString(),
    });
    expect(out.statusCode).toBe(303);
    const after = await a.app.inject({ url: '/console/projects', headers: { cookie } });
    expect(after.statusCode).toBe(401);
  });

  it('spends a link once when two processes race for it', async () => {
    for (let round = 0; round < 5; round++) {
      const token = await a.container.console.auth.issueStartupToken();
      const results = await Promise.all([signIn(a, token), signIn(b, token), signIn(a, token)]);
      expect(results.map((r) => r.statusCode).sort()).toEqual([303, 401, 401]);
    }
  });
});
