import { newId } from '../ids.js';
import type { Queryable } from '../db/db.js';
import type { Logger } from '../observability/logger.js';
import type { Alert, AlertsRepository, Firing } from '../repositories/alerts.repo.js';
import type { WebhookOutboxRepository } from '../repositories/webhook-outbox.repo.js';
import type { Transaction } from '../services/release.service.js';
import type { WebhookPayload } from '../webhooks/events.js';
import type { AlertRule } from './rules.js';

/** An alert as clients see it: the GET /v1/admin/alerts item and the webhook's data. */
export function alertJson(a: Alert) {
  return {
    id: a.id,
    rule: a.rule,
    subject: a.subject,
    state: a.state,
    severity: a.severity,
    message: a.message,
    value: a.value,
    threshold: a.threshold,
    details: a.details,
    openedAt: a.openedAt.toISOString(),
    lastSeenAt: a.lastSeenAt.toISOString(),
    resolvedAt: a.resolvedAt?.toISOString() ?? null,
  };
}

export interface AlertEvaluatorDeps {
  rules: readonly AlertRule[];
  alerts: AlertsRepository;
  transaction: Transaction;
  /** Where alert.opened and alert.resolved go: the webhook outbox. */
  outbox: Pick<WebhookOutboxRepository, 'addDeliveries'>;
  /** ALERT_WEBHOOK_URL; no webhook without it. */
  webhookUrl: string | undefined;
  /** ALERTS_INTERVAL_MS: an owned alert not refreshed for three of these lost its owner. */
  intervalMs: number;
  logger: Logger;
  now?: () => number;
}

/**
 * Evaluates every rule and keeps admin_alerts in step: an alert opens while its rule fires
 * for a subject and resolves when the rule stops firing for it. Each transition is committed
 * with its webhook delivery, so a receiver hears of every opening and resolution once. Safe
 * to run on every worker at once: the database decides who made each transition.
 */
export class AlertEvaluator {
  private readonly now: () => number;

  constructor(private readonly deps: AlertEvaluatorDeps) {
    this.now = deps.now ?? Date.now;
  }

  async runOnce(): Promise<{ opened: Alert[]; resolved: Alert[] }> {
    const opened: Alert[] = [];
    const resolved: Alert[] = [];
    for (const rule of this.deps.rules) {
      let firing: Firing[];
      try {
        firing = (await rule.evaluate()).map((f) => ({ ...f, rule: rule.name }));
      } catch (err) {
        // A rule that cannot read its input neither opens nor resolves anything this round.
        this.deps.logger.warn({ err, rule: rule.name }, 'alert rule could not be evaluated');
        continue;
      }
      const step = await this.apply(rule, firing);
      opened.push(...step.opened);
      resolved.push(...step.resolved);
    }
    return { opened, resolved };
  }

  private async apply(rule: AlertRule, firing: Firing[]) {
    const opened: Alert[] = [];
    const resolved: Alert[] = [];
    for (const f of firing) {
      const alert = await this.deps.transaction(async (tx) => {
        const a = await this.deps.alerts.open(tx, f);
        if (a) await this.notify(tx, 'alert.opened', a);
        return a;
      });
      if (!alert) continue;
      opened.push(alert);
      this.deps.logger.warn(
        { alertId: alert.id, rule: alert.rule, subject: alert.subject, severity: alert.severity },
        `alert opened: ${alert.message}`,
      );
    }
    const still = new Set(firing.map((f) => f.subject));
    for (const a of await this.deps.alerts.openOf([rule.name])) {
      if (a.subject === null || still.has(a.subject) || !this.mayResolve(rule, a)) continue;
      const subject = a.subject;
      const alert = await this.deps.transaction(async (tx) => {
        const r = await this.deps.alerts.resolve(tx, rule.name, subject);
        if (r) await this.notify(tx, 'alert.resolved', r);
        return r;
      });
      if (!alert) continue;
      resolved.push(alert);
      this.deps.logger.info(
        { alertId: alert.id, rule: alert.rule, subject: alert.subject },
        `alert resolved: ${alert.message}`,
      );
    }
    return { opened, resolved };
  }

  /** Shared rules: any evaluator. Owned ones: their owner, or anyone once it went quiet. */
  private mayResolve(rule: AlertRule, a: Alert): boolean {
    if (rule.owner === undefined) return true;
    if (a.subject?.endsWith(`@${rule.owner}`)) return true;
    return a.lastSeenAt.getTime() < this.now() - 3 * this.deps.intervalMs;
  }

  private async notify(tx: Queryable, type: 'alert.opened' | 'alert.resolved', a: Alert) {
    const url = this.deps.webhookUrl;
    if (!url) return;
    const payload: WebhookPayload = {
      type,
      timestamp: new Date(this.now()).toISOString(),
      data: alertJson(a),
    };
    await this.deps.outbox.addDeliveries(tx, [
      { eventId: newId(), projectId: null, eventType: type, endpoint: 'alert', url, payload },
    ]);
  }
}
