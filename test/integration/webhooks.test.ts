import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newWebhookSecret } from '../../src/webhooks/signing.js';
import { startTestApp, type TestApp } from '../support/harness.js';
import { freshPostgresSchema, REDIS_URL, servicesUp, uniquePrefix } from '../support/services.js';
import { appendDomainVerified, makeProject, settledDelivery } from '../support/webhook-events.js';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver.js';

const OWNER = 'owner-1';

/** Webhooks on the production profile: PostgreSQL as the outbox, BullMQ running attempts. */
describe.skipIf(!servicesUp)('webhooks on PostgreSQL + BullMQ', () => {
  const secret = newWebhookSecret();
  const schemas: Array<{ drop: () => Promise<void> }> = [];
  const apps: TestApp[] = [];
  let receiver: WebhookReceiver;

  const start = async (options: { workers: boolean; schemaUrl?: string }) => {
    let url = options.schemaUrl;
    if (!url) {
      const schema = await freshPostgresSchema();
      schemas.push(schema);
      url = schema.url;
    }
    const t = await startTestApp({
      workers: options.workers,
      env: {
        DATABASE_URL: url,
        REDIS_URL,
        REDIS_KEY_PREFIX: uniquePrefix(),
        WEBHOOK_URL: receiver.url('/hooks'),
        WEBHOOK_SECRET: secret,
        WEBHOOK_ALLOW_PRIVATE: 'true',
        WEBHOOK_POLL_MS: '20',
        WEBHOOK_RETRY_BASE_MS: '40',
        WEBHOOK_ATTEMPTS: '3',
      },
    });
    apps.push(t);
    return { t, url };
  };

  beforeAll(async () => {
    receiver = await startWebhookReceiver();
  });
  afterAll(async () => {
    for (const t of apps) await t.close();
    for (const schema of schemas) await schema.drop();
    await receiver?.close();
  });

  it('delivers through BullMQ, retrying an error status, every attempt recorded', async () => {
    const { t } = await start({ workers: true });
    receiver.status = 500;
    const projectId = await makeProject(t, OWNER);
    await appendDomainVerified(t, projectId, OWNER);
    await expect.poll(() => receiver.received.length, { timeout: 20_000 }).toBeGreaterThan(0);
    receiver.status = 200;
    const { delivery, attempts } = await settledDelivery(t, projectId);
    expect(delivery.status).toBe('delivered');
    expect(attempts[0]).toMatchObject({ outcome: 'failed', status_code: 500, error: 'HTTP 500' });
    expect(attempts.at(-1)).toMatchObject({ outcome: 'delivered', status_code: 200 });
    const last = receiver.received.at(-1);
    expect(new Webhook(secret).verify(last?.body ?? '', last?.headers ?? {})).toMatchObject({
      type: 'domain.verified',
      data: { projectId, domain: 'shop.example.com' },
    });
    await t.close();
    apps.splice(apps.indexOf(t), 1);
  });

  it('sends a delivery whose job was lost with Redis once its lease lapses', async () => {
    // A process without workers plans the delivery and hands it to its Redis queue...
    const first = await start({ workers: false });
    const projectId = await makeProject(first.t, OWNER);
    await appendDomainVerified(first.t, projectId, OWNER);
    await first.t.container.webhookDispatcher.runOnce();
    const before = receiver.received.length;
    // ...and that Redis is gone: the next process uses another one (a fresh key prefix).
    await first.t.close();
    apps.splice(apps.indexOf(first.t), 1);
    const db = (await start({ workers: false, schemaUrl: first.url })).t.container.db;
    const handed = await db.query<{ dispatches: number; status: string }>(
      'SELECT dispatches, status FROM webhook_deliveries WHERE project_id = $1',
      [projectId],
    );
    expect(handed.rows[0]).toEqual({ dispatches: 1, status: 'pending' });
    // The lease lapses (sped up here); a worker with the new Redis hands it over again.
    await db.query('UPDATE webhook_deliveries SET next_attempt_at = now() WHERE project_id = $1', [
      projectId,
    ]);
    const second = await start({ workers: true, schemaUrl: first.url });
    const { delivery, attempts } = await settledDelivery(second.t, projectId);
    expect(delivery.status).toBe('delivered');
    expect(attempts).toHaveLength(1);
    expect(receiver.received.length).toBe(before + 1);
    const { rows } = await db.query<{ dispatches: number }>(
      'SELECT dispatches FROM webhook_deliveries WHERE project_id = $1',
      [projectId],
    );
    expect(rows[0]?.dispatches).toBe(2);
  });
});
