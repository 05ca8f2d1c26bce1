import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/db.js';
import { guardDatabase } from '../../src/db/outage-guard.js';
import { openPostgres } from '../../src/db/postgres.js';
import { DependencyState } from '../../src/observability/dependency-state.js';
import { PG_URL, servicesUp } from '../support/services.js';

/**
 * The guard the container wraps PostgreSQL in must keep a statement's name: a hot read
 * prepared once per connection is planned once, not on every call.
 */
describe.skipIf(!servicesUp)('the PostgreSQL outage guard', () => {
  let db: Db;
  beforeAll(() => {
    // One connection, so the prepared statement is visible to the next query.
    db = guardDatabase(openPostgres({ url: PG_URL, poolMax: 1 }), new DependencyState());
  });
  afterAll(() => db.close());

  it('prepares a named statement on the server', async () => {
    await db.query('SELECT $1::int + 1 AS n', [1], { name: 'guard-named-probe' });
    const { rows } = await db.query<{ name: string }>(
      `SELECT name FROM pg_prepared_statements WHERE name = 'guard-named-probe'`,
    );
    expect(rows).toEqual([{ name: 'guard-named-probe' }]);
  });

  it('prepares nothing for an unnamed statement', async () => {
    await db.query('SELECT $1::int + 2 AS n', [1]);
    const { rows } = await db.query(`SELECT name FROM pg_prepared_statements`);
    expect(rows).toEqual([{ name: 'guard-named-probe' }]);
  });
});
