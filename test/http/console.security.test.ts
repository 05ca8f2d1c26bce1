import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConsoleAuthService } from '../../src/console/console-auth.service.js';
import { signSigninToken } from '../../src/console/signin-link.js';
import { ConsoleSessionsRepository } from '../../src/repositories/console-sessions.repo.js';
import {
  ADMIN_SECRET,
  SECRET,
  signedInject,
  startTestApp,
  type TestApp,
} from '../support/harness.js';

const SAMPLE_ID = '01ARZ3NDEKTSV4RRFFQ69G5FAV';
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

const concrete = (url: string) => url.replace(/:[A-Za-z]+/g, SAMPLE_ID).replace('*', 'x');
const cookieOf = (res: LightMyRequestResponse) =>
  String(res.headers['set-cookie']).split(';')[0] ?? '';
const csrfIn = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';

describe('web console access', () => {
  let t: TestApp;
  let cookie: string;
  let csrf: string;

  const signIn = async (token: string, headers: Record<string, string> = {}) =>
    t.app.inject({
      method: 'POST',
      url: '/console/signin',
      headers: { ...FORM, ...headers },
      payload: new URLSearchParams({ token }).toString(),
    });
  const post = (url: string, form: Record<string, string>, headers: Record<string, string> = {}) =>
    t.app.inject({
      method: 'POST',
      url,
      headers: { ...FORM, cookie, accept: 'application/json', ...headers },
      payload: new URLSearchParams(form).toString(),
    });

  beforeAll(async () => {
    t = await startTestApp({ env: { TRUST_PROXY: 'true' } });
    const res = await signIn(await t.container.console.auth.issueStartupToken());
    expect(res.statusCode).toBe(303);
    cookie = cookieOf(res);
    csrf = csrfIn((await t.app.inject({ url: '/console', headers: { cookie } })).body);
    expect(csrf).not.toBe('');
  });
  afterAll(() => t.close());

  it('answers every console route without a session with 401 and nothing else', async () => {
    const routes = t.app.declaredRoutes.filter((r) => r.auth === 'console');
    expect(routes.length).toBeGreaterThan(10);
    for (const route of routes) {
      for (const method of route.method.split(',') as Array<'GET' | 'HEAD' | 'POST'>) {
        for (const headers of [{}, { cookie: 'sheen_console=made-up-session-id-000000000' }]) {
          const res = await t.app.inject({
            method,
            url: concrete(route.url),
            headers: { accept: 'application/json', ...headers },
          });
          expect(res.statusCode, `${method} ${route.url}`).toBe(401);
          if (method === 'HEAD') continue; // no body to read
          expect(res.json(), `${method} ${route.url}`).toEqual({
            error: expect.objectContaining({ code: 'CONSOLE_SESSION_REQUIRED' }),
          });
        }
      }
    }
  });

  it('does not take an HMAC signature, app or admin, in place of a session', async () => {
    for (const secret of [SECRET, ADMIN_SECRET]) {
      const res = await signedInject(t.app, {
        method: 'GET',
        url: '/console/projects',
        secret,
        headers: { accept: 'application/json' },
      });
      expect(res.statusCode).toBe(401);
    }
    // And the signed API is as it was.
    const api = await signedInject(t.app, { method: 'GET', url: `/v1/builds/${SAMPLE_ID}` });
    expect(api.statusCode).toBe(404);
  });

  it('sets the session cookie HttpOnly, SameSite=Strict, Path=/, and Secure over https', async () => {
    const res = await signIn(await t.container.console.auth.issueStartupToken(), {
      'x-forwarded-proto': 'https',
    });
    const set = String(res.headers['set-cookie']);
    expect(set).toMatch(
      /^sheen_console=[A-Za-z0-9_-]{43}; Max-Age=\d+; Path=\/; HttpOnly; SameSite=Strict; Secure$/,
    );
    expect(
      String(
        (await signIn(await t.container.console.auth.issueStartupToken())).headers['set-cookie'],
      ),
    ).not.toContain('Secure');
  });

  it('takes a start-up token once, and no made-up one', async () => {
    const token = await t.container.console.auth.issueStartupToken();
    expect((await signIn(token)).statusCode).toBe(303);
    const again = await signIn(token);
    expect(again.statusCode).toBe(401);
    expect(again.body).toContain('CONSOLE_SIGNIN_INVALID');
    expect(again.headers['set-cookie']).toBeUndefined();
    expect((await signIn('x'.repeat(43))).statusCode).toBe(401);
  });

  it('takes an admin-signed link once; not one signed with the app secret, tampered or expired', async () => {
    const link = signSigninToken(ADMIN_SECRET, 600);
    expect((await signIn(link)).statusCode).toBe(303);
    expect((await signIn(link)).statusCode).toBe(401);
    expect((await signIn(signSigninToken(SECRET, 600))).statusCode).toBe(401);
    const fresh = signSigninToken(ADMIN_SECRET, 600);
    const tampered = fresh.replace(/\.(\d+)\./, (_m, s: string) => `.${Number(s) + 1000}.`);
    expect((await signIn(tampered)).statusCode).toBe(401);
    const expired = signSigninToken(ADMIN_SECRET, 60, Date.now() - 120_000);
    expect((await signIn(expired)).statusCode).toBe(401);
  });

  it('refuses a sign-in posted from another site', async () => {
    const token = await t.container.console.auth.issueStartupToken();
    const res = await signIn(token, { origin: 'https://evil.example', accept: 'application/json' });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('CSRF_INVALID');
    expect((await signIn(token)).statusCode).toBe(303); // the refused one did not spend it
  });

  it('refuses actions without the CSRF token, with a wrong one, or from another origin', async () => {
    const form = { userId: 'console', prompt: 'A page that must not be built' };
    // The token's last character changed: one in 16 tokens already ends in 'A'.
    const altered = `${csrf.slice(0, -1)}${csrf.endsWith('A') ? 'B' : 'A'}`;
    for (const [extra, headers] of [
      [{}, {}],
      [{ _csrf: 'wrong' }, {}],
      [{ _csrf: altered }, {}],
      [{ _csrf: csrf }, { origin: 'http://build-x.localhost:8080' }],
      [{}, { 'x-csrf-token': 'wrong' }],
    ] as Array<[Record<string, string>, Record<string, string>]>) {
      const res = await post('/console/apps', { ...form, ...extra }, headers);
      expect(res.statusCode).toBe(403);
      expect(res.json().error.code).toBe('CSRF_INVALID');
    }
    const list = await t.app.inject({ url: '/console/projects', headers: { cookie } });
    expect(list.body).not.toContain('<table');
  });

  it('escapes what users typed on every page that shows it', async () => {
    const evil = '<script>alert(1)</script><img src=x onerror=alert(2)>';
    const res = await post('/console/apps', {
      _csrf: csrf,
      userId: 'console',
      prompt: `A page ${evil}`,
      name: `Cafe ${evil}`,
    });
    expect(res.statusCode).toBe(303);
    const build = await t.app.inject({ url: String(res.headers.location), headers: { cookie } });
    const projectUrl = /href="(\/console\/projects\/[0-9A-Z]{26})"/.exec(build.body)?.[1] ?? '';
    for (const url of [String(res.headers.location), '/console/projects', projectUrl]) {
      const page = await t.app.inject({ url, headers: { cookie } });
      expect(page.statusCode, url).toBe(200);
      expect(page.body, url).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
      expect(page.body, url).not.toContain('<script>alert');
      expect(page.body, url).not.toContain('<img src=x');
      // No inline script at all: the CSP would block it, and there must be none to block.
      expect(page.body.match(/<script(?![^>]*\bsrc=)/g), url).toBeNull();
      const csp = String(page.headers['content-security-policy']);
      expect(csp).toContain("script-src 'self'");
      expect(csp).not.toContain('unsafe-inline');
      expect(csp).toContain("frame-ancestors 'none'");
      expect(page.headers['cache-control']).toBe('no-store');
    }
  });

  it('signs out: the same cookie then opens nothing', async () => {
    const token = await t.container.console.auth.issueStartupToken();
    const own = cookieOf(await signIn(token));
    const page = await t.app.inject({ url: '/console', headers: { cookie: own } });
    const res = await t.app.inject({
      method: 'POST',
      url: '/console/signout',
      headers: { ...FORM, cookie: own },
      payload: new URLSearchParams({ _csrf: csrfIn(page.body) }).toString(),
    });
    expect(res.statusCode).toBe(303);
    expect(String(res.headers['set-cookie'])).toContain('Max-Age=0');
    const after = await t.app.inject({ url: '/console', headers: { cookie: own } });
    expect(after.statusCode).toBe(401);
  });

  it('ends sessions and start-up links when they expire', async () => {
    const repo = new ConsoleSessionsRepository(t.container.db);
    const settings = {
      sessionTtlSeconds: 60,
      startupLinkTtlSeconds: 60,
      adminSecrets: [ADMIN_SECRET],
    };
    let now = Date.now();
    const auth = new ConsoleAuthService(repo, settings, () => new Date(now));
    const token = await auth.issueStartupToken();
    now += 61_000;
    await expect(auth.signIn(token)).rejects.toMatchObject({ code: 'CONSOLE_SIGNIN_INVALID' });
    now -= 61_000;
    const { sessionId } = await auth.signIn(await auth.issueStartupToken());
    expect(await auth.session(sessionId)).toBeDefined();
    now += 61_000;
    expect(await auth.session(sessionId)).toBeUndefined();
  });
});
