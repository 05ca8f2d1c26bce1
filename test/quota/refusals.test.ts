import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ADMIN_SECRET,
  buildToEnd,
  signedInject,
  startTestApp,
  type TestApp,
} from '../support/harness.js';
import { startFakeAnthropic, type FakeAnthropic } from '../support/fake-anthropic.js';
import { siteFiles } from '../support/releases.js';
import { ScriptedEngine } from '../support/scripted-engine.js';

const DAY = 86_400_000;

describe('refusing AI work the balance cannot cover', () => {
  let api: FakeAnthropic;
  let t: TestApp;
  beforeAll(async () => {
    api = await startFakeAnthropic({ apiKey: 'sk-ant-test-key' });
    t = await startTestApp({
      workers: true,
      env: {
        AI_PROVIDER: 'anthropic',
        ANTHROPIC_API_KEY: 'sk-ant-test-key',
        ANTHROPIC_BASE_URL: api.url,
        QUOTA_DEFAULT_PLAN_SECONDS: '0',
      },
    });
  }, 60_000);
  afterAll(async () => {
    await t?.close();
    await api?.close();
  });

  it('answers 402 to a create and to /generate without calling the engine', async () => {
    const create = await signedInject(t.app, {
      method: 'POST',
      url: '/v1/create-preview-for-new-project',
      body: { userId: 'broke', prompt: 'A landing page for a bakery' },
    });
    expect(create.statusCode).toBe(402);
    expect(create.json().error).toMatchObject({
      code: 'QUOTA_EXCEEDED',
      details: { balanceSeconds: 0, estimateSeconds: 120 },
    });
    const generate = await signedInject(t.app, {
      method: 'POST',
      url: '/generate',
      body: { userId: 'broke', prompt: 'A landing page for a bakery' },
    });
    expect(generate.statusCode).toBe(402);
    expect(generate.headers['content-type']).toContain('application/json');
    expect(generate.json().error.code).toBe('QUOTA_EXCEEDED');

    expect(api.requests).toHaveLength(0);
    const { rows } = await t.container.db.query(`SELECT id FROM builds WHERE user_id = 'broke'`);
    expect(rows).toHaveLength(0);

    const refusals = (await t.container.metrics.registry.getMetricsAsJSON()).find(
      (m) => m.name === 'sheen_quota_refusals_total',
    );
    expect(
      Object.fromEntries(refusals?.values.map((v) => [v.labels.operation, v.value]) ?? []),
    ).toEqual({ create: 1, generate: 1 });
  });
});

/** A project whose build fails in a way the fix loop would ask the engine about. */
const failingBuild = {
  'package.json': JSON.stringify({
    name: 'quota-fix',
    version: '1.0.0',
    private: true,
    scripts: { build: 'node build.mjs' },
  }),
  'build.mjs': `console.error('Error: the build step broke'); process.exit(1);\n`,
};

describe('a fix round the balance cannot cover', () => {
  let t: TestApp;
  const engine = new ScriptedEngine(failingBuild, [{ files: { 'build.mjs': '' } }]);
  beforeAll(async () => {
    t = await startTestApp({ engine, workers: true });
  }, 60_000);
  afterAll(() => t?.close());

  it('stops the build with QUOTA_EXCEEDED before the engine is asked, keeping its sources', async () => {
    const plan = await signedInject(t.app, {
      method: 'POST',
      url: '/v1/admin/quota/plan',
      secret: ADMIN_SECRET,
      body: {
        userId: 'tight',
        allowanceSeconds: 130,
        periodStart: new Date(Date.now() - DAY).toISOString(),
        periodEnd: new Date(Date.now() + DAY).toISOString(),
      },
    });
    expect(plan.statusCode).toBe(200);
    // Generation takes 100 s of the 130: 30 s are left, a fix round is estimated at 45 s.
    engine.generateUsage = { durationMs: 100_000 };
    const build = await buildToEnd(t, { userId: 'tight', prompt: 'A page' });
    expect(build.status).toBe('failed');
    expect(build.error).toMatchObject({ code: 'QUOTA_EXCEEDED', hint: expect.any(String) });
    expect(build.error.message).toContain('30 s left');
    expect(engine.fixCalls).toBe(0);

    const { rows } = await t.container.db.query<{ source_artifact_id: string | null }>(
      'SELECT source_artifact_id FROM project_versions WHERE id = $1',
      [build.versionId],
    );
    expect(rows[0]?.source_artifact_id).toEqual(expect.any(String));
    const balance = await signedInject(t.app, { method: 'GET', url: '/v1/billing/balance/tight' });
    expect(balance.json()).toMatchObject({ balanceSeconds: 30, reservedSeconds: 0 });
  }, 120_000);
});

describe('the offline engine', () => {
  for (const meterOffline of [false, true]) {
    it(`is ${meterOffline ? 'metered when QUOTA_METER_OFFLINE=true' : 'not metered by default'}`, async () => {
      const t = await startTestApp({
        env: {
          QUOTA_DEFAULT_PLAN_SECONDS: '0',
          ...(meterOffline ? { QUOTA_METER_OFFLINE: 'true' } : {}),
        },
      });
      try {
        const check = await signedInject(t.app, {
          method: 'POST',
          url: '/v1/billing/check-sufficient',
          body: { userId: 'offline-user', operation: 'create' },
        });
        expect(check.json()).toMatchObject({ metered: meterOffline, sufficient: !meterOffline });
        const create = await signedInject(t.app, {
          method: 'POST',
          url: '/v1/create-preview-for-new-project',
          body: { userId: 'offline-user', prompt: 'A todo app' },
        });
        expect(create.statusCode).toBe(meterOffline ? 402 : 202);
        if (!meterOffline) expect(create.json().estimate).toMatchObject({ seconds: 1, costUsd: 0 });
      } finally {
        await t.close();
      }
    });
  }
});

describe('a retried build job', () => {
  let t: TestApp;
  const engine = new ScriptedEngine(siteFiles('Retried'));
  beforeAll(async () => {
    t = await startTestApp({ engine, workers: true });
  }, 60_000);
  afterAll(() => t?.close());

  it('reserves once, and still charges the engine time of both runs', async () => {
    const { pipeline } = t.container;
    const real = pipeline.deployer;
    let failures = 1;
    // The first run dies on an infrastructure fault after generating: the queue retries it.
    pipeline.deployer = {
      provider: real.provider,
      deployPreview: async (input) => {
        if (failures-- > 0) throw new Error('the disk went away for a moment');
        return real.deployPreview(input);
      },
      deployProduction: (input) => real.deployProduction(input),
    };
    engine.generateUsage = { durationMs: 1_500 };
    const build = await buildToEnd(t, { userId: 'retried', prompt: 'A page' });
    expect(build.status).toBe('succeeded');
    expect(build.attempts).toBe(2);

    const { rows: reservations } = await t.container.db.query(
      'SELECT round, status, seconds FROM quota_reservations WHERE build_id = $1',
      [build.buildId],
    );
    expect(reservations).toEqual([{ round: 0, status: 'settled', seconds: 120 }]);
    const { rows: audit } = await t.container.db.query<{ action: string; seconds: number }>(
      `SELECT action, seconds FROM quota_audit_log WHERE build_id = $1 ORDER BY seq`,
      [build.buildId],
    );
    expect(audit.filter((a) => a.action === 'reserve')).toHaveLength(1);
    // Two generations of 1.5 s: 2 s settled by the first run, 2 s charged at the end.
    const charged = audit.filter((a) => a.action === 'settle').reduce((n, a) => n + a.seconds, 0);
    expect(charged).toBe(4);
  }, 120_000);
});
