import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WorkerClient } from '../../src/cli/client.js';
import {
  startFakeAnthropic,
  toolResultsOf,
  type FakeAnthropic,
  type RecordedRequest,
} from '../support/fake-anthropic.js';
import { siteFiles } from '../support/releases.js';
import { startServer, type ServerProcess } from '../support/server-process.js';
import { freshPostgresSchema, REDIS_URL, servicesUp, uniquePrefix } from '../support/services.js';

const SHUTDOWN_TIMEOUT_MS = 3000;

/**
 * An Anthropic API whose first plan answer takes a minute: the build that asks for it outlasts
 * any shutdown grace. Every later request is answered at once (a plan, then the site's files).
 */
function slowFirstPlan(): (request: RecordedRequest) => object {
  let plans = 0;
  return (request) => {
    if (!request.body?.tools) {
      plans += 1;
      const plan = { name: 'Slow Site', framework: 'static', summary: 'A page.', files: [] };
      return { text: JSON.stringify(plan), ...(plans === 1 ? { delayMs: 60_000 } : {}) };
    }
    if (toolResultsOf(request).length > 0) return { text: 'Wrote the site.' };
    const files = siteFiles('Slow Site');
    return {
      toolUses: Object.entries(files).map(([file, content]) => ({
        name: 'write_file',
        input: { path: file, content },
      })),
    };
  };
}

/**
 * SIGTERM during a build that outlasts SHUTDOWN_TIMEOUT_MS: the process stops taking jobs,
 * hands the build back with a `build.interrupted` event and exits 0 within the timeout; the
 * next process finishes the build once.
 */
function shutdownSuite(profile: () => Promise<Record<string, string>>) {
  let api: FakeAnthropic;
  let dataDir: string;
  const servers: ServerProcess[] = [];
  beforeAll(async () => {
    api = await startFakeAnthropic({ fallback: slowFirstPlan() as never });
    dataDir = await mkdtemp(path.join(tmpdir(), 'sheen-sigterm-'));
  });
  afterAll(async () => {
    for (const s of servers) await s.stop('SIGKILL');
    await api?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('hands a long build back on SIGTERM, exits 0, and the next process finishes it once', async () => {
    const env: Record<string, string> = {
      ...(await profile()),
      DATA_DIR: dataDir,
      AI_PROVIDER: 'anthropic',
      ANTHROPIC_API_KEY: 'sk-ant-test-key',
      ANTHROPIC_BASE_URL: api.url,
      SHUTDOWN_TIMEOUT_MS: String(SHUTDOWN_TIMEOUT_MS),
      QUEUE_LOCK_MS: '30000',
    };
    const first = await startServer(env, 120_000);
    servers.push(first);
    const secret = env.HMAC_SECRETS ?? (await localSecret(dataDir));
    const client = new WorkerClient({ baseUrl: first.baseUrl, secret });
    const created = await client.json<{ buildId: string; projectId: string; eventsUrl: string }>(
      'POST',
      '/v1/create-preview-for-new-project',
      { userId: 'sigterm', prompt: 'A page titled "Slow Site"' },
    );
    for await (const { data } of client.events(created.eventsUrl)) {
      if (data.type === 'stage.started' && data.stage === 'plan') break;
    }
    const signalled = Date.now();
    const exit = await first.stop('SIGTERM');
    const tookMs = Date.now() - signalled;
    if (exit.code !== 0) console.log(first.output().slice(-4000));
    expect(exit).toEqual({ code: 0, signal: null });
    expect(tookMs).toBeLessThan(SHUTDOWN_TIMEOUT_MS + 3000);

    const second = await startServer(env, 120_000);
    servers.push(second);
    const again = new WorkerClient({ baseUrl: second.baseUrl, secret });
    const types: string[] = [];
    for await (const { data } of again.events(created.eventsUrl)) types.push(String(data.type));
    expect(types.filter((t) => t === 'build.interrupted')).toHaveLength(1);
    expect(types.filter((t) => t === 'build.finished')).toHaveLength(1);
    expect(types.indexOf('build.interrupted')).toBeLessThan(types.indexOf('build.finished'));
    const build = await again.json<{ status: string }>('GET', `/v1/builds/${created.buildId}`);
    expect(build.status).toBe('succeeded');
    const { versions } = await again.json<{ versions: Array<{ status: string }> }>(
      'GET',
      `/v1/projects/${created.projectId}/versions?userId=sigterm`,
    );
    expect(versions).toHaveLength(1);
    expect(await (await fetch(`${second.baseUrl}/preview/${created.buildId}/`)).text()).toContain(
      'Slow Site',
    );
    await second.stop('SIGTERM');
  }, 400_000);
}

async function localSecret(dataDir: string): Promise<string> {
  return (await readFile(path.join(dataDir, 'secrets', 'hmac.key'), 'utf8')).trim();
}

describe('SIGTERM during a long build, embedded profile', () => {
  shutdownSuite(async () => ({}));
});

describe.skipIf(!servicesUp)('SIGTERM during a long build, PostgreSQL + BullMQ', () => {
  const drops: Array<() => Promise<void>> = [];
  afterAll(async () => {
    for (const drop of drops) await drop();
  });
  shutdownSuite(async () => {
    const schema = await freshPostgresSchema();
    drops.push(schema.drop);
    return {
      DATABASE_URL: schema.url,
      REDIS_URL,
      REDIS_KEY_PREFIX: uniquePrefix(),
    };
  });
});
