import { afterEach, describe, expect, it } from 'vitest';
import { zeroUsage } from '../../src/ai/engine.js';
import { onFinalJobFailure } from '../../src/pipeline/jobs.js';
import type { JobRequest } from '../../src/queue/catalog.js';
import { signedInject, startTestApp, type TestApp } from '../support/harness.js';

/** A build job that failed for good ends its build as the runner would have. */
describe('a build job that failed for good', () => {
  let t: TestApp | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  it('fails the build, charges the engine calls no reservation took, and closes its events', async () => {
    t = await startTestApp({
      env: { QUOTA_METER_OFFLINE: 'true', QUOTA_DEFAULT_PLAN_SECONDS: '100000' },
    });
    const res = await signedInject(t.app, {
      method: 'POST',
      url: '/v1/create-preview-for-new-project',
      body: { userId: 'u1', prompt: 'A landing page for a bakery' },
    });
    expect(res.statusCode).toBe(202);
    const { buildId } = res.json<{ buildId: string }>();
    const { pipeline, db } = t.container;
    const build = await pipeline.builds.get(buildId);
    if (!build) throw new Error('no build');
    // An earlier attempt settled its round; the retried generate called the engine again
    // and the job was lost before that call was settled.
    await pipeline.quota.settleBuild(buildId);
    await pipeline.usage.record(build, 'offline', 'generate', zeroUsage('offline', 4_200));

    const request = { name: 'build.run', payload: { buildId } } as JobRequest;
    await onFinalJobFailure(pipeline)(request, new Error('worker lost'));

    expect(await pipeline.builds.get(buildId)).toMatchObject({
      status: 'failed',
      error: { code: 'INTERNAL' },
    });
    const usage = await db.query<{ charged: boolean }>(
      'SELECT reservation_id IS NOT NULL AS charged FROM claude_user_usage WHERE build_id = $1',
      [buildId],
    );
    expect(usage.rows).toEqual([{ charged: true }]);
    const events = await pipeline.events.listAfter(buildId, 0);
    expect(events.at(-1)).toMatchObject({ type: 'build.finished', data: { status: 'failed' } });
  });
});
