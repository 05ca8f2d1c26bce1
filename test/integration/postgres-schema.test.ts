import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DbNonceStore } from '../../src/auth/db-nonce-store.js';
import type { Db } from '../../src/db/db.js';
import { migrate } from '../../src/db/migrate.js';
import { openPglite } from '../../src/db/pglite.js';
import { openPostgres } from '../../src/db/postgres.js';
import { freshPostgresSchema, servicesUp } from '../support/services.js';

/** The schema as PostgreSQL describes it, with nothing that depends on the schema's name. */
async function describeSchema(db: Db) {
  const columns = await db.query(
    `SELECT table_name, column_name, data_type, is_nullable, column_default, is_identity,
            character_maximum_length, numeric_precision, numeric_scale
       FROM information_schema.columns
      WHERE table_schema = current_schema()
      ORDER BY table_name, column_name`,
  );
  const indexes = await db.query<{ tablename: string; indexname: string; indexdef: string }>(
    `SELECT tablename, indexname, indexdef FROM pg_indexes
      WHERE schemaname = current_schema() ORDER BY tablename, indexname`,
  );
  const constraints = await db.query(
    `SELECT conrelid::regclass::text AS table_name, conname, contype,
            pg_get_constraintdef(oid) AS definition
       FROM pg_constraint
      WHERE connamespace = current_schema()::regnamespace AND contype IN ('c', 'f', 'p', 'u')
      ORDER BY 1, 2`,
  );
  return {
    columns: columns.rows,
    indexes: indexes.rows.map((r) => ({
      ...r,
      indexdef: r.indexdef.replace(/ ON [a-z0-9_]+\./, ' ON '),
    })),
    constraints: constraints.rows,
  };
}

describe.skipIf(!servicesUp)('migrations on PostgreSQL', () => {
  let schema: Awaited<ReturnType<typeof freshPostgresSchema>>;
  let db: Db;
  beforeAll(async () => {
    schema = await freshPostgresSchema();
    db = openPostgres({ url: schema.url, poolMax: 4 });
  });
  afterAll(async () => {
    await db.close();
    await schema.drop();
  });

  it('apply from scratch, and concurrent runs serialise to one application', async () => {
    const reports = await Promise.all([migrate(db), migrate(db), migrate(db)]);
    const applied = reports.flatMap((r) => r.applied);
    expect(applied).toEqual([
      '0001_initial_schema',
      '0002_pipeline',
      '0003_versions_and_publishing',
      '0004_build_event_seq',
      '0006_recommendations',
    ]);
    expect(await migrate(db)).toEqual({ applied: [], alreadyApplied: 5 });
  });

  it('produce the same schema as on PGlite: tables, columns, types, indexes, constraints', async () => {
    const embedded = await openPglite(undefined);
    try {
      await migrate(embedded);
      const [onPostgres, onPglite] = await Promise.all([
        describeSchema(db),
        describeSchema(embedded),
      ]);
      expect(onPostgres.columns.length).toBeGreaterThan(150);
      expect(onPostgres.indexes.length).toBeGreaterThan(30);
      expect(onPostgres.columns).toEqual(onPglite.columns);
      expect(onPostgres.indexes).toEqual(onPglite.indexes);
      expect(onPostgres.constraints).toEqual(onPglite.constraints);
    } finally {
      await embedded.close();
    }
  });

  it('claim each nonce exactly once under concurrency', async () => {
    const store = new DbNonceStore(db);
    const nonce = 'concurrent-nonce-0001';
    const results = await Promise.all(Array.from({ length: 20 }, () => store.claim(nonce, 600)));
    expect(results.filter(Boolean)).toHaveLength(1);
  });

  it('return the same JS types as PGlite', async () => {
    const { rows } = await db.query<{ big: unknown; num: unknown; at: unknown; doc: unknown }>(
      `SELECT 42::bigint AS big, 1.5::numeric AS num, now() AS at, '{"a":1}'::jsonb AS doc`,
    );
    expect(rows[0]).toEqual({ big: 42, num: '1.5', at: expect.any(Date), doc: { a: 1 } });
  });
});
