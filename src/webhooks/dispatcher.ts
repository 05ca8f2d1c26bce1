import type { Logger } from '../observability/logger.js';
import { PeriodicTask } from '../periodic-task.js';
import type { JobQueue } from '../queue/job-queue.js';
import type {
  NewDelivery,
  OutboxEvent,
  ProjectEndpoint,
  WebhookOutboxRepository,
} from '../repositories/webhook-outbox.repo.js';
import type { Transaction } from '../services/release.service.js';
import { webhookPayload } from './events.js';

export interface DispatcherDeps {
  transaction: Transaction;
  outbox: WebhookOutboxRepository;
  queue: JobQueue;
  logger: Logger;
  /** WEBHOOK_URL: every project's events go there too. */
  globalUrl: string | undefined;
  pollMs: number;
  /** How long a handed-over delivery waits for its job before it is handed over again. */
  leaseMs: number;
}

const BATCH = 100;

/**
 * Moves the outbox forward on a timer, in every worker process: unsent project events become
 * one delivery per endpoint (in the transaction that marks them sent), and deliveries that are
 * due become `webhook.deliver` jobs. The database stays the record of what is owed; the queue
 * only runs attempts, so a job lost with Redis is handed over again when its lease lapses.
 */
export class WebhookDispatcher {
  private readonly timer: PeriodicTask;

  constructor(private readonly deps: DispatcherDeps) {
    this.timer = new PeriodicTask({
      name: 'webhook dispatch',
      intervalMs: deps.pollMs,
      run: () => this.runOnce(),
      logger: deps.logger,
    });
  }

  start(): void {
    this.timer.start();
  }

  stop(): Promise<void> {
    return this.timer.stop();
  }

  /** One round: plan deliveries for new events, then hand due deliveries to the queue. */
  async runOnce(): Promise<void> {
    if (!(await this.deps.outbox.hasWork())) return;
    while ((await this.planDeliveries()) === BATCH) {
      // A full batch: there may be more waiting.
    }
    const due = await this.deps.transaction((tx) =>
      this.deps.outbox.dispatchDue(tx, BATCH, this.deps.leaseMs),
    );
    for (const payload of due) {
      await this.deps.queue.enqueue({ name: 'webhook.deliver', payload });
    }
  }

  private planDeliveries(): Promise<number> {
    return this.deps.transaction(async (tx) => {
      const events = await this.deps.outbox.takeUnsent(tx, BATCH);
      if (events.length === 0) return 0;
      const projectIds = [...new Set(events.map((e) => e.projectId))];
      const endpoints = await this.deps.outbox.endpoints(projectIds, tx);
      const deliveries = events.flatMap((e) => deliveriesOf(e, this.deps.globalUrl, endpoints));
      await this.deps.outbox.addDeliveries(tx, deliveries);
      await this.deps.outbox.markSent(
        tx,
        events.map((e) => e.id),
      );
      return events.length;
    });
  }
}

function deliveriesOf(
  event: OutboxEvent,
  globalUrl: string | undefined,
  endpoints: ProjectEndpoint[],
): NewDelivery[] {
  const payload = webhookPayload(event);
  if (!payload) return [];
  const base = { eventId: event.id, projectId: event.projectId, eventType: payload.type, payload };
  const out: NewDelivery[] = [];
  if (globalUrl) out.push({ ...base, endpoint: 'global', url: globalUrl });
  const own = endpoints.find((e) => e.projectId === event.projectId);
  if (own) out.push({ ...base, endpoint: 'project', url: own.url });
  return out;
}
