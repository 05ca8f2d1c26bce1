import { describe, expect, it } from 'vitest';
import { openPostgres } from '../../src/db/postgres.js';
import { PG_URL, servicesUp } from '../support/services.js';

/**
 * A PostgreSQL restart ends every connection, including one a transaction holds. The pool
 * only listens for errors on idle connections, so before this was handled the 'error' event
 * of a checked-out connection went unhandled and killed the worker process (found by the
 * fault suite: both workers died on a restart and their builds stayed running).
 */
describe.skipIf(!servicesUp)('losing the PostgreSQL connection inside a transaction', () => {
  it('fails that transaction, keeps the process, and the next one gets a new connection', async () => {
    const db = openPostgres({ url: PG_URL, poolMax: 2 });
    const admin = openPostgres({ url: PG_URL, poolMax: 1 });
    const unhandled: unknown[] = [];
    const onUncaught = (err: unknown) => unhandled.push(err);
    process.on('uncaughtException', onUncaught);
    try {
      const failed = await db
        .transaction(async (tx) => {
          const { rows } = await tx.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
          await admin.query('SELECT pg_terminate_backend($1)', [rows[0]?.pid]);
          // Give the socket time to deliver the termination and close.
          await new Promise((r) => setTimeout(r, 200));
          await tx.query('SELECT 1');
        })
        .then(
          () => undefined,
          (err: unknown) => err,
        );
      expect(failed).toBeInstanceOf(Error);
      await new Promise((r) => setTimeout(r, 100));
      expect(unhandled).toEqual([]);
      const { rows } = await db.transaction((tx) => tx.query<{ one: number }>('SELECT 1 AS one'));
      expect(rows).toEqual([{ one: 1 }]);
    } finally {
      process.off('uncaughtException', onUncaught);
      await db.close();
      await admin.close();
    }
  });
});
