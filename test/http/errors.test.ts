import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signRequest } from '../../src/auth/signing.js';
import { SECRET, signedInject, startTestApp, type TestApp } from '../support/harness.js';
import { fixtureRoutes } from '../support/fixture-routes.js';
import { BuildsRepository } from '../../src/repositories/builds.repo.js';
import { ProjectEventsRepository } from '../../src/repositories/project-events.repo.js';

describe('error model', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ routes: fixtureRoutes, env: { BODY_LIMIT_BYTES: '2048' } });
  });
  afterAll(() => t.close());

  const expectErrorShape = (body: unknown, code: string) => {
    expect(body).toEqual({
      error: {
        code,
        message: expect.any(String),
        hint: expect.any(String),
        requestId: expect.any(String),
        ...((body as { error: { details?: unknown } }).error.details
          ? { details: expect.anything() }
          : {}),
      },
    });
  };

  it('answers an unknown route with a JSON 404', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/nope/nothing?x=1' });
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toMatch(/application\/json/);
    expectErrorShape(res.json(), 'NOT_FOUND');
    expect(res.json().error.requestId).toBe(res.headers['x-request-id']);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
  });

  it('answers an invalid body with 400 naming the field path', async () => {
    const res = await signedInject(t.app, {
      method: 'POST',
      url: '/v1/fixture/echo',
      body: { userId: 'u1', project: { name: 'Shop', pages: 'three' } },
    });
    expect(res.statusCode).toBe(400);
    expectErrorShape(res.json(), 'VALIDATION_FAILED');
    expect(res.json().error.message).toContain('body.project.pages');

    const missing = await signedInject(t.app, {
      method: 'POST',
      url: '/v1/fixture/echo',
      body: { project: {} },
    });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error.message).toMatch(/body\.(userId|project\.name)/);
  });

  it('answers malformed JSON with 400 INVALID_JSON', async () => {
    const payload = '{"userId": "u1", ';
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/fixture/echo',
      payload,
      headers: {
        'content-type': 'application/json',
        ...signRequest({
          secret: SECRET,
          method: 'POST',
          pathWithQuery: '/v1/fixture/echo',
          body: payload,
        }),
      },
    });
    expect(res.statusCode).toBe(400);
    expectErrorShape(res.json(), 'INVALID_JSON');
  });

  it('answers an oversized body with 413', async () => {
    const res = await signedInject(t.app, {
      method: 'POST',
      url: '/v1/fixture/echo',
      body: { userId: 'u1', project: { name: 'x', pages: 1 }, note: 'a'.repeat(5000) },
    });
    expect(res.statusCode).toBe(413);
    expectErrorShape(res.json(), 'PAYLOAD_TOO_LARGE');
  });

  it('answers an unsupported content type with 415', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/fixture/echo',
      payload: 'userId=u1',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(res.statusCode).toBe(415);
    expectErrorShape(res.json(), 'UNSUPPORTED_MEDIA_TYPE');
  });

  it('answers router errors (undecodable path, overlong parameter) in the same shape', async () => {
    for (const url of ['/v1/builds/%zz', '/v1/builds/%E0%A4%A', `/v1/builds/${'A'.repeat(101)}`]) {
      const res = await t.app.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(400);
      expectErrorShape(res.json(), 'VALIDATION_FAILED');
      expect(res.json().error.requestId).toBe(res.headers['x-request-id']);
    }
  });

  it('answers a signed text/plain body with 415, not a signature error', async () => {
    const payload = '{"userId":"u1","project":{"name":"x","pages":1}}';
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/fixture/echo',
      payload,
      headers: {
        'content-type': 'text/plain',
        ...signRequest({
          secret: SECRET,
          method: 'POST',
          pathWithQuery: '/v1/fixture/echo',
          body: payload,
        }),
      },
    });
    expect(res.statusCode).toBe(415);
    expectErrorShape(res.json(), 'UNSUPPORTED_MEDIA_TYPE');
  });

  it('answers an internal throw with 500 INTERNAL and no message or stack', async () => {
    const res = await signedInject(t.app, { method: 'GET', url: '/v1/fixture/boom' });
    expect(res.statusCode).toBe(500);
    const body = res.json();
    expectErrorShape(body, 'INTERNAL');
    expect(res.body).not.toContain('hunter2');
    expect(res.body).not.toContain('/srv/app');
    expect(res.body).not.toMatch(/at .+\.ts:\d+/);
    // The operator still sees what happened, in the log, tied to the request id.
    const line = t.logs.lines.find(
      (l) => l.includes(body.error.requestId) && l.includes('request failed'),
    );
    expect(line).toBeDefined();
  });

  it('echoes a well-formed x-request-id and replaces a malformed one', async () => {
    const given = await t.app.inject({
      method: 'GET',
      url: '/myhealthz',
      headers: { 'x-request-id': 'trace-abc-12345' },
    });
    expect(given.headers['x-request-id']).toBe('trace-abc-12345');
    const bad = await t.app.inject({
      method: 'GET',
      url: '/myhealthz',
      headers: { 'x-request-id': 'bad id\n<script>' },
    });
    expect(bad.headers['x-request-id']).toMatch(/^[0-9A-Z]{26}$/);
  });

  it('sets security headers and no CORS headers by default', async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: '/myhealthz',
      headers: { origin: 'https://evil.example' },
    });
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['strict-transport-security']).toBeDefined();
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('sends the security headers and request id on an event stream too', async () => {
    const builds = new BuildsRepository(t.container.db, new ProjectEventsRepository());
    const { build } = await builds.createForPrompt({
      userId: 'headers-user',
      prompt: 'A page',
      name: 'page',
      engine: 'offline',
      archMode: 'monolith',
    });
    await builds.finish(build.id, { status: 'failed' });
    const res = await signedInject(t.app, {
      method: 'GET',
      url: `/v1/builds/${build.id}/events?userId=headers-user`,
      headers: { 'x-request-id': 'stream-request-0001' },
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/event-stream/);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
    expect(res.headers['x-request-id']).toBe('stream-request-0001');
  });
});
