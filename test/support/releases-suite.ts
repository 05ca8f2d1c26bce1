import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ScriptedEngine } from './scripted-engine.js';
import { startTestApp, type TestApp } from './harness.js';
import { buildVersion, call, Counters, fetchSite, hostOf, OWNER, siteFiles } from './releases.js';

/**
 * Versions, rollback and publishing through the signed API, on whichever database `env`
 * selects (the same suite runs on PGlite and on PostgreSQL).
 */
export function releasesSuite(profile: string, env: () => Promise<Record<string, string>>) {
  describe(`versions, rollback and publishing (${profile})`, () => {
    let t: TestApp;
    const counters = new Counters();
    const engine = new ScriptedEngine(siteFiles('v1'));
    let projectId: string;
    const v: Record<number, { versionId: string; buildId: string; previewUrl: string }> = {};

    beforeAll(async () => {
      t = await startTestApp({
        engine: counters.countingEngine(engine),
        workers: true,
        env: await env(),
      });
      counters.watchSandbox(t);
      for (const n of [1, 2, 3]) {
        const build = await buildVersion(t, engine, `v${n}`, projectId);
        projectId = build.projectId;
        v[n] = { versionId: build.versionId, buildId: build.buildId, previewUrl: build.previewUrl };
      }
    }, 120_000);
    afterAll(() => t?.close());

    const versions = async (query = '') =>
      call(t, 'GET', `/v1/projects/${projectId}/versions?userId=${OWNER}${query}`);
    const rollback = (n: number) =>
      call(t, 'POST', `/v1/projects/${projectId}/rollback/${v[n]?.versionId}`, { userId: OWNER });
    const publish = (n: number, prefix = '') =>
      call(t, 'POST', `${prefix}/projects/${projectId}/publish/${v[n]?.versionId}`, {
        userId: OWNER,
      });

    it('lists versions newest first, a page at a time', async () => {
      const first = await versions('&limit=2');
      expect(first.status).toBe(200);
      expect(first.body.versions.map((x: { number: number }) => x.number)).toEqual([3, 2]);
      expect(first.body.nextCursor).toEqual(expect.any(String));
      const second = await versions(`&limit=2&cursor=${first.body.nextCursor}`);
      expect(second.body.versions.map((x: { number: number }) => x.number)).toEqual([1]);
      expect(second.body.nextCursor).toBeNull();

      const [v3, v2] = first.body.versions;
      expect(v3).toMatchObject({
        versionId: v[3]?.versionId,
        kind: 'update',
        status: 'ready',
        prompt: 'A page titled v3',
        buildId: v[3]?.buildId,
        previewUrl: v[3]?.previewUrl,
        parentVersionId: v[2]?.versionId,
        isCurrent: true,
        isPublished: false,
        filesChanged: { added: 0, modified: 1, removed: 0 },
      });
      expect(v3.artifact.sha256).toMatch(/^[0-9a-f]{64}$/);
      expect(v3.artifact.sizeBytes).toBeGreaterThan(0);
      expect(v2.isCurrent).toBe(false);
      expect(second.body.versions[0]).toMatchObject({
        kind: 'create',
        parentVersionId: null,
        filesChanged: { added: 3, modified: 0, removed: 0 },
      });
    });

    it('refuses a limit outside 1-100 and a cursor it did not give out', async () => {
      for (const q of [
        '&limit=0',
        '&limit=101',
        '&limit=x',
        '&cursor=nonsense',
        '&cursor=djE6MA',
      ]) {
        const res = await versions(q);
        expect(res.status, q).toBe(400);
        expect(res.body.error.code).toBe('VALIDATION_FAILED');
      }
    });

    it('rolls back to v1 and forward to v3 with no engine call and no sandbox process', async () => {
      const before = counters.snapshot();
      const back = await rollback(1);
      expect(back.status).toBe(200);
      expect(back.body).toMatchObject({
        projectId,
        currentVersionId: v[1]?.versionId,
        publishedVersionId: null,
        previewUrl: v[1]?.previewUrl,
        productionUrl: null,
      });
      const listed = await versions();
      expect(listed.body.versions).toHaveLength(3);
      const current = listed.body.versions.filter((x: { isCurrent: boolean }) => x.isCurrent);
      expect(current.map((x: { number: number }) => x.number)).toEqual([1]);

      const forward = await rollback(3);
      expect(forward.body.currentVersionId).toBe(v[3]?.versionId);
      expect(counters.snapshot()).toEqual(before);
      const builds = await t.container.db.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM builds WHERE project_id = $1',
        [projectId],
      );
      expect(builds.rows[0]?.n).toBe(3);
    });

    it('builds the next update on the rolled-back version, as version N+1', async () => {
      await rollback(1);
      const before = counters.snapshot();
      const build = await buildVersion(t, engine, 'v4', projectId);
      expect(counters.sandboxRuns).toBeGreaterThan(before.sandboxRuns);
      expect(counters.engineCalls).toBeGreaterThan(before.engineCalls);
      v[4] = { versionId: build.versionId, buildId: build.buildId, previewUrl: build.previewUrl };
      const latest = (await versions('&limit=1')).body.versions[0];
      expect(latest).toMatchObject({
        number: 4,
        parentVersionId: v[1]?.versionId,
        isCurrent: true,
        filesChanged: { added: 0, modified: 1, removed: 0 },
      });
    });

    it('publishes a version from its artifact and serves it at the project host', async () => {
      const before = counters.snapshot();
      const res = await publish(2);
      expect(res.status).toBe(200);
      expect(res.body.publishedVersionId).toBe(v[2]?.versionId);
      expect(res.body.productionUrl).toMatch(/^http:\/\/sunrise-bakery\.localhost:\d+\/$/);
      expect(res.body.publishedAt).toEqual(expect.any(String));
      const host = hostOf(res.body.productionUrl);
      expect((await fetchSite(t, host)).body).toContain('<h1>v2</h1>');
      expect((await fetchSite(t, host, '/some/page')).body).toContain('<h1>v2</h1>');

      const again = await publish(2, '/v1');
      expect(again.body).toEqual(res.body);
      expect(counters.snapshot()).toEqual(before);

      const status = await call(
        t,
        'GET',
        `/projects/${projectId}/publication-status?userId=${OWNER}`,
      );
      expect(status.body).toEqual({
        projectId,
        publishedVersionId: v[2]?.versionId,
        publishedAt: res.body.publishedAt,
        productionUrl: res.body.productionUrl,
        domains: [],
      });
    });

    it('moves production too when a published project rolls back', async () => {
      const res = await rollback(3);
      expect(res.body).toMatchObject({
        currentVersionId: v[3]?.versionId,
        publishedVersionId: v[3]?.versionId,
      });
      expect((await fetchSite(t, hostOf(res.body.productionUrl))).body).toContain('<h1>v3</h1>');
      const listed = (await versions()).body.versions;
      const published = listed.filter((x: { isPublished: boolean }) => x.isPublished);
      expect(published.map((x: { number: number }) => x.number)).toEqual([3]);
    });

    it('leaves exactly one active production deployment after concurrent publishes', async () => {
      const results = await Promise.all(
        [1, 2, 3, 4, 1, 3, 2, 4].map((n, i) => publish(n, i % 2 ? '/v1' : '')),
      );
      for (const r of results) expect(r.status).toBe(200);
      const { rows } = await t.container.db.query<{ version_id: string }>(
        `SELECT version_id FROM deployments
         WHERE project_id = $1 AND environment = 'production' AND status = 'active'`,
        [projectId],
      );
      expect(rows).toHaveLength(1);
      const project = await t.container.db.query<{ published_version_id: string }>(
        'SELECT published_version_id FROM projects WHERE id = $1',
        [projectId],
      );
      expect(project.rows[0]?.published_version_id).toBe(rows[0]?.version_id);
    });

    it('unpublishes: production stops answering, versions stay', async () => {
      const published = await publish(4);
      const host = hostOf(published.body.productionUrl);
      const res = await call(t, 'DELETE', `/projects/${projectId}/publish?userId=${OWNER}`);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ publishedVersionId: null, productionUrl: null });
      const site = await fetchSite(t, host);
      expect(site.status).toBe(404);
      expect((await versions()).body.versions).toHaveLength(4);
      const again = await call(t, 'DELETE', `/v1/projects/${projectId}/publish?userId=${OWNER}`);
      expect(again.status).toBe(200);
      // The host name is kept for the next publish.
      expect(hostOf((await publish(4)).body.productionUrl)).toBe(host);
    });

    it('refuses to roll back to or publish a version that did not build', async () => {
      // The parent's files come back, then a build step that fails.
      engine.files = { 'build.js': 'process.exit(3);\n' };
      const failed = await call(t, 'POST', `/v1/projects/${projectId}/update`, {
        userId: OWNER,
        prompt: 'break it',
      });
      const { waitForBuild } = await import('./harness.js');
      const ended = await waitForBuild(t, failed.body.buildId);
      expect(ended.status).toBe('failed');
      for (const url of [
        `/v1/projects/${projectId}/rollback/${ended.versionId}`,
        `/projects/${projectId}/publish/${ended.versionId}`,
      ]) {
        const res = await call(t, 'POST', url, { userId: OWNER });
        expect(res.status, url).toBe(409);
        expect(res.body.error.code).toBe('VERSION_NOT_READY');
      }
      const unknown = await call(t, 'POST', `/v1/projects/${projectId}/rollback/${projectId}`, {
        userId: OWNER,
      });
      expect(unknown.status).toBe(404);
    });

    it('records each change in the project event log', async () => {
      const { rows } = await t.container.db.query<{ type: string }>(
        'SELECT type FROM project_events WHERE project_id = $1 ORDER BY id',
        [projectId],
      );
      const types = rows.map((r) => r.type);
      for (const type of [
        'version.created',
        'version.ready',
        'version.failed',
        'version.rolled_back',
        'version.published',
        'project.unpublished',
      ])
        expect(types).toContain(type);
      expect(types.filter((x) => x === 'version.created')).toHaveLength(5);
    });
  });
}
