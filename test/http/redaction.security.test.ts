import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedInject, startTestApp, SECRET, type TestApp } from '../support/harness.js';
import { fixtureRoutes } from '../support/fixture-routes.js';
import { ScriptedEngine } from '../support/scripted-engine.js';

const API_KEY = 'sk-ant-api03-' + 'Zx9'.repeat(20);
const OPENAI_KEY = 'sk-proj-' + 'Qw8'.repeat(12);

describe('secrets never reach the logs', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({
      routes: fixtureRoutes,
      // The configured key is what must be redacted; no engine call is made here.
      engine: new ScriptedEngine({}),
      env: { LOG_LEVEL: 'trace', AI_PROVIDER: 'anthropic', ANTHROPIC_API_KEY: API_KEY },
    });
  });
  afterAll(() => t.close());

  it('redacts the signature and key-shaped values in headers, query and bodies', async () => {
    const res = await signedInject(t.app, {
      method: 'GET',
      url: `/v1/fixture/items?userId=u1&api_key=${OPENAI_KEY}`,
      headers: {
        authorization: `Bearer ${OPENAI_KEY}`,
        'x-api-key': API_KEY,
        'x-forwarded-key': API_KEY,
      },
    });
    expect(res.statusCode).toBe(200);
    const signature = res.raw.req.headers['x-sheen-signature'] as string;
    expect(signature).toMatch(/^v2=/);

    const bad = await signedInject(t.app, {
      method: 'POST',
      url: '/v1/fixture/echo',
      body: { userId: API_KEY, project: { name: OPENAI_KEY, pages: -1 } },
    });
    expect(bad.statusCode).toBe(400);
    await signedInject(t.app, { method: 'GET', url: '/v1/fixture/boom' });

    const logs = t.logs.text;
    expect(t.logs.lines.length).toBeGreaterThan(4);
    expect(logs).toContain('/v1/fixture/items');
    for (const secret of [signature, signature.slice(3), API_KEY, OPENAI_KEY, SECRET]) {
      expect(logs).not.toContain(secret);
    }
    expect(logs).toContain('[REDACTED]');
  });

  it('keeps secrets out of responses too', async () => {
    const res = await signedInject(t.app, {
      method: 'POST',
      url: '/v1/fixture/echo',
      body: { userId: 'u1', project: { name: 'n', pages: API_KEY } },
    });
    expect(res.statusCode).toBe(400);
    expect(res.body).not.toContain(API_KEY);
  });
});
