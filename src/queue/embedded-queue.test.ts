import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../db/db.js';
import { openMigratedPglite } from '../../test/support/pglite-template.js';
import { createLogger } from '../observability/logger.js';
import { createRedactor } from '../observability/redact.js';
import type { JobHandler, JobName, JobRequest } from './catalog.js';
import { EmbeddedQueue } from './embedded-queue.js';
import { UnrecoverableError } from './job-queue.js';

const BUILD_ID = '01ARZ3NDEKTSV4RRFFQ69G5FAV';

describe('embedded queue retries', () => {
  let db: Db;
  let queue: EmbeddedQueue;
  beforeEach(async () => {
    db = await openMigratedPglite();
    queue = new EmbeddedQueue(db, createLogger({ level: 'silent', redact: createRedactor([]) }), {
      workerId: 'test',
      attempts: 3,
      lockMs: 10_000,
      backoffMs: 10,
      pollMs: 20,
      singleProcess: true,
    });
  });
  afterEach(async () => {
    await queue.close(1000);
    await db.close();
  });

  /** Runs one build.run job whose handler fails with `error`, until the queue gives up. */
  async function runFailing(error: () => Error) {
    let runs = 0;
    const finals: Error[] = [];
    const failing: JobHandler = async () => {
      runs += 1;
      throw error();
    };
    const handlers = Object.fromEntries(
      (['build.run', 'build.generate', 'build.compile'] as JobName[]).map((n) => [n, failing]),
    ) as Record<JobName, JobHandler>;
    await queue.enqueue({ name: 'build.run', payload: { buildId: BUILD_ID } });
    await queue.start(handlers, { builds: 1, ai: 0 }, async (_req: JobRequest, err: Error) => {
      finals.push(err);
    });
    for (let i = 0; i < 200 && finals.length === 0; i++)
      await new Promise((r) => setTimeout(r, 20));
    const { rows } = await db.query<{ status: string; attempts: number }>(
      'SELECT status, attempts FROM jobs',
    );
    return { runs, finals, job: rows[0] };
  }

  it('runs an unrecoverable job once and reports it as final', async () => {
    const result = await runFailing(() => new UnrecoverableError('the project is too big'));
    expect(result.runs).toBe(1);
    expect(result.finals).toHaveLength(1);
    expect(result.job).toMatchObject({ status: 'failed', attempts: 1 });
  });

  it('retries any other error up to its attempts', async () => {
    const result = await runFailing(() => new Error('database connection reset'));
    expect(result.runs).toBe(3);
    expect(result.finals).toHaveLength(1);
    expect(result.job).toMatchObject({ status: 'failed', attempts: 3 });
  });
});
