import type { Logger } from '../observability/logger.js';
import { PeriodicTask } from '../periodic-task.js';
import type { ArtifactCleanupService } from '../services/artifact-cleanup.service.js';

/**
 * Artifact cleanup on a timer on worker processes. Every worker may run one: runs take an
 * advisory lock, so two at once are serial and the second finds the work done.
 */
export function artifactCleanupScheduler(
  cleanup: ArtifactCleanupService,
  logger: Logger,
  options: { intervalMs: number },
): PeriodicTask {
  return new PeriodicTask({
    name: 'artifact cleanup',
    intervalMs: options.intervalMs,
    run: () => cleanup.run({ dryRun: false }),
    logger,
  });
}
