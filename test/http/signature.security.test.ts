import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { safeEqual, sha256Hex, signRequest, signV1, signV2 } from '../../src/auth/signing.js';
import { SECRET, signedInject, startTestApp, type TestApp } from '../support/harness.js';
import { fixtureRoutes } from '../support/fixture-routes.js';

const BODY = { userId: 'user_1', project: { name: 'Bakery', pages: 3 } };
const raw = JSON.stringify(BODY);

describe('signed requests (v2)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ routes: fixtureRoutes });
  });
  afterAll(() => t.close());

  const post = (headers: Record<string, string>, payload = raw, url = '/v1/fixture/echo') =>
    t.app.inject({
      method: 'POST',
      url,
      payload,
      headers: { 'content-type': 'application/json', ...headers },
    });
  const sign = (over: Partial<Parameters<typeof signRequest>[0]> = {}) =>
    signRequest({
      secret: SECRET,
      method: 'POST',
      pathWithQuery: '/v1/fixture/echo',
      body: raw,
      ...over,
    });

  it('accepts a valid signature', async () => {
    const res = await post(sign());
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ ok: true, scheme: 'v2' });
  });

  it('rejects a body with one byte changed', async () => {
    const res = await post(sign(), raw.replace('Bakery', 'Bakerz'));
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe('AUTH_INVALID_SIGNATURE');
  });

  it('rejects a changed path or query', async () => {
    const signedForQuery = signRequest({
      secret: SECRET,
      method: 'GET',
      pathWithQuery: '/v1/fixture/items?page=1',
    });
    const ok = await t.app.inject({
      method: 'GET',
      url: '/v1/fixture/items?page=1',
      headers: signedForQuery,
    });
    expect(ok.statusCode).toBe(200);

    const otherQuery = signRequest({
      secret: SECRET,
      method: 'GET',
      pathWithQuery: '/v1/fixture/items?page=1',
    });
    const res = await t.app.inject({
      method: 'GET',
      url: '/v1/fixture/items?page=2',
      headers: otherQuery,
    });
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe('AUTH_INVALID_SIGNATURE');

    const otherPath = await post(sign({ pathWithQuery: '/v1/fixture/other' }));
    expect(otherPath.statusCode).toBe(401);
  });

  it('rejects a changed method', async () => {
    const res = await post(sign({ method: 'PUT' }));
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe('AUTH_INVALID_SIGNATURE');
  });

  it('rejects timestamps 301 s in the past or future', async () => {
    // The clock is held still: on a busy machine a second can tick between signing and
    // verifying, which would turn "301 s ahead" into an accepted 300.
    const now = Math.floor(Date.now() / 1000);
    vi.useFakeTimers({ toFake: ['Date'], now: now * 1000 + 500 });
    try {
      for (const timestamp of [now - 301, now + 301]) {
        const res = await post(sign({ timestamp }));
        expect(res.statusCode).toBe(401);
        expect(res.json().error.code).toBe('AUTH_TIMESTAMP_SKEW');
      }
      for (const timestamp of [now - 300, now + 300]) {
        const edge = await post(sign({ timestamp }));
        expect(edge.statusCode).toBe(200);
      }
    } finally {
      vi.useRealTimers();
    }
  });

  it('rejects each missing header', async () => {
    for (const name of ['x-sheen-timestamp', 'x-sheen-nonce', 'x-sheen-signature']) {
      const headers = sign();
      delete headers[name];
      const res = await post(headers);
      expect(res.statusCode, name).toBe(401);
      expect(res.json().error.code, name).toBe('AUTH_MISSING');
    }
  });

  it('rejects signatures of the wrong length and malformed nonces without a 500', async () => {
    const good = sign();
    const cases: Array<Record<string, string>> = [
      { ...good, 'x-sheen-signature': 'v2=abc' },
      { ...good, 'x-sheen-signature': good['x-sheen-signature'] + '00' },
      { ...good, 'x-sheen-signature': 'v2=' + 'é'.repeat(64) },
      { ...good, 'x-sheen-nonce': 'short' },
      { ...good, 'x-sheen-nonce': 'x'.repeat(129) },
      { ...good, 'x-sheen-nonce': 'has spaces in it, not allowed' },
      { ...good, 'x-sheen-timestamp': 'yesterday' },
      { ...good, 'x-sheen-timestamp': '1e10' },
    ];
    for (const headers of cases) {
      const res = await post(headers);
      expect(res.statusCode).toBe(401);
      expect(res.json().error.code).toMatch(/^AUTH_/);
    }
  });

  it('accepts a captured request once and rejects 1,000 replays', async () => {
    const captured = sign();
    const first = await post(captured);
    expect(first.statusCode).toBe(200);
    let accepted = 0;
    const codes = new Set<string>();
    for (let i = 0; i < 1000; i++) {
      const res = await post(captured);
      if (res.statusCode === 200) accepted++;
      codes.add(res.json().error?.code);
    }
    expect(accepted).toBe(0);
    expect([...codes]).toEqual(['AUTH_REPLAYED']);
  });

  it('does not let unsigned traffic burn a nonce', async () => {
    const headers = sign();
    const forged = await post({ ...headers, 'x-sheen-signature': 'v2=' + '0'.repeat(64) });
    expect(forged.statusCode).toBe(401);
    const real = await post(headers);
    expect(real.statusCode).toBe(200);
  });

  it('never answers 500 to garbage auth headers', async () => {
    const junk = ['', ' ', 'v2=', 'v1=' + 'a'.repeat(64), 'a'.repeat(10_000), '\u0000'];
    for (const value of junk) {
      const res = await post({ ...sign(), 'x-sheen-signature': value });
      expect(res.statusCode).toBeLessThan(500);
    }
  });
});

describe('secret rotation', () => {
  const OLD = 'old-secret-0123456789abcdef0123456789abcdef';
  const NEW = 'new-secret-0123456789abcdef0123456789abcdef';

  it('accepts every configured secret and rejects a removed one', async () => {
    const both = await startTestApp({
      routes: fixtureRoutes,
      env: { HMAC_SECRETS: `${OLD},${NEW}` },
    });
    try {
      for (const secret of [OLD, NEW]) {
        const res = await signedInject(both.app, {
          method: 'POST',
          url: '/v1/fixture/echo',
          body: BODY,
          secret,
        });
        expect(res.statusCode).toBe(200);
      }
    } finally {
      await both.close();
    }
    const rotated = await startTestApp({ routes: fixtureRoutes, env: { HMAC_SECRETS: NEW } });
    try {
      const old = await signedInject(rotated.app, {
        method: 'POST',
        url: '/v1/fixture/echo',
        body: BODY,
        secret: OLD,
      });
      expect(old.statusCode).toBe(401);
      const fresh = await signedInject(rotated.app, {
        method: 'POST',
        url: '/v1/fixture/echo',
        body: BODY,
        secret: NEW,
      });
      expect(fresh.statusCode).toBe(200);
    } finally {
      await rotated.close();
    }
  });
});

describe('legacy v1 scheme', () => {
  const v1Headers = () => ({ 'x-sheen-signature': signV1(SECRET, raw, '/v1/fixture/echo') });

  it('is rejected unless HMAC_ALLOW_V1=true', async () => {
    const t = await startTestApp({ routes: fixtureRoutes });
    try {
      const res = await t.app.inject({
        method: 'POST',
        url: '/v1/fixture/echo',
        payload: raw,
        headers: { 'content-type': 'application/json', ...v1Headers() },
      });
      expect(res.statusCode).toBe(401);
      expect(res.json().error.message).toMatch(/v1/);
    } finally {
      await t.close();
    }
  });

  it('is accepted when enabled, and never for admin routes', async () => {
    const t = await startTestApp({ routes: fixtureRoutes, env: { HMAC_ALLOW_V1: 'true' } });
    try {
      const res = await t.app.inject({
        method: 'POST',
        url: '/v1/fixture/echo',
        payload: raw,
        headers: { 'content-type': 'application/json', ...v1Headers() },
      });
      expect(res.statusCode).toBe(200);
      expect(res.json().scheme).toBe('v1');
      const tampered = await t.app.inject({
        method: 'POST',
        url: '/v1/fixture/echo',
        payload: raw.replace('3', '4'),
        headers: { 'content-type': 'application/json', ...v1Headers() },
      });
      expect(tampered.statusCode).toBe(401);
      const admin = await t.app.inject({
        method: 'GET',
        url: '/v1/admin/system-health',
        headers: { 'x-sheen-signature': signV1(SECRET, '', '/v1/admin/system-health') },
      });
      expect(admin.statusCode).toBe(401);
    } finally {
      await t.close();
    }
  });
});

describe('signing helper', () => {
  it('matches the README test vector', () => {
    const signature = signV2('readme-example-secret-0123456789abcdef', {
      timestamp: 1767225600,
      nonce: 'n0nce-example-0001',
      method: 'POST',
      pathWithQuery: '/v1/create-preview-for-new-project',
      body: '{"userId":"user_123","prompt":"A landing page for a bakery"}',
    });
    expect(signature).toBe(README_VECTOR);
  });

  it('hashes an absent, empty string and empty byte body alike, and a real body for real', () => {
    const empty = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
    expect(sha256Hex(undefined)).toBe(empty);
    expect(sha256Hex('')).toBe(empty);
    expect(sha256Hex(new Uint8Array(0))).toBe(empty);
    expect(sha256Hex('{}')).toBe(
      '44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a',
    );
  });

  it('compares strings of any lengths and bytes without throwing', () => {
    const signature = `v2=${'a'.repeat(64)}`;
    expect(safeEqual(signature, signature)).toBe(true);
    expect(safeEqual(signature, `v2=${'a'.repeat(63)}b`)).toBe(false);
    expect(safeEqual(signature, signature.slice(0, -1))).toBe(false);
    expect(safeEqual(signature, '')).toBe(false);
    // Same number of characters, different number of bytes.
    expect(safeEqual('é', 'ab')).toBe(false);
    expect(safeEqual('éa', 'ab')).toBe(false);
  });
});

// Computed once from the canonical string in the README and pinned: if this changes, every
// client in the field breaks.
const README_VECTOR = 'v2=6e673224cac8ecd0881f72ee882eb7550477d57d1c86d583d8fe06b31fc5261a';
