import { zeroUsage } from '../../src/ai/engine.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ADMIN_SECRET,
  buildToEnd,
  signedInject,
  waitForBuild,
  startTestApp,
  type TestApp,
} from '../support/harness.js';
import { siteFiles } from '../support/releases.js';
import { ScriptedEngine } from '../support/scripted-engine.js';

const DAY = 86_400_000;
const PERIOD = {
  periodStart: new Date(Date.now() - DAY).toISOString(),
  periodEnd: new Date(Date.now() + 30 * DAY).toISOString(),
};

/** Builds metered through the signed API: estimates, reservations, refusals and the routes. */
describe('AI-time quotas through the API', () => {
  let t: TestApp;
  const engine = new ScriptedEngine(siteFiles('Metered'));

  beforeAll(async () => {
    t = await startTestApp({ engine, workers: true, env: { QUOTA_DEFAULT_PLAN_SECONDS: '600' } });
  }, 60_000);
  afterAll(() => t?.close());

  async function call(
    method: 'GET' | 'POST',
    url: string,
    body?: unknown,
    secret?: string,
    // Read loosely, as a client would.
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
  ): Promise<{ status: number; body: any }> {
    const res = await signedInject(t.app, {
      method,
      url,
      ...(body ? { body } : {}),
      ...(secret ? { secret } : {}),
    });
    return { status: res.statusCode, body: res.json() };
  }
  const setPlan = (userId: string, allowanceSeconds: number) =>
    call('POST', '/v1/admin/quota/plan', { userId, allowanceSeconds, ...PERIOD }, ADMIN_SECRET);
  const ledger = async (userId: string) =>
    (
      await t.container.db.query<{ action: string; seconds: number; reason: string | null }>(
        'SELECT action, seconds, reason FROM quota_audit_log WHERE user_id = $1 ORDER BY seq',
        [userId],
      )
    ).rows;

  it('estimates a create, reserves it when accepted and refunds what the build did not use', async () => {
    engine.generateUsage = { durationMs: 2_400, inputTokens: 1000, outputTokens: 200 };
    // Both accepted at once, before either build records what it used: both get the default.
    const [res, other] = await Promise.all(
      ['A page', 'Another page'].map((prompt) =>
        call('POST', '/v1/create-preview-for-new-project', { userId: 'meter-1', prompt }),
      ),
    );
    for (const accepted of [res, other]) {
      expect(accepted?.status).toBe(202);
      expect(accepted?.body.estimate).toEqual({
        seconds: 120,
        tokens: 60000,
        costUsd: 0,
        basis: 'default',
        samples: 0,
        metered: true,
      });
    }
    const build = await waitForBuild(t, other?.body.buildId);
    expect(build.status).toBe('succeeded');
    // What the build was charged shows in its own events.
    expect(build.events.find((e) => e.type === 'quota.settled')?.data).toEqual({
      round: 0,
      usedSeconds: 3,
      refundedSeconds: 117,
      unpaidSeconds: 0,
    });

    // The first build may still be running on a busy machine: the balance counts both.
    expect((await waitForBuild(t, res?.body.buildId)).status).toBe('succeeded');
    const balance = await call('GET', '/v1/billing/balance/meter-1');
    expect(balance.status).toBe(200);
    // Two builds of 2.4 s each, charged as 3 s each, from the default plan of 600 s.
    expect(balance.body).toMatchObject({
      userId: 'meter-1',
      metered: true,
      balanceSeconds: 594,
      reservedSeconds: 0,
      plan: { allowanceSeconds: 600, usedSeconds: 6, reservedSeconds: 0, source: 'default' },
      bonuses: [],
    });
    const actions = (await ledger('meter-1')).map((r) => `${r.action}:${r.seconds}`);
    // Two builds ran at once: each reserved 120 s and settled 3 s, refunding 117 s.
    expect([...actions].sort()).toEqual(
      [
        'grant:600',
        'reserve:120',
        'reserve:120',
        'settle:3',
        'settle:3',
        'refund:117',
        'refund:117',
      ].sort(),
    );
    expect(actions[0]).toBe('grant:600');

    // The next estimate is the median of this user's builds.
    const next = await call('POST', '/v1/create-preview-for-new-project', {
      userId: 'meter-1',
      prompt: 'Third',
    });
    expect(next.body.estimate).toMatchObject({ seconds: 3, basis: 'user-history', samples: 2 });
    expect((await waitForBuild(t, next.body.buildId)).status).toBe('succeeded');
    await buildToEnd(t, { userId: 'meter-1', prompt: 'a fourth build' });
  }, 120_000);

  it('refuses a create and an update with 402 before anything is queued or any engine call', async () => {
    expect((await setPlan('meter-2', 1000)).status).toBe(200);
    const first = await buildToEnd(t, { userId: 'meter-2', prompt: 'A page' });
    expect(first.status).toBe('succeeded');
    // The build used 3 s of the period: the allowance cannot go below that, but can reach it.
    const lowered = await setPlan('meter-2', 2);
    expect(lowered.status).toBe(409);
    expect(lowered.body.error.code).toBe('CONFLICT');
    expect((await setPlan('meter-2', 3)).body).toMatchObject({ created: false, balanceSeconds: 0 });
    const { rows: before } = await t.container.db.query(
      'SELECT id FROM builds WHERE user_id = $1',
      ['meter-2'],
    );
    const calls = engine.calls;

    const create = await call('POST', '/v1/create-preview-for-new-project', {
      userId: 'meter-2',
      prompt: 'More',
    });
    expect(create.status).toBe(402);
    expect(create.body.error).toMatchObject({
      code: 'QUOTA_EXCEEDED',
      message: expect.stringContaining('0 s left'),
      hint: expect.any(String),
      details: { balanceSeconds: 0, estimateSeconds: expect.any(Number) },
    });
    const update = await call('POST', `/v1/projects/${first.projectId}/update`, {
      userId: 'meter-2',
      prompt: 'Blue',
    });
    expect(update.status).toBe(402);
    expect(update.body.error.code).toBe('QUOTA_EXCEEDED');

    const { rows: after } = await t.container.db.query('SELECT id FROM builds WHERE user_id = $1', [
      'meter-2',
    ]);
    expect(after).toHaveLength(before.length);
    const { rows: jobs } = await t.container.db.query(
      `SELECT id FROM jobs WHERE status = 'waiting'`,
    );
    expect(jobs).toHaveLength(0);
    expect(engine.calls).toBe(calls);
    expect(
      (await ledger('meter-2')).filter((r) => r.action === 'deny').map((r) => r.reason),
    ).toEqual(['create', 'update']);

    const check = await call('POST', '/v1/billing/check-sufficient', {
      userId: 'meter-2',
      operation: 'update',
      projectId: first.projectId,
    });
    expect(check.body).toMatchObject({ sufficient: false, metered: true, balanceSeconds: 0 });
  }, 120_000);

  it('admin plans and bonuses: bonuses first, soonest to expire first, shown in the balance', async () => {
    expect((await setPlan('meter-3', 100)).body).toMatchObject({
      created: true,
      balanceSeconds: 100,
    });
    const soon = new Date(Date.now() + DAY).toISOString();
    const bonus = await call(
      'POST',
      '/v1/admin/quota/bonus',
      { userId: 'meter-3', seconds: 50, expiresAt: soon, reason: 'welcome' },
      ADMIN_SECRET,
    );
    expect(bonus.status).toBe(200);
    expect(bonus.body).toMatchObject({
      balanceSeconds: 150,
      bonuses: [{ seconds: 50, remainingSeconds: 50, reason: 'welcome', expiresAt: soon }],
    });
    const check = await call('POST', '/v1/billing/check-sufficient', {
      userId: 'meter-3',
      operation: 'create',
    });
    expect(check.body).toEqual({
      sufficient: true,
      metered: true,
      balanceSeconds: 150,
      estimateSeconds: 120,
      estimateCostUsd: 0,
    });

    const res = await call('POST', '/v1/create-preview-for-new-project', {
      userId: 'meter-3',
      prompt: 'x',
    });
    expect(res.status).toBe(202);
    const during = await t.container.db.query<{ draws: unknown }>(
      `SELECT draws FROM quota_reservations WHERE build_id = $1`,
      [res.body.buildId],
    );
    expect(during.rows[0]?.draws).toEqual([
      { kind: 'bonus', id: bonus.body.bonusId, seconds: 50 },
      { kind: 'plan', id: expect.any(String), seconds: 70 },
    ]);
  }, 60_000);

  it('refuses bad billing input with a clear error', async () => {
    const bad = [
      await call(
        'POST',
        '/v1/admin/quota/plan',
        { userId: 'u', allowanceSeconds: -1, periodStart: 'now', periodEnd: 'later' },
        ADMIN_SECRET,
      ),
      await call(
        'POST',
        '/v1/admin/quota/bonus',
        { userId: 'u', seconds: 5, expiresAt: '2001-01-01T00:00:00Z', reason: 'old' },
        ADMIN_SECRET,
      ),
      await call('POST', '/v1/billing/check-sufficient', { userId: 'u', operation: 'delete' }),
      await call('GET', '/v1/billing/usage/u?from=2027-01-01T00:00:00Z&to=2026-01-01T00:00:00Z'),
    ];
    for (const res of bad) {
      expect(res.status).toBe(400);
      expect(res.body.error).toMatchObject({ code: 'VALIDATION_FAILED', hint: expect.any(String) });
    }
    // Granting AI time takes an admin signature.
    const plain = await call('POST', '/v1/admin/quota/bonus', {
      userId: 'u',
      seconds: 5,
      expiresAt: null,
      reason: 'x',
    });
    expect(plain.status).toBe(401);
    // Another user's project is not there.
    const other = await buildToEnd(t, { userId: 'meter-4', prompt: 'mine' });
    const probe = await call('POST', '/v1/billing/check-sufficient', {
      userId: 'meter-5',
      operation: 'update',
      projectId: other.projectId,
    });
    expect(probe.status).toBe(404);
  }, 60_000);

  it('reports usage per day', async () => {
    const res = await call('GET', '/v1/billing/usage/meter-1');
    expect(res.status).toBe(200);
    // Four builds of meter-1 (summed, in case the run crossed midnight UTC).
    const days = res.body.days as Array<Record<string, number>>;
    const sum = (k: string) => days.reduce((n, d) => n + (d[k] ?? 0), 0);
    expect(days.length).toBeGreaterThanOrEqual(1);
    expect(sum('seconds')).toBeCloseTo(9.6);
    expect(sum('chargedSeconds')).toBe(12);
    expect(sum('tokens')).toBe(4800);
    expect(sum('builds')).toBe(4);
  });
});

describe('the quota sweep', () => {
  let t: TestApp;
  beforeAll(async () => {
    // No workers: the test plays the worker that dies.
    t = await startTestApp({ engine: new ScriptedEngine(siteFiles('Killed')) });
  }, 60_000);
  afterAll(() => t?.close());

  /** A build accepted for `userId` and taken by a worker that is about to be killed. */
  const takenBuild = async (userId: string) => {
    const res = await signedInject(t.app, {
      method: 'POST',
      url: '/v1/create-preview-for-new-project',
      body: { userId, prompt: 'A page' },
    });
    const { buildId, projectId } = res.json<{ buildId: string; projectId: string }>();
    await t.container.pipeline.builds.start(buildId, 'doomed-worker');
    return { userId, projectId, id: buildId };
  };
  /** The build marked failed without settling, as by a worker killed at that point. */
  const failUnsettled = (buildId: string) =>
    t.container.pipeline.builds.finish(buildId, {
      status: 'failed',
      error: { code: 'INTERNAL', message: 'worker lost', hint: 'retry' },
    });

  it('settles the reservation of a build whose worker was killed, once', async () => {
    const { pipeline, quota } = t.container;
    // A worker takes the build, the engine runs 4.2 s, then the process is killed.
    const owner = await takenBuild('killed-1');
    const buildId = owner.id;
    await pipeline.usage.record(owner, 'scripted', 'plan', {
      inputTokens: 10,
      outputTokens: 5,
      cacheReadTokens: 0,
      cacheWriteTokens: 0,
      costUsd: 0,
      durationMs: 4_200,
      model: 'scripted',
    });
    expect((await quota.sweep(60_000)).settled).toBe(0); // still running: not abandoned
    // Its job runs out of attempts; the build is marked failed without settling.
    await failUnsettled(buildId);
    expect((await quota.sweep(60_000)).settled).toBe(1);
    expect((await quota.sweep(60_000)).settled).toBe(0);
    const { rows } = await t.container.db.query(
      `SELECT status, seconds, used_seconds, refunded_seconds FROM quota_reservations WHERE build_id = $1`,
      [buildId],
    );
    expect(rows).toEqual([
      { status: 'settled', seconds: 120, used_seconds: 5, refunded_seconds: 115 },
    ]);
    expect((await quota.balance('killed-1')).balanceSeconds).toBe(36_000 - 5);
  });

  it('charges the engine calls of an ended build that no reservation took, once', async () => {
    const { pipeline, quota } = t.container;
    // Its round was settled; a retried generate called the engine again (3 s), and the
    // worker died right after marking the build ended.
    const owner = await takenBuild('killed-2');
    await quota.settleBuild(owner.id);
    await pipeline.usage.record(owner, 'scripted', 'generate', zeroUsage('scripted', 3_000));
    await failUnsettled(owner.id);
    expect(await quota.sweep(60_000)).toMatchObject({ settled: 0, charged: 1 });
    expect(await quota.sweep(60_000)).toMatchObject({ settled: 0, charged: 0 });
    expect((await quota.balance('killed-2')).balanceSeconds).toBe(36_000 - 3);
  });
});
