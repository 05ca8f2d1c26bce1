import { FlowProducer, Queue, UnrecoverableError, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from '../observability/logger.js';
import {
  JOBS,
  QUEUES,
  jobId,
  type JobHandler,
  type JobName,
  type JobPayload,
  type JobRequest,
  type QueueName,
} from './catalog.js';
import type { JobQueue, QueueCounts } from './job-queue.js';

export { UnrecoverableError };

export interface BullmqQueueOptions {
  redisUrl: string;
  prefix: string;
  attempts: number;
  lockMs: number;
  backoffMs?: number;
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
  private workers: Worker[] = [];

  constructor(
    private readonly redis: Redis,
    private readonly logger: Logger,
    private readonly options: BullmqQueueOptions,
  ) {
    // Queues and the flow producer share the app's connection; workers need their own
    // blocking connections (created by BullMQ from the URL).
    this.queues = Object.fromEntries(
      QUEUES.map((q) => [q, new Queue(q, { connection: redis, prefix: options.prefix })]),
    ) as Record<QueueName, Queue>;
    this.flows = new FlowProducer({ connection: redis, prefix: options.prefix });
  }

  private jobOptions(request: JobRequest) {
    return {
      jobId: jobId(request),
      attempts: this.options.attempts,
      backoff: { type: 'exponential', delay: this.options.backoffMs ?? 2000 },
      removeOnComplete: { age: 24 * 3600, count: 1000 },
      removeOnFail: { age: 7 * 24 * 3600 },
    };
  }

  async enqueue(request: JobRequest): Promise<void> {
    JOBS[request.name].payload.parse(request.payload);
    await this.queues[JOBS[request.name].queue].add(
      request.name,
      request.payload,
      this.jobOptions(request),
    );
  }

  async enqueueFlow(parent: JobRequest, children: JobRequest[]): Promise<void> {
    await this.flows.add({
      name: parent.name,
      queueName: JOBS[parent.name].queue,
      data: parent.payload,
      opts: this.jobOptions(parent),
      children: children.map((child) => ({
        name: child.name,
        queueName: JOBS[child.name].queue,
        data: child.payload,
        opts: { ...this.jobOptions(child), failParentOnFailure: true },
      })),
    });
  }

  async start(
    handlers: Record<JobName, JobHandler>,
    concurrency: Record<QueueName, number>,
    onFinalFailure: (request: JobRequest, error: Error) => Promise<void>,
  ): Promise<void> {
    for (const queue of QUEUES) {
      if (concurrency[queue] < 1) continue;
      const worker = new Worker(
        queue,
        async (job: Job<JobPayload>, _token?: string, signal?: AbortSignal) => {
          const name = job.name as JobName;
          const handler = handlers[name];
          if (!handler) throw new UnrecoverableError(`no handler for ${job.name}`);
          await handler(job.data, {
            attempt: job.attemptsMade + 1,
            maxAttempts: job.opts.attempts ?? 1,
            signal: signal ?? new AbortController().signal,
          });
        },
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
        if (final) void onFinalFailure({ name: job.name as JobName, payload: job.data }, error);
      });
      worker.on('error', (err) => this.logger.error({ err, queue }, 'queue worker error'));
      this.workers.push(worker);
    }
    await Promise.all(this.workers.map((w) => w.waitUntilReady()));
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
    await Promise.all(Object.values(this.queues).map((q) => q.close()));
    await this.flows.close();
  }
}
