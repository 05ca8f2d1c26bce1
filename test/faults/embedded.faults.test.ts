import { rm } from 'node:fs/promises';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WorkerClient } from '../../src/cli/client.js';
import { EMBEDDED_KILL_JOBS, JOBS_PER_BUILD, seededRandom } from './support/chaos.js';
import { checkAfterFaults, cleanReport, trimReport } from './support/checks.js';
import { sleep } from './support/child.js';
import { startFlakyReceiver, type FlakyReceiver } from './support/flaky-receiver.js';
import { baseEnv, scenarioDirs, SECRET, SWEEP_MS, type Scenario } from './support/environment.js';
import { jobsRun, type Query } from './support/invariants.js';
import { submitBuilds, waitForQuiet } from './support/load.js';
import { Fleet } from './support/servers.js';

/**
 * The embedded profile: one process (ROLE=all) on PGlite with the in-process queue, killed
 * with SIGKILL at random points and started again on the same DATA_DIR. Its database is read
 * directly once the process has stopped (PGlite admits one process at a time).
 */

const MAX_ATTEMPTS = 10; // QUEUE_ATTEMPTS in support/environment.ts
const NAME = 'embedded';

describe('faults on the embedded profile (PGlite, one process)', () => {
  let dirs: Scenario;
  let receiver: FlakyReceiver;
  let fleet: Fleet;
  let client: WorkerClient;

  const start = async () => {
    const server = await fleet.start(NAME, { ROLE: 'all' });
    client = new WorkerClient({ baseUrl: server.baseUrl, secret: SECRET });
  };

  /** Builds not yet ended, plus webhooks not yet received, as the API and receiver tell. */
  const workLeft = async (ids: string[]): Promise<number> => {
    let left = 0;
    for (const id of ids) {
      const build = await client.json<{ status: string }>('GET', `/v1/builds/${id}`);
      if (build.status === 'queued' || build.status === 'running') left += 1;
    }
    const wanted = new Set(ids);
    const messages = new Set(
      receiver.received
        .filter((r) => r.status === 200 && wanted.has(r.json?.data?.buildId))
        .map((r) => r.headers['webhook-id']),
    );
    return left + Math.max(0, 3 * ids.length - messages.size);
  };

  beforeAll(async () => {
    dirs = await scenarioDirs('embedded');
    receiver = await startFlakyReceiver();
    fleet = new Fleet(baseEnv(dirs.dataDir, receiver.url), dirs.logDir);
    await start();
    // The cold install, before any fault (see the production scenarios).
    const warmUp = await submitBuilds(client, 1, 'warm-up');
    if (!(await waitForQuiet(() => workLeft(warmUp), 180_000))) {
      throw new Error('the warm-up build did not finish');
    }
  }, 300_000);

  afterAll(async () => {
    await fleet?.stopAll();
    await receiver?.close();
    if (dirs && !process.env.FAULT_KEEP) await rm(dirs.root, { recursive: true, force: true });
  }, 60_000);

  it(`(a) SIGKILL of the process mid-run, started again, across ${EMBEDDED_KILL_JOBS} jobs`, async () => {
    const random = seededRandom('embedded SIGKILL');
    const ids = await submitBuilds(client, Math.ceil(EMBEDDED_KILL_JOBS / JOBS_PER_BUILD), 'kill');
    let kills = 0;
    // At least two kills, then more while work is left (at most five: each restart costs).
    while (kills < 2 || (kills < 5 && (await workLeft(ids).catch(() => 1)) > 0)) {
      await sleep(random.between(500, 4000));
      await fleet.kill(NAME);
      kills += 1;
      await start();
    }
    const quiet = await waitForQuiet(() => workLeft(ids), 120_000);
    if (!quiet) process.stdout.write('[faults] embedded: not settled after 120 s\n');
    await sleep(3 * SWEEP_MS);
    process.stdout.write(`[faults] embedded: ${kills} kills\n`);

    // Leftover processes are looked for while the server runs; the database once it stopped.
    const serverPids = fleet.pids();
    await fleet.stopAll();
    const db = await PGlite.create({ dataDir: path.join(dirs.dataDir, 'db') });
    try {
      const query: Query = async (sql, params) => (await db.query<never>(sql, params)).rows;
      const report = trimReport(
        await checkAfterFaults(
          {
            query,
            dataDir: dirs.dataDir,
            root: dirs.root,
            receiver,
            maxAttempts: MAX_ATTEMPTS,
            orphanCandidates: fleet.orphanCandidates,
            serverPids,
          },
          ids,
        ),
      );
      expect(report).toEqual(cleanReport(report));
      expect(await jobsRun(query, ids)).toBeGreaterThanOrEqual(EMBEDDED_KILL_JOBS);
    } finally {
      await db.close();
    }
  }, 300_000);
});
