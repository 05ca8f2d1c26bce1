import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildToEnd,
  signedInject,
  startTestApp,
  type EndedBuild,
  type TestApp,
} from '../support/harness.js';

const OWNER = 'rec-owner';
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ITEM_KEYS = ['action', 'detail', 'evidence', 'id', 'kind', 'origin', 'severity', 'title'];
const OTHER_ID = '01ARZ3NDEKTSV4RRFFQ69G5FAV';

/**
 * Recommendations through the signed API, for an app the offline engine built: the recommend
 * stage stores them, the build view shows them, and both POST routes measure again on demand.
 * The bundle budget is 1 KiB so the (small) React app is over it.
 */
describe('recommendations over HTTP', () => {
  let t: TestApp;
  let build: EndedBuild;

  beforeAll(async () => {
    t = await startTestApp({
      workers: true,
      env: { RECOMMEND_BUNDLE_BUDGET_KB: '1', CHROMIUM_PATH: CHROMIUM },
    });
    build = await buildToEnd(t, {
      userId: OWNER,
      prompt: 'A landing page for "Sunrise Bakery", a family bakery in Lisbon',
    });
  }, 240_000);
  afterAll(() => t?.close());

  const post = (url: string, body: Record<string, unknown>) =>
    signedInject(t.app, { method: 'POST', url, body });
  const rowCount = async () =>
    (
      await t.container.db.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM recommendations WHERE version_id = $1',
        [build.versionId],
      )
    ).rows[0]?.n;

  it('runs the recommend stage after record, quickly, and shows its items in the build view', () => {
    expect(build.status).toBe('succeeded');
    const stages = build.stages.map((s: { name: string }) => s.name);
    expect(stages.slice(-2)).toEqual(['record', 'recommend']);
    const stage = build.stages.at(-1);
    expect(stage.status).toBe('succeeded');
    expect(stage.durationMs).toBeLessThan(2000);
    const done = build.events.find((e) => e.type === 'recommend.done');
    expect(done?.data.kinds).toEqual(expect.arrayContaining(['bundle.size', 'code.tests']));
    const kinds = build.recommendations.map((r: { kind: string }) => r.kind);
    expect(kinds).toEqual(expect.arrayContaining(['bundle.size', 'code.tests']));
    // The offline engine writes a complete page and a strict tsconfig.
    expect(kinds.filter((k: string) => k.startsWith('html.') || k === 'code.strict')).toEqual([]);
    for (const item of build.recommendations) expect(Object.keys(item).sort()).toEqual(ITEM_KEYS);
    const bundle = build.recommendations.find((r: { kind: string }) => r.kind === 'bundle.size');
    expect(bundle).toMatchObject({ origin: 'measured', severity: 'high' });
    expect(bundle.evidence.budgetBytes).toBe(1024);
    expect(bundle.evidence.bytes).toBeGreaterThan(2048);
  });

  it('POST /v1/recommendations/:projectId measures the current version again', async () => {
    const res = await post(`/v1/recommendations/${build.projectId}`, { userId: OWNER });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({
      projectId: build.projectId,
      versionId: build.versionId,
      buildId: build.buildId,
      checks: {
        html: 'ran',
        bundle: 'ran',
        build: 'ran',
        prompt: 'ran',
        code: 'ran',
        engine: 'skipped: the offline engine does not rank recommendations',
      },
    });
    if (existsSync(CHROMIUM)) expect(body.checks.browser).toBe('ran');
    else expect(body.checks.browser).toMatch(/^skipped: chromium not installed/);
    for (const item of body.recommendations) {
      expect(Object.keys(item).sort()).toEqual(ITEM_KEYS);
      expect(['info', 'low', 'medium', 'high']).toContain(item.severity);
      expect(['measured', 'idea']).toContain(item.origin);
      expect(typeof item.action).toBe('string');
    }
    // The generated app runs without errors in a browser: nothing for page.errors.
    expect(body.recommendations.map((r: { kind: string }) => r.kind)).not.toContain('page.errors');
  }, 120_000);

  it('POST /v1/build-recommendations answers the same for the build, and repeats add no rows', async () => {
    const first = await post('/v1/build-recommendations', {
      userId: OWNER,
      buildId: build.buildId.toLowerCase(),
    });
    expect(first.statusCode).toBe(200);
    const rows = await rowCount();
    const second = await post('/v1/build-recommendations', {
      userId: OWNER,
      buildId: build.buildId,
    });
    expect(second.statusCode).toBe(200);
    expect(await rowCount()).toBe(rows);
    expect(second.json().recommendations).toEqual(first.json().recommendations);
    const view = await signedInject(t.app, { method: 'GET', url: `/v1/builds/${build.buildId}` });
    expect(view.json().recommendations).toEqual(second.json().recommendations);
  }, 120_000);

  it('turns the asks the engine left unmet into prompt.unmet items', async () => {
    const { plan } = await t.container.pipeline.versions.meta(build.versionId);
    await t.container.pipeline.versions.saveMeta(build.versionId, {
      plan: { ...plan!, meta: { ...plan!.meta, unmet: ['online ordering', 'a login page'] } },
    });
    const body = (await post(`/v1/recommendations/${build.projectId}`, { userId: OWNER })).json();
    const unmet = body.recommendations.filter((r: { kind: string }) => r.kind === 'prompt.unmet');
    expect(unmet.map((r: { evidence: { ask: string } }) => r.evidence.ask).sort()).toEqual([
      'a login page',
      'online ordering',
    ]);
    expect(unmet[0].detail).toMatch(/needs an AI engine/);
    const rows = await rowCount();
    await post(`/v1/recommendations/${build.projectId}`, { userId: OWNER });
    expect(await rowCount()).toBe(rows);
  }, 120_000);

  it('a retried recommend stage upserts: same ids, no second copy', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'sheen-rec-retry-'));
    try {
      await mkdir(path.join(dir, 'out'));
      await writeFile(path.join(dir, 'out', 'index.html'), '<html><title>x</title><img src=a.png>');
      const row = await t.container.pipeline.builds.get(build.buildId);
      const files = { outputDir: path.join(dir, 'out'), plan: {} };
      await t.container.recommendations.recordBuilt(row!, files);
      const before = await t.container.recommendations.listForVersion(build.versionId);
      await t.container.recommendations.recordBuilt(row!, files);
      const after = await t.container.recommendations.listForVersion(build.versionId);
      expect(after).toEqual(before);
      expect(after.map((r) => r.kind)).toEqual(
        expect.arrayContaining(['html.lang', 'html.img-alt', 'html.viewport']),
      );
      // The sources were not looked at this time: what the build found about them stays.
      expect(after.map((r) => r.kind)).toContain('code.tests');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("answers 404 for another user's project or build, exactly like a missing one", async () => {
    for (const [url, body] of [
      [`/v1/recommendations/${build.projectId}`, { userId: 'someone-else' }],
      [`/v1/recommendations/${OTHER_ID}`, { userId: OWNER }],
      ['/v1/build-recommendations', { userId: 'someone-else', buildId: build.buildId }],
      ['/v1/build-recommendations', { userId: OWNER, buildId: OTHER_ID }],
    ] as const) {
      const res = await post(url, body);
      expect(res.statusCode, url).toBe(404);
      expect(res.json().error.code).toBe('NOT_FOUND');
    }
  });

  it('refuses bad ids and a missing userId with VALIDATION_FAILED', async () => {
    for (const [url, body] of [
      ['/v1/recommendations/not-an-id', { userId: OWNER }],
      [`/v1/recommendations/${build.projectId}`, {}],
      ['/v1/build-recommendations', { userId: OWNER, buildId: 'nope' }],
      ['/v1/build-recommendations', { userId: OWNER }],
      ['/v1/build-recommendations', { userId: 'bad user', buildId: build.buildId }],
    ] as const) {
      const res = await post(url, body);
      expect(res.statusCode, url).toBe(400);
      expect(res.json().error.code).toBe('VALIDATION_FAILED');
    }
  });

  it('says why nothing was measured for a build that did not succeed', async () => {
    const created = await post('/v1/create-preview-for-new-project', {
      userId: OWNER,
      prompt: 'A page that will be cancelled',
    });
    const { buildId, projectId } = created.json();
    await t.container.builds.cancel(buildId);
    const res = await post('/v1/build-recommendations', { userId: OWNER, buildId });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      recommendations: [],
      checks: { browser: expect.stringMatching(/^skipped: the build has not succeeded/) },
    });
    const project = await post(`/v1/recommendations/${projectId}`, { userId: OWNER });
    expect(project.json()).toMatchObject({
      versionId: null,
      recommendations: [],
      checks: { html: 'skipped: the project has no built version yet' },
    });
  });
});
