import type { Config } from '../config/config.js';
import type { JobHandler, JobHandlers, JobName, JobRequest, QueueName } from '../queue/catalog.js';
import { UnrecoverableError } from '../queue/job-queue.js';
import type { PipelineDeps } from './context.js';
import { BuildEventLog } from './event-log.js';
import { finish } from './finish.js';
import { isRetryable, StageFailure } from './failure.js';
import { removeWorkspace } from './leftovers.js';
import { runStages } from './runner.js';
import { AI_STAGES, BUILD_STAGES, STAGES, type StageName } from './stage-names.js';

/** The jobs that run a build, and the slice of the pipeline each one runs. */
const BUILD_JOBS = {
  /** monolith: all stages in one job */
  'build.run': { stages: STAGES, finalize: true },
  /** modular, first half: AI-bound stages; the build goes on in build.compile */
  'build.generate': { stages: AI_STAGES, finalize: false },
  /** modular, second half: CPU-bound stages */
  'build.compile': { stages: BUILD_STAGES, finalize: true },
} as const satisfies Partial<Record<JobName, { stages: readonly StageName[]; finalize: boolean }>>;

type BuildJobName = keyof typeof BUILD_JOBS;
type BuildJobRequest = Extract<JobRequest, { name: BuildJobName }>;

function isBuildJob(request: JobRequest): request is BuildJobRequest {
  return Object.hasOwn(BUILD_JOBS, request.name);
}

/** Workers per queue: the ai queue only has jobs in modular mode, so nothing polls it otherwise. */
export function workerConcurrency(pipeline: Config['pipeline']): Record<QueueName, number> {
  return {
    builds: pipeline.buildConcurrency,
    ai: pipeline.archMode === 'modular' ? pipeline.aiConcurrency : 0,
    webhooks: pipeline.webhookConcurrency,
  };
}

/**
 * The job handlers: each runs its slice of the pipeline with the same stage code. An error
 * that running again cannot fix leaves as UnrecoverableError, so no queue retries it.
 */
export function jobHandlers(deps: PipelineDeps, workerId: string): JobHandlers {
  const handler =
    (name: BuildJobName): JobHandler<BuildJobName> =>
    async (payload, ctx) => {
      const { stages, finalize } = BUILD_JOBS[name];
      try {
        await runStages(deps, payload.buildId, stages, {
          workerId,
          finalize,
          lastAttempt: ctx.attempt >= ctx.maxAttempts,
          shutdownSignal: ctx.signal,
        });
      } catch (err) {
        throw isRetryable(err) ? err : unrecoverable(err);
      }
    };
  return {
    'build.run': handler('build.run'),
    'build.generate': handler('build.generate'),
    'build.compile': handler('build.compile'),
    'webhook.deliver': (payload, ctx) => deps.webhooks.deliver(payload, ctx.signal),
  };
}

function unrecoverable(err: unknown): UnrecoverableError {
  const error = new UnrecoverableError(err instanceof Error ? err.message : String(err));
  return Object.assign(error, { cause: err });
}

/** A job that will not be retried again: its build fails instead of staying queued forever. */
export function onFinalJobFailure(deps: PipelineDeps) {
  return async (request: JobRequest, error: Error): Promise<void> => {
    if (!isBuildJob(request)) return;
    deps.logger.error(
      { err: error, job: request.name, buildId: request.payload.buildId },
      'job failed for good',
    );
    // The runner ends builds for the failures it knows; this covers what escaped it, with the
    // same bookkeeping: AI time settled (calls no reservation took are charged), the
    // session recorded, the closing event.
    const build = await deps.builds.get(request.payload.buildId);
    if (!build) return removeWorkspace(deps.settings, request.payload.buildId);
    const cause: unknown = error instanceof UnrecoverableError ? error.cause : error;
    const log = new BuildEventLog(build.id, deps.events, deps.bus, deps.redact);
    try {
      await finish(deps, build, log, {
        status: 'failed',
        error:
          cause instanceof StageFailure
            ? { code: cause.code, message: cause.message, hint: cause.hint }
            : {
                code: 'INTERNAL',
                message: 'The build stopped because of an internal error.',
                hint: 'Try again; if it keeps failing, report the build id to the operator.',
              },
      });
    } finally {
      await log.flush();
    }
  };
}
