import type { Logger } from '../observability/logger.js';
import {
  JOB_NAMES,
  JOBS,
  jobId,
  type FinalFailureHandler,
  type JobBackoff,
  type JobCatalog,
  type JobContext,
  type JobHandlers,
  type JobName,
  type JobRequest,
  type JobSpec,
  type QueueName,
} from './catalog.js';
import { UnrecoverableError } from './job-queue.js';

/** A request whose name is not in the catalog or whose payload does not fit its schema. */
export class InvalidJobError extends Error {
  override readonly name = 'InvalidJobError';
}

/** The reason a job's signal is aborted when it runs past its `timeoutMs`. */
export class JobTimeoutError extends Error {
  override readonly name = 'JobTimeoutError';
  constructor(
    readonly job: string,
    readonly timeoutMs: number,
  ) {
    super(`${job} ran longer than ${timeoutMs} ms`);
  }
}

/** What the adapter was configured with; a job's own options win over these. */
export interface JobDefaults {
  attempts: number;
  backoffMs: number;
}

export interface PreparedJob {
  id: string;
  name: JobName;
  queue: QueueName;
  /** The payload as its schema parsed it (unknown keys dropped). */
  payload: unknown;
  attempts: number;
  backoff: JobBackoff;
}

/** The wait before the run after `attempt` (1-based); the same formula BullMQ uses. */
export function backoffDelay(backoff: JobBackoff, attempt: number): number {
  if (backoff.type === 'fixed') return backoff.delayMs;
  return Math.round(backoff.delayMs * 2 ** (attempt - 1));
}

/** Start-up check: the handler map names every job of the catalog, and nothing else. */
export function assertHandlers(handlers: Partial<Record<string, unknown>>): void {
  const missing = JOB_NAMES.filter((name) => typeof handlers[name] !== 'function');
  const unknown = Object.keys(handlers).filter((name) => !Object.hasOwn(JOBS, name));
  if (missing.length > 0 || unknown.length > 0) {
    throw new Error(
      `job catalog mismatch: missing ${missing.join(', ') || 'none'}; unknown ${unknown.join(', ') || 'none'}`,
    );
  }
}

/**
 * How a queue treats each job of its catalog. Both adapters hold one, so a job behaves the
 * same on BullMQ and on the embedded queue: one validation on the way in and on the way out,
 * one reading of the catalog's options, one timeout, one way to report a job that failed for
 * good.
 */
export class JobRules {
  constructor(
    private readonly defaults: JobDefaults,
    private readonly catalog: JobCatalog = JOBS,
  ) {}

  private spec(name: string): JobSpec | undefined {
    return Object.hasOwn(this.catalog, name) ? this.catalog[name as JobName] : undefined;
  }

  private parse(name: string, payload: unknown): JobRequest {
    const spec = this.spec(name);
    if (!spec) throw new InvalidJobError(`no job named ${JSON.stringify(name)} in the catalog`);
    const parsed = spec.payload.safeParse(payload);
    if (!parsed.success) {
      const issues = parsed.error.issues.map(
        (i) => `${i.path.join('.') || '(payload)'}: ${i.message}`,
      );
      throw new InvalidJobError(`${name}: invalid payload: ${issues.join('; ')}`);
    }
    // The data was just checked against this very name's schema.
    return { name, payload: parsed.data } as JobRequest;
  }

  /**
   * Validates a request and resolves its options: the one way a job enters either queue.
   * Throws InvalidJobError before anything is written.
   */
  prepare(request: JobRequest): PreparedJob {
    const checked = this.parse(request.name, request.payload);
    const spec = this.spec(checked.name) as JobSpec;
    return {
      id: jobId(checked, this.catalog),
      name: checked.name,
      queue: spec.queue,
      payload: checked.payload,
      attempts: spec.attempts ?? this.defaults.attempts,
      backoff: this.backoff(checked.name),
    };
  }

  /** The id a request's job has in the queue (checked like `prepare`). */
  id(request: JobRequest): string {
    return this.prepare(request).id;
  }

  backoff(name: string): JobBackoff {
    return this.spec(name)?.backoff ?? { type: 'exponential', delayMs: this.defaults.backoffMs };
  }

  /**
   * Runs one attempt of a stored job. The stored payload is checked again (it may predate a
   * schema change): a job that can never be valid fails at once. A job with `timeoutMs` has
   * its signal aborted with a JobTimeoutError when time is up, and the attempt fails with that
   * error, which the queue retries like any other fault. The handler must honour its signal:
   * the attempt ends at the deadline whether or not the handler has returned.
   */
  async run(handlers: JobHandlers, name: string, data: unknown, ctx: JobContext): Promise<void> {
    let request: JobRequest;
    try {
      request = this.parse(name, data);
    } catch (err) {
      throw new UnrecoverableError((err as Error).message);
    }
    // The payload matches this name's schema, so it is this name's handler's payload.
    const handler = handlers[request.name] as (payload: unknown, ctx: JobContext) => Promise<void>;
    const timeoutMs = this.spec(name)?.timeoutMs;
    if (!timeoutMs) return handler(request.payload, ctx);
    return withTimeout(name, timeoutMs, ctx, (c) => handler(request.payload, c));
  }

  /**
   * Hands a job that will not run again to `onFinalFailure`. Never rejects: this runs from a
   * queue's event listener or its worker loop, where a rejection would be unhandled, so a
   * failure here (the database is down) is logged instead.
   */
  async settleFinalFailure(
    onFinalFailure: FinalFailureHandler,
    logger: Logger,
    job: { id?: string | undefined; name: string; data: unknown },
    error: Error,
  ): Promise<void> {
    const where = { jobId: job.id, job: job.name, jobError: error.message };
    let request: JobRequest;
    try {
      request = this.parse(job.name, job.data);
    } catch (err) {
      logger.error({ ...where, err }, 'a job failed for good and its payload is not valid');
      return;
    }
    try {
      await onFinalFailure(request, error);
    } catch (err) {
      logger.error({ ...where, err }, 'handling a job that failed for good failed');
    }
  }
}

async function withTimeout(
  name: string,
  timeoutMs: number,
  ctx: JobContext,
  run: (ctx: JobContext) => Promise<void>,
): Promise<void> {
  const deadline = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => {
      const reason = new JobTimeoutError(name, timeoutMs);
      // Settle first, so the attempt fails with the timeout and not with whatever the
      // handler throws once it sees the abort.
      reject(reason);
      deadline.abort(reason);
    }, timeoutMs);
  });
  try {
    const signal = AbortSignal.any([ctx.signal, deadline.signal]);
    await Promise.race([run({ ...ctx, signal }), expired]);
  } finally {
    clearTimeout(timer);
  }
}
