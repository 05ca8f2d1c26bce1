import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../db/db.js';
import { migrate } from '../db/migrate.js';
import { openPglite } from '../db/pglite.js';
import {
  BUILD_ID,
  LogLines,
  queueContract,
  sameHandler,
  withOptions,
  type QueueFactoryOptions,
} from '../../test/support/queue-contract.js';
import { jobId } from './catalog.js';
import { EmbeddedQueue } from './embedded-queue.js';

describe('embedded queue on PGlite', () => {
  let db: Db;
  beforeAll(async () => {
    db = await openPglite(undefined);
    await migrate(db);
  });
  afterAll(() => db.close());

  const opener =
    (pollMs: number) =>
    async (options: QueueFactoryOptions): Promise<EmbeddedQueue> => {
      await db.query('DELETE FROM jobs');
      return new EmbeddedQueue(db, options.logger, {
        workerId: 'test',
        attempts: options.attempts,
        lockMs: 10_000,
        backoffMs: 10,
        pollMs,
        singleProcess: true,
        ...(options.catalog ? { catalog: options.catalog } : {}),
      });
    };
  const open = opener(20);

  queueContract(open);

  // One process is told of every job it can run (enqueued, retried after its delay, a flow's
  // parent freed): with a poll longer than any test may take, a missed wake-up fails the test.
  describe('told of its jobs, not polling', () => {
    queueContract(opener(120_000));
  });

  it('claims a job added in a transaction once it is woken after the commit, once per worker', async () => {
    let claims = 0;
    const counted: Db = {
      ...db,
      query: (sql, params, options) => {
        if (options?.name === 'job-claim') claims++;
        return db.query(sql, params, options);
      },
    };
    await db.query('DELETE FROM jobs');
    const queue = new EmbeddedQueue(counted, new LogLines().logger(), {
      workerId: 'test',
      attempts: 1,
      lockMs: 10_000,
      pollMs: 120_000,
      singleProcess: true,
    });
    const ran: string[] = [];
    try {
      await queue.start(
        sameHandler(async (ctx) => void ran.push(`attempt ${ctx.attempt}`)),
        { builds: 2, ai: 2, webhooks: 2 },
        async () => undefined,
      );
      await expect.poll(() => claims, { timeout: 5000, interval: 10 }).toBe(6); // each looked once
      const payload = { buildId: BUILD_ID };
      await db.transaction((tx) => queue.enqueue({ name: 'build.run', payload }, tx));
      await new Promise((r) => setTimeout(r, 100));
      expect(ran).toEqual([]); // not told yet: the caller wakes the queue after its commit
      expect(claims).toBe(6);
      queue.wake('builds');
      await expect.poll(() => ran, { timeout: 5000, interval: 10 }).toEqual(['attempt 1']);
      // The two build workers looked (one ran it, and looked again after); no other queue did.
      await expect.poll(() => claims, { timeout: 5000, interval: 10 }).toBe(9);
      await new Promise((r) => setTimeout(r, 100));
      expect(claims).toBe(9);
    } finally {
      await queue.close(1000);
    }
  });

  it("stores a job's own attempts on its row, and the flow's children under their parent", async () => {
    const queue = await open({
      attempts: 4,
      catalog: withOptions('build.run', { attempts: 2 }),
      logger: new LogLines().logger(),
    });
    try {
      const payload = { buildId: BUILD_ID };
      await queue.enqueue({ name: 'build.run', payload });
      await queue.enqueueFlow({ name: 'build.compile', payload }, [
        { name: 'build.generate', payload },
      ]);
      const { rows } = await db.query<{ id: string; max_attempts: number; parent_id: string }>(
        'SELECT id, max_attempts, parent_id FROM jobs ORDER BY id',
      );
      expect(rows).toEqual([
        { id: jobId({ name: 'build.compile', payload }), max_attempts: 4, parent_id: null },
        {
          id: jobId({ name: 'build.generate', payload }),
          max_attempts: 4,
          parent_id: jobId({ name: 'build.compile', payload }),
        },
        { id: jobId({ name: 'build.run', payload }), max_attempts: 2, parent_id: null },
      ]);
    } finally {
      await queue.close(1000);
    }
  });
});
