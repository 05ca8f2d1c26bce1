import { nameFromPrompt } from '../ai/agent/plan.js';
import type { AiEngine, Framework } from '../ai/engine.js';
import type { PreviewUrls } from '../deploy/local-preview.js';
import { AppError } from '../errors.js';
import type { EventBus } from '../events/event-bus.js';
import type { Build, BuildsRepository } from '../repositories/builds.repo.js';
import { ProjectNotFoundError, type NewBuildInput } from '../repositories/builds.repo.js';
import type { BuildDetails } from '../repositories/build-details.repo.js';
import { JOBS, type QueueName } from '../queue/catalog.js';
import type { JobQueue } from '../queue/job-queue.js';
import { TERMINAL_STATUSES } from '../pipeline/stage-names.js';
import type { EmitInput } from '../pipeline/event-log.js';
import type { Estimate } from '../billing/estimate.js';
import type { QuotaService } from './quota.service.js';
import { TERMINAL_EVENT } from '../events/event-bus.js';
import type { Logger } from '../observability/logger.js';
import type { MetricsRecorder } from '../observability/recorder.js';
import { outageOf } from '../observability/dependency-errors.js';
import { reasonOf } from '../observability/dependency-state.js';

export interface CreateBuildInput {
  userId: string;
  prompt: string;
  projectId?: string;
  /** An update of an existing project (it must exist and belong to the user). */
  update?: boolean;
  name?: string;
  framework?: Framework;
  idempotencyKey?: string;
  /** An import: its sources are stored already; no engine runs, so no AI time is reserved. */
  imported?: NewBuildInput['imported'];
}

/** What an import is estimated to cost: nothing, it makes no engine call. */
const NO_AI_TIME: Estimate = { seconds: 0, tokens: 0, costUsd: 0, basis: 'default', samples: 0 };

export interface BuildServiceDeps {
  builds: BuildsRepository;
  /** Reserves a build's estimated AI time in the transaction that accepts it. */
  quota: QuotaService;
  queue: JobQueue;
  bus: EventBus;
  engine: AiEngine;
  previewUrls: PreviewUrls;
  archMode: 'monolith' | 'modular' | 'stream';
  /** The event log of a build (for the closing event of a build cancelled before it ran). */
  eventLog: (buildId: string) => { emit(input: EmitInput): Promise<unknown> };
  /** Direct mode: run the whole pipeline inside the request. */
  runInline?: (buildId: string) => Promise<void>;
  logger?: Pick<Logger, 'warn'>;
  /** Counts a queued build cancelled here as ended (the workers count the rest). */
  metrics?: Pick<MetricsRecorder, 'buildEnded'>;
}

const CANCELLED = {
  code: 'BUILD_CANCELLED',
  message: 'The build was cancelled.',
  hint: 'Start a new build when you are ready.',
} as const;

/** Starting, reading and cancelling builds. Knows nothing of HTTP or of which queue runs them. */
export class BuildService {
  constructor(private readonly deps: BuildServiceDeps) {}

  async create(
    input: CreateBuildInput,
  ): Promise<{ build: Build; created: boolean; estimate: Estimate & { metered: boolean } }> {
    const { queue, quota } = this.deps;
    this.assertFramework(input.framework);
    const estimate = input.imported
      ? NO_AI_TIME
      : await quota.estimate(input.update ? 'update' : 'create', input);
    const result = await this.insert(input, estimate);
    if (result.created) {
      if (this.deps.runInline) await this.deps.runInline(result.build.id);
      else if (queue.kind !== 'embedded') await this.enqueueCommitted(result.build.id);
      else queue.wake(this.firstQueue()); // the job row is committed now
    }
    // A build run inline has moved on since its insert; a queued one is answered as accepted.
    const build = this.deps.runInline
      ? ((await this.deps.builds.get(result.build.id)) ?? result.build)
      : result.build;
    return { build, created: result.created, estimate: { ...estimate, metered: quota.metered } };
  }

  private assertFramework(framework: Framework | undefined): void {
    const { engine } = this.deps;
    if (!framework || engine.frameworks.includes(framework)) return;
    throw new AppError(
      'VALIDATION_FAILED',
      `body.framework: the ${engine.name} engine builds ${engine.frameworks.join(', ')}; "${framework}" is not available.`,
      { hint: `Use one of: ${engine.frameworks.join(', ')}, or leave framework out.` },
    );
  }

  /**
   * Inserts the build (or finds the one an idempotency key already made). AI time is
   * reserved, and the embedded queue (in the same database) enqueues, in the transaction that
   * inserts the build: a refused build leaves nothing, a build row never exists without its job.
   */
  private async insert(input: CreateBuildInput, estimate: Estimate) {
    const { queue, quota } = this.deps;
    const embedded = queue.kind === 'embedded' && !this.deps.runInline;
    try {
      return await this.deps.builds.createForPrompt({
        userId: input.userId,
        prompt: input.prompt,
        name: input.name ?? nameFromPrompt(input.prompt),
        ...(input.name ? { requestedName: input.name } : {}),
        ...(input.projectId ? { projectId: input.projectId } : {}),
        ...(input.update ? { requireProject: true } : {}),
        ...(input.framework ? { framework: input.framework } : {}),
        ...(input.idempotencyKey ? { idempotencyKey: input.idempotencyKey } : {}),
        ...(input.imported ? { imported: input.imported } : {}),
        engine: this.deps.engine.name,
        archMode: this.deps.runInline ? 'direct' : this.deps.archMode,
        afterInsert: async (tx, build) => {
          if (!input.imported) await quota.reserveRound(build, 0, estimate, tx);
          if (embedded) await this.enqueue(build.id, tx);
        },
      });
    } catch (err) {
      throw await this.refusal(input, estimate, err);
    }
  }

  /** What a refused insert answers: a quota denial is recorded, a missing project named. */
  private async refusal(input: CreateBuildInput, estimate: Estimate, err: unknown) {
    if (err instanceof AppError && err.code === 'QUOTA_EXCEEDED') {
      const balance = Number(err.details?.balanceSeconds ?? 0);
      await this.deps.quota.recordDenial(
        input.userId,
        estimate.seconds,
        balance,
        input.update ? 'update' : 'create',
      );
    }
    if (err instanceof ProjectNotFoundError) {
      return new AppError('NOT_FOUND', `No project ${input.projectId ?? ''}.`, {
        hint: input.update
          ? 'Check the projectId and userId: a project is visible only to the user who owns it.'
          : 'Leave projectId out to create a new project.',
      });
    }
    return err;
  }

  /**
   * Enqueues a build whose row is already committed. Redis lost in the moment between the
   * insert and the enqueue leaves the build stored and queued: the database is the record of
   * what must run, and the queue reconciler enqueues it once Redis is back. The client gets
   * its build as accepted rather than a 503 that would make it create a second one. (Redis
   * down before the insert answers 503 with nothing stored: the signature's nonce needs it.)
   */
  private async enqueueCommitted(buildId: string): Promise<void> {
    try {
      await this.enqueue(buildId);
    } catch (err) {
      if (outageOf(err) === undefined) throw err;
      this.deps.logger?.warn(
        { buildId, reason: reasonOf(err) },
        'queue unavailable: build stored as queued, to be enqueued when the queue is back',
      );
    }
  }

  /** The queue a new build's first job waits in. */
  private firstQueue(): QueueName {
    return JOBS[this.deps.archMode === 'modular' ? 'build.generate' : 'build.run'].queue;
  }

  private async enqueue(buildId: string, tx?: Parameters<JobQueue['enqueue']>[1]): Promise<void> {
    const payload = { buildId };
    if (this.deps.archMode === 'modular') {
      await this.deps.queue.enqueueFlow(
        { name: 'build.compile', payload },
        [{ name: 'build.generate', payload }],
        tx,
      );
    } else {
      await this.deps.queue.enqueue({ name: 'build.run', payload }, tx);
    }
  }

  usage(buildId: string) {
    return this.deps.builds.usage(buildId);
  }

  /** A build; with `userId`, only that user's (another's answers like a missing one). */
  async get(buildId: string, userId?: string): Promise<Build> {
    const build = await this.deps.builds.get(buildId);
    if (!build || (userId !== undefined && build.userId !== userId))
      throw new AppError('NOT_FOUND', `No build ${buildId}.`);
    return build;
  }

  /** A build with its AI usage and its version's recommendations, read in one statement. */
  async details(buildId: string, userId?: string): Promise<BuildDetails> {
    const details = await this.deps.builds.details(buildId);
    if (!details || (userId !== undefined && details.build.userId !== userId))
      throw new AppError('NOT_FOUND', `No build ${buildId}.`);
    return details;
  }

  /**
   * Cancels a build. One no worker has taken ends here; one a worker has (even one it took
   * after the read below) is ended by that worker, which gets the control message or, if it
   * subscribes too late for it, finds cancel_requested_at. Only the side that ends the build
   * emits its closing event.
   */
  async cancel(buildId: string, userId?: string): Promise<Build> {
    const build = await this.get(buildId, userId);
    if (TERMINAL_STATUSES.includes(build.status)) return build;
    await this.deps.builds.requestCancel(buildId);
    const ended = await this.deps.builds.cancelQueued(buildId, CANCELLED);
    if (ended) {
      this.deps.metrics?.buildEnded('cancelled', undefined, undefined);
      await this.deps.quota.settleBuild(buildId);
      await this.deps.eventLog(buildId).emit({
        type: TERMINAL_EVENT,
        message: CANCELLED.message,
        data: { status: 'cancelled', error: CANCELLED },
      });
    } else {
      await this.deps.bus.publishControl(buildId, { type: 'cancel' });
    }
    return this.get(buildId);
  }

  previewUrlFor(build: Build): string {
    return this.deps.previewUrls.forBuild(build.id);
  }
}
