import {
  FlowProducer,
  Queue,
  UnrecoverableError as BullmqUnrecoverableError,
  WaitingError,
  Worker,
  type Job,
} from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from '../observability/logger.js';
import {
  QUEUES,
  type FinalFailureHandler,
  type JobCatalog,
  type JobHandlers,
  type JobRequest,
  type QueueName,
} from './catalog.js';
import {
  UnrecoverableError,
  type JobPresence,
  type JobQueue,
  type QueueCounts,
} from './job-queue.js';
import { assertHandlers, JobRules, type PreparedJob } from './job-rules.js';
import { HANDBACK_MS, settlesWithin } from './settles-within.js';

export interface BullmqQueueOptions {
  redisUrl: string;
  prefix: string;
  attempts: number;
  lockMs: number;
  backoffMs?: number;
  /** The jobs and their options; JOBS unless a test varies them. */
  catalog?: JobCatalog;
}

/**
 * BullMQ on Redis: any number of worker processes on any number of machines share the
 * queues. Stalled jobs (a worker that died holding a lock) are moved back to waiting by
 * BullMQ's stalled check; flows make `build.compile` wait for `build.generate`.
 */
export class BullmqQueue implements JobQueue {
  readonly kind = 'bullmq';
  private readonly queues: Record<QueueName, Queue>;
  private readonly flows: FlowProducer;
  private readonly rules: JobRules;
  private workers: Worker[] = [];
  private readonly settling = new Set<Promise<void>>();
  /** Jobs running in this process, with the lock token that proves they are ours. */
  private readonly running = new Map<string, { job: Job<unknown>; token: string | undefined }>();
  /**
   * Jobs this process gave up: handed back at shutdown (moved to waiting here) or whose lock
   * was lost (another worker or the reconciler has them now). Their outcome is not recorded.
   */
  private readonly released = new Map<string, 'handback' | 'lock-lost'>();
  /** Every attempt running here, settled either way: what a shutdown waits for. */
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    private readonly redis: Redis,
    private readonly logger: Logger,
    private readonly options: BullmqQueueOptions,
  ) {
    this.rules = new JobRules(
      { attempts: options.attempts, backoffMs: options.backoffMs ?? 2000 },
      options.catalog,
    );
    // Queues and the flow producer share the app's connection; workers need their own
    // blocking connections (created by BullMQ from the URL).
    this.queues = Object.fromEntries(
      QUEUES.map((q) => [q, new Queue(q, { connection: redis, prefix: options.prefix })]),
    ) as Record<QueueName, Queue>;
    this.flows = new FlowProducer({ connection: redis, prefix: options.prefix });
    // A lost connection is reported on every reconnect attempt; without a listener BullMQ
    // prints each one to stderr. The outage itself is logged once (DependencyState).
    const quiet = (err: Error) => this.logger.debug({ err }, 'queue connection error');
    for (const queue of Object.values(this.queues)) queue.on('error', quiet);
    this.flows.on('error', quiet);
  }

  private static toBullmq(job: PreparedJob) {
    return {
      name: job.name,
      queueName: job.queue,
      data: job.payload,
      opts: {
        jobId: job.id,
        attempts: job.attempts,
        backoff: { type: job.backoff.type, delay: job.backoff.delayMs },
        removeOnComplete: { age: 24 * 3600, count: 1000 },
        removeOnFail: { age: 7 * 24 * 3600 },
      },
    };
  }

  async enqueue(request: JobRequest): Promise<void> {
    const job = BullmqQueue.toBullmq(this.rules.prepare(request));
    await this.queues[job.queueName].add(job.name, job.data, job.opts);
  }

  async enqueueFlow(parent: JobRequest, children: JobRequest[]): Promise<void> {
    // Every request is checked before any is added: a flow is added whole or not at all.
    const top = BullmqQueue.toBullmq(this.rules.prepare(parent));
    const below = children.map((c) => BullmqQueue.toBullmq(this.rules.prepare(c)));
    await this.flows.add({
      ...top,
      children: below.map((c) => ({ ...c, opts: { ...c.opts, failParentOnFailure: true } })),
    });
  }

  async start(
    handlers: JobHandlers,
    concurrency: Record<QueueName, number>,
    onFinalFailure: FinalFailureHandler,
  ): Promise<void> {
    assertHandlers(handlers);
    for (const queue of QUEUES) {
      if (concurrency[queue] < 1) continue;
      const worker = new Worker(
        queue,
        (job: Job<unknown>, token?: string, signal?: AbortSignal) =>
          this.process(handlers, job, token, signal),
        {
          connection: { url: this.options.redisUrl, maxRetriesPerRequest: null },
          prefix: this.options.prefix,
          concurrency: concurrency[queue],
          lockDuration: this.options.lockMs,
          // The longest a blocking read waits: closing a worker waits for it to return.
          drainDelay: 1,
          stalledInterval: Math.max(1000, Math.floor(this.options.lockMs / 2)),
          maxStalledCount: this.options.attempts,
        },
      );
      worker.on('failed', (job, error) => {
        if (!job || error instanceof WaitingError) return;
        const final =
          error instanceof BullmqUnrecoverableError || job.attemptsMade >= (job.opts.attempts ?? 1);
        if (final)
          this.track(
            this.rules.settleFinalFailure(onFinalFailure, this.logger, job, fromBullmq(error)),
          );
      });
      // A lock that cannot be renewed is gone (Redis lost it, or the stalled check gave the job
      // to another worker): stop the run now, so the job never runs twice at once.
      worker.on('lockRenewalFailed', (ids) => {
        for (const id of ids) {
          if (!this.running.has(id) || this.released.has(id)) continue;
          this.released.set(id, 'lock-lost');
          this.logger.warn({ jobId: id, queue }, 'lost the lock of a running job; stopping it');
          worker.cancelJob(id, 'lock lost');
        }
      });
      worker.on('error', (err) => this.logger.error({ err, queue }, 'queue worker error'));
      this.workers.push(worker);
    }
    await Promise.all(this.workers.map((w) => w.waitUntilReady()));
  }

  /**
   * Runs one job. A job this process released ends with BullMQ's WaitingError, which makes the
   * worker leave it alone: a handed-back job was moved to waiting (attempt not spent), and a
   * job whose lock was lost belongs to someone else.
   */
  private process(
    handlers: JobHandlers,
    job: Job<unknown>,
    token: string | undefined,
    signal: AbortSignal | undefined,
  ): Promise<void> {
    const run = this.attempt(handlers, job, token, signal);
    const settled = run.then(
      () => undefined,
      () => undefined,
    );
    this.inFlight.add(settled);
    void settled.finally(() => this.inFlight.delete(settled));
    return run;
  }

  private async attempt(
    handlers: JobHandlers,
    job: Job<unknown>,
    token: string | undefined,
    signal: AbortSignal | undefined,
  ): Promise<void> {
    const id = job.id ?? '';
    this.running.set(id, { job, token });
    try {
      await this.rules.run(handlers, job.name, job.data, {
        attempt: job.attemptsMade + 1,
        maxAttempts: job.opts.attempts ?? 1,
        signal: signal ?? new AbortController().signal,
      });
    } catch (err) {
      if (!this.released.has(id)) throw toBullmq(err);
      await this.handBack(id);
      throw new WaitingError();
    } finally {
      this.running.delete(id);
    }
  }

  /** Moves a job this process is handing back to waiting, once; a lost job is left alone. */
  private async handBack(id: string): Promise<void> {
    const entry = this.running.get(id);
    if (!entry || this.released.get(id) !== 'handback') return;
    this.running.delete(id);
    try {
      await entry.job.moveToWait(entry.token);
    } catch (err) {
      // The lock lapsed meanwhile: the stalled check hands the job out instead.
      this.logger.warn({ err, jobId: id }, 'handing a job back failed');
    }
  }

  /** Keeps a final-failure hand-off until it ends, so close() can wait for it. */
  private track(settling: Promise<void>): void {
    this.settling.add(settling);
    void settling.finally(() => this.settling.delete(settling));
  }

  /** The BullMQ queues themselves, for the queue dashboard (Bull Board) to read. */
  dashboardQueues(): Queue[] {
    return Object.values(this.queues);
  }

  wake(_queue: QueueName): void {
    // BullMQ workers block on Redis and wake by themselves.
  }

  async counts(): Promise<Record<QueueName, QueueCounts>> {
    const entries = await Promise.all(
      QUEUES.map(async (q) => {
        const c = await this.queues[q].getJobCounts(
          'waiting',
          'active',
          'completed',
          'failed',
          'delayed',
          'waiting-children',
          'prioritized',
        );
        return [
          q,
          {
            waiting: (c.waiting ?? 0) + (c['waiting-children'] ?? 0) + (c.prioritized ?? 0),
            active: c.active ?? 0,
            completed: c.completed ?? 0,
            failed: c.failed ?? 0,
            delayed: c.delayed ?? 0,
          },
        ] as const;
      }),
    );
    return Object.fromEntries(entries) as Record<QueueName, QueueCounts>;
  }

  async oldestWaitingMs(): Promise<Record<QueueName, number>> {
    const now = Date.now();
    const entries = await Promise.all(
      QUEUES.map(async (q) => {
        // Ascending: the job that has waited longest comes first.
        const firsts = await this.queues[q].getJobs(['wait', 'prioritized'], 0, 0, true);
        // A job that was delayed became ready only when its delay ran out.
        const readySince = Math.min(now, ...firsts.map((j) => j.timestamp + (j.delay ?? 0)));
        return [q, Math.max(0, now - readySince)] as const;
      }),
    );
    return Object.fromEntries(entries) as Record<QueueName, number>;
  }

  /**
   * Stops taking jobs and lets active ones run for `graceMs`. Then hands them back at once:
   * their signals abort (the pipeline stops its processes and records the interruption) and
   * each job moves to waiting with its attempt unspent, so another worker starts it now.
   * (BullMQ's `close(true)` cannot do this: a second close returns the first one's promise.)
   */
  async presence(requests: JobRequest[]): Promise<JobPresence[]> {
    return Promise.all(
      requests.map(async (request) => {
        const job = this.rules.prepare(request);
        const state = await this.queues[job.queue].getJobState(job.id);
        if (state === 'unknown') return 'missing';
        return state === 'completed' || state === 'failed' ? 'finished' : 'live';
      }),
    );
  }

  async forget(requests: JobRequest[]): Promise<void> {
    for (const request of requests) {
      const job = this.rules.prepare(request);
      const queue = this.queues[job.queue];
      const state = await queue.getJobState(job.id);
      if (state !== 'completed' && state !== 'failed') continue;
      // Refused (it throws) if a worker took a job with this id meanwhile: then it is live.
      await queue.remove(job.id).catch(() => undefined);
    }
  }

  async close(graceMs: number, handBackMs = HANDBACK_MS): Promise<void> {
    const closed = Promise.all(this.workers.map((w) => w.close()));
    if (!(await settlesWithin(closed, graceMs))) {
      const ids = [...this.running.keys()];
      for (const id of ids) this.released.set(id, 'handback');
      this.logger.warn({ jobs: ids }, 'shutdown grace is over; handing active jobs back');
      for (const worker of this.workers) worker.cancelAllJobs('shutdown');
      // A handler that ignores its signal does not hold the shutdown: its job moves now.
      // Most of the budget lets handlers record the interruption themselves.
      if (!(await settlesWithin(Promise.all(this.inFlight), Math.floor(handBackMs * 0.7)))) {
        await Promise.all([...this.running.keys()].map((id) => this.handBack(id)));
      }
      // Nothing of ours is left in the workers; their blocking reads end within drainDelay.
      await settlesWithin(closed, Math.floor(handBackMs * 0.3));
    }
    await Promise.all(this.settling);
    await Promise.all(Object.values(this.queues).map((q) => q.close()));
    await this.flows.close();
  }
}

/**
 * The port's UnrecoverableError as BullMQ's own, which BullMQ needs to fail the job at once
 * (it keeps the port's error as its cause, for the final-failure handler).
 */
function toBullmq(err: unknown): unknown {
  if (!(err instanceof UnrecoverableError)) return err;
  // Its stack too: BullMQ keeps the thrown error's stack with the failed job.
  return Object.assign(new BullmqUnrecoverableError(err.message), { cause: err, stack: err.stack });
}

/** What the handler threw, as the port's error again: the final-failure handler sees that. */
function fromBullmq(error: Error): Error {
  return error instanceof BullmqUnrecoverableError && error.cause instanceof UnrecoverableError
    ? error.cause
    : error;
}
