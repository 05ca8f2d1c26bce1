import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventBus } from '../../src/events/event-bus.js';
import { BuildEventLog } from '../../src/pipeline/event-log.js';
import { runStages, type RunOutcome } from '../../src/pipeline/runner.js';
import { STAGES } from '../../src/pipeline/stage-names.js';
import { BuildsRepository, type Build } from '../../src/repositories/builds.repo.js';
import { ProjectEventsRepository } from '../../src/repositories/project-events.repo.js';
import { BuildService } from '../../src/services/build.service.js';
import { signedInject, startTestApp, type TestApp } from '../support/harness.js';
import { ScriptedEngine } from '../support/scripted-engine.js';

const slowApp = () =>
  new ScriptedEngine({
    'package.json': JSON.stringify({
      name: 'slow',
      version: '1.0.0',
      scripts: { build: 'node slow.mjs' },
    }),
    'slow.mjs': 'setTimeout(() => {}, 60_000); console.log("working")',
  });

describe('cancelling a build', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({
      workers: true,
      engine: slowApp(),
      env: { BUILD_TIMEOUT_MS: '120000' },
    });
  });
  afterAll(() => t.close());

  const status = async (id: string) =>
    (await signedInject(t.app, { method: 'GET', url: `/v1/builds/${id}` })).json();

  it('stops a running build, kills its process and says so', async () => {
    const res = await signedInject(t.app, {
      method: 'POST',
      url: '/v1/create-preview-for-new-project',
      body: { userId: 'u1', prompt: 'slow build' },
    });
    const { buildId } = res.json();
    for (let i = 0; i < 200 && (await status(buildId)).stage !== 'build'; i++) {
      await new Promise((r) => setTimeout(r, 50));
    }
    const started = Date.now();
    const cancel = await signedInject(t.app, {
      method: 'POST',
      url: `/v1/builds/${buildId}/cancel`,
    });
    expect(cancel.statusCode).toBe(200);
    let body = await status(buildId);
    for (let i = 0; i < 300 && body.status !== 'cancelled'; i++) {
      await new Promise((r) => setTimeout(r, 50));
      body = await status(buildId);
    }
    expect(body.status).toBe('cancelled');
    expect(body.error).toMatchObject({ code: 'BUILD_CANCELLED' });
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(body.stages.find((s: { name: string }) => s.name === 'build').status).toBe('cancelled');
    // Cancelling again changes nothing.
    const again = await signedInject(t.app, {
      method: 'POST',
      url: `/v1/builds/${buildId}/cancel`,
    });
    expect(again.json().status).toBe('cancelled');
  });

  it('answers 404 for an unknown build and 400 for a malformed id', async () => {
    const unknown = await signedInject(t.app, {
      method: 'GET',
      url: '/v1/builds/01ARZ3NDEKTSV4RRFFQ69G5FAV',
    });
    expect(unknown.statusCode).toBe(404);
    const bad = await signedInject(t.app, { method: 'GET', url: '/v1/builds/not-a-build' });
    expect(bad.statusCode).toBe(400);
  });
});

/**
 * The API and a worker both may end a build: whichever does must be the only one. These run
 * the pipeline by hand (no queue workers), to put the worker exactly where the race is.
 */
describe('cancelling a build a worker is taking', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ engine: slowApp(), env: { BUILD_TIMEOUT_MS: '120000' } });
  });
  afterAll(() => t.close());

  const create = async (): Promise<string> => {
    const res = await signedInject(t.app, {
      method: 'POST',
      url: '/v1/create-preview-for-new-project',
      body: { userId: 'u1', prompt: 'slow build' },
    });
    return res.json<{ buildId: string }>().buildId;
  };
  const work = (buildId: string, pipeline = t.container.pipeline): Promise<RunOutcome> =>
    runStages(pipeline, buildId, STAGES, {
      workerId: 'racing-worker',
      finalize: true,
      lastAttempt: true,
    });
  const events = async (buildId: string) =>
    (
      await t.container.db.query<{ seq: number; type: string }>(
        'SELECT seq, type FROM build_events WHERE build_id = $1 ORDER BY seq',
        [buildId],
      )
    ).rows;

  it('ends a build still queued at once, with one closing event', async () => {
    const buildId = await create();
    const res = await signedInject(t.app, { method: 'POST', url: `/v1/builds/${buildId}/cancel` });
    expect(res.json()).toMatchObject({ status: 'cancelled', error: { code: 'BUILD_CANCELLED' } });
    // A worker that takes the job afterwards finds nothing to do.
    expect(await work(buildId)).toBe('skipped');
    expect(await events(buildId)).toEqual([{ seq: 1, type: 'build.finished' }]);
  });

  it('leaves a build a worker took after the read to that worker, which ends it once', async () => {
    const buildId = await create();
    let running: Promise<RunOutcome> | undefined;
    // The service reads the build while it is queued; before it writes, a worker takes it.
    const builds = new (class extends BuildsRepository {
      override async get(id: string): Promise<Build | undefined> {
        const read = await super.get(id);
        if (!running) {
          running = work(buildId);
          await expect
            .poll(async () => (await events(buildId)).map((e) => e.type))
            .toContain('build.started');
        }
        return read;
      }
    })(t.container.db, new ProjectEventsRepository());
    const ended: string[] = [];
    const { container } = t;
    const service = new BuildService({
      builds,
      quota: container.quota,
      queue: container.queue,
      bus: container.bus,
      engine: container.engine,
      previewUrls: container.previewUrls,
      archMode: 'monolith',
      eventLog: (id) => {
        ended.push(id);
        return new BuildEventLog(id, container.events, container.bus, container.redact);
      },
    });
    const answer = await service.cancel(buildId);
    expect(answer.cancelRequested).toBe(true);
    expect(ended).toEqual([]); // the API side did not end it
    expect(await running).toBe('cancelled');
    const types = (await events(buildId)).map((e) => e.type);
    expect(types.filter((type) => type === 'build.finished')).toHaveLength(1);
    expect(await container.pipeline.builds.get(buildId)).toMatchObject({ status: 'cancelled' });
  });

  it('stops a build whose cancel came before its worker listened for one', async () => {
    const buildId = await create();
    const bus = t.container.bus;
    // The whole cancel happens after the worker started the build and before it subscribed:
    // the control message reaches no one, and only cancel_requested_at is left.
    const lateListener: EventBus = {
      publish: (event) => bus.publish(event),
      subscribe: (id, listener) => bus.subscribe(id, listener),
      publishControl: (id, message) => bus.publishControl(id, message),
      subscribeControl: async (id, listener) => {
        await t.container.builds.cancel(id);
        return bus.subscribeControl(id, listener);
      },
      close: () => bus.close(),
    };
    const outcome = await work(buildId, { ...t.container.pipeline, bus: lateListener });
    expect(outcome).toBe('cancelled');
    const types = (await events(buildId)).map((e) => e.type);
    expect(types.filter((type) => type === 'build.finished')).toHaveLength(1);
  });
});
