import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AlertEvaluator } from '../../src/alerts/alert-evaluator.js';
import { alertRules, type RuleInputs } from '../../src/alerts/rules.js';
import type { Firing } from '../../src/repositories/alerts.repo.js';
import { WebhookOutboxRepository } from '../../src/repositories/webhook-outbox.repo.js';
import { ADMIN_SECRET, signedInject, startTestApp, type TestApp } from './harness.js';

const ALERT_URL = 'https://alerts.example.com/hook';

const firing = (subject: string, value = 1): Firing => ({
  rule: 'suite.rule',
  subject,
  severity: 'warning',
  message: `waited ${value}`,
  value,
  threshold: 1,
});

/**
 * admin_alerts through the real repository, evaluator and route, on whichever database `env`
 * selects (PGlite and PostgreSQL run the same suite).
 */
export function alertsSuite(profile: string, env: () => Promise<Record<string, string>>) {
  describe(`alerts (${profile})`, () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp({
        env: {
          ...(await env()),
          ALERT_WEBHOOK_URL: ALERT_URL,
          WEBHOOK_SECRET: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
        },
      });
    }, 120_000);
    afterAll(() => t?.close());

    it('opens one row per rule and subject, however many evaluators race to open it', async () => {
      const { alerts } = t.container;
      const opened = await Promise.all(
        Array.from({ length: 6 }, () =>
          t.container.db.transaction((q) => alerts.open(q, firing('race'))),
        ),
      );
      expect(opened.filter(Boolean)).toHaveLength(1);
      expect(await alerts.open(t.container.db, firing('race', 7))).toBeUndefined();
      const open = (await alerts.openOf(['suite.rule'])).filter((a) => a.subject === 'race');
      expect(open).toHaveLength(1);
      expect(open[0]).toMatchObject({ state: 'open', value: 7, message: 'waited 7' });
    });

    it('resolves an open alert once, and a later firing opens a new row', async () => {
      const { alerts, db } = t.container;
      await alerts.open(db, firing('flap'));
      const resolved = await alerts.resolve(db, 'suite.rule', 'flap');
      expect(resolved).toMatchObject({ state: 'resolved', subject: 'flap' });
      expect(resolved?.resolvedAt).toBeInstanceOf(Date);
      expect(await alerts.resolve(db, 'suite.rule', 'flap')).toBeUndefined();
      const again = await alerts.open(db, firing('flap'));
      expect(again?.id).not.toBe(resolved?.id);
      const all = (await alerts.list({ limit: 100 })).filter((a) => a.subject === 'flap');
      expect(all.map((a) => a.state).sort()).toEqual(['open', 'resolved']);
    });

    it('evaluates real rules: opens while firing, resolves when clear, one webhook each', async () => {
      let waitedMs = 20 * 60_000;
      const inputs: RuleInputs = {
        stats: {
          buildOutcomesSince: async () => ({ ended: 0, failed: 0 }),
          webhookFailuresSince: async () => [],
        },
        queue: {
          counts: () => t.container.queue.counts(),
          oldestWaitingMs: async () => ({ builds: waitedMs, ai: 0, webhooks: 0 }),
        },
        disk: async () => ({ freeBytes: 50, totalBytes: 100 }),
        circuits: () => [],
        now: Date.now,
      };
      const evaluator = new AlertEvaluator({
        rules: alertRules(t.container.config.observability.alerts, inputs, {
          host: 'h1',
          workerId: 'w1',
          dataDir: '/data',
        }).filter((r) => r.name === 'queue.oldest_waiting'),
        alerts: t.container.alerts,
        transaction: (fn) => t.container.db.transaction(fn),
        outbox: new WebhookOutboxRepository(t.container.db),
        webhookUrl: ALERT_URL,
        intervalMs: 60_000,
        logger: t.container.logger,
      });
      const first = await evaluator.runOnce();
      expect(first.opened.map((a) => [a.rule, a.subject])).toEqual([
        ['queue.oldest_waiting', 'builds'],
      ]);
      expect((await evaluator.runOnce()).opened).toEqual([]);
      waitedMs = 0;
      const cleared = await evaluator.runOnce();
      expect(cleared.resolved.map((a) => a.subject)).toEqual(['builds']);

      const { rows } = await t.container.db.query<{
        event_type: string;
        url: string;
        project_id: string | null;
        payload: { type: string; data: { rule: string; state: string } };
      }>(
        `SELECT event_type, url, project_id, payload FROM webhook_deliveries
         WHERE endpoint = 'alert' AND payload->'data'->>'subject' = 'builds' ORDER BY id`,
      );
      expect(rows.map((r) => [r.event_type, r.payload.data.state])).toEqual([
        ['alert.opened', 'open'],
        ['alert.resolved', 'resolved'],
      ]);
      expect(rows.every((r) => r.url === ALERT_URL && r.project_id === null)).toBe(true);
    });

    it("leaves another worker's engine alert to it, until that worker stops refreshing it", async () => {
      const { alerts, db } = t.container;
      const theirs = { ...firing('anthropic@w2'), rule: 'engine.circuit_open' };
      await alerts.open(db, theirs);
      const mine = (workerId: string) =>
        new AlertEvaluator({
          rules: alertRules(
            t.container.config.observability.alerts,
            {
              stats: {
                buildOutcomesSince: async () => ({ ended: 0, failed: 0 }),
                webhookFailuresSince: async () => [],
              },
              queue: t.container.queue,
              disk: async () => ({ freeBytes: 50, totalBytes: 100 }),
              circuits: () => [{ engine: 'anthropic', open: false }],
              now: Date.now,
            },
            { host: 'h1', workerId, dataDir: '/data' },
          ).filter((r) => r.name === 'engine.circuit_open'),
          alerts,
          transaction: (fn) => db.transaction(fn),
          outbox: new WebhookOutboxRepository(db),
          webhookUrl: undefined,
          intervalMs: 60_000,
          logger: t.container.logger,
        });
      expect((await mine('w1').runOnce()).resolved).toEqual([]);
      await db.query(
        `UPDATE admin_alerts SET last_seen_at = now() - interval '1 hour'
         WHERE kind = 'engine.circuit_open' AND subject = 'anthropic@w2'`,
      );
      const stale = await mine('w1').runOnce();
      expect(stale.resolved.map((a) => a.subject)).toEqual(['anthropic@w2']);
      await alerts.open(db, theirs);
      expect((await mine('w2').runOnce()).resolved.map((a) => a.subject)).toEqual(['anthropic@w2']);
    });

    it('GET /v1/admin/alerts lists by state with the admin secret only', async () => {
      const list = (query: string, secret = ADMIN_SECRET) =>
        signedInject(t.app, { method: 'GET', url: `/v1/admin/alerts${query}`, secret });
      const open = await list('?state=open');
      expect(open.statusCode).toBe(200);
      const alerts = open.json<{ alerts: Array<Record<string, unknown>> }>().alerts;
      expect(alerts.length).toBeGreaterThan(0);
      expect(alerts.every((a) => a.state === 'open')).toBe(true);
      expect(Object.keys(alerts[0] ?? {}).sort()).toEqual(
        [
          'details',
          'id',
          'lastSeenAt',
          'message',
          'openedAt',
          'resolvedAt',
          'rule',
          'severity',
          'state',
          'subject',
          'threshold',
          'value',
        ].sort(),
      );
      const resolved = (await list('?state=resolved')).json<{ alerts: Array<{ state: string }> }>();
      expect(resolved.alerts.every((a) => a.state === 'resolved')).toBe(true);
      expect(resolved.alerts.length).toBeGreaterThan(0);
      expect((await list('?state=closed')).json().error.code).toBe('VALIDATION_FAILED');
      expect((await list('')).statusCode).toBe(200);
      const appSigned = await signedInject(t.app, { method: 'GET', url: '/v1/admin/alerts' });
      expect(appSigned.statusCode).toBe(401);
      expect((await t.app.inject({ method: 'GET', url: '/v1/admin/alerts' })).statusCode).toBe(401);
    });
  });
}
