import { FlowProducer, Queue, UnrecoverableError, Worker, type Job } from 'bullmq';
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
import type { JobQueue, QueueCounts } from './job-queue.js';
import { assertHandlers, JobRules, type PreparedJob } from './job-rules.js';

export { UnrecoverableError };

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
        async (job: Job<unknown>, _token?: string, signal?: AbortSignal) =>
          this.rules.run(handlers, job.name, job.data, {
            attempt: job.attemptsMade + 1,
            maxAttempts: job.opts.attempts ?? 1,
            signal: signal ?? new AbortController().signal,
          }),
        {
          connection: { url: this.options.redisUrl, maxRetriesPerRequest: null },
          prefix: this.options.prefix,
          concurrency: concurrency[queue],
          lockDuration: this.options.lockMs,
          stalledInterval: Math.max(1000, Math.floor(this.options.lockMs / 2)),
          maxStalledCount: this.options.attempts,
        },
      );
      worker.on('failed', (job, error) => {
        if (!job) return;
        const final =
          error instanceof UnrecoverableError || job.attemptsMade >= (job.opts.attempts ?? 1);
        if (final)
          this.track(this.rules.settleFinalFailure(onFinalFailure, this.logger, job, error));
      });
      worker.on('error', (err) => this.logger.error({ err, queue }, 'queue worker error'));
      this.workers.push(worker);
    }
    await Promise.all(this.workers.map((w) => w.waitUntilReady()));
  }

  /** Keeps a final-failure hand-off until it ends, so close() can wait for it. */
  private track(settling: Promise<void>): void {
    this.settling.add(settling);
    void settling.finally(() => this.settling.delete(settling));
  }

  wake(): void {
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

  async close(graceMs: number): Promise<void> {
    const graceful = Promise.all(this.workers.map((w) => w.close()));
    const timedOut = await Promise.race([
      graceful.then(() => false),
      new Promise<boolean>((r) => setTimeout(() => r(true), graceMs).unref()),
    ]);
    // Forced: active jobs keep their lock until it lapses, then the stalled check hands
    // them to another worker.
    if (timedOut) await Promise.all(this.workers.map((w) => w.close(true)));
    await Promise.all(this.settling);
    await Promise.all(Object.values(this.queues).map((q) => q.close()));
    await this.flows.close();
  }
}
