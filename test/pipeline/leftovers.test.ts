import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { jobHandlers, onFinalJobFailure, workerConcurrency } from '../../src/pipeline/jobs.js';
import { jobId } from '../../src/queue/catalog.js';
import {
  buildToEnd,
  signedInject,
  startTestApp,
  waitForBuild,
  type TestApp,
} from '../support/harness.js';
import { leftovers } from '../support/leftovers.js';
import { ScriptedEngine } from '../support/scripted-engine.js';

const pkg = (build: string) =>
  JSON.stringify({ name: 'app', private: true, version: '1.0.0', scripts: { build } });
const WRITES_DIST = `import fs from 'node:fs';
fs.mkdirSync('dist', { recursive: true });
fs.writeFileSync('dist/index.html', '<h1>built</h1>');`;

/** Every way a build ends leaves DATA_DIR as clean as it found it. */
describe('what a build leaves behind', () => {
  let t: TestApp | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  it('nothing, when it succeeds', async () => {
    t = await startTestApp({
      workers: true,
      engine: new ScriptedEngine({
        'package.json': pkg('node build.mjs'),
        'build.mjs': WRITES_DIST,
      }),
    });
    const build = await buildToEnd(t, { userId: 'u1', prompt: 'a site' });
    expect(build.status).toBe('succeeded');
    expect(await leftovers(t.container.config.dataDir)).toEqual([]);
  });

  it('nothing, when it is cancelled while its build step runs', async () => {
    t = await startTestApp({
      workers: true,
      engine: new ScriptedEngine({
        'package.json': pkg('node slow.mjs'),
        'slow.mjs': `import fs from 'node:fs'; fs.mkdirSync('dist'); fs.writeFileSync('dist/part', 'x'.repeat(1e6)); setTimeout(() => {}, 60_000);`,
      }),
      env: { BUILD_TIMEOUT_MS: '120000' },
    });
    const app = t;
    const { buildId } = (
      await signedInject(app.app, {
        method: 'POST',
        url: '/v1/create-preview-for-new-project',
        body: { userId: 'u1', prompt: 'slow' },
      })
    ).json<{ buildId: string }>();
    // The build step runs beside validate: its own record says when it is running.
    const building = async () =>
      (await signedInject(app.app, { method: 'GET', url: `/v1/builds/${buildId}` }))
        .json<{ stages: Array<{ name: string; status: string }> }>()
        .stages.some((s) => s.name === 'build' && s.status === 'running');
    for (let i = 0; i < 300 && !(await building()); i++)
      await new Promise((r) => setTimeout(r, 50));
    await new Promise((r) => setTimeout(r, 300));
    await signedInject(app.app, { method: 'POST', url: `/v1/builds/${buildId}/cancel` });
    expect((await waitForBuild(app, buildId, 30_000)).status).toBe('cancelled');
    expect(await leftovers(app.container.config.dataDir)).toEqual([]);
  });

  it('nothing, after a crash: the start-up sweep and the resumed build clean up', async () => {
    t = await startTestApp({ engine: new ScriptedEngine({ 'index.html': '<h1>static</h1>' }) });
    const { container } = t;
    const dataDir = container.config.dataDir;
    const create = async (prompt: string) =>
      (
        await signedInject(t!.app, {
          method: 'POST',
          url: '/v1/create-preview-for-new-project',
          body: { userId: 'u1', prompt },
        })
      ).json<{ buildId: string }>().buildId;
    const running = await create('was running when the worker died');
    const finished = await create('had finished');
    // The state a `kill -9` leaves: one build mid-run (its job held by a dead worker), one
    // that ended, and the files both were writing.
    await container.pipeline.builds.start(running, 'dead-worker');
    await container.db.query(
      `UPDATE jobs SET status = 'active', attempts = 1, locked_by = 'dead-worker' WHERE id = $1`,
      [jobId({ name: 'build.run', payload: { buildId: running } })],
    );
    await container.pipeline.builds.start(finished, 'dead-worker');
    await container.pipeline.builds.finish(finished, {
      status: 'failed',
      error: { code: 'BUILD_FAILED', message: 'failed', hint: 'hint' },
    });
    const files = [
      `workspaces/${running.toLowerCase()}/dist/index.html`,
      `workspaces/${finished.toLowerCase()}/dist/index.html`,
      `previews/.${finished.toLowerCase()}.4242.1700000000000.tar.gz`,
      `previews/.${finished.toLowerCase()}.4242.1700000000000/index.html`,
      'tmp/run-dead/cache.bin',
      'tmp/pkg-dead/site.tar.gz',
      'cache/deps/0123456789abcdef.tmp-a1b2c3/node_modules/x.js',
      'artifacts/sha256/ab/ab00.tar.gz.4242.1700000000000.tmp',
    ];
    for (const f of files) {
      await mkdir(path.dirname(path.join(dataDir, f)), { recursive: true });
      await writeFile(path.join(dataDir, f), 'left behind');
    }

    const report = await container.sweepLeftovers();
    expect(report.failed).toEqual([]);
    // The running build's workspace stays for its resumption; everything else goes.
    expect(await leftovers(dataDir)).toEqual([`workspaces/${running.toLowerCase()}`]);

    await container.queue.start(
      jobHandlers(container.pipeline, container.workerId),
      workerConcurrency(container.config.pipeline),
      onFinalJobFailure(container.pipeline),
    );
    const resumed = await waitForBuild(t, running, 60_000);
    expect(resumed).toMatchObject({ status: 'succeeded', attempts: 2 });
    expect(await leftovers(dataDir)).toEqual([]);
  });
});
