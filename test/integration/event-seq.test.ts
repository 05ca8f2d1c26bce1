import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/db.js';
import { migrate } from '../../src/db/migrate.js';
import { openPostgres } from '../../src/db/postgres.js';
import {
  emitFromTwoLogs,
  insertBuild,
  oneTo,
  storedSeqs,
  storeTrickyBatch,
} from '../support/event-logs.js';
import { freshPostgresSchema, servicesUp } from '../support/services.js';

/** Two processes writing events for one build: each has its own pool, as two workers would. */
describe.skipIf(!servicesUp)('build event numbers on PostgreSQL', () => {
  let schema: Awaited<ReturnType<typeof freshPostgresSchema>>;
  let pools: [Db, Db];
  beforeAll(async () => {
    schema = await freshPostgresSchema();
    pools = [
      openPostgres({ url: schema.url, poolMax: 4 }),
      openPostgres({ url: schema.url, poolMax: 4 }),
    ];
    await migrate(pools[0]);
  });
  afterAll(async () => {
    for (const pool of pools ?? []) await pool.close();
    await schema?.drop();
  });

  it('are unique and contiguous when two processes write for one build at once', async () => {
    const buildId = await insertBuild(pools[0]);
    const [a = [], b = []] = await emitFromTwoLogs(pools, buildId, 50);
    expect(a).toEqual([...a].sort((x, y) => x - y));
    expect(b).toEqual([...b].sort((x, y) => x - y));
    expect([...a, ...b].sort((x, y) => x - y)).toEqual(oneTo(100));
    expect(await storedSeqs(pools[1], buildId)).toEqual({ seqs: oneTo(100), last: 100 });
  });

  it('keep every text of a batch as sent, and save the stage update with it', async () => {
    const { sent, stored, ids, build } = await storeTrickyBatch(pools[0]);
    expect(stored).toEqual(sent);
    expect(ids).toEqual(oneTo(sent.length));
    expect(build).toEqual({ stage: 'NULL', stages: [{ name: 'NULL' }] });
  });
});
