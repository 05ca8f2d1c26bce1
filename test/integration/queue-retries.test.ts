import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BullmqQueue } from '../../src/queue/bullmq-queue.js';
import { connectRedis, type Redis } from '../../src/redis/redis.js';
import { buildToEnd, startTestApp, type TestApp } from '../support/harness.js';
import { queueContract } from '../support/queue-contract.js';
import { ScriptedEngine } from '../support/scripted-engine.js';
import { freshPostgresSchema, REDIS_URL, servicesUp, uniquePrefix } from '../support/services.js';

/** BullMQ treats every job as the catalog says, as the embedded queue does. */
describe.skipIf(!servicesUp)('BullMQ queue', () => {
  let redis: Redis;
  beforeAll(async () => {
    redis = await connectRedis(REDIS_URL);
  });
  afterAll(async () => {
    await redis.quit();
  });

  queueContract(
    async (options) =>
      new BullmqQueue(redis, options.logger, {
        redisUrl: REDIS_URL,
        prefix: uniquePrefix(),
        attempts: options.attempts,
        lockMs: 5000,
        backoffMs: 10,
        ...(options.catalog ? { catalog: options.catalog } : {}),
      }),
  );
});

describe.skipIf(!servicesUp)('a build over its disk limit on PostgreSQL + BullMQ', () => {
  let schema: Awaited<ReturnType<typeof freshPostgresSchema>>;
  let t: TestApp | undefined;
  beforeAll(async () => {
    schema = await freshPostgresSchema();
  });
  afterAll(async () => {
    await t?.close();
    await schema?.drop();
  });

  it('fails with BUILD_DISK_LIMIT on its only run', async () => {
    t = await startTestApp({
      workers: true,
      env: {
        DATABASE_URL: schema.url,
        REDIS_URL,
        REDIS_KEY_PREFIX: uniquePrefix(),
        QUEUE_ATTEMPTS: '3',
        BUILD_DISK_LIMIT_MB: '50',
      },
      engine: new ScriptedEngine({
        'package.json': JSON.stringify({ name: 'big', scripts: { build: 'node big.mjs' } }),
        'big.mjs': `import fs from 'node:fs'; fs.mkdirSync('dist');
          fs.writeFileSync('dist/index.html', 'x');
          for (let i = 0; i < 100; i++) fs.writeFileSync('dist/' + i, Buffer.alloc(1 << 20, 1));`,
      }),
    });
    const build = await buildToEnd(t, { userId: 'u1', prompt: 'big' });
    expect(build).toMatchObject({ status: 'failed', attempts: 1 });
    expect(build.error?.code).toBe('BUILD_DISK_LIMIT');
    expect(build.events.filter((e) => e.type === 'build.started')).toHaveLength(1);
    // The build row ends inside the job; BullMQ marks the job done a moment later.
    await expect
      .poll(async () => (await t!.container.queue.counts()).builds, { timeout: 10_000 })
      .toMatchObject({ failed: 0, waiting: 0, delayed: 0, active: 0 });
  }, 120_000);
});
