/**
 * AI-time reservations per second under contention, on PGlite and on PostgreSQL: each
 * reservation is one call of check_and_consume_quota_v2 (per-user advisory lock, draw from
 * the grants, one audit row), as a build makes when it is accepted. Two shapes, 50 concurrent
 * callers each: 50 users with one caller each, and 50 callers for one user (all serialised on
 * that user's lock). PostgreSQL: BENCH_DATABASE_URL, else the local test server when it
 * answers; the pool has DATABASE_POOL_MAX (default 10) connections, as the worker's does.
 * Run: npm run bench:quota   (BENCH_RESERVATIONS per shape, default 4000, --short 200; ends
 * with a BENCH_RESULT line)
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { ulid } from 'ulid';
import type { Db } from '../src/db/db.js';
import { migrate } from '../src/db/migrate.js';
import { openPglite } from '../src/db/pglite.js';
import { openPostgres } from '../src/db/postgres.js';
import { QuotaRepository } from '../src/repositories/quota.repo.js';
import { printResult, SHORT } from './support/report.js';

const TOTAL = Number(process.env.BENCH_RESERVATIONS ?? (SHORT ? 200 : 4000));
const CONCURRENCY = 50;
const POOL = Number(process.env.DATABASE_POOL_MAX ?? 10);
const PG_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const NO_DEFAULT = { allowanceSeconds: 0, periodStart: new Date(0), periodEnd: new Date(1) };

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] ?? NaN;
};

async function grantAll(quota: QuotaRepository, users: string[]) {
  for (const userId of users) {
    await quota.setPlan({
      userId,
      allowanceSeconds: 100_000_000,
      periodStart: new Date(Date.now() - 86_400_000),
      periodEnd: new Date(Date.now() + 86_400_000),
    });
  }
}

/** `CONCURRENCY` callers share `TOTAL` reservations; caller i reserves for userOf(i). */
async function run(quota: QuotaRepository, userOf: (caller: number) => string) {
  let next = 0;
  const latencies: number[] = [];
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async (_, caller) => {
      while (next < TOTAL) {
        next += 1;
        const start = performance.now();
        const r = await quota.reserve({
          userId: userOf(caller),
          key: ulid(),
          seconds: 1,
          operation: 'create',
          defaultPlan: NO_DEFAULT,
        });
        latencies.push(performance.now() - start);
        if (!r.granted) throw new Error('a reservation was refused');
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  return {
    perSecond: Math.round(TOTAL / seconds),
    p50Ms: +pct(latencies, 50).toFixed(2),
    p99Ms: +pct(latencies, 99).toFixed(2),
  };
}

async function measure(name: string, db: Db) {
  await migrate(db);
  const quota = new QuotaRepository(db);
  const users = Array.from({ length: CONCURRENCY }, () => `bench-${ulid()}`);
  await grantAll(quota, users);
  // Warm-up: plans cached, connections open.
  await run(quota, (i) => users[i]!);
  const manyUsers = await run(quota, (i) => users[i]!);
  const oneUser = await run(quota, () => users[0]!);
  console.log(
    `${name.padEnd(10)} 50 users: ${manyUsers.perSecond}/s (p50 ${manyUsers.p50Ms} ms, p99 ${manyUsers.p99Ms} ms)` +
      `   one user: ${oneUser.perSecond}/s (p50 ${oneUser.p50Ms} ms, p99 ${oneUser.p99Ms} ms)`,
  );
  return { manyUsers, oneUser };
}

async function postgresSchema(): Promise<{ url: string; drop: () => Promise<void> } | undefined> {
  const admin = new pg.Client({ connectionString: PG_URL });
  try {
    await admin.connect();
  } catch {
    return undefined;
  }
  const schema = `bench_${ulid().toLowerCase()}`;
  await admin.query(`CREATE SCHEMA ${schema}`);
  const url = new URL(PG_URL);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return {
    url: url.toString(),
    async drop() {
      await admin.query(`DROP SCHEMA ${schema} CASCADE`);
      await admin.end();
    },
  };
}

async function main() {
  console.log(`${TOTAL} reservations per shape, ${CONCURRENCY} concurrent callers, pool ${POOL}`);
  const result: Record<string, unknown> = { reservations: TOTAL, concurrency: CONCURRENCY };
  const dir = await mkdtemp(path.join(tmpdir(), 'sheen-bench-quota-'));
  const lite = await openPglite(path.join(dir, 'db'));
  try {
    result.pglite = await measure('PGlite', lite);
  } finally {
    await lite.close();
    await rm(dir, { recursive: true, force: true });
  }
  const schema = await postgresSchema();
  if (!schema) {
    console.log(`PostgreSQL not reachable at ${PG_URL}: skipped`);
  } else {
    const db = openPostgres({ url: schema.url, poolMax: POOL });
    try {
      result.postgres = await measure('PostgreSQL', db);
    } finally {
      await db.close();
      await schema.drop();
    }
  }
  printResult(result);
}

await main();
