import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createResolver, SsrfGuard } from '../../src/net/ssrf-guard.js';
import { startDnsServer, type TestDnsServer } from '../support/dns-server.js';
import { signedInject, startTestApp, type TestApp } from '../support/harness.js';
import { appendDomainVerified, makeProject, settledDelivery } from '../support/webhook-events.js';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver.js';

const OWNER = 'owner-1';
/** A public address (example.com's); this machine has no route there, which is fine. */
const PUBLIC = '93.184.216.34';

/**
 * With WEBHOOK_ALLOW_PRIVATE=false, webhook URLs whose names lead to the worker's own host or
 * network are refused at the attempt and recorded, and nothing ever connects to the
 * receiver listening on loopback, also when DNS changes its answer between two queries.
 */
describe('webhook SSRF guard', () => {
  let t: TestApp;
  let dns: TestDnsServer;
  let receiver: WebhookReceiver;
  let aQueries = 0;

  beforeAll(async () => {
    receiver = await startWebhookReceiver();
    dns = await startDnsServer({
      'loop.test': { a: ['127.0.0.1'] },
      'metadata.test': { a: ['169.254.169.254'] },
      // IPv4-mapped answers, in both spellings.
      'mapped.test': { aaaa: ['::ffff:127.0.0.1'] },
      'mapped-hex.test': { aaaa: ['::ffff:7f00:1'] },
      'mapped-metadata.test': { aaaa: ['::ffff:a9fe:a9fe'] },
      'mixed.test': { a: [PUBLIC, '10.0.0.7'] },
      // Public for the first A query (a check), loopback for every later one (a connect).
      'rebind.test': (type) =>
        type === 'A' ? { a: [aQueries++ === 0 ? PUBLIC : '127.0.0.1'] } : {},
    });
    t = await startTestApp({
      workers: true,
      env: {
        WEBHOOK_ALLOW_PRIVATE: 'false',
        DNS_SERVERS: dns.address,
        WEBHOOK_ATTEMPTS: '1',
        WEBHOOK_POLL_MS: '20',
        WEBHOOK_TIMEOUT_MS: '1500',
      },
    });
  }, 60_000);
  afterAll(async () => {
    await t?.close();
    await dns?.close();
    await receiver?.close();
  });

  const hookTo = async (host: string) => {
    const projectId = await makeProject(t, OWNER);
    const res = await signedInject(t.app, {
      method: 'PUT',
      url: `/v1/projects/${projectId}/webhook`,
      body: { userId: OWNER, url: `https://${host}:${receiver.port}/hook` },
    });
    expect(res.statusCode, res.body).toBe(200);
    await appendDomainVerified(t, projectId, OWNER);
    return settledDelivery(t, projectId);
  };

  it.each([
    ['loop.test', '127.0.0.1', 'loopback'],
    ['metadata.test', '169.254.169.254', 'link-local'],
    ['mapped.test', '::ffff:7f00:1', 'loopback'],
    ['mapped-hex.test', '::ffff:7f00:1', 'loopback'],
    ['mapped-metadata.test', '::ffff:a9fe:a9fe', 'link-local'],
    ['mixed.test', '10.0.0.7', 'private'],
  ])('refuses %s (%s) and records the refused attempt', async (host, address, kind) => {
    const { delivery, attempts } = await hookTo(host);
    expect(delivery.status).toBe('failed');
    expect(attempts).toEqual([
      expect.objectContaining({ attempt: 1, outcome: 'refused', address, status_code: null }),
    ]);
    expect(attempts[0]?.error).toContain(`a ${kind} address`);
    expect(receiver.connections).toBe(0);
  });

  it('connects to the address it checked when DNS rebinds between check and connect', async () => {
    const { delivery, attempts } = await hookTo('rebind.test');
    expect(delivery.status).toBe('failed');
    // The one attempt went to the public answer (unreachable here), never to loopback.
    expect(attempts).toHaveLength(1);
    expect(attempts[0]).toMatchObject({ outcome: 'failed', address: PUBLIC });
    expect(dns.queries.filter((q) => q === 'A rebind.test')).toHaveLength(1);
    expect(receiver.connections).toBe(0);
  });

  it('refuses address literals and localhost when the URL is set', async () => {
    const projectId = await makeProject(t, OWNER);
    for (const host of [
      '127.0.0.1',
      '2130706433',
      '0177.0.0.1',
      '[::1]',
      '[::ffff:127.0.0.1]',
      '[::ffff:a9fe:a9fe]',
      '169.254.169.254',
      '10.0.0.1',
      'localhost',
      'api.localhost',
    ]) {
      const res = await signedInject(t.app, {
        method: 'PUT',
        url: `/v1/projects/${projectId}/webhook`,
        body: { userId: OWNER, url: `https://${host}/hook` },
      });
      expect(res.statusCode, host).toBe(400);
    }
    const http = await signedInject(t.app, {
      method: 'PUT',
      url: `/v1/projects/${projectId}/webhook`,
      body: { userId: OWNER, url: 'http://hooks.example.com/x' },
    });
    expect(http.statusCode).toBe(400);
  });

  it('pins the connection to the checked address (the guard on its own)', async () => {
    const guard = new SsrfGuard({
      allowPrivate: true,
      resolver: createResolver({ servers: [dns.address], timeoutMs: 1000 }),
    });
    dns.set('pinned.test', { a: ['127.0.0.1'] });
    const res = await guard.post(new URL(`http://pinned.test:${receiver.port}/pinned`), {
      headers: { 'content-type': 'application/json' },
      body: '{}',
      timeoutMs: 2000,
    });
    expect(res).toEqual({ status: 200, excerpt: 'ok', address: '127.0.0.1' });
    expect(receiver.received.at(-1)?.headers.host).toBe(`pinned.test:${receiver.port}`);
  });
});
