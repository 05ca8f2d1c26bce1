import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/observability/logger.js';
import { createRedactor } from '../../src/observability/redact.js';
import { BullmqQueue } from '../../src/queue/bullmq-queue.js';
import type { JobHandler, JobName } from '../../src/queue/catalog.js';
import { UnrecoverableError } from '../../src/queue/job-queue.js';
import { connectRedis, type Redis } from '../../src/redis/redis.js';
import { buildToEnd, startTestApp, type TestApp } from '../support/harness.js';
import { ScriptedEngine } from '../support/scripted-engine.js';
import { freshPostgresSchema, REDIS_URL, servicesUp, uniquePrefix } from '../support/services.js';

const BUILD_ID = '01ARZ3NDEKTSV4RRFFQ69G5FAV';

/** BullMQ gives up at once on what cannot succeed, and retries only what might. */
describe.skipIf(!servicesUp)('retries on BullMQ', () => {
  let redis: Redis;
  let queue: BullmqQueue | undefined;
  beforeAll(async () => {
    redis = await connectRedis(REDIS_URL);
  });
  afterEach(async () => {
    await queue?.close(1000);
    queue = undefined;
  });
  afterAll(async () => {
    await redis.quit();
  });

  async function runFailing(error: () => Error) {
    queue = new BullmqQueue(redis, createLogger({ level: 'silent', redact: createRedactor([]) }), {
      redisUrl: REDIS_URL,
      prefix: uniquePrefix(),
      attempts: 3,
      lockMs: 5000,
      backoffMs: 10,
    });
    let runs = 0;
    const finals: Error[] = [];
    const failing: JobHandler = async () => {
      runs += 1;
      throw error();
    };
    const handlers = Object.fromEntries(
      (['build.run', 'build.generate', 'build.compile'] as JobName[]).map((n) => [n, failing]),
    ) as Record<JobName, JobHandler>;
    await queue.start(handlers, { builds: 1, ai: 0 }, async (_r, err) => {
      finals.push(err);
    });
    await queue.enqueue({ name: 'build.run', payload: { buildId: BUILD_ID } });
    for (let i = 0; i < 300 && finals.length === 0; i++)
      await new Promise((r) => setTimeout(r, 20));
    // Anything still to come (a retry that should not happen) would show by now.
    await new Promise((r) => setTimeout(r, 300));
    return { runs, finals };
  }

  it('runs a job that throws UnrecoverableError once', async () => {
    const result = await runFailing(() => new UnrecoverableError('too big, and always will be'));
    expect(result).toMatchObject({ runs: 1 });
    expect(result.finals).toHaveLength(1);
  });

  it('retries any other error up to its attempts', async () => {
    const result = await runFailing(() => new Error('connection reset'));
    expect(result).toMatchObject({ runs: 3 });
    expect(result.finals).toHaveLength(1);
  });
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
