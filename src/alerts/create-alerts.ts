import { hostname } from 'node:os';
import type { Config } from '../config/config.js';
import type { Db } from '../db/db.js';
import { diskSpace } from '../observability/disk-probe.js';
import type { Logger } from '../observability/logger.js';
import type { CircuitSource } from '../observability/metrics.js';
import type { JobQueue } from '../queue/job-queue.js';
import { AlertsRepository } from '../repositories/alerts.repo.js';
import { OpsStatsRepository } from '../repositories/ops-stats.repo.js';
import { WebhookOutboxRepository } from '../repositories/webhook-outbox.repo.js';
import type { Transaction } from '../services/release.service.js';
import { AlertEvaluator } from './alert-evaluator.js';
import { alertRules } from './rules.js';

/** Alerts: their repository, the figures the rules read, and the evaluator the workers run. */
export function alertParts(
  config: Config,
  deps: {
    db: Db;
    transaction: Transaction;
    queue: JobQueue;
    circuits: CircuitSource;
    logger: Logger;
    workerId: string;
  },
) {
  const settings = config.observability.alerts;
  const alerts = new AlertsRepository(deps.db);
  const stats = new OpsStatsRepository(deps.db);
  const rules = alertRules(
    settings,
    {
      stats,
      queue: deps.queue,
      disk: () => diskSpace(config.dataDir),
      circuits: deps.circuits,
      now: Date.now,
    },
    { host: hostname(), workerId: deps.workerId, dataDir: config.dataDir },
  );
  return {
    alerts,
    stats,
    evaluator: new AlertEvaluator({
      rules,
      alerts,
      transaction: deps.transaction,
      outbox: new WebhookOutboxRepository(deps.db),
      webhookUrl: settings.webhook?.url,
      intervalMs: settings.intervalMs,
      logger: deps.logger,
    }),
  };
}
