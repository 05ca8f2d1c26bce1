import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WorkerClient } from '../../src/cli/client.js';
import { ADMIN_SECRET, SECRET } from '../support/harness.js';
import { startRedisProcess, type RedisProcess } from '../support/redis-process.js';
import { startServer, type ServerProcess } from '../support/server-process.js';
import { freshPostgresSchema, servicesUp } from '../support/services.js';

const TERMINAL = ['succeeded', 'failed', 'cancelled'];

/**
 * The database is the source of truth for what must run: a Redis that restarts empty while
 * builds are queued or running loses their jobs, and the workers' reconciler puts them back.
 * Every build ends, with exactly one version each.
 */
describe.skipIf(!servicesUp)('builds survive a Redis restart (PostgreSQL + BullMQ)', () => {
  let schema: Awaited<ReturnType<typeof freshPostgresSchema>>;
  let redis: RedisProcess;
  let dataDir: string;
  let server: ServerProcess | undefined;

  beforeAll(async () => {
    schema = await freshPostgresSchema();
    redis = await startRedisProcess();
    dataDir = await mkdtemp(path.join(tmpdir(), 'sheen-redis-restart-'));
  });
  afterAll(async () => {
    await server?.stop('SIGKILL');
    await redis?.close();
    await schema?.drop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('re-enqueues queued and running builds the restarted Redis lost', async () => {
    server = await startServer(
      {
        DATA_DIR: dataDir,
        DATABASE_URL: schema.url,
        REDIS_URL: redis.url,
        HMAC_SECRETS: SECRET,
        ADMIN_HMAC_SECRETS: ADMIN_SECRET,
        ARCH_MODE: 'monolith',
        BUILD_CONCURRENCY: '1',
        QUEUE_LOCK_MS: '3000',
        QUEUE_RECONCILE_INTERVAL_MS: '1000',
      },
      120_000,
    );
    const client = new WorkerClient({ baseUrl: server.baseUrl, secret: SECRET });
    const created: Array<{ buildId: string; projectId: string }> = [];
    for (const name of ['Alder', 'Birch', 'Cedar', 'Damson']) {
      created.push(
        await client.json('POST', '/v1/create-preview-for-new-project', {
          userId: 'redis-restart',
          prompt: `A landing page for "${name} Gardens", a plant nursery`,
        }),
      );
    }
    // One build is running, the others wait in Redis: a restart without persistence loses
    // them all.
    await redis.stop();
    await redis.start();

    const deadline = Date.now() + 240_000;
    let statuses: string[] = [];
    while (Date.now() < deadline) {
      statuses = await Promise.all(
        created.map(async (b) => {
          // While Redis comes back a read may fail: it is asked again.
          const build = await client
            .json<{ status?: string }>('GET', `/v1/builds/${b.buildId}`)
            .catch(() => ({ status: 'unknown' }));
          return build.status ?? 'unknown';
        }),
      );
      if (statuses.every((s) => TERMINAL.includes(s))) break;
      await new Promise((r) => setTimeout(r, 1000));
    }
    if (!statuses.every((s) => s === 'succeeded')) console.log(server.output().slice(-6000));
    expect(statuses).toEqual(created.map(() => 'succeeded'));
    for (const b of created) {
      const { versions } = await client.json<{ versions: unknown[] }>(
        'GET',
        `/v1/projects/${b.projectId}/versions?userId=redis-restart`,
      );
      expect(versions).toHaveLength(1);
    }
    expect(server.output()).toContain('queue reconciled');
  }, 400_000);
});
