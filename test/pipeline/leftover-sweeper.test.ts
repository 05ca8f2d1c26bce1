import { mkdir, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ulid } from 'ulid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { leftoverSweeper } from '../../src/pipeline/leftover-sweeper.js';
import { jobHandlers } from '../../src/pipeline/jobs.js';
import { signedInject, startTestApp, type TestApp } from '../support/harness.js';
import { leftovers } from '../support/leftovers.js';
import { ScriptedEngine } from '../support/scripted-engine.js';

const DAY_MS = 86_400_000;

/** Clean-up that does not depend on a build ending on the happy path. */
describe('what ended builds leave behind is removed without them', () => {
  let t: TestApp;
  let dataDir: string;

  beforeAll(async () => {
    t = await startTestApp({ engine: new ScriptedEngine({ 'index.html': '<h1>swept</h1>' }) });
    dataDir = t.container.config.dataDir;
  });
  afterAll(() => t.close());

  async function create(prompt: string): Promise<string> {
    const res = await signedInject(t.app, {
      method: 'POST',
      url: '/v1/create-preview-for-new-project',
      body: { userId: 'sweep-user', prompt },
    });
    expect(res.statusCode).toBe(202);
    return res.json<{ buildId: string }>().buildId;
  }

  /** The state a worker killed right after ending a build leaves: an ended build's files. */
  async function endedWithWorkspace(prompt: string): Promise<string> {
    const buildId = await create(prompt);
    await t.container.pipeline.builds.start(buildId, 'dead-worker');
    await write(`workspaces/${buildId.toLowerCase()}/dist/index.html`);
    await t.container.pipeline.builds.finish(buildId, { status: 'succeeded' });
    return buildId;
  }

  async function write(rel: string, ageMs = 0): Promise<void> {
    const file = path.join(dataDir, rel);
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, 'left behind');
    if (ageMs > 0) {
      const then = new Date(Date.now() - ageMs);
      await utimes(file, then, then);
      await utimes(path.dirname(file), then, then);
    }
  }

  it('a retried job that finds its build ended removes its workspace', async () => {
    const buildId = await endedWithWorkspace('ended before its clean-up');
    expect(await leftovers(dataDir)).toEqual([`workspaces/${buildId.toLowerCase()}`]);

    const run = jobHandlers(t.container.pipeline, 'next-worker')['build.run'];
    const signal = new AbortController().signal;
    await run({ buildId }, { attempt: 2, maxAttempts: 3, signal });

    expect(await leftovers(dataDir)).toEqual([]);
    expect(await t.container.pipeline.builds.get(buildId)).toMatchObject({
      status: 'succeeded',
    });
  });

  it('the periodic sweep removes what ended and unknown builds left, never a live one', async () => {
    const ended = (await endedWithWorkspace('ended elsewhere')).toLowerCase();
    const running = await create('still running on another worker');
    await t.container.pipeline.builds.start(running, 'other-worker');
    const live = running.toLowerCase();
    const unknown = ulid().toLowerCase();
    await write(`workspaces/${live}/index.html`);
    await write(`workspaces/${unknown}/index.html`);
    // Staging files: old ones a dead process left, fresh ones a live process is writing.
    await write('tmp/pkg-dead/site.tar.gz', DAY_MS);
    await write(`previews/.${ended}.4242.1700000000000/index.html`, DAY_MS);
    await write('tmp/pkg-live/site.tar.gz');
    await write(`previews/.${live}.4343.1800000000000/index.html`);

    const sweeper = leftoverSweeper((o) => t.container.sweepLeftovers(o), t.container.logger, {
      intervalMs: 60_000,
    });
    sweeper.start();
    await sweeper.stop();

    expect((await leftovers(dataDir)).sort()).toEqual(
      [`workspaces/${live}`, 'tmp/pkg-live', `previews/.${live}.4343.1800000000000`].sort(),
    );
  });
});
