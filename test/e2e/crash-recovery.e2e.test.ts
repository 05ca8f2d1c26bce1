import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { WorkerClient } from '../../src/cli/client.js';
import { startServer, type ServerProcess } from '../support/server-process.js';

/** The embedded profile keeps jobs in PGlite: a build survives `kill -9` of the only process. */
describe('embedded profile after a crash', () => {
  const servers: ServerProcess[] = [];
  let dataDir = '';
  afterAll(async () => {
    for (const s of servers) await s.stop('SIGKILL');
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('resumes a build that was running when the process was killed', async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'sheen-crash-'));
    const first = await startServer({ DATA_DIR: dataDir });
    servers.push(first);
    const secret = (await readFile(path.join(dataDir, 'secrets', 'hmac.key'), 'utf8')).trim();
    const client = new WorkerClient({ baseUrl: first.baseUrl, secret });
    const created = await client.json<{ buildId: string; eventsUrl: string }>(
      'POST',
      '/v1/create-preview-for-new-project',
      {
        userId: 'crash',
        prompt: 'An event page for "Harvest Fair 2027" with a schedule',
      },
    );
    for await (const { data } of client.events(created.eventsUrl)) {
      if (data.type === 'stage.started' && data.stage === 'install') break;
    }
    expect((await first.stop('SIGKILL')).signal).toBe('SIGKILL');

    const second = await startServer({ DATA_DIR: dataDir });
    servers.push(second);
    const again = new WorkerClient({ baseUrl: second.baseUrl, secret });
    let last: Record<string, unknown> | undefined;
    for await (const { data } of again.events(created.eventsUrl)) last = data;
    expect(last?.type).toBe('build.finished');
    const build = await again.json<{ status: string; attempts: number }>(
      'GET',
      `/v1/builds/${created.buildId}`,
    );
    expect(build).toMatchObject({ status: 'succeeded' });
    expect(build.attempts).toBeGreaterThanOrEqual(2);
    const page = await fetch(`${second.baseUrl}/preview/${created.buildId}/`);
    expect(await page.text()).toContain('Harvest Fair 2027');
  }, 240_000);
});
