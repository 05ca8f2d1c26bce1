import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/db.js';
import { migrate } from '../../src/db/migrate.js';
import { openPostgres } from '../../src/db/postgres.js';
import { BuildsRepository } from '../../src/repositories/builds.repo.js';
import { ProjectEventsRepository } from '../../src/repositories/project-events.repo.js';
import { buildDetailsSuite, promptBuild } from '../support/build-details-suite.js';
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

  it('settles on one plan per number of builds instead of planning every read again', async () => {
    const builds = new BuildsRepository(db, new ProjectEventsRepository());
    const newBuild = async () => (await promptBuild(builds, 'u-plan')).id;
    const [a, b] = [await newBuild(), await newBuild()];
    // PostgreSQL plans a prepared statement five times for its values, then keeps a generic
    // plan when that costs no more than theirs. Reads asked for together share a statement;
    // the same build asked twice is read once.
    for (let i = 0; i < 8; i += 1) {
      const [one, same, other] = await Promise.all([
        builds.details(a),
        builds.details(a),
        builds.details(b),
      ]);
      expect([one?.build.id, same?.build.id, other?.build.id]).toEqual([a, a, b]);
      expect((await builds.details(b))?.build.id).toBe(b);
    }
    const { rows } = await db.query<{ name: string; generic_plans: number; custom_plans: number }>(
      `SELECT name, generic_plans, custom_plans FROM pg_prepared_statements
        WHERE name LIKE 'build-status%' ORDER BY name`,
    );
    expect(rows.map((r) => r.name)).toEqual(['build-status', 'build-status-2']);
    for (const row of rows) {
      expect(row.generic_plans).toBeGreaterThan(0);
      expect(row.custom_plans).toBeLessThanOrEqual(5);
    }
  });
});
