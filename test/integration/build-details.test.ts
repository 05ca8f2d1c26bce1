import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/db.js';
import { migrate } from '../../src/db/migrate.js';
import { openPostgres } from '../../src/db/postgres.js';
import { BuildsRepository } from '../../src/repositories/builds.repo.js';
import { ProjectEventsRepository } from '../../src/repositories/project-events.repo.js';
import { buildDetailsSuite } from '../support/build-details-suite.js';
import { freshPostgresSchema, onPostgres, servicesUp } from '../support/services.js';

onPostgres(buildDetailsSuite);

describe.skipIf(!servicesUp)('the status read on PostgreSQL', () => {
  let db: Db;
  let drop: () => Promise<void>;
  beforeAll(async () => {
    const schema = await freshPostgresSchema();
    drop = schema.drop;
    // One connection: prepared statements and their plans belong to a session.
    db = openPostgres({ url: schema.url, poolMax: 1 });
    await migrate(db);
  });
  afterAll(async () => {
    await db?.close();
    await drop?.();
  });

  it('settles on one plan instead of planning every read again', async () => {
    const builds = new BuildsRepository(db, new ProjectEventsRepository());
    const { build } = await builds.createForPrompt({
      userId: 'u-plan',
      prompt: 'a page',
      name: 'page',
      engine: 'offline',
      archMode: 'monolith',
    });
    // PostgreSQL plans a prepared statement five times for its values, then keeps a generic
    // plan when that costs no more than theirs.
    for (let i = 0; i < 8; i += 1)
      expect((await builds.details(build.id))?.build.id).toBe(build.id);
    const { rows } = await db.query<{ generic_plans: number; custom_plans: number }>(
      `SELECT generic_plans, custom_plans FROM pg_prepared_statements WHERE name = 'build-status'`,
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]?.generic_plans).toBeGreaterThan(0);
    expect(rows[0]?.custom_plans).toBeLessThanOrEqual(5);
  });
});
