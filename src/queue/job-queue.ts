import type { Queryable } from '../db/db.js';
import type { JobHandler, JobName, JobRequest, QueueName } from './catalog.js';

/**
 * Thrown by a handler when running the job again cannot help: BullMQ fails such a job at
 * once, and the embedded queue marks it failed without spending its remaining attempts.
 */
export { UnrecoverableError } from 'bullmq';

export interface QueueCounts {
  waiting: number;
  active: number;
  completed: number;
  failed: number;
  delayed: number;
}

/**
 * The queue port. Two adapters: BullMQ on Redis, and an embedded queue whose jobs live in
 * the database (so they survive a crash). Both retry with exponential backoff, recover jobs
 * whose worker died, and dedupe by job id.
 */
export interface JobQueue {
  readonly kind: 'bullmq' | 'embedded';
  /** Adds a job; a job with the same id already present is left as it is. */
  enqueue(request: JobRequest, tx?: Queryable): Promise<void>;
  /** Adds `parent` to run only after all `children` complete. */
  enqueueFlow(parent: JobRequest, children: JobRequest[], tx?: Queryable): Promise<void>;
  /** Starts consuming: one worker per queue with the given concurrency. */
  start(
    handlers: Record<JobName, JobHandler>,
    concurrency: Record<QueueName, number>,
    onFinalFailure: (request: JobRequest, error: Error) => Promise<void>,
  ): Promise<void>;
  counts(): Promise<Record<QueueName, QueueCounts>>;
  /** Tells local workers that jobs were committed (jobs added inside a transaction). */
  wake(): void;
  /** Stops taking jobs, lets active ones finish for up to `graceMs`, then hands them back. */
  close(graceMs: number): Promise<void>;
}
