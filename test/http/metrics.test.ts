import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Webhook } from 'standardwebhooks';
import { startMetricsServer } from '../../src/http/metrics-server.js';
import { newWebhookSecret } from '../../src/webhooks/signing.js';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver.js';
import { ADMIN_SECRET, signedInject, startTestApp, type TestApp } from '../support/harness.js';
import { buildVersion } from '../support/releases.js';
import { ScriptedEngine } from '../support/scripted-engine.js';

const TOKEN = 'metrics-token-0123456789abcdef';

/** The value of one series in a text exposition, or undefined when it is absent. */
function sample(text: string, name: string, labels: Record<string, string>): number | undefined {
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`)) continue;
    const wanted = Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`));
    if (wanted) return Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return undefined;
}

describe('/metrics is never public by accident', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  }, 120_000);
  afterAll(() => t?.close());

  it('without METRICS_TOKEN the main port has no /metrics, signed or not', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/metrics' })).statusCode).toBe(404);
    const signed = await signedInject(t.app, {
      method: 'GET',
      url: '/metrics',
      secret: ADMIN_SECRET,
    });
    expect(signed.statusCode).toBe(404);
    expect(signed.body).not.toContain('sheen_');
  });

  it('the METRICS_PORT listener binds loopback and serves /metrics only', async () => {
    const server = await startMetricsServer(
      t.container.metrics,
      { host: t.container.config.observability.metrics.host, port: 0 },
      t.container.logger,
    );
    try {
      expect(t.container.config.observability.metrics.host).toBe('127.0.0.1');
      const base = `http://127.0.0.1:${server.port}`;
      const res = await fetch(`${base}/metrics`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toContain('text/plain');
      const text = await res.text();
      expect(text).toContain('process_cpu_seconds_total');
      expect(sample(text, 'sheen_queue_jobs', { queue: 'builds', state: 'waiting' })).toBe(0);
      expect((await fetch(`${base}/`)).status).toBe(404);
      expect((await fetch(`${base}/metrics`, { method: 'POST' })).status).toBe(404);
    } finally {
      await server.close();
    }
  });
});

describe('an app with workers: /metrics with METRICS_TOKEN, queue status, alert webhooks', () => {
  let t: TestApp;
  let receiver: WebhookReceiver;
  const alertSecret = newWebhookSecret();
  const engine = new ScriptedEngine({});
  const scrape = () =>
    t.app.inject({ method: 'GET', url: '/metrics', headers: { authorization: `Bearer ${TOKEN}` } });

  beforeAll(async () => {
    receiver = await startWebhookReceiver();
    t = await startTestApp({
      engine,
      workers: true,
      env: {
        METRICS_TOKEN: TOKEN,
        ALERT_WEBHOOK_URL: receiver.url('/alerts'),
        ALERT_WEBHOOK_SECRET: alertSecret,
        // Free disk is always below 100%: the disk.low rule fires for real.
        ALERT_DISK_FREE_PERCENT: '100',
        // The receiver is on loopback.
        WEBHOOK_ALLOW_PRIVATE: 'true',
        WEBHOOK_POLL_MS: '50',
      },
    });
  }, 120_000);
  afterAll(async () => {
    await t?.close();
    await receiver?.close();
  });

  it('refuses a missing or wrong bearer token in the error shape', async () => {
    const none = await t.app.inject({ method: 'GET', url: '/metrics' });
    expect(none.statusCode).toBe(401);
    expect(none.json().error.code).toBe('AUTH_MISSING');
    const wrong = await t.app.inject({
      method: 'GET',
      url: '/metrics',
      headers: { authorization: `Bearer ${TOKEN}x` },
    });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.body).not.toContain('sheen_builds_total');
  });

  it('labels HTTP requests by route pattern, never by the raw URL', async () => {
    await t.app.inject({ method: 'GET', url: '/myhealthz' });
    await t.app.inject({ method: 'HEAD', url: '/myhealthz' });
    const id = '01ARZ3NDEKTSV4RRFFQ69G5FAV';
    await signedInject(t.app, { method: 'GET', url: `/v1/builds/${id}` });
    await t.app.inject({ method: 'GET', url: `/no/such/${id}` });
    const text = (await scrape()).body;
    const health = { route: '/myhealthz', method: 'GET', status_code: '200' };
    // Once each: a route's own hook, never a second one (the HEAD route copies GET's hooks).
    expect(sample(text, 'sheen_http_request_duration_seconds_count', health)).toBe(1);
    expect(
      sample(text, 'sheen_http_request_duration_seconds_count', { ...health, method: 'HEAD' }),
    ).toBe(1);
    expect(
      sample(text, 'sheen_http_request_duration_seconds_count', {
        route: '/v1/builds/:buildId',
        status_code: '404',
      }),
    ).toBe(1);
    expect(
      sample(text, 'sheen_http_request_duration_seconds_count', {
        route: 'unmatched',
        status_code: '404',
      }),
    ).toBe(1);
    expect(text).not.toContain(id);
  });

  it('a build counts its outcome, each stage time and its engine calls, and logs one line per stage', async () => {
    const before = t.logs.lines.length;
    const built = await buildVersion(t, engine, 'metrics');
    const text = (await scrape()).body;
    expect(sample(text, 'sheen_builds_total', { status: 'succeeded' })).toBe(1);
    expect(sample(text, 'sheen_build_duration_seconds_count', { status: 'succeeded' })).toBe(1);
    for (const stage of ['plan', 'generate', 'build', 'deploy']) {
      expect(
        sample(text, 'sheen_stage_duration_seconds_count', { stage, status: 'succeeded' }),
        stage,
      ).toBe(1);
    }
    expect(sample(text, 'sheen_engine_calls_total', { operation: 'plan', outcome: 'ok' })).toBe(1);
    const stageLines = t.logs.lines
      .slice(before)
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .filter((l) => l.buildId === built.buildId && typeof l.stage === 'string');
    const planLines = stageLines.filter((l) => l.stage === 'plan');
    expect(planLines).toHaveLength(1);
    expect(planLines[0]).toMatchObject({ level: 30, status: 'succeeded' });
    expect(typeof planLines[0]?.durationMs).toBe('number');
  }, 120_000);

  it('counts and logs preview requests quietly, as `site`, whatever their path', async () => {
    const built = await buildVersion(t, engine, 'preview');
    const host = new URL(built.previewUrl as string).host;
    const before = t.logs.lines.length;
    expect((await t.app.inject({ method: 'GET', url: '/', headers: { host } })).statusCode).toBe(
      200,
    );
    const missing = await t.app.inject({
      method: 'GET',
      url: '/v1/builds/01ARZ3NDEKTSV4RRFFQ69G5FAV.js',
      headers: { host },
    });
    expect(missing.statusCode).toBe(404);
    const infoLines = t.logs.lines
      .slice(before)
      .map((l) => JSON.parse(l) as { level: number })
      .filter((l) => l.level >= 30);
    expect(infoLines).toEqual([]);
    const text = (await scrape()).body;
    expect(
      sample(text, 'sheen_http_request_duration_seconds_count', {
        route: 'site',
        status_code: '200',
      }),
    ).toBe(1);
    expect(
      sample(text, 'sheen_http_request_duration_seconds_count', {
        route: 'site',
        status_code: '404',
      }),
    ).toBe(1);
  }, 120_000);

  it('queue-status covers every queue with its oldest wait, webhook deliveries and cleanup', async () => {
    const res = await signedInject(t.app, {
      method: 'GET',
      url: '/v1/admin/queue-status',
      secret: ADMIN_SECRET,
    });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(Object.keys(body.queues).sort()).toEqual(['ai', 'builds', 'webhooks']);
    expect(body.queues.webhooks).toMatchObject({ waiting: 0, oldestWaitingMs: 0 });
    expect(body.webhooks).toEqual(
      expect.objectContaining({ outbox: expect.any(Number), pending: expect.any(Number) }),
    );
    expect(body.cleanup).toMatchObject({ expiredArtifacts: 0, lastRun: null });
  });

  it('every metric the Grafana dashboard queries exists in the registry', async () => {
    const dashboard = await readFile(
      new URL('../../ops/grafana-dashboard.json', import.meta.url),
      'utf8',
    );
    const queried = new Set(dashboard.match(/\b(?:sheen|process|nodejs)_[a-z0-9_]+/g) ?? []);
    expect(queried.size).toBeGreaterThan(15);
    const known = await t.container.metrics.names();
    expect([...queried].filter((name) => !known.has(name))).toEqual([]);
  });

  it('sends alert.opened once for a rule that fires, verifiable with the alert secret', async () => {
    const first = await t.container.alertEvaluator.runOnce();
    expect(first.opened.map((a) => a.rule)).toEqual(['disk.low']);
    expect((await t.container.alertEvaluator.runOnce()).opened).toEqual([]);
    await expect
      .poll(() => receiver.ofType('alert.opened').length, { timeout: 20_000, interval: 50 })
      .toBe(1);
    const [message] = receiver.ofType('alert.opened');
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const body = new Webhook(alertSecret).verify(message!.body, message!.headers) as any;
    expect(body).toMatchObject({
      type: 'alert.opened',
      data: { rule: 'disk.low', state: 'open', severity: expect.any(String) },
    });
    expect(body.data.subject).toContain(t.container.config.dataDir);

    const alertDeliveries = async () =>
      (
        await signedInject(t.app, {
          method: 'GET',
          url: '/v1/admin/webhooks/deliveries',
          secret: ADMIN_SECRET,
        })
      )
        .json()
        .deliveries.filter((d: { endpoint: string }) => d.endpoint === 'alert');
    // The receiver answers before the worker records the attempt.
    await expect
      .poll(async () => (await alertDeliveries())[0]?.status, { timeout: 10_000, interval: 50 })
      .toBe('delivered');
    const sent = await alertDeliveries();
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ eventType: 'alert.opened', projectId: null });
    const text = (await scrape()).body;
    expect(
      sample(text, 'sheen_webhook_deliveries_total', { endpoint: 'alert', outcome: 'delivered' }),
    ).toBe(1);
    const open = await signedInject(t.app, {
      method: 'GET',
      url: '/v1/admin/alerts?state=open',
      secret: ADMIN_SECRET,
    });
    expect(open.json().alerts.map((a: { rule: string }) => a.rule)).toContain('disk.low');
  });
});
