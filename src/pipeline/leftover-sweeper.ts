import type { Logger } from '../observability/logger.js';
import { PeriodicTask } from '../periodic-task.js';
import type { SweepReport } from './sweep.js';

/**
 * The leftover sweep on a timer. Clean-up must not depend on the happy path: a worker that
 * died after its build ended, or the first half of a modular build whose second half ran on
 * another machine, leaves a workspace no later job of that build removes. Every worker may
 * run one on a shared DATA_DIR: builds that are queued or running keep their workspaces, and
 * staging files are removed only once no live process can still be writing them.
 */
export function leftoverSweeper(
  sweep: (options: { periodic: boolean }) => Promise<SweepReport>,
  logger: Logger,
  options: { intervalMs: number },
): PeriodicTask {
  return new PeriodicTask({
    name: 'leftover sweep',
    intervalMs: options.intervalMs,
    run: () => sweep({ periodic: true }),
    logger,
  });
}
