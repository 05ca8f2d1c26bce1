/**
 * Scale across processes, on PostgreSQL + BullMQ (one ROLE=api and ROLE=worker processes)
 * and on the embedded profile (PGlite serves one process: one ROLE=all there), offline
 * engine, the real server (node dist/main.js):
 *   running: 20 builds queued at once with one worker, while non-build routes are sampled
 *            (build read, project versions, liveness, billing balance): API p50/p99, and
 *            builds per minute with one worker
 *   scale:   1,000 signed creates, 50 in flight (a second worker joins first): time to accept
 *            them all, accepted/errored, time until every build is terminal, builds per minute
 *            with two workers; then every accepted build is read back (none may be lost)
 * Run: npm run bench:scale [-- --short]   (--short: 50 creates, one worker, builds cut after
 * 30 s, for CI)
 * Env: BENCH_DATABASE_URL, BENCH_REDIS_URL (a fresh schema and key prefix are used and
 * removed), BENCH_SCALE_CREATES, BENCH_SCALE_PROFILES=postgres,embedded,
 * BENCH_BUILD_CONCURRENCY (per process, default 2), BENCH_SCALE_BUILD_MINUTES (building time
 * after which the scale batch's remaining builds are cancelled; reported as cutAfterMs).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { WorkerClient } from '../src/cli/client.js';
import { ensureBuilt, startDistServer, type DistServer } from './support/dist-server.js';
import { printResult, SHORT } from './support/report.js';
import { privateServices, reachable, runSecrets } from './support/scale-env.js';
import {
  cancelAll,
  createMany,
  sampleApi,
  verifyBuilds,
  waitAllTerminal,
  type Verified,
} from './support/scale-load.js';

const CREATES = Number(process.env.BENCH_SCALE_CREATES ?? (SHORT ? 30 : 1000));
const CONCURRENCY = 50;
const RUNNING = SHORT ? 3 : 20;
const PROFILES = (process.env.BENCH_SCALE_PROFILES ?? 'postgres,embedded').split(',');
const PG_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
const WAIT_MS = (SHORT ? 5 : 120) * 60_000;
// After this long building the scale batch, the builds left are cancelled (which must end
// them too): a loaded machine may build far fewer than 1,000 in a sitting.
const BUILD_CAP_MS = Number(process.env.BENCH_SCALE_BUILD_MINUTES ?? (SHORT ? 0.25 : 120)) * 60_000;

interface Cluster {
  api: DistServer;
  client: WorkerClient;
  admin: WorkerClient;
  workers: number;
  addWorker(): Promise<void>;
  stop(): Promise<void>;
}

async function startCluster(kind: 'postgres' | 'embedded'): Promise<Cluster> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'sheen-bench-scale-'));
  const secrets = runSecrets();
  const services = kind === 'postgres' ? await privateServices(PG_URL, REDIS_URL) : undefined;
  const env: Record<string, string> = {
    DATA_DIR: dataDir,
    HMAC_SECRETS: secrets.app,
    ADMIN_HMAC_SECRETS: secrets.admin,
    LOG_LEVEL: 'warn',
    AI_PROVIDER: 'offline',
    // Offline builds are not metered; said here so a changed default cannot refuse 1,000.
    QUOTA_METER_OFFLINE: 'false',
    // The bench measures the service, not its rate limiter.
    RATE_LIMIT_IP_MAX: '1000000',
    RATE_LIMIT_USER_MAX: '1000000',
    BUILD_CONCURRENCY: process.env.BENCH_BUILD_CONCURRENCY ?? '2',
    SHUTDOWN_TIMEOUT_MS: '15000',
    ...services?.env,
  };
  const servers: DistServer[] = [];
  const stop = async () => {
    for (const s of servers.reverse()) await s.stop();
    await services?.drop();
    await rm(dataDir, { recursive: true, force: true });
  };
  try {
    const api = await startDistServer(kind === 'postgres' ? 'api' : 'all', {
      ...env,
      ROLE: kind === 'postgres' ? 'api' : 'all',
    });
    servers.push(api);
    const cluster: Cluster = {
      api,
      client: new WorkerClient({ baseUrl: api.baseUrl, secret: secrets.app }),
      admin: new WorkerClient({ baseUrl: api.baseUrl, secret: secrets.admin }),
      workers: kind === 'postgres' ? 0 : 1,
      async addWorker() {
        // Each worker on this machine gets its own range of sandbox uids.
        const base = 200_000 + (cluster.workers + 1) * 1000;
        const worker = await startDistServer(`worker-${cluster.workers + 1}`, {
          ...env,
          ROLE: 'worker',
          SANDBOX_UID_BASE: String(base),
        });
        servers.push(worker);
        cluster.workers += 1;
      },
      stop,
    };
    if (kind === 'postgres') await cluster.addWorker();
    return cluster;
  } catch (err) {
    await stop();
    throw err;
  }
}

/** One build first: the dependency cache is empty in a fresh DATA_DIR. */
async function warmUp(c: Cluster): Promise<number> {
  const t0 = performance.now();
  const warm = await createMany(c.client, 1, 1, 'warm');
  if (warm.accepted.length !== 1) throw new Error(`warm-up create failed: ${JSON.stringify(warm)}`);
  if (!(await waitAllTerminal(c.admin, 1, WAIT_MS)).done) throw new Error('warm-up never ended');
  return Math.round(performance.now() - t0);
}

/** RUNNING builds queued at once with one worker; non-build routes sampled until they end. */
async function runningPhase(c: Cluster, before: number) {
  const created = await createMany(c.client, RUNNING, RUNNING, 'api');
  const wait = waitAllTerminal(c.admin, before + created.accepted.length, WAIT_MS);
  const api = await sampleApi(c.client, c.api.baseUrl, created.accepted, wait);
  await wait;
  const verified = await verifyBuilds(c.client, created.accepted);
  return { api, verified, accepted: created.accepted.length };
}

async function scalePhase(c: Cluster, before: number) {
  const t0 = performance.now();
  const created = await createMany(c.client, CREATES, CONCURRENCY, 'scale');
  const accepted = created.accepted.length;
  console.log(
    `  ${accepted}/${CREATES} creates accepted in ${created.wallMs} ms (p99 ${created.p99Ms} ms), errors ${JSON.stringify(created.errors)}`,
  );
  let waited = await waitAllTerminal(c.admin, before + accepted, Math.min(BUILD_CAP_MS, WAIT_MS));
  let cutAfterMs: number | undefined;
  if (!waited.done) {
    cutAfterMs = Math.round(performance.now() - t0);
    console.log(`  cutting the batch after ${cutAfterMs} ms: cancelling the builds left`);
    await cancelAll(c.client, created.accepted);
    waited = await waitAllTerminal(c.admin, before + accepted, WAIT_MS);
  }
  const allTerminalMs = Math.round(performance.now() - t0);
  const verified = await verifyBuilds(c.client, created.accepted);
  return { created, waited: waited.done, cutAfterMs, allTerminalMs, verified };
}

const lostOf = (v: Verified) => v.missing + v.notTerminal;

async function runProfile(kind: 'postgres' | 'embedded') {
  console.log(`\n== ${kind}`);
  const c = await startCluster(kind);
  try {
    const coldBuildMs = await warmUp(c);
    console.log(`  warm-up build (empty caches): ${coldBuildMs} ms`);
    const running = await runningPhase(c, 1);
    console.log(
      `  API while ${RUNNING} builds run: p50 ${running.api.p50Ms} ms, p99 ${running.api.p99Ms} ms over ${running.api.requests} requests (${running.api.errors} errors); ${running.verified.buildsPerMinute} builds/min with 1 ${kind === 'postgres' ? 'worker' : 'process'}`,
    );
    if (kind === 'postgres' && !SHORT) await c.addWorker();
    const scale = await scalePhase(c, 1 + running.accepted);
    const lost = lostOf(scale.verified) + lostOf(running.verified);
    console.log(
      `  every build terminal after ${scale.allTerminalMs} ms: ${JSON.stringify(scale.verified.byStatus)}, ${lost} lost; ${scale.verified.buildsPerMinute} builds/min with ${c.workers} ${kind === 'postgres' ? 'worker(s)' : 'process'}`,
    );
    return {
      processes: kind === 'postgres' ? `1 api + ${c.workers} worker(s)` : '1 all (PGlite)',
      coldBuildMs,
      apiWhileBuilding: { builds: RUNNING, ...running.api },
      buildsPerMinute: {
        oneWorker: running.verified.buildsPerMinute,
        ...(c.workers > 1 ? { twoWorkers: scale.verified.buildsPerMinute } : {}),
        scaleBatch: scale.verified.buildsPerMinute,
      },
      creates: {
        requested: CREATES,
        concurrency: CONCURRENCY,
        accepted: scale.created.accepted.length,
        errors: scale.created.errors,
        acceptMs: scale.created.wallMs,
        p50Ms: scale.created.p50Ms,
        p99Ms: scale.created.p99Ms,
      },
      allTerminal: scale.waited,
      allTerminalMs: scale.allTerminalMs,
      ...(scale.cutAfterMs !== undefined ? { cutAfterMs: scale.cutAfterMs } : {}),
      statuses: scale.verified.byStatus,
      lost,
    };
  } finally {
    await c.stop();
  }
}

async function main() {
  await ensureBuilt();
  const result: Record<string, unknown> = { creates: CREATES, runningBuilds: RUNNING };
  let lost = 0;
  for (const kind of PROFILES) {
    if (kind !== 'postgres' && kind !== 'embedded') throw new Error(`unknown profile ${kind}`);
    const down = kind === 'postgres' ? await reachable(PG_URL, REDIS_URL) : undefined;
    if (down) {
      if (process.env.CI === 'true') throw new Error(`CI=true but ${down}`);
      console.log(`\n== ${kind}: skipped (${down})`);
      result[kind] = { skipped: down };
      continue;
    }
    const r = await runProfile(kind);
    lost += r.lost + (r.allTerminal ? 0 : 1);
    result[kind] = r;
  }
  printResult(result);
  // Lost or stranded builds are a broken product, not a slow one: fail the run.
  if (lost > 0) process.exitCode = 1;
}

await main();
