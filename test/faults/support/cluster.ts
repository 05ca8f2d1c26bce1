import { rm } from 'node:fs/promises';
import pg from 'pg';
import { WorkerClient } from '../../../src/cli/client.js';
import type { CheckScope } from './checks.js';
import { startFlakyReceiver, type FlakyReceiver } from './flaky-receiver.js';
import { baseEnv, scenarioDirs, SECRET, type Scenario } from './environment.js';
import type { Query } from './invariants.js';
import { startPostgres, type PostgresInstance } from './postgres-instance.js';
import { startRedis, type RedisInstance } from './redis-instance.js';
import { Fleet } from './servers.js';

export const WORKERS = ['worker-1', 'worker-2'] as const;

/**
 * The production profile on this machine: a PostgreSQL and a Redis of the suite's own, one
 * `ROLE=api` and two `ROLE=worker` processes sharing DATA_DIR, and a webhook receiver every
 * build's events go to.
 */
export interface Cluster {
  dirs: Scenario;
  receiver: FlakyReceiver;
  postgres: PostgresInstance;
  redis: RedisInstance;
  fleet: Fleet;
  client: WorkerClient;
  query: Query;
  env: Record<string, string>;
  startWorker(name: string): Promise<void>;
  /** The scope the end-of-scenario checks read. */
  scope(maxAttempts: number): CheckScope;
  close(): Promise<void>;
}

export async function startCluster(extraEnv: Record<string, string> = {}): Promise<Cluster> {
  const dirs = await scenarioDirs('production');
  const receiver = await startFlakyReceiver();
  const [postgres, redis] = await Promise.all([
    startPostgres(dirs.logDir),
    startRedis(dirs.logDir),
  ]);
  const env = {
    ...baseEnv(dirs.dataDir, receiver.url),
    DATABASE_URL: postgres.url,
    REDIS_URL: redis.url,
    ...extraEnv,
  };
  const fleet = new Fleet(env, dirs.logDir);
  const pool = new pg.Pool({ connectionString: postgres.url, max: 2 });
  // The suite stops PostgreSQL on purpose: an idle client losing its connection is expected.
  pool.on('error', () => undefined);
  const query: Query = async (sql, params) => (await pool.query(sql, params)).rows;
  const startWorker = async (name: string) => {
    await fleet.start(name, { ROLE: 'worker' });
  };
  // The API first: it applies the migrations the workers then find done.
  const api = await fleet.start('api', { ROLE: 'api' });
  await Promise.all(WORKERS.map(startWorker));
  return {
    dirs,
    receiver,
    postgres,
    redis,
    fleet,
    client: new WorkerClient({ baseUrl: api.baseUrl, secret: SECRET }),
    query,
    env,
    startWorker,
    scope: (maxAttempts) => ({
      query,
      dataDir: dirs.dataDir,
      root: dirs.root,
      receiver,
      maxAttempts,
      orphanCandidates: fleet.orphanCandidates,
      serverPids: fleet.pids(),
    }),
    async close() {
      await fleet.stopAll();
      await pool.end().catch(() => undefined);
      await Promise.all([redis.destroy(), postgres.destroy(), receiver.close()]);
      if (!process.env.FAULT_KEEP) await rm(dirs.root, { recursive: true, force: true });
    },
  };
}

/** Builds of `ids` not yet ended, plus their project events not yet delivered. */
export async function workLeft(query: Query, ids: string[]): Promise<number> {
  const [row] = await query(
    `SELECT (SELECT count(*) FROM builds WHERE id = ANY($1::text[])
               AND status IN ('queued', 'running'))::int
          + (SELECT count(*) FROM project_events e JOIN builds b ON b.project_id = e.project_id
             LEFT JOIN webhook_deliveries d ON d.event_id = e.id
             WHERE b.id = ANY($1::text[])
               AND e.type IN ('version.created', 'build.started', 'build.succeeded', 'build.failed')
               AND (d.id IS NULL OR d.status = 'pending'))::int AS n`,
    [ids],
  );
  return (row?.n as number | undefined) ?? 1;
}

/** The builds a worker process is running now, with their stage (worker ids hold the pid). */
export async function runningOn(
  query: Query,
  pid: number,
): Promise<Array<{ id: string; stage: string | null }>> {
  return query(`SELECT id, stage FROM builds WHERE status = 'running' AND worker_id LIKE $1`, [
    `%:${pid}:%`,
  ]);
}
