import { Writable } from 'node:stream';
import { afterEach, expect, it } from 'vitest';
import { createLogger, type Logger } from '../../src/observability/logger.js';
import { createRedactor } from '../../src/observability/redact.js';
import {
  JOB_NAMES,
  JOBS,
  type FinalFailureHandler,
  type JobCatalog,
  type JobContext,
  type JobHandlers,
  type JobRequest,
} from '../../src/queue/catalog.js';
import { UnrecoverableError, type JobQueue } from '../../src/queue/job-queue.js';
import { InvalidJobError, JobTimeoutError } from '../../src/queue/job-rules.js';

export const BUILD_ID = '01ARZ3NDEKTSV4RRFFQ69G5FAV';

/** Collects a logger's JSON lines. */
export class LogLines extends Writable {
  readonly entries: Array<Record<string, unknown>> = [];
  override _write(chunk: Buffer, _enc: string, done: () => void): void {
    for (const line of chunk.toString('utf8').split('\n').filter(Boolean))
      this.entries.push(JSON.parse(line) as Record<string, unknown>);
    done();
  }
  logger(): Logger {
    return createLogger({ level: 'info', redact: createRedactor([]), destination: this });
  }
}

export interface QueueFactoryOptions {
  /** The configured attempts (QUEUE_ATTEMPTS): what a job without its own gets. */
  attempts: number;
  catalog?: JobCatalog;
  logger: Logger;
}

/** A catalog with one job's options changed. */
export function withOptions(
  name: 'build.run',
  options: Partial<Pick<JobCatalog['build.run'], 'attempts' | 'timeoutMs'>>,
): JobCatalog {
  return { ...JOBS, [name]: { ...JOBS[name], ...options } };
}

export const sameHandler = (handler: (ctx: JobContext) => Promise<void>): JobHandlers =>
  Object.fromEntries(
    JOB_NAMES.map((name) => [name, (_payload: unknown, ctx: JobContext) => handler(ctx)]),
  ) as JobHandlers;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * What every JobQueue adapter must do the same way: refuse what does not fit the catalog,
 * honour each job's options, and survive an onFinalFailure that throws. Call inside a
 * describe; `open` makes a fresh, empty queue.
 */
export function queueContract(open: (options: QueueFactoryOptions) => Promise<JobQueue>): void {
  const opened: JobQueue[] = [];
  const fresh = async (options: Omit<QueueFactoryOptions, 'logger'>, logs = new LogLines()) => {
    const queue = await open({ ...options, logger: logs.logger() });
    opened.push(queue);
    return queue;
  };
  afterEach(async () => {
    for (const queue of opened.splice(0)) await queue.close(1000);
  });

  /** Runs one build.run job whose every attempt calls `attempt`, until the queue gives up. */
  async function runToFinal(
    queue: JobQueue,
    attempt: (ctx: JobContext) => Promise<void>,
    onFinal?: FinalFailureHandler,
  ) {
    const contexts: JobContext[] = [];
    const finals: Error[] = [];
    const handlers = sameHandler(async (ctx) => {
      contexts.push(ctx);
      await attempt(ctx);
    });
    await queue.start(handlers, { builds: 1, ai: 0, webhooks: 0 }, async (request, error) => {
      finals.push(error);
      await onFinal?.(request, error);
    });
    await queue.enqueue({ name: 'build.run', payload: { buildId: BUILD_ID } });
    await expect.poll(() => finals.length, { timeout: 15_000, interval: 20 }).toBeGreaterThan(0);
    // A run that should not happen (one retry too many) would show by now.
    await sleep(300);
    return { contexts, finals };
  }

  const total = async (queue: JobQueue) =>
    Object.values(await queue.counts()).reduce(
      (sum, c) => sum + c.waiting + c.active + c.completed + c.failed + c.delayed,
      0,
    );

  it('refuses an invalid payload or an unknown job on enqueue and on enqueueFlow', async () => {
    const queue = await fresh({ attempts: 3 });
    const good = (name: 'build.generate' | 'build.compile'): JobRequest => ({
      name,
      payload: { buildId: BUILD_ID },
    });
    const badId = { name: 'build.run', payload: { buildId: 'not-a-build' } } as JobRequest;
    const missing = { name: 'build.generate', payload: {} } as JobRequest;
    const unknown = { name: 'build.nope', payload: { buildId: BUILD_ID } } as unknown as JobRequest;
    for (const bad of [badId, missing, unknown]) {
      await expect(queue.enqueue(bad)).rejects.toBeInstanceOf(InvalidJobError);
      await expect(queue.enqueueFlow(bad, [good('build.generate')])).rejects.toBeInstanceOf(
        InvalidJobError,
      );
      await expect(queue.enqueueFlow(good('build.compile'), [bad])).rejects.toBeInstanceOf(
        InvalidJobError,
      );
    }
    await expect(queue.enqueue(badId)).rejects.toThrow(/buildId/);
    expect(await total(queue)).toBe(0);
  });

  it('refuses to start unless every job has exactly one handler', async () => {
    const queue = await fresh({ attempts: 3 });
    const all = sameHandler(async () => undefined);
    const short: Partial<JobHandlers> = { ...all };
    delete short['build.compile'];
    const onFinal = async () => undefined;
    await expect(
      queue.start(short as JobHandlers, { builds: 1, ai: 0, webhooks: 0 }, onFinal),
    ).rejects.toThrow(/missing build\.compile/);
    const extra = { ...all, 'build.extra': all['build.run'] } as JobHandlers;
    await expect(queue.start(extra, { builds: 1, ai: 0, webhooks: 0 }, onFinal)).rejects.toThrow(
      /unknown build\.extra/,
    );
  });

  it('runs a job that throws UnrecoverableError once', async () => {
    const queue = await fresh({ attempts: 3 });
    const cause = new Error('the bundle is 3 GB');
    const { contexts, finals } = await runToFinal(queue, async () => {
      throw new UnrecoverableError('too big, and always will be', { cause });
    });
    expect(contexts).toHaveLength(1);
    expect(finals).toHaveLength(1);
    // The pipeline's final-failure handler reads the cause of the error its handler threw.
    expect(finals[0]).toBeInstanceOf(UnrecoverableError);
    expect(finals[0]?.message).toBe('too big, and always will be');
    expect(finals[0]?.cause).toBe(cause);
  });

  it('retries any other error up to the configured attempts', async () => {
    const queue = await fresh({ attempts: 3 });
    const { contexts, finals } = await runToFinal(queue, async () => {
      throw new Error('connection reset');
    });
    expect(contexts.map((c) => [c.attempt, c.maxAttempts])).toEqual([
      [1, 3],
      [2, 3],
      [3, 3],
    ]);
    expect(finals).toHaveLength(1);
  });

  it("honours a job's own attempts over the configured ones", async () => {
    const queue = await fresh({ attempts: 4, catalog: withOptions('build.run', { attempts: 2 }) });
    const { contexts, finals } = await runToFinal(queue, async () => {
      throw new Error('connection reset');
    });
    expect(contexts.map((c) => [c.attempt, c.maxAttempts])).toEqual([
      [1, 2],
      [2, 2],
    ]);
    expect(finals).toHaveLength(1);
  });

  it('aborts a run past its timeout with a JobTimeoutError, and retries it', async () => {
    const catalog = withOptions('build.run', { attempts: 2, timeoutMs: 100 });
    const queue = await fresh({ attempts: 3, catalog });
    const reasons: unknown[] = [];
    const { contexts, finals } = await runToFinal(queue, async ({ signal }) => {
      await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
      reasons.push(signal.reason);
    });
    expect(contexts).toHaveLength(2);
    expect(reasons).toHaveLength(2);
    for (const reason of reasons) expect(reason).toBeInstanceOf(JobTimeoutError);
    expect(finals[0]?.name).toBe('JobTimeoutError');
  });

  it('logs an onFinalFailure that throws instead of leaving a rejection unhandled', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      const logs = new LogLines();
      const queue = await fresh({ attempts: 1 }, logs);
      await runToFinal(
        queue,
        async () => {
          throw new Error('the build broke');
        },
        async () => {
          throw new Error('database is down');
        },
      );
      await expect
        .poll(() =>
          logs.entries.find((e) => e.msg === 'handling a job that failed for good failed'),
        )
        .toMatchObject({
          level: 50,
          job: 'build.run',
          jobError: 'the build broke',
          err: { message: 'database is down' },
        });
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });

  it('says how long the oldest ready job has waited, per queue, and 0 once it ran', async () => {
    const queue = await fresh({ attempts: 1 });
    expect(await queue.oldestWaitingMs()).toEqual({ builds: 0, ai: 0, webhooks: 0 });
    await queue.enqueue({ name: 'build.run', payload: { buildId: BUILD_ID } });
    await sleep(250);
    const waited = await queue.oldestWaitingMs();
    expect(waited.builds).toBeGreaterThanOrEqual(200);
    expect(waited.builds).toBeLessThan(10_000);
    expect([waited.ai, waited.webhooks]).toEqual([0, 0]);
    await queue.start(
      sameHandler(async () => undefined),
      { builds: 1, ai: 0, webhooks: 0 },
      async () => undefined,
    );
    await expect
      .poll(async () => (await queue.oldestWaitingMs()).builds, { timeout: 10_000, interval: 20 })
      .toBe(0);
  });
}
