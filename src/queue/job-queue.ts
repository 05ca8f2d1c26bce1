import type { Queryable } from '../db/db.js';
import type { FinalFailureHandler, JobHandlers, JobRequest, QueueName } from './catalog.js';

/**
 * Thrown by a handler when running the job again cannot help: BullMQ fails such a job at
 * once, and the embedded queue marks it failed without spending its remaining attempts.
 * The port's own class, so that code which only enqueues or handles jobs does not load
 * BullMQ; the BullMQ adapter hands BullMQ its own class in its place (bullmq-queue.ts).
 */
export class UnrecoverableError extends Error {
  constructor(message?: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'UnrecoverableError';
  }
}

export interface QueueCounts {
  waiting: number;
  active: number;
  completed: number;
  failed: number;
  delayed: number;
}

/**
 * Where a job stands in the queue: `live` (waiting, delayed, active, or waiting for its
 * children), `finished` (completed or failed, its record still kept) or `missing`.
 */
export type JobPresence = 'live' | 'finished' | 'missing';

/**
 * The queue port. Two adapters: BullMQ on Redis, and an embedded queue whose jobs live in
 * the database (so they survive a crash). Both validate every request against the catalog,
 * apply each job's attempts, backoff and timeout, recover jobs whose worker died, and dedupe
 * by job id.
 */
export interface JobQueue {
  readonly kind: 'bullmq' | 'embedded';
  /**
   * Adds a job; a job with the same id already present is left as it is. A request that does
   * not fit the catalog throws InvalidJobError and adds nothing. A job added inside `tx` is
   * not announced to local workers: the caller wakes its queue once `tx` commits.
   */
  enqueue(request: JobRequest, tx?: Queryable): Promise<void>;
  /** Adds `parent` to run only after all `children` complete; validated like `enqueue`. */
  enqueueFlow(parent: JobRequest, children: JobRequest[], tx?: Queryable): Promise<void>;
  /**
   * Starts consuming: one worker per queue with the given concurrency. Throws if `handlers`
   * does not name every job exactly once. `onFinalFailure` runs once per job that will not run
   * again; if it throws, the error is logged.
   */
  start(
    handlers: JobHandlers,
    concurrency: Record<QueueName, number>,
    onFinalFailure: FinalFailureHandler,
  ): Promise<void>;
  counts(): Promise<Record<QueueName, QueueCounts>>;
  /** Per queue, how long the oldest job ready to run has waited for a worker (0: none waits). */
  oldestWaitingMs(): Promise<Record<QueueName, number>>;
  /** Where each request's job stands, in the order asked (the reconciler's question). */
  presence(requests: JobRequest[]): Promise<JobPresence[]>;
  /**
   * Removes the finished records of these jobs, so that enqueueing the same id adds the job
   * anew instead of being dropped as a duplicate. Live jobs are left as they are.
   */
  forget(requests: JobRequest[]): Promise<void>;
  /** Tells local workers of `queue` that jobs were committed there (added inside a transaction). */
  wake(queue: QueueName): void;
  /**
   * Stops taking jobs, lets active ones finish for up to `graceMs`, then hands them back,
   * spending at most about `handBackMs` (default HANDBACK_MS) on that.
   */
  close(graceMs: number, handBackMs?: number): Promise<void>;
}
