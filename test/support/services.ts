import { afterAll, describe } from 'vitest';
import { ulid } from 'ulid';
import pg from 'pg';
import type { Db } from '../../src/db/db.js';
import { migrate } from '../../src/db/migrate.js';
import { openPostgres } from '../../src/db/postgres.js';
import { canConnect } from './tcp.js';

/**
 * Real PostgreSQL and Redis for integration tests. Locally a missing service skips those
 * tests (npm test still passes on the embedded profile); with CI=true it fails the run.
 */
export const PG_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
export const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const IN_CI = process.env.CI === 'true';

function reachable(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return canConnect(hostname, Number(port));
}

const [pgUp, redisUp] = await Promise.all([reachable(PG_URL), reachable(REDIS_URL)]);
if (IN_CI && !(pgUp && redisUp)) {
  throw new Error(
    `CI=true but ${pgUp ? '' : `PostgreSQL (${PG_URL}) `}${redisUp ? '' : `Redis (${REDIS_URL})`} is not reachable`,
  );
}
export const servicesUp = pgUp && redisUp;

/** A fresh schema on the shared server, so test files never see each other's rows. */
export async function freshPostgresSchema(): Promise<{ url: string; drop: () => Promise<void> }> {
  const schema = `t_${ulid().toLowerCase()}`;
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`);
  await admin.end();
  const url = new URL(PG_URL);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return {
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: PG_URL });
      await client.connect();
      await client.query(`DROP SCHEMA ${schema} CASCADE`);
      await client.end();
    },
  };
}

export function uniquePrefix(): string {
  return `sheentest:${ulid().toLowerCase()}`;
}

/**
 * For a suite that takes an environment factory: each call makes a fresh schema and points
 * DATABASE_URL at it; the schemas are dropped when the calling file's suite ends.
 */
export function postgresEnv(): () => Promise<Record<string, string>> {
  const drops: Array<() => Promise<void>> = [];
  afterAll(async () => {
    for (const drop of drops) await drop();
  });
  return async () => {
    const schema = await freshPostgresSchema();
    drops.push(schema.drop);
    return { DATABASE_URL: schema.url };
  };
}

/** A suite written for any database: its profile's name and how to open a fresh one. */
export type DbSuite = (profile: string, open: () => Promise<Db>) => void;

/**
 * Runs `suite` on PostgreSQL, each database it opens a fresh migrated schema (dropped when the
 * file's suite ends), when the services are up.
 */
export function onPostgres(suite: DbSuite, poolMax = 4): void {
  describe.skipIf(!servicesUp)('on PostgreSQL', () => {
    const drops: Array<() => Promise<void>> = [];
    afterAll(async () => {
      for (const drop of drops) await drop();
    });
    suite('PostgreSQL', async () => {
      const schema = await freshPostgresSchema();
      drops.push(schema.drop);
      const db = openPostgres({ url: schema.url, poolMax });
      await migrate(db);
      return db;
    });
  });
}
