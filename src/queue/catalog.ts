import { z } from 'zod';
import { idSchema, newId } from '../ids.js';

/**
 * Every job the workers run, one entry each: its queue, its payload schema and its options.
 * A job is added here and nowhere else; the handler map (`JobHandlers`) then fails to compile
 * until the job has a handler, and both adapters check the same at start-up.
 */
export const QUEUES = ['builds', 'ai', 'webhooks'] as const;
export type QueueName = (typeof QUEUES)[number];

export interface JobBackoff {
  type: 'exponential' | 'fixed';
  /** The first retry's delay; exponential doubles it for each retry after that. */
  delayMs: number;
}

export interface JobSpec<S extends z.ZodType = z.ZodType> {
  queue: QueueName;
  payload: S;
  /** Runs in all, the first included. Absent: the configured QUEUE_ATTEMPTS. */
  attempts?: number;
  /** Absent: exponential from the adapter's base delay. */
  backoff?: JobBackoff;
  /** A run longer than this is aborted and counts as a failed (retryable) attempt. */
  timeoutMs?: number;
  /**
   * What makes two requests the same job: a second enqueue while the first is still known to
   * the queue is dropped. Absent: every enqueue is a new job.
   */
  dedupeKey?: (payload: z.output<S>) => string;
}

/** Keeps each entry's payload type, so `dedupeKey` and handlers see their own payload. */
function job<S extends z.ZodType>(spec: JobSpec<S>): JobSpec<S> {
  return spec;
}

const buildPayload = z.object({ buildId: idSchema });
const perBuild = (payload: { buildId: string }) => payload.buildId;
/** `dispatch` numbers the delivery's hand-overs to the queue: one job per hand-over. */
const deliveryPayload = z.object({ deliveryId: idSchema, dispatch: z.number().int().min(1) });

export const JOBS = {
  /** monolith: every stage of a build in one job */
  'build.run': job({ queue: 'builds', payload: buildPayload, dedupeKey: perBuild }),
  /** modular, first half: the AI-bound stages */
  'build.generate': job({ queue: 'ai', payload: buildPayload, dedupeKey: perBuild }),
  /** modular, second half: the CPU-bound stages, after build.generate completes */
  'build.compile': job({ queue: 'builds', payload: buildPayload, dedupeKey: perBuild }),
  /**
   * One attempt at sending a webhook. Failed sends are recorded and rescheduled in the
   * database, not thrown; the queue retries only faults of the worker itself (the database).
   */
  'webhook.deliver': job({
    queue: 'webhooks',
    payload: deliveryPayload,
    attempts: 3,
    backoff: { type: 'fixed', delayMs: 5000 },
    timeoutMs: 120_000,
    dedupeKey: (p) => `${p.deliveryId}-${p.dispatch}`,
  }),
} as const;

export type JobName = keyof typeof JOBS;
export const JOB_NAMES = Object.keys(JOBS) as JobName[];

/**
 * A catalog with the same jobs and payloads as JOBS: what a queue runs. Production uses JOBS;
 * a test may change a job's options (attempts, backoff, timeout) without adding a job.
 */
export type JobCatalog = { readonly [N in JobName]: JobSpec<(typeof JOBS)[N]['payload']> };

export type JobPayload<N extends JobName = JobName> = z.output<(typeof JOBS)[N]['payload']>;

/** A job to add: its name decides its payload's type. */
export type JobRequest = { [N in JobName]: { name: N; payload: JobPayload<N> } }[JobName];

export interface JobContext {
  /** 1 for the first run. */
  attempt: number;
  maxAttempts: number;
  /** Aborted when the worker stops, or when the job's time is up (reason: JobTimeoutError). */
  signal: AbortSignal;
}

export type JobHandler<N extends JobName = JobName> = (
  payload: JobPayload<N>,
  ctx: JobContext,
) => Promise<void>;

/** Exactly one handler per job. */
export type JobHandlers = { [N in JobName]: JobHandler<N> };

/** Called once for a job that will not run again. The queue logs what it throws. */
export type FinalFailureHandler = (request: JobRequest, error: Error) => Promise<void>;

/**
 * The job's id in either queue. Deterministic when the job has a dedupe key (the same build
 * never has two jobs of one kind); BullMQ refuses ':' in custom ids, so none is used.
 */
export function jobId(request: JobRequest, catalog: JobCatalog = JOBS): string {
  const spec: JobSpec = catalog[request.name];
  const prefix = request.name.replaceAll('.', '-');
  const key = spec.dedupeKey?.(request.payload);
  if (key === undefined) return `${prefix}-${newId()}`;
  if (key.includes(':')) throw new Error(`dedupe key of ${request.name} contains ':'`);
  return `${prefix}-${key}`;
}
