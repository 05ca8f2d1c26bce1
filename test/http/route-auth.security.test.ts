import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signV1 } from '../../src/auth/signing.js';
import type { DeclaredRoute } from '../../src/http/plugins/signature-auth.js';
import {
  ADMIN_SECRET,
  SECRET,
  signedInject,
  startTestApp,
  type TestApp,
} from '../support/harness.js';

const SAMPLE_ID = '01ARZ3NDEKTSV4RRFFQ69G5FAV';

/** A concrete path for a route pattern: params and wildcards get a plausible value. */
function concrete(url: string): string {
  return url.replace(/:[A-Za-z0-9_]+/g, SAMPLE_ID).replace(/\*$/, 'x');
}

const hex = (ch: string, upper: boolean) => {
  const code = ch.charCodeAt(0).toString(16).padStart(2, '0');
  return `%${upper ? code.toUpperCase() : code}`;
};

/**
 * Other spellings of one path that a router, proxy or URL parser might treat as the same
 * route: every character percent-encoded on its own, everything encoded, encoded and doubled
 * slashes, case changes, trailing slash, dot segments, `;` parameters and query strings.
 */
export function pathVariants(path: string): string[] {
  const out = new Set<string>();
  for (let i = 1; i < path.length; i++) {
    const ch = path.charAt(i);
    for (const upper of [false, true]) {
      out.add(path.slice(0, i) + hex(ch, upper) + path.slice(i + 1));
    }
    if (ch === '/') out.add(`${path.slice(0, i)}/${path.slice(i)}`);
  }
  out.add([...path].map((ch) => (ch === '/' ? ch : hex(ch, false))).join(''));
  out.add([...path].map((ch) => hex(ch, true)).join(''));
  const segments = path.split('/').slice(1);
  out.add(`/${path}`);
  out.add(path.toUpperCase());
  out.add(path.toLowerCase());
  segments.forEach((segment, i) => {
    const changed = [...segments];
    changed[i] = segment.toUpperCase();
    out.add(`/${changed.join('/')}`);
    changed[i] = segment.charAt(0).toUpperCase() + segment.slice(1);
    out.add(`/${changed.join('/')}`);
    const withParam = [...segments];
    withParam[i] = `${segment};x=1`;
    out.add(`/${withParam.join('/')}`);
  });
  const last = segments.at(-1) ?? '';
  const head = path.slice(0, path.length - last.length);
  for (const suffix of [
    '/',
    '//',
    '/.',
    '?',
    '?x=1',
    '?admin=0&x=%00',
    '#x',
    ';',
    ';x=1',
    '%2F',
    '%00',
  ]) {
    out.add(path + suffix);
  }
  out.add(`${head}./${last}`);
  out.add(`${head}%2e/${last}`);
  out.add(`${head}x/../${last}`);
  out.add(`${head}x/%2e%2e/${last}`);
  out.add(`${path.replaceAll('/', '\\')}`);
  // Combinations of the above that a single normalisation step would not undo.
  out.add(`${path.replace('/v1/', '/%76%31/').replace('admin', 'adm%69n')}/?x=1`);
  out.add(`/${path.replace('/v1/', '/V1//')}`);
  out.delete(path);
  return [...out];
}

const adminRoutes = (app: FastifyInstance): DeclaredRoute[] =>
  app.declaredRoutes.filter((route) => route.auth === 'admin');

/** Every method a declared route answers (a route may declare several, comma-joined). */
type SignedMethod = Parameters<typeof signedInject>[1]['method'];
const methodsOf = (route: DeclaredRoute) => route.method.split(',') as SignedMethod[];

describe('route auth follows the matched route', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ env: { HMAC_ALLOW_V1: 'true' } });
  });
  afterAll(() => t.close());

  it('knows every admin route from the app itself', () => {
    const urls = adminRoutes(t.app).map((route) => route.url);
    expect(urls).toEqual(
      expect.arrayContaining(['/v1/admin/queue-status', '/v1/admin/system-health']),
    );
  });

  it('refuses every spelling of every admin route signed with the app secret', async () => {
    const accepted: string[] = [];
    let tried = 0;
    for (const route of adminRoutes(t.app)) {
      for (const method of methodsOf(route)) {
        for (const url of [concrete(route.url), ...pathVariants(concrete(route.url))]) {
          const res = await send(t.app, method, url, SECRET);
          tried++;
          if (res.statusCode < 400 || res.statusCode >= 500) {
            accepted.push(`${method} ${url} -> ${res.statusCode}`);
          }
        }
      }
    }
    expect(tried).toBeGreaterThan(200);
    expect(accepted).toEqual([]);
  });

  it('refuses legacy v1 signatures on every spelling, with either secret', async () => {
    const accepted: string[] = [];
    for (const route of adminRoutes(t.app)) {
      for (const method of methodsOf(route)) {
        for (const url of [concrete(route.url), ...pathVariants(concrete(route.url))]) {
          for (const secret of [SECRET, ADMIN_SECRET]) {
            const res = await t.app.inject({
              method,
              url,
              headers: { 'x-sheen-signature': signV1(secret, '', url.split('?')[0] ?? url) },
            });
            if (res.statusCode < 400 || res.statusCode >= 500) {
              accepted.push(`${method} ${url} -> ${res.statusCode}`);
            }
          }
        }
      }
    }
    expect(accepted).toEqual([]);
  });

  it('accepts the admin secret on the canonical path of every admin route', async () => {
    for (const route of adminRoutes(t.app)) {
      for (const method of methodsOf(route)) {
        const res = await send(t.app, method, concrete(route.url), ADMIN_SECRET);
        expect(res.statusCode, `${method} ${route.url}`).not.toBe(401);
        // The route matched: a 404 may only say that the sample id names nothing.
        if (res.statusCode === 404) {
          expect(res.json().error.message, `${method} ${route.url}`).not.toMatch(/^No route/);
        }
        expect(res.statusCode, `${method} ${route.url}`).toBeLessThan(500);
      }
    }
  });

  it('does not take the admin secret on app routes', async () => {
    const res = await signedInject(t.app, {
      method: 'GET',
      url: `/v1/builds/${SAMPLE_ID}`,
      secret: ADMIN_SECRET,
    });
    expect(res.statusCode).toBe(401);
  });
});

describe('route auth declarations', () => {
  // The default app, read by the tests below that start none of their own.
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t?.close());

  it('every route declares public, app or admin', () => {
    expect(t.app.declaredRoutes.length).toBeGreaterThan(10);
    for (const route of t.app.declaredRoutes) {
      expect(['public', 'app', 'admin', 'console'], `${route.method} ${route.url}`).toContain(
        route.auth,
      );
    }
    const levels = Object.fromEntries(t.app.declaredRoutes.map((r) => [r.url, r.auth]));
    expect(levels).toMatchObject({
      '/myhealthz': 'public',
      '/openapi.json': 'public',
      '/v1/create-preview-for-new-project': 'app',
      '/claude-executor/health': 'app',
      '/v1/admin/system-health': 'admin',
    });
  });

  it('the app refuses to start with a route that declares nothing', async () => {
    await expect(
      startTestApp({
        routes: (app) => app.get('/v1/admin/forgotten', async () => ({ secret: 'counts' })),
      }),
    ).rejects.toThrow(/GET \/v1\/admin\/forgotten/);
  });

  it('the app refuses to start with a route that declares an unknown level', async () => {
    await expect(
      startTestApp({
        routes: (app) =>
          app.get(
            '/v1/fixture/odd',
            // A JavaScript caller (or an old name) the type checker did not see.
            { config: { auth: 'signed' as unknown as 'app' } },
            async () => ({ ok: true }),
          ),
      }),
    ).rejects.toThrow(/\/v1\/fixture\/odd/);
  });

  it('the OpenAPI document names the secret each operation takes', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json();
    expect(doc.paths['/v1/admin/queue-status'].get.security).toEqual([{ sheenAdminSignature: [] }]);
    expect(doc.paths['/v1/builds/{buildId}'].get.security).toEqual([{ sheenSignature: [] }]);
    expect(doc.paths['/myhealthz'].get.security).toEqual([]);
  });
});

function send(app: FastifyInstance, method: SignedMethod, url: string, secret: string) {
  const withBody = method !== 'GET' && method !== 'HEAD' && method !== 'DELETE';
  return signedInject(app, { method, url, secret, ...(withBody ? { body: {} } : {}) });
}
