import type { Config } from '../config/config.js';
import type { Db } from '../db/db.js';
import { createResolver, SsrfGuard } from '../net/ssrf-guard.js';
import type { Logger } from '../observability/logger.js';
import type { MetricsRecorder } from '../observability/recorder.js';
import type { JobQueue } from '../queue/job-queue.js';
import { DeploymentReportsRepository } from '../repositories/deployments.repo.js';
import type { ProjectEventsRepository } from '../repositories/project-events.repo.js';
import type { ProjectsRepository } from '../repositories/projects.repo.js';
import { WebhookDeliveriesRepository } from '../repositories/webhook-deliveries.repo.js';
import { WebhookOutboxRepository } from '../repositories/webhook-outbox.repo.js';
import type { Transaction } from '../services/release.service.js';
import { InboundWebhooksService } from '../services/inbound-webhooks.service.js';
import { WebhooksService } from '../services/webhooks.service.js';
import { WebhookDelivery } from './delivery.js';
import { WebhookDispatcher } from './dispatcher.js';

/**
 * Webhooks: the dispatcher, the job that sends, the API's service for endpoints and
 * deliveries, and the inbound deployment reports.
 */
export function webhookParts(
  config: Config,
  deps: {
    db: Db;
    transaction: Transaction;
    queue: JobQueue;
    logger: Logger;
    projects: ProjectsRepository;
    projectEvents: ProjectEventsRepository;
    userAgent: string;
    metrics?: MetricsRecorder;
  },
) {
  const settings = config.webhooks;
  const outbox = new WebhookOutboxRepository(deps.db);
  const deliveries = new WebhookDeliveriesRepository(deps.db);
  // Long enough for a job to wait its turn and run: then a lost job is handed over again.
  const leaseMs = 5 * 60_000 + 2 * settings.timeoutMs;
  const guard = new SsrfGuard({
    allowPrivate: settings.allowPrivate,
    resolver: createResolver({
      servers: config.domains.dnsServers,
      timeoutMs: config.domains.dnsTimeoutMs,
    }),
  });
  return {
    deliveries,
    dispatcher: new WebhookDispatcher({
      transaction: deps.transaction,
      outbox,
      queue: deps.queue,
      logger: deps.logger,
      globalUrl: settings.url,
      pollMs: settings.pollMs,
      leaseMs,
    }),
    delivery: new WebhookDelivery({
      transaction: deps.transaction,
      deliveries,
      outbox,
      guard,
      logger: deps.logger,
      globalSecret: settings.secret,
      timeoutMs: settings.timeoutMs,
      retryDelaysMs: settings.retryDelaysMs,
      leaseMs,
      userAgent: deps.userAgent,
      alertEndpoint: config.observability.alerts.webhook,
      ...(deps.metrics ? { metrics: deps.metrics } : {}),
    }),
    service: new WebhooksService({
      transaction: deps.transaction,
      projects: deps.projects,
      outbox,
      deliveries,
      allowPrivate: settings.allowPrivate,
    }),
    inbound: new InboundWebhooksService({
      transaction: deps.transaction,
      reports: new DeploymentReportsRepository(),
      projects: deps.projects,
      projectEvents: deps.projectEvents,
      secrets: settings.inboundSecrets,
      toleranceSeconds: config.auth.toleranceSeconds,
    }),
  };
}
