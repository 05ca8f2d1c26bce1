import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newWebhookSecret } from '../../src/webhooks/signing.js';
import { closedPort } from '../support/closed-port.js';
import { signedInject, startTestApp, type TestApp } from '../support/harness.js';
import { appendDomainVerified, makeProject, settledDelivery } from '../support/webhook-events.js';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver.js';

const OWNER = 'owner-1';
const BASE_MS = 40;

/**
 * Retries with the schedule shrunk (WEBHOOK_RETRY_BASE_MS): 1, 5 and 30 times the base
 * between four attempts, then the delivery is given up with a webhook_failures row and an
 * admin alert. Every attempt is recorded.
 */
describe('webhook retries', () => {
  let t: TestApp;
  let receiver: WebhookReceiver;

  beforeAll(async () => {
    receiver = await startWebhookReceiver();
    t = await startTestApp({
      workers: true,
      env: {
        WEBHOOK_URL: `http://127.0.0.1:${await closedPort()}/hooks`,
        WEBHOOK_SECRET: newWebhookSecret(),
        WEBHOOK_ALLOW_PRIVATE: 'true',
        WEBHOOK_RETRY_BASE_MS: String(BASE_MS),
        WEBHOOK_ATTEMPTS: '4',
        WEBHOOK_POLL_MS: '20',
        WEBHOOK_TIMEOUT_MS: '2000',
      },
    });
  }, 60_000);
  afterAll(async () => {
    await t?.close();
    await receiver?.close();
  });

  it('retries a receiver that is down with backoff, then gives up and alerts', async () => {
    const projectId = await makeProject(t, OWNER);
    await appendDomainVerified(t, projectId, OWNER);
    const { delivery, attempts } = await settledDelivery(t, projectId);
    expect(delivery).toMatchObject({ status: 'failed', attempts: 4 });
    expect(attempts.map((a) => a.attempt)).toEqual([1, 2, 3, 4]);
    for (const a of attempts) {
      expect(a).toMatchObject({ outcome: 'failed', address: '127.0.0.1', status_code: null });
      expect(a.error).toMatch(/ECONNREFUSED/);
    }
    const gaps = attempts
      .slice(1)
      .map((a, i) => a.created_at.getTime() - (attempts[i]?.created_at.getTime() ?? 0));
    [1, 5, 30].forEach((factor, i) => expect(gaps[i]).toBeGreaterThanOrEqual(factor * BASE_MS));

    const failures = await t.container.db.query<{ status: string; attempts: number; url: string }>(
      `SELECT status, attempts, url, event_type FROM webhook_failures WHERE delivery_id = $1`,
      [delivery.id],
    );
    expect(failures.rows).toEqual([
      expect.objectContaining({ status: 'abandoned', attempts: 4, event_type: 'domain.verified' }),
    ]);
    const alerts = await t.container.db.query<{ kind: string; metadata: { deliveryId: string } }>(
      `SELECT kind, severity, metadata FROM admin_alerts WHERE kind = 'webhook.exhausted'`,
    );
    expect(alerts.rows.map((r) => r.metadata.deliveryId)).toContain(delivery.id);
  });

  it('records a redirect or an error status as a failed attempt and follows no Location', async () => {
    const projectId = await makeProject(t, OWNER);
    receiver.status = 302;
    const set = await signedInject(t.app, {
      method: 'PUT',
      url: `/v1/projects/${projectId}/webhook`,
      body: { userId: OWNER, url: receiver.url('/moved') },
    });
    expect(set.statusCode).toBe(200);
    await appendDomainVerified(t, projectId, OWNER);
    const project = async () => {
      const { rows } = await t.container.db.query<{ status: string }>(
        `SELECT status FROM webhook_deliveries WHERE project_id = $1 AND endpoint = 'project'`,
        [projectId],
      );
      return rows[0]?.status;
    };
    await expect.poll(project, { timeout: 20_000, interval: 50 }).toBe('failed');
    const { rows } = await t.container.db.query<{ status_code: number; error: string }>(
      `SELECT a.status_code, a.error FROM webhook_attempts a
       JOIN webhook_deliveries d ON d.id = a.delivery_id
       WHERE d.project_id = $1 AND d.endpoint = 'project' ORDER BY a.attempt`,
      [projectId],
    );
    expect(rows).toHaveLength(4);
    expect(rows[0]).toEqual({ status_code: 302, error: 'HTTP 302: redirects are not followed' });
    expect(receiver.received.every((r) => r.path === '/moved')).toBe(true);
    expect(receiver.received).toHaveLength(4);
  });
});
