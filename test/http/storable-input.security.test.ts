import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedInject, startTestApp, type TestApp } from '../support/harness.js';
import { hostileCreateBodies, sendCreate } from '../support/hostile-input.js';

const CREATE_ROUTES = ['/v1/create-preview-for-new-project', '/build-preview-for-new-project'];

describe('every input the schema accepts is storable', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  for (const url of CREATE_ROUTES) {
    it(`refuses unstorable text with 400 naming the field on ${url}`, async () => {
      for (const { body, field } of hostileCreateBodies()) {
        const res = await sendCreate(t, url, body);
        const label = `${field} ${JSON.stringify(body).slice(0, 80)}`;
        expect(res.statusCode, label).toBe(400);
        expect(res.json().error.code, label).toBe('VALIDATION_FAILED');
        expect(res.json().error.message, label).toMatch(new RegExp(`^body\\.${field}: `));
      }
    });

    it(`stores a 20,000-character one-word prompt, with a derived name that fits, on ${url}`, async () => {
      const word = 'a'.repeat(19_990) + '😀'.repeat(5);
      const res = await sendCreate(t, url, { userId: 'long-prompt', prompt: word });
      expect(res.statusCode).toBe(url.startsWith('/v1/') ? 202 : 200);
      const { rows } = await t.container.db.query<{ name: string }>(
        `SELECT p.name FROM projects p JOIN builds b ON b.project_id = p.id
          WHERE b.user_id = 'long-prompt' ORDER BY b.created_at DESC LIMIT 1`,
      );
      const name = rows[0]?.name ?? '';
      expect(name.length).toBeGreaterThan(0);
      expect([...name].length).toBeLessThanOrEqual(200);
    });
  }

  it('keeps line breaks and tabs in a prompt, and valid astral characters in a name', async () => {
    const res = await sendCreate(t, CREATE_ROUTES[0] ?? '', {
      userId: 'u-text',
      prompt: 'A bakery site\n\twith a menu\r\nand prices',
      name: 'Café 😀 Ünïcødé',
    });
    expect(res.statusCode).toBe(202);
  });

  it('refuses an event cursor the database could not compare, in the query and the header', async () => {
    const created = await sendCreate(t, CREATE_ROUTES[0] ?? '', { userId: 'u-cur', prompt: 'x' });
    const { buildId } = created.json();
    await signedInject(t.app, { method: 'POST', url: `/v1/builds/${buildId}/cancel` });
    for (const value of ['2147483648', '99999999999', '1e400', '-1', '1.5', 'abc']) {
      const query = await signedInject(t.app, {
        method: 'GET',
        url: `/v1/builds/${buildId}/events?lastEventId=${value}`,
      });
      expect(query.statusCode, value).toBe(400);
      expect(query.json().error.message).toMatch(/^querystring\.lastEventId: /);
      const header = await signedInject(t.app, {
        method: 'GET',
        url: `/v1/builds/${buildId}/events`,
        headers: { 'last-event-id': value },
      });
      expect(header.statusCode, value).toBe(400);
      expect(header.json().error.message).toMatch(/^headers\.last-event-id: /);
    }
    const ok = await signedInject(t.app, {
      method: 'GET',
      url: `/v1/builds/${buildId}/events?lastEventId=2147483647`,
    });
    expect(ok.statusCode).toBe(200);
  });

  it('never answers 500 to hostile ids, keys and request ids', async () => {
    const cases = [
      { url: '/v1/builds/%00/cancel', method: 'POST' as const },
      { url: '/v1/builds/%ED%A0%80/cancel', method: 'POST' as const },
      { url: `/v1/builds/${'A'.repeat(5000)}`, method: 'GET' as const },
    ];
    for (const c of cases) {
      const res = await signedInject(t.app, c);
      expect(res.statusCode, c.url).toBeLessThan(500);
    }
    for (const idempotencyKey of ['k\u0000', 'k\ud800', 'k'.repeat(201), 'with space']) {
      const res = await sendCreate(t, CREATE_ROUTES[0] ?? '', {
        userId: 'u-key',
        prompt: 'x',
        idempotencyKey,
      });
      expect(res.statusCode).toBe(400);
      expect(res.json().error.message).toMatch(/^body\.idempotencyKey: /);
    }
    const res = await signedInject(t.app, {
      method: 'GET',
      url: '/v1/builds/01ARZ3NDEKTSV4RRFFQ69G5FAV',
      headers: { 'x-request-id': `${'r'.repeat(300)}\u00ff` },
    });
    expect(res.statusCode).toBe(404);
  });
});
