import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WorkerClient } from '../../src/cli/client.js';
import { createAndFollow } from '../support/builds.js';
import { ADMIN_SECRET, SECRET } from '../support/harness.js';
import { startServer, type ServerProcess } from '../support/server-process.js';
import { freshPostgresSchema, REDIS_URL, servicesUp, uniquePrefix } from '../support/services.js';

/**
 * The same prompt-to-preview flow on PostgreSQL + Redis/BullMQ, in both execution modes,
 * with real worker processes that are killed and stopped the way production stops them.
 */
describe.skipIf(!servicesUp)('pipeline on PostgreSQL + BullMQ', () => {
  let schema: Awaited<ReturnType<typeof freshPostgresSchema>>;
  let dataDir: string;
  let env: Record<string, string>;
  const servers: ServerProcess[] = [];

  const start = async (extra: Record<string, string> = {}) => {
    const server = await startServer({ ...env, ...extra });
    servers.push(server);
    return { server, client: new WorkerClient({ baseUrl: server.baseUrl, secret: SECRET }) };
  };

  beforeAll(async () => {
    schema = await freshPostgresSchema();
    dataDir = await mkdtemp(path.join(tmpdir(), 'sheen-int-pipeline-'));
    env = {
      DATA_DIR: dataDir,
      DATABASE_URL: schema.url,
      REDIS_URL,
      REDIS_KEY_PREFIX: uniquePrefix(),
      HMAC_SECRETS: SECRET,
      ADMIN_HMAC_SECRETS: ADMIN_SECRET,
      QUEUE_LOCK_MS: '4000',
    };
  });
  afterAll(async () => {
    for (const s of servers) await s.stop('SIGKILL');
    await schema?.drop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('builds in monolith mode, once per idempotency key', async () => {
    const { server, client } = await start({ ARCH_MODE: 'monolith' });
    const body = {
      prompt: 'A portfolio for "Ada Lovelace", mathematician',
      idempotencyKey: 'int-mono-1',
    };
    const build = await createAndFollow(client, body);
    expect(build.error).toBeNull();
    expect(build.status).toBe('succeeded');
    const again = await client.json<{ buildId: string; created: boolean }>(
      'POST',
      '/v1/create-preview-for-new-project',
      {
        userId: 'e2e-user',
        ...body,
      },
    );
    expect(again).toMatchObject({ buildId: build.buildId, created: false });
    const html = await (await fetch(`${server.baseUrl}/preview/${build.buildId}/`)).text();
    expect(html).toContain('Ada Lovelace');
    await server.stop('SIGTERM');
  }, 240_000);

  it('builds in modular mode through the ai and builds queues', async () => {
    const { server, client } = await start({ ARCH_MODE: 'modular' });
    const build = await createAndFollow(client, {
      prompt: 'A restaurant menu for "Casa Verde", Italian food',
    });
    expect(build.status).toBe('succeeded');
    const admin = new WorkerClient({ baseUrl: server.baseUrl, secret: ADMIN_SECRET });
    const status = await admin.json<{
      kind: string;
      queues: Record<string, { completed: number }>;
    }>('GET', '/v1/admin/queue-status');
    expect(status.kind).toBe('bullmq');
    expect(status.queues.ai?.completed).toBeGreaterThanOrEqual(1);
    expect(status.queues.builds?.completed).toBeGreaterThanOrEqual(1);
    await server.stop('SIGTERM');
  }, 240_000);

  it('finishes a build whose worker was killed with SIGKILL mid-build', async () => {
    const first = await start({ ARCH_MODE: 'monolith' });
    const created = await first.client.json<{ buildId: string; eventsUrl: string }>(
      'POST',
      '/v1/create-preview-for-new-project',
      {
        userId: 'e2e-user',
        prompt: 'A dashboard with a chart of monthly sales for "Northwind"',
      },
    );
    for await (const { data } of first.client.events(created.eventsUrl)) {
      if (data.type === 'stage.started' && data.stage === 'install') break;
    }
    const killed = await first.server.stop('SIGKILL');
    expect(killed.signal).toBe('SIGKILL');

    const second = await start({ ARCH_MODE: 'monolith' });
    const ids: number[] = [];
    let last: Record<string, unknown> | undefined;
    for await (const { id, data } of second.client.events(created.eventsUrl)) {
      ids.push(id);
      last = data;
    }
    if (last?.type !== 'build.finished') console.log(second.server.output().slice(-6000));
    expect(last?.type).toBe('build.finished');
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    const build = await second.client.json<{ status: string; attempts: number }>(
      'GET',
      `/v1/builds/${created.buildId}`,
    );
    expect(build.status).toBe('succeeded');
    expect(build.attempts).toBeGreaterThanOrEqual(2);
    await second.server.stop('SIGTERM');
  }, 240_000);

  it('on SIGTERM lets the active build finish and exits cleanly', async () => {
    const { server, client } = await start({
      ARCH_MODE: 'monolith',
      SHUTDOWN_TIMEOUT_MS: '120000',
    });
    const created = await client.json<{ buildId: string; eventsUrl: string }>(
      'POST',
      '/v1/create-preview-for-new-project',
      {
        userId: 'e2e-user',
        prompt: 'A blog about hiking in the Alps called "Summit Notes"',
      },
    );
    for await (const { data } of client.events(created.eventsUrl)) {
      if (data.type === 'stage.started') break;
    }
    const exit = await server.stop('SIGTERM');
    expect(exit.code).toBe(0);
    const after = await start({ ARCH_MODE: 'monolith' });
    const build = await after.client.json<{ status: string }>(
      'GET',
      `/v1/builds/${created.buildId}`,
    );
    expect(build.status).toBe('succeeded');
    await after.server.stop('SIGTERM');
  }, 240_000);
});
