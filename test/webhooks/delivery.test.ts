import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newWebhookSecret } from '../../src/webhooks/signing.js';
import { ADMIN_SECRET, signedInject, startTestApp, type TestApp } from '../support/harness.js';
import { buildVersion, call, OWNER } from '../support/releases.js';
import { ScriptedEngine } from '../support/scripted-engine.js';
import { siteFiles } from '../support/releases.js';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver.js';

/**
 * Webhooks end to end: real builds and a publish through the signed API, the outbox, the
 * dispatcher, the queue and a real HTTP receiver on loopback that verifies each message with
 * the standardwebhooks package, as any receiver would.
 */
describe('signed outgoing webhooks', () => {
  let t: TestApp;
  let receiver: WebhookReceiver;
  const secret = newWebhookSecret();
  const engine = new ScriptedEngine(siteFiles('v1'));
  let build: { buildId: string; projectId: string; versionId: string };

  const verified = (type: string, wh = new Webhook(secret), path = '/hooks') =>
    receiver
      .ofType(type)
      .filter((r) => r.path === path)
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      .map((r) => wh.verify(r.body, r.headers) as any);

  const waitFor = async (type: string, path = '/hooks') =>
    expect
      .poll(() => receiver.ofType(type).filter((r) => r.path === path).length, {
        timeout: 20_000,
        interval: 50,
      })
      .toBeGreaterThan(0);

  beforeAll(async () => {
    receiver = await startWebhookReceiver();
    t = await startTestApp({
      engine,
      workers: true,
      env: {
        WEBHOOK_URL: receiver.url('/hooks'),
        WEBHOOK_SECRET: secret,
        // The receiver is on loopback.
        WEBHOOK_ALLOW_PRIVATE: 'true',
        WEBHOOK_POLL_MS: '50',
      },
    });
    const ended = await buildVersion(t, engine, 'v1');
    build = { buildId: ended.buildId, projectId: ended.projectId, versionId: ended.versionId };
  }, 120_000);
  afterAll(async () => {
    await t?.close();
    await receiver?.close();
  });

  it('sends build.started, build.succeeded and version.created for a build, each verifiable', async () => {
    for (const type of ['build.started', 'build.succeeded', 'version.created']) await waitFor(type);
    const [started] = verified('build.started');
    const [succeeded] = verified('build.succeeded');
    const [created] = verified('version.created');
    expect(started).toMatchObject({
      type: 'build.started',
      data: { projectId: build.projectId, buildId: build.buildId, status: 'running' },
    });
    expect(succeeded).toMatchObject({
      type: 'build.succeeded',
      data: {
        projectId: build.projectId,
        versionId: build.versionId,
        buildId: build.buildId,
        status: 'succeeded',
        previewUrl: expect.stringContaining(build.buildId.toLowerCase()),
      },
    });
    expect(created).toMatchObject({
      type: 'version.created',
      data: { versionId: build.versionId, buildId: build.buildId, number: 1 },
    });
    expect(Date.parse(succeeded.timestamp)).not.toBeNaN();
    const headers = receiver.ofType('build.succeeded')[0]?.headers ?? {};
    expect(headers['webhook-id']).toMatch(/^msg_[0-9A-Z]{26}$/);
    expect(headers['content-type']).toBe('application/json');
  });

  it('sends project.published for a publish', async () => {
    const res = await call(t, 'POST', `/projects/${build.projectId}/publish/${build.versionId}`, {
      userId: OWNER,
    });
    expect(res.status).toBe(200);
    await waitFor('project.published');
    expect(verified('project.published')[0]).toMatchObject({
      type: 'project.published',
      data: {
        projectId: build.projectId,
        versionId: build.versionId,
        productionUrl: res.body.productionUrl,
      },
    });
  });

  it("sends a project's events to its own endpoint, signed with that endpoint's secret", async () => {
    const url = `/v1/projects/${build.projectId}/webhook`;
    const other = await signedInject(t.app, {
      method: 'PUT',
      url,
      body: { userId: 'someone-else', url: receiver.url('/project') },
    });
    expect(other.statusCode).toBe(404);
    const set = await signedInject(t.app, {
      method: 'PUT',
      url,
      body: { userId: OWNER, url: receiver.url('/project') },
    });
    expect(set.statusCode).toBe(200);
    const own = set.json<{ secret: string; url: string }>();
    expect(own.secret).toMatch(/^whsec_/);
    const read = await signedInject(t.app, { method: 'GET', url: `${url}?userId=${OWNER}` });
    expect(read.json()).toEqual({ projectId: build.projectId, url: own.url });
    expect(read.body).not.toContain(own.secret);

    const down = await call(t, 'DELETE', `/projects/${build.projectId}/publish?userId=${OWNER}`);
    expect(down.status).toBe(200);
    await waitFor('project.unpublished', '/project');
    await waitFor('project.unpublished', '/hooks');
    const mine = verified('project.unpublished', new Webhook(own.secret), '/project');
    expect(mine[0]).toMatchObject({ data: { projectId: build.projectId } });
    const sent = receiver.ofType('project.unpublished').find((r) => r.path === '/project');
    expect(() => new Webhook(secret).verify(sent?.body ?? '', sent?.headers ?? {})).toThrow();

    const removed = await signedInject(t.app, {
      method: 'DELETE',
      url: `${url}?userId=${OWNER}`,
    });
    expect(removed.json()).toEqual({ projectId: build.projectId, removed: true });
  });

  it('refuses project webhook URLs that are not https or carry credentials', async () => {
    for (const bad of ['ftp://example.com/x', 'https://user:pw@example.com/x', 'not a url']) {
      const res = await signedInject(t.app, {
        method: 'PUT',
        url: `/v1/projects/${build.projectId}/webhook`,
        body: { userId: OWNER, url: bad },
      });
      expect(res.statusCode, bad).toBe(400);
    }
  });

  it('lists deliveries with every attempt, and sends one again, for admins only', async () => {
    const list = '/v1/admin/webhooks/deliveries?status=delivered&limit=100';
    expect((await signedInject(t.app, { method: 'GET', url: list })).statusCode).toBe(401);
    const res = await signedInject(t.app, { method: 'GET', url: list, secret: ADMIN_SECRET });
    expect(res.statusCode).toBe(200);
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const { deliveries } = res.json<{ deliveries: Array<Record<string, any>> }>();
    const started = deliveries.find((d) => d.eventType === 'build.started');
    expect(started).toMatchObject({ status: 'delivered', attempts: 1, endpoint: 'global' });
    expect(started?.attemptLog).toEqual([
      expect.objectContaining({
        attempt: 1,
        outcome: 'delivered',
        statusCode: 200,
        address: '127.0.0.1',
        responseExcerpt: 'ok',
        error: null,
      }),
    ]);

    const redeliver = `/v1/admin/webhooks/deliveries/${started?.id}/redeliver`;
    expect((await signedInject(t.app, { method: 'POST', url: redeliver })).statusCode).toBe(401);
    const again = await signedInject(t.app, {
      method: 'POST',
      url: redeliver,
      secret: ADMIN_SECRET,
    });
    expect(again.statusCode).toBe(202);
    await expect
      .poll(() => receiver.ofType('build.started').length, { timeout: 20_000, interval: 50 })
      .toBe(2);
    const ids = receiver.ofType('build.started').map((r) => r.headers['webhook-id']);
    expect(ids[0]).toBe(ids[1]);
    expect(verified('build.started')).toHaveLength(2);
  });
});
