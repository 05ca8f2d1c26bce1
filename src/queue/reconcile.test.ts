import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../db/db.js';
import { migrate } from '../db/migrate.js';
import { openPglite } from '../db/pglite.js';
import { BUILD_ID, LogLines } from '../../test/support/queue-contract.js';
import type { JobRequest } from './catalog.js';
import { EmbeddedQueue } from './embedded-queue.js';
import { assertReconciled, QueueReconciler, type ReconcileSource } from './reconcile.js';

const RUN: JobRequest = { name: 'build.run', payload: { buildId: BUILD_ID } };

/** One owed build, re-enqueued as build.run; every other job is covered by a second source. */
function sources(owed: boolean): ReconcileSource[] {
  return [
    {
      name: 'builds',
      covers: ['build.run', 'build.generate', 'build.compile'],
      owed: async () =>
        owed
          ? [
              {
                what: `build ${BUILD_ID}`,
                jobs: [RUN],
                requeue: async (queue) => {
                  await queue.enqueue(RUN);
                  return true;
                },
              },
            ]
          : [],
    },
    { name: 'webhooks', covers: ['webhook.deliver'], owed: async () => [] },
  ];
}

describe('queue reconciler', () => {
  let db: Db;
  let queue: EmbeddedQueue;
  const logs = new LogLines();
  beforeAll(async () => {
    db = await openPglite(undefined);
    await migrate(db);
    queue = new EmbeddedQueue(db, logs.logger(), {
      workerId: 'test',
      attempts: 3,
      lockMs: 10_000,
      singleProcess: true,
    });
  });
  afterAll(() => db.close());

  it('refuses a catalog job that no source covers, or that two cover', () => {
    expect(() => assertReconciled(sources(false).slice(0, 1))).toThrow(
      /not covered webhook\.deliver/,
    );
    const twice = [...sources(false), { ...sources(false)[1]!, name: 'again' }];
    expect(() => assertReconciled(twice)).toThrow(/covered twice webhook\.deliver/);
  });

  it('re-enqueues owed work with no job, once, and leaves a live job alone', async () => {
    await db.query('DELETE FROM jobs');
    const reconciler = new QueueReconciler(queue, sources(true), logs.logger());
    expect(await queue.presence([RUN])).toEqual(['missing']);
    expect((await reconciler.runOnce()).requeued).toEqual({ builds: 1, webhooks: 0 });
    expect(await queue.presence([RUN])).toEqual(['live']);
    expect((await reconciler.runOnce()).requeued).toEqual({ builds: 0, webhooks: 0 });
    const { rows } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM jobs');
    expect(rows[0]?.n).toBe(1);
    expect(reconciler.totals).toEqual({ builds: 1, webhooks: 0 });
  });

  it('replaces a finished job record of work that is still owed', async () => {
    await db.query('DELETE FROM jobs');
    await queue.enqueue(RUN);
    await db.query(`UPDATE jobs SET status = 'failed'`);
    expect(await queue.presence([RUN])).toEqual(['finished']);
    // Without forgetting the record, an enqueue with the same id is dropped as a duplicate.
    await queue.enqueue(RUN);
    expect(await queue.presence([RUN])).toEqual(['finished']);
    const reconciler = new QueueReconciler(queue, sources(true), logs.logger());
    expect((await reconciler.runOnce()).requeued.builds).toBe(1);
    const { rows } = await db.query<{ status: string }>('SELECT status FROM jobs');
    expect(rows).toEqual([{ status: 'waiting' }]);
  });
});
