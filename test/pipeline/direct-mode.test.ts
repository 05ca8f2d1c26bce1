import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedInject, startTestApp, type TestApp } from '../support/harness.js';
import { ScriptedEngine } from '../support/scripted-engine.js';

describe('direct mode (SKIP_QUEUE=true)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({
      env: { SKIP_QUEUE: 'true' },
      engine: new ScriptedEngine({
        'index.html': '<!doctype html><title>Direct</title><h1>Direct</h1>',
      }),
    });
  });
  afterAll(() => t.close());

  it('runs the whole pipeline inside the request', async () => {
    const res = await signedInject(t.app, {
      method: 'POST',
      url: '/v1/create-preview-for-new-project',
      body: { userId: 'direct', prompt: 'a static page' },
    });
    expect(res.statusCode).toBe(202);
    expect(res.json().status).toBe('succeeded');
    const counts = await t.container.queue.counts();
    expect(counts.builds.waiting + counts.builds.completed).toBe(0);
    const page = await t.app.inject({ method: 'GET', url: `/preview/${res.json().buildId}/` });
    expect(page.body).toContain('<h1>Direct</h1>');
  });
});
