import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedInject, startTestApp, type TestApp } from '../support/harness.js';
import { ScriptedEngine } from '../support/scripted-engine.js';

describe('cancelling a build', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({
      workers: true,
      engine: new ScriptedEngine({
        'package.json': JSON.stringify({
          name: 'slow',
          version: '1.0.0',
          scripts: { build: 'node slow.mjs' },
        }),
        'slow.mjs': 'setTimeout(() => {}, 60_000); console.log("working")',
      }),
      env: { BUILD_TIMEOUT_MS: '120000' },
    });
  });
  afterAll(() => t.close());

  const status = async (id: string) =>
    (await signedInject(t.app, { method: 'GET', url: `/v1/builds/${id}` })).json();

  it('stops a running build, kills its process and says so', async () => {
    const res = await signedInject(t.app, {
      method: 'POST',
      url: '/v1/create-preview-for-new-project',
      body: { userId: 'u1', prompt: 'slow build' },
    });
    const { buildId } = res.json();
    for (let i = 0; i < 200 && (await status(buildId)).stage !== 'build'; i++) {
      await new Promise((r) => setTimeout(r, 50));
    }
    const started = Date.now();
    const cancel = await signedInject(t.app, {
      method: 'POST',
      url: `/v1/builds/${buildId}/cancel`,
    });
    expect(cancel.statusCode).toBe(200);
    let body = await status(buildId);
    for (let i = 0; i < 300 && body.status !== 'cancelled'; i++) {
      await new Promise((r) => setTimeout(r, 50));
      body = await status(buildId);
    }
    expect(body.status).toBe('cancelled');
    expect(body.error).toMatchObject({ code: 'BUILD_CANCELLED' });
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(body.stages.find((s: { name: string }) => s.name === 'build').status).toBe('cancelled');
    // Cancelling again changes nothing.
    const again = await signedInject(t.app, {
      method: 'POST',
      url: `/v1/builds/${buildId}/cancel`,
    });
    expect(again.json().status).toBe('cancelled');
  });

  it('answers 404 for an unknown build and 400 for a malformed id', async () => {
    const unknown = await signedInject(t.app, {
      method: 'GET',
      url: '/v1/builds/01ARZ3NDEKTSV4RRFFQ69G5FAV',
    });
    expect(unknown.statusCode).toBe(404);
    const bad = await signedInject(t.app, { method: 'GET', url: '/v1/builds/not-a-build' });
    expect(bad.statusCode).toBe(400);
  });
});
