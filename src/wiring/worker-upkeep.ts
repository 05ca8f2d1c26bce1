import type { Config } from '../config/config.js';
import type { Db } from '../db/db.js';
import type { Logger } from '../observability/logger.js';
import type { PipelineDeps } from '../pipeline/context.js';
import { buildsReconcileSource } from '../pipeline/reconcile-builds.js';
import { sweepLeftovers, type SweepReport } from '../pipeline/sweep.js';
import type { JobQueue } from '../queue/job-queue.js';
import { QueueReconciler } from '../queue/reconcile.js';
import type { BuildsRepository } from '../repositories/builds.repo.js';
import { fixedSandboxIdentity } from '../sandbox/create-sandbox.js';
import type { IdentityPool } from '../sandbox/identity-pool.js';
import type { webhookParts } from '../webhooks/create-webhooks.js';
import { webhooksReconcileSource } from '../webhooks/reconcile-webhooks.js';

/**
 * What workers need besides the pipeline itself: the pipeline's settings, the reconciler that
 * puts back work the queue lost, and the sweep of what ended or crashed builds left behind.
 */

export function pipelineSettings(config: Config): PipelineDeps['settings'] {
  return {
    dataDir: config.dataDir,
    installTimeoutMs: config.pipeline.installTimeoutMs,
    buildTimeoutMs: config.pipeline.buildTimeoutMs,
    installAllowScripts: config.pipeline.installAllowScripts,
    npmRegistry: config.pipeline.npmRegistry,
    npmCaFile: config.pipeline.npmCaFile,
    keepWorkspaces: config.pipeline.keepWorkspaces,
    workspaceLimits: config.pipeline.workspaceLimits,
    space: {
      diskBytes: config.sandbox.limits.diskBytes,
      tmpBytes: config.sandbox.limits.tmpBytes,
      maxFileBytes: config.sandbox.limits.maxFileBytes,
    },
    // Installs run no project code: one fixed uid keeps the shared stores writable.
    installIdentity: fixedSandboxIdentity(),
    fix: config.fix,
  };
}

/** Constructing it checks that every job of the catalog says how it is reconciled. */
export function queueReconciler(
  config: Config,
  deps: {
    queue: JobQueue;
    logger: Logger;
    builds: BuildsRepository;
    hooks: ReturnType<typeof webhookParts>;
  },
): QueueReconciler {
  return new QueueReconciler(
    deps.queue,
    [
      buildsReconcileSource(deps.builds, {
        archMode: config.pipeline.archMode,
        quietMs: config.pipeline.lockMs,
      }),
      webhooksReconcileSource(deps.hooks.deliveries, {
        quietMs: config.pipeline.lockMs,
        attemptMs: config.webhooks.timeoutMs,
      }),
    ],
    deps.logger,
  );
}

/**
 * Removes what earlier runs left behind: once at start, before the workers, and then
 * `periodic`ally while other processes may be writing DATA_DIR.
 */
export function leftoverSweep(
  config: Config,
  deps: { db: Db; identities: IdentityPool; logger: Logger; builds: BuildsRepository },
) {
  return async ({ periodic = false } = {}): Promise<SweepReport> => {
    const report = await sweepLeftovers({
      dataDir: config.dataDir,
      unfinishedBuilds: () => deps.builds.unfinishedIds(),
      // PGlite locks DATA_DIR to this process: before its workers start, nothing there is
      // in use by anyone else.
      staleMs: deps.db.kind === 'pglite' && !periodic ? 0 : staleAfterMs(config),
      keepWorkspaces: config.pipeline.keepWorkspaces,
    });
    // Slots are claimed host-wide: a slot another worker holds is never swept.
    if (periodic) await deps.identities.sweepIdle?.();
    if (report.removed.length + report.failed.length > 0)
      deps.logger.info(report, 'removed what earlier runs left behind');
    return report;
  };
}

/** Longer than any step keeps a staging file: the longest sandboxed run, plus a margin. */
function staleAfterMs(config: Config): number {
  const { installTimeoutMs, buildTimeoutMs } = config.pipeline;
  const longest = Math.max(installTimeoutMs, buildTimeoutMs, config.ai.claudeCli.totalTimeoutMs);
  return longest + 10 * 60_000;
}
