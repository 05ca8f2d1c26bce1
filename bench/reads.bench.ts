/**
 * Signed reads and liveness against a floor built in the same run (issue 11, goal 1).
 *
 * Three server processes: the worker on the production profile (PostgreSQL + Redis), the
 * worker on the embedded profile (PGlite, no Redis), and the floor (bench/reads-floor.ts: the
 * v2 signature check, one Redis SET NX PX, one primary-key read; and a bare route). This
 * process generates the load (autocannon, 10 connections, a fresh nonce and signature per
 * request, signed before the clock starts) and measures the targets one at a time, in
 * alternating order over several rounds, so floor and worker see the same machine. Ratios are
 * per round (worker / floor measured in that round), the median over rounds reported.
 *
 * Run: npm run bench:reads [-- --short]
 *   BENCH_DATABASE_URL (else TEST_DATABASE_URL, else postgres://postgres@127.0.0.1:5432/test),
 *   BENCH_REDIS_URL (else TEST_REDIS_URL, else redis://127.0.0.1:6379); keys go under a fresh
 *   prefix, deleted at the end. BENCH_ROUNDS (default 4), BENCH_SECONDS per run (default 5),
 *   BENCH_CPU_PROF=<folder> to write the workers' and the floor's CPU profiles there,
 *   BENCH_ONLY=<names> to measure only some targets (floor, production, embedded, bare,
 *   liveness), BENCH_READS_BUILDS=<n> (default 1) to read n builds in turn instead of one:
 *   the worker reads a build once for all the requests for it that arrive together, which
 *   reading one build favours.
 * Last line: BENCH_RESULT <json>.
 */
import { randomBytes } from 'node:crypto';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { ulid } from 'ulid';
import { loadConfig } from '../src/config/config.js';
import type { Db } from '../src/db/db.js';
import { migrate } from '../src/db/migrate.js';
import { openPglite } from '../src/db/pglite.js';
import { openPostgres } from '../src/db/postgres.js';
import { SERVER_NODE_FLAGS } from '../src/node-flags.js';
import {
  measure,
  probe,
  seedBuild,
  startProcess,
  type Measurement,
  type SeededBuild,
  type Server,
  type Target,
} from './reads-support.js';

const SHORT = process.argv.includes('--short');
const ROUNDS = SHORT ? 1 : Number(process.env.BENCH_ROUNDS ?? 4);
const SECONDS = SHORT ? 1 : Number(process.env.BENCH_SECONDS ?? 5);
const WARMUP_SECONDS = SHORT ? 0.5 : 2;
const CONNECTIONS = 10;
const DATABASE_URL =
  process.env.BENCH_DATABASE_URL ??
  process.env.TEST_DATABASE_URL ??
  'postgres://postgres@127.0.0.1:5432/test';
const REDIS_URL =
  process.env.BENCH_REDIS_URL ?? process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
/** A folder for CPU profiles (.cpuprofile) of both workers, written when they stop. */
const PROFILE_DIR = process.env.BENCH_CPU_PROF;
/** The servers' flags, the floor's too: it runs on the same Node as the worker it is set against. */
const WORKER_NODE_ARGS = [
  ...SERVER_NODE_FLAGS,
  ...(PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${PROFILE_DIR}`] : []),
];
/** BENCH_ONLY=floor,production measures only those targets (a profile of one route). */
const ONLY = process.env.BENCH_ONLY?.split(',');
const BUILDS = Math.max(1, Number(process.env.BENCH_READS_BUILDS ?? 1));
const WORKER_READY = /Server listening at (http:\/\/127\.0\.0\.1:\d+)[\s\S]*SheenApps Worker ready/;

/** Worker / floor pairs, as the goals state them. */
const PAIRS = [
  { name: 'production', worker: 'production', floor: 'floor', goal: 0.8 },
  { name: 'embedded', worker: 'embedded', floor: 'floor', goal: 0.4 },
  { name: 'liveness', worker: 'liveness', floor: 'bare', goal: 0.7 },
] as const;

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

async function withDb<T>(db: Db, fn: (db: Db) => Promise<T>): Promise<T> {
  try {
    await migrate(db);
    return await fn(db);
  } finally {
    await db.close();
  }
}

interface Setup {
  servers: Server[];
  targets: Target[];
}

const at = (server: Server) => ({ baseUrl: server.baseUrl, pid: server.child.pid });
const reads = (paths: string[]) => ({ path: paths[0] as string, paths });

async function startAll(dir: string, prefix: string): Promise<Setup> {
  const secret = randomBytes(32).toString('hex');
  const userId = `bench-${ulid()}`;
  const servers: Server[] = [];
  const workerEnv = {
    HMAC_SECRETS: secret,
    ADMIN_HMAC_SECRETS: randomBytes(32).toString('hex'),
    PORT: '0',
    // High enough never to refuse the bench: the limiter still runs on every request.
    RATE_LIMIT_IP_MAX: '1000000',
    RATE_LIMIT_USER_MAX: '1000000',
  };
  const buildPath = (b: SeededBuild) => `/v1/builds/${b.buildId}?userId=${b.userId}`;
  const seedBuilds = async (db: Db) => {
    const seeded: SeededBuild[] = [];
    for (let i = 0; i < BUILDS; i += 1) seeded.push(await seedBuild(db, userId));
    return seeded.map(buildPath);
  };
  try {
    // The embedded database is seeded before its worker opens it: PGlite serves one process.
    const embeddedDir = path.join(dir, 'embedded');
    const embeddedDb = loadConfig({ DATA_DIR: embeddedDir }).database;
    if (embeddedDb.kind !== 'pglite') throw new Error('expected the embedded profile');
    const embeddedPaths = await withDb(await openPglite(embeddedDb.dir), seedBuilds);
    const production = await startProcess(
      'production',
      'src/main.ts',
      {
        ...workerEnv,
        DATA_DIR: path.join(dir, 'production'),
        DATABASE_URL,
        REDIS_URL,
        REDIS_KEY_PREFIX: prefix,
      },
      path.join(dir, 'production.log'),
      WORKER_READY,
      WORKER_NODE_ARGS,
    );
    servers.push(production);
    const productionPaths = await withDb(
      openPostgres({ url: DATABASE_URL, poolMax: 2 }),
      seedBuilds,
    );
    const embedded = await startProcess(
      'embedded',
      'src/main.ts',
      { ...workerEnv, DATA_DIR: embeddedDir },
      path.join(dir, 'embedded.log'),
      WORKER_READY,
      WORKER_NODE_ARGS,
    );
    servers.push(embedded);
    const floor = await startProcess(
      'floor',
      'bench/reads-floor.ts',
      {
        FLOOR_DATABASE_URL: DATABASE_URL,
        FLOOR_REDIS_URL: REDIS_URL,
        FLOOR_SECRET: secret,
        FLOOR_KEY_PREFIX: prefix,
      },
      path.join(dir, 'floor.log'),
      /FLOOR_READY (\d+)/,
      WORKER_NODE_ARGS,
    );
    servers.push(floor);
    const targets: Target[] = [
      { name: 'floor', ...at(floor), ...reads(productionPaths), secret },
      { name: 'production', ...at(production), ...reads(productionPaths), secret },
      { name: 'embedded', ...at(embedded), ...reads(embeddedPaths), secret },
      { name: 'bare', ...at(floor), path: '/bare' },
      { name: 'liveness', ...at(production), path: '/myhealthz' },
    ];
    const only = ONLY ? targets.filter((t) => ONLY.includes(t.name)) : targets;
    for (const target of only) await probe(target);
    return { servers, targets: only };
  } catch (err) {
    await Promise.all(servers.map((s) => s.stop()));
    throw err;
  }
}

type Runs = Record<string, Measurement[]>;

/** Every target once per round, the order rotated each round; a warm-up pass first. */
async function runRounds(targets: Target[]): Promise<Runs> {
  const runs: Runs = Object.fromEntries(targets.map((t) => [t.name, []]));
  const rate: Record<string, number> = {};
  for (const target of targets) {
    const warm = await measure(target, WARMUP_SECONDS, CONNECTIONS, 8000);
    rate[target.name] = warm.reqPerSec;
  }
  for (let round = 0; round < ROUNDS; round += 1) {
    const order = [
      ...targets.slice(round % targets.length),
      ...targets.slice(0, round % targets.length),
    ];
    for (const target of order) {
      const m = await measure(target, SECONDS, CONNECTIONS, rate[target.name] ?? 8000);
      rate[target.name] = m.reqPerSec;
      runs[target.name]!.push(m);
      process.stdout.write(
        `round ${round + 1} ${target.name.padEnd(10)} ${String(m.reqPerSec).padStart(6)} req/s  p50 ${m.p50Ms} ms  p99 ${m.p99Ms} ms  cpu ${m.cpuUsPerReq ?? '?'} us/req${m.failures ? `  FAILURES ${m.failures}` : ''}\n`,
      );
    }
  }
  return runs;
}

function summarise(runs: Runs) {
  const targets = Object.fromEntries(
    Object.entries(runs).map(([name, ms]) => [
      name,
      {
        reqPerSec: Math.round(median(ms.map((m) => m.reqPerSec))),
        p50Ms: median(ms.map((m) => m.p50Ms)),
        p99Ms: median(ms.map((m) => m.p99Ms)),
        cpuUsPerReq: median(ms.map((m) => m.cpuUsPerReq ?? NaN)),
        failures: ms.reduce((n, m) => n + m.failures, 0),
      },
    ]),
  );
  const ratios = Object.fromEntries(
    PAIRS.filter((p) => runs[p.worker] && runs[p.floor]).map((p) => {
      const perRound = runs[p.worker]!.map((m, i) => m.reqPerSec / runs[p.floor]![i]!.reqPerSec);
      return [
        p.name,
        {
          ratio: +median(perRound).toFixed(3),
          goal: p.goal,
          perRound: perRound.map((r) => +r.toFixed(3)),
        },
      ];
    }),
  );
  return { targets, ratios };
}

async function deleteKeys(prefix: string): Promise<void> {
  const redis = new Redis(REDIS_URL);
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 5000);
      cursor = next;
      if (keys.length > 0) await redis.unlink(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

async function main(): Promise<void> {
  const dir = await mkdtemp(path.join(tmpdir(), 'sheen-bench-reads-'));
  // The sandbox user must traverse to the workers' DATA_DIRs (it lists nothing here).
  await chmod(dir, 0o711);
  const prefix = `bench-reads-${ulid()}`;
  try {
    const { servers, targets } = await startAll(dir, prefix);
    let runs: Runs;
    try {
      runs = await runRounds(targets);
    } finally {
      await Promise.all(servers.map((s) => s.stop()));
    }
    const summary = summarise(runs);
    for (const p of PAIRS) {
      const r = summary.ratios[p.name];
      if (!r) continue;
      process.stdout.write(
        `${p.name.padEnd(10)} ${summary.targets[p.worker]!.reqPerSec} vs ${summary.targets[p.floor]!.reqPerSec} req/s: ${(r.ratio * 100).toFixed(0)}% (goal ${p.goal * 100}%)\n`,
      );
    }
    const failures = Object.values(summary.targets).reduce((n, t) => n + t.failures, 0);
    const result = {
      bench: 'reads',
      short: SHORT,
      rounds: ROUNDS,
      seconds: SECONDS,
      connections: CONNECTIONS,
      builds: BUILDS,
      ...summary,
    };
    process.stdout.write(`BENCH_RESULT ${JSON.stringify(result)}\n`);
    if (failures > 0) {
      process.stderr.write(
        `${failures} requests failed (non-2xx, errors or timeouts); see above\n`,
      );
      process.exitCode = 1;
    }
  } finally {
    await deleteKeys(prefix).catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
