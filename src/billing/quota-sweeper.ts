import type { Logger } from '../observability/logger.js';
import { PeriodicTask } from '../periodic-task.js';
import type { QuotaService } from '../services/quota.service.js';

/**
 * The quota sweep on a timer: settles reservations whose build ended or died, charges engine
 * calls an ended build left uncharged, and writes expire rows for ended grants. Every worker
 * may run one; the ledger functions lock per user, so two sweeps at once settle each
 * reservation once.
 */
export function quotaSweeper(
  quota: QuotaService,
  logger: Logger,
  options: { intervalMs: number; staleMs: number },
): PeriodicTask {
  return new PeriodicTask({
    name: 'quota sweep',
    intervalMs: options.intervalMs,
    run: () => quota.sweep(options.staleMs),
    logger,
  });
}
