import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JOBS_PER_BUILD, PRODUCTION_KILL_JOBS, seededRandom } from './support/chaos.js';
import { checkAfterFaults, cleanReport, trimReport, type Report } from './support/checks.js';
import { sleep, waitUntil } from './support/child.js';
import { runningOn, startCluster, workLeft, WORKERS, type Cluster } from './support/cluster.js';
import { SHUTDOWN_MS, SWEEP_MS } from './support/environment.js';
import { jobsRun } from './support/invariants.js';
import { submitBuilds, waitForQuiet } from './support/load.js';
import { outageProblems, probeOutage, type Probe } from './support/outage.js';

/**
 * Faults on the production profile: PostgreSQL + BullMQ with one API and two worker
 * processes. Each scenario makes its own builds, injects its fault while they run, waits for
 * the work to settle and then checks that nothing was lost or done twice (support/checks.ts).
 * The scenarios share one cluster and run in order.
 */

/** The share of FAULT_JOBS killed here; the embedded profile runs the rest. */
const KILL_JOBS = PRODUCTION_KILL_JOBS;
const MAX_ATTEMPTS = 10; // QUEUE_ATTEMPTS in support/environment.ts
const SETTLE_MS = 60_000;
const KILL_SETTLE_MS = 150_000;

describe('faults on PostgreSQL + BullMQ (1 api, 2 workers)', () => {
  let cluster: Cluster;
  const outages: Record<string, Probe[]> = {};

  /** Waits for the builds and their webhooks to settle, lets the sweepers run, checks. */
  const settleAndCheck = async (ids: string[], timeoutMs = SETTLE_MS): Promise<Report> => {
    const quiet = await waitForQuiet(() => workLeft(cluster.query, ids), timeoutMs);
    if (!quiet) process.stdout.write(`[faults] not settled after ${timeoutMs} ms\n`);
    await sleep(3 * SWEEP_MS);
    return trimReport(await checkAfterFaults(cluster.scope(MAX_ATTEMPTS), ids));
  };

  beforeAll(async () => {
    cluster = await startCluster();
    // The first build installs the app's dependencies from the registry into the cache;
    // every later build reuses them. Done before any fault, so the scenarios time warm builds.
    const [first] = await submitBuilds(cluster.client, 1, 'warm-up');
    await waitUntil(
      'the warm-up build',
      async () => ((await workLeft(cluster.query, [first ?? ''])) === 0 ? true : undefined),
      180_000,
    );
  }, 300_000);

  afterAll(async () => {
    await cluster?.close();
  }, 60_000);

  it(`(a) SIGKILL of worker processes at random points, across ${KILL_JOBS} jobs`, async () => {
    const random = seededRandom('production SIGKILL');
    const ids = await submitBuilds(cluster.client, Math.ceil(KILL_JOBS / JOBS_PER_BUILD), 'kill');
    const kills: string[] = [];
    let done = false;
    const chaos = (async () => {
      while (!done) {
        await sleep(random.between(300, 2500));
        if (done) break;
        const name = random.pick(WORKERS);
        const pid = cluster.fleet.get(name).child.pid;
        const running = (await runningOn(cluster.query, pid)).filter((b) => ids.includes(b.id));
        await cluster.fleet.kill(name);
        const stages = running.map((b) => b.stage ?? 'starting');
        kills.push(`${name} in ${stages.join(', ') || 'no build'}`);
        await sleep(random.between(100, 1000));
        await cluster.startWorker(name);
      }
    })();
    await waitForQuiet(() => workLeft(cluster.query, ids), 150_000);
    done = true;
    await chaos;
    process.stdout.write(`[faults] ${kills.length} kills: ${kills.join('; ')}\n`);

    // Builds run at a lower CPU priority than the servers (SANDBOX_NICE), so while workers
    // restart every second or two (and the other fault files run beside this one) the builds
    // left over need longer to finish once the kills stop.
    const report = await settleAndCheck(ids, KILL_SETTLE_MS);
    expect(report).toEqual(cleanReport(report));
    expect(kills.length).toBeGreaterThanOrEqual(3);
    expect(await jobsRun(cluster.query, ids)).toBeGreaterThanOrEqual(KILL_JOBS);
  }, 420_000);

  it('(b) Redis killed (-9, all data lost) and started again during builds', async () => {
    const ids = await submitBuilds(cluster.client, 8, 'redis');
    await waitForRunning(ids, 3);
    await cluster.redis.kill();
    outages.redis = await probeOutage(cluster.fleet.get('api').baseUrl, ids[0] ?? '', 2500);
    await cluster.redis.start();

    const report = await settleAndCheck(ids);
    expect(report).toEqual(cleanReport(report));
  }, 180_000);

  it('(d) while Redis is down the API answers 503 SERVICE_UNAVAILABLE with Retry-After', () => {
    expect(outageProblems(outages.redis ?? [])).toEqual([]);
  });

  it('(b) PostgreSQL stopped (fast shutdown) and started again during builds', async () => {
    const ids = await submitBuilds(cluster.client, 8, 'postgres');
    await waitForRunning(ids, 3);
    await cluster.postgres.stopFast();
    outages.postgres = await probeOutage(cluster.fleet.get('api').baseUrl, ids[0] ?? '', 2500);
    await cluster.postgres.start();

    const report = await settleAndCheck(ids);
    expect(report).toEqual(cleanReport(report));
  }, 180_000);

  it('(d) while PostgreSQL is down the API answers 503 SERVICE_UNAVAILABLE with Retry-After', () => {
    expect(outageProblems(outages.postgres ?? [])).toEqual([]);
  });

  it('(c) SIGTERM during builds: exit 0, active builds finish or are handed back', async () => {
    const ids = await submitBuilds(cluster.client, 6, 'sigterm');
    const name = 'worker-1';
    const pid = cluster.fleet.get(name).child.pid;
    // Early in a build, so it outlasts SHUTDOWN_TIMEOUT_MS (3 s) and must be handed back.
    const active = await waitUntil(
      `a build early in its run on ${name}`,
      async () => {
        const running = (await runningOn(cluster.query, pid)).filter((b) => ids.includes(b.id));
        const early = running.some((b) => ['plan', 'generate', 'install'].includes(b.stage ?? ''));
        return early ? running : undefined;
      },
      60_000,
      50,
    );
    const signalled = Date.now();
    const exit = await cluster.fleet.terminate(name);
    const tookMs = Date.now() - signalled;
    await cluster.startWorker(name);

    const report = await settleAndCheck(ids);
    const handed = await cluster.query(
      `SELECT b.id, b.finished_at, count(e.id) FILTER (WHERE e.type = 'build.interrupted')::int
              AS interrupted
       FROM builds b LEFT JOIN build_events e ON e.build_id = b.id
       WHERE b.id = ANY($1::text[]) GROUP BY b.id`,
      [active.map((b) => b.id)],
    );
    const lost = handed.filter(
      (b) =>
        b.interrupted === 0 && !(b.finished_at && b.finished_at.getTime() <= signalled + tookMs),
    );
    expect({ exit, lost }).toEqual({ exit: { code: 0, signal: null }, lost: [] });
    expect(tookMs).toBeLessThan(SHUTDOWN_MS + 5000);
    expect(report).toEqual(cleanReport(report));
  }, 180_000);

  /** Waits until `n` of `ids` are running, so the fault lands during builds. */
  async function waitForRunning(ids: string[], n: number): Promise<void> {
    await waitUntil(
      `${n} builds running`,
      async () => {
        const [row] = await cluster.query(
          `SELECT count(*)::int AS n FROM builds WHERE id = ANY($1::text[]) AND status = 'running'`,
          [ids],
        );
        return (row?.n ?? 0) >= n ? true : undefined;
      },
      60_000,
      50,
    );
  }
});
