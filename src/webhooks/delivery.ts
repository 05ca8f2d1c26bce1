import { OutboundError, type SsrfGuard } from '../net/ssrf-guard.js';
import type { Logger } from '../observability/logger.js';
import type { MetricsRecorder } from '../observability/recorder.js';
import type {
  AttemptOutcome,
  Delivery,
  WebhookDeliveriesRepository,
} from '../repositories/webhook-deliveries.repo.js';
import type { WebhookOutboxRepository } from '../repositories/webhook-outbox.repo.js';
import type { Transaction } from '../services/release.service.js';
import { messageId } from './events.js';
import { signWebhook } from './signing.js';

export interface DeliveryDeps {
  transaction: Transaction;
  deliveries: WebhookDeliveriesRepository;
  outbox: WebhookOutboxRepository;
  guard: SsrfGuard;
  logger: Logger;
  /** WEBHOOK_SECRET, for the global endpoint. */
  globalSecret: string | undefined;
  timeoutMs: number;
  /** The wait after attempt 1, 2, … of a schedule; one more attempt than delays. */
  retryDelaysMs: readonly number[];
  leaseMs: number;
  userAgent: string;
  now?: () => number;
  /** ALERT_WEBHOOK_URL and the secret alerts are signed with, when alerts are sent. */
  alertEndpoint?: { url: string; secret: string } | undefined;
  /** Counts attempts by outcome (absent: not counted). */
  metrics?: Pick<MetricsRecorder, 'webhookAttempt'>;
}

interface AttemptResult {
  outcome: AttemptOutcome;
  address: string | null;
  statusCode: number | null;
  responseExcerpt: string | null;
  error: string | null;
}

/**
 * One attempt at one delivery (the `webhook.deliver` job): sign, send through the SSRF
 * guard, record the attempt, and deliver, reschedule or give up, in one transaction. A failed
 * send is a recorded outcome, never an exception; only a fault of the worker itself throws.
 */
export class WebhookDelivery {
  private readonly now: () => number;

  constructor(private readonly deps: DeliveryDeps) {
    this.now = deps.now ?? Date.now;
  }

  async deliver(job: { deliveryId: string; dispatch: number }, signal?: AbortSignal) {
    const delivery = await this.deps.deliveries.begin(
      job.deliveryId,
      job.dispatch,
      this.deps.leaseMs,
    );
    if (!delivery) return; // delivered, given up, or handed over again meanwhile
    const secret = await this.secretFor(delivery);
    const attempt = delivery.attempts + 1;
    if (!secret) {
      await this.deps.transaction((tx) =>
        this.deps.deliveries.settle(tx, delivery.id, {
          attempt: delivery.attempts,
          status: 'cancelled',
          lastStatus: null,
          lastError: 'the endpoint was removed or changed before this was sent',
        }),
      );
      return;
    }
    const started = performance.now();
    const result = await this.send(delivery, secret, signal);
    const latencyMs = Math.max(0, Math.round(performance.now() - started));
    this.deps.metrics?.webhookAttempt(delivery.endpoint, result.outcome);
    await this.record(delivery, attempt, result, latencyMs);
  }

  /** The secret to sign with; none when a project's endpoint is gone or points elsewhere now. */
  private async secretFor(d: Delivery): Promise<string | undefined> {
    if (d.endpoint === 'global') return this.deps.globalSecret;
    if (d.endpoint === 'alert') {
      const alerts = this.deps.alertEndpoint;
      return alerts?.url === d.url ? alerts.secret : undefined;
    }
    const current = d.projectId ? await this.deps.outbox.endpoint(d.projectId) : undefined;
    return current?.url === d.url ? current.secret : undefined;
  }

  private async send(d: Delivery, secret: string, signal?: AbortSignal): Promise<AttemptResult> {
    const body = JSON.stringify(d.payload);
    const timestamp = Math.floor(this.now() / 1000);
    const headers = {
      ...signWebhook(secret, messageId(d.eventId), timestamp, body),
      'content-type': 'application/json',
      'user-agent': this.deps.userAgent,
    };
    try {
      const res = await this.deps.guard.post(new URL(d.url), {
        headers,
        body,
        timeoutMs: this.deps.timeoutMs,
        ...(signal ? { signal } : {}),
      });
      const ok = res.status >= 200 && res.status < 300;
      return {
        outcome: ok ? 'delivered' : 'failed',
        address: res.address,
        statusCode: res.status,
        responseExcerpt: res.excerpt,
        error: ok ? null : statusError(res.status),
      };
    } catch (err) {
      if (!(err instanceof OutboundError)) throw err;
      return {
        outcome: err.kind === 'refused' ? 'refused' : 'failed',
        address: err.address ?? null,
        statusCode: null,
        responseExcerpt: null,
        error: `${err.kind}: ${err.message}`,
      };
    }
  }

  private async record(d: Delivery, attempt: number, result: AttemptResult, latencyMs: number) {
    const inSchedule = attempt - d.scheduleStart;
    const exhausted = result.outcome !== 'delivered' && inSchedule > this.deps.retryDelaysMs.length;
    await this.deps.transaction(async (tx) => {
      await this.deps.deliveries.recordAttempt(tx, d.id, {
        attempt,
        url: d.url,
        latencyMs,
        ...result,
      });
      await this.deps.deliveries.settle(tx, d.id, {
        attempt,
        status: result.outcome === 'delivered' ? 'delivered' : exhausted ? 'failed' : 'pending',
        lastStatus: result.statusCode,
        lastError: result.error,
        ...(result.outcome === 'delivered' || exhausted
          ? {}
          : { retryInMs: this.deps.retryDelaysMs[inSchedule - 1] ?? 0 }),
      });
      if (exhausted) {
        const ended = { ...d, lastStatus: result.statusCode, lastError: result.error };
        await this.deps.deliveries.recordExhausted(tx, ended, attempt);
      }
    });
    if (exhausted) {
      this.deps.logger.warn(
        { deliveryId: d.id, eventType: d.eventType, url: d.url, attempts: attempt },
        'webhook delivery given up',
      );
    }
  }
}

function statusError(status: number): string {
  if (status >= 300 && status < 400) return `HTTP ${status}: redirects are not followed`;
  return `HTTP ${status}`;
}
