import { access } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_SECRET, signedInject, startTestApp, type TestApp } from './harness.js';
import { buildVersion, call, OWNER } from './releases.js';
import { ScriptedEngine } from './scripted-engine.js';

interface ArtifactState {
  id: string;
  size_bytes: number;
  storage_key: string;
  expires_at: Date;
  deleted_at: Date | null;
}

/**
 * Retention through the real app: versions built by the pipeline, cleanup run through the
 * admin route, on whichever database `env` selects (PGlite and PostgreSQL run the same suite).
 */
export function retentionSuite(profile: string, env: () => Promise<Record<string, string>>) {
  describe(`artifact retention (${profile})`, () => {
    let t: TestApp;
    const engine = new ScriptedEngine({});
    let projectId: string;
    /** Output and sources artifact ids per version, by name. */
    const made: Record<string, { output: string; sources: string; versionId: string }> = {};

    const cleanup = (query = '', secret = ADMIN_SECRET) =>
      signedInject(t.app, { method: 'POST', url: `/v1/admin/artifacts/cleanup${query}`, secret });
    const artifact = async (id: string) =>
      (
        await t.container.db.query<ArtifactState>(
          'SELECT id, size_bytes, storage_key, expires_at, deleted_at FROM artifacts WHERE id = $1',
          [id],
        )
      ).rows[0] as ArtifactState;
    const onDisk = (key: string) =>
      access(path.join(t.container.config.dataDir, 'artifacts', key)).then(
        () => true,
        () => false,
      );
    const expireAll = () =>
      t.container.db.query(`UPDATE artifacts SET expires_at = now() - interval '1 day'`);

    async function build(name: string, project?: string) {
      const built = await buildVersion(t, engine, `retention ${name}`, project);
      const { rows } = await t.container.db.query<{
        artifact_id: string;
        source_artifact_id: string;
      }>('SELECT artifact_id, source_artifact_id FROM project_versions WHERE id = $1', [
        built.versionId,
      ]);
      const row = rows[0] as { artifact_id: string; source_artifact_id: string };
      made[name] = {
        output: row.artifact_id,
        sources: row.source_artifact_id,
        versionId: built.versionId as string,
      };
      return built;
    }

    beforeAll(async () => {
      t = await startTestApp({
        engine,
        workers: true,
        env: { ...(await env()), ARTIFACT_RETENTION_DAYS: '7' },
      });
      projectId = (await build('v1')).projectId as string;
      await build('v2', projectId);
      await build('v3', projectId);
      const published = await call(
        t,
        'POST',
        `/projects/${projectId}/publish/${made.v1?.versionId}`,
        { userId: OWNER },
      );
      expect(published.status).toBe(200);
      // A second project whose pointer has moved off its only version while its preview
      // deployment is still live: the deployment alone keeps that build's output.
      const other = (await build('solo')).projectId as string;
      await t.container.db.query('UPDATE projects SET current_version_id = NULL WHERE id = $1', [
        other,
      ]);
    }, 120_000);
    afterAll(() => t?.close());

    it('gives a new artifact ARTIFACT_RETENTION_DAYS from when it is stored', async () => {
      const a = await artifact(made.v2?.output ?? '');
      const days = (a.expires_at.getTime() - Date.now()) / 86_400_000;
      expect(days).toBeGreaterThan(6.9);
      expect(days).toBeLessThanOrEqual(7);
    });

    it('needs an admin signature and a true or false dryRun', async () => {
      expect(
        (await cleanup('?dryRun=true', 'test-secret-0123456789abcdef0123456789abcdef')).statusCode,
      ).toBe(401);
      const bad = await cleanup('?dryRun=maybe');
      expect(bad.statusCode).toBe(400);
      expect(bad.json().error.code).toBe('VALIDATION_FAILED');
    });

    it('does nothing to artifacts that have not expired', async () => {
      const res = await cleanup();
      expect(res.json()).toMatchObject({ dryRun: false, scanned: 0, deleted: 0, artifacts: [] });
    });

    it('says in a dry run what it would delete, and deletes nothing', async () => {
      await expireAll();
      const res = await cleanup('?dryRun=true');
      expect(res.statusCode).toBe(200);
      const report = res.json();
      expect(report).toMatchObject({ dryRun: true, scanned: 8, deleted: 3, kept: 5, errors: [] });
      const actions = Object.fromEntries(
        report.artifacts.map((a: { artifactId: string; action: string; reason: string }) => [
          a.artifactId,
          `${a.action}: ${a.reason}`,
        ]),
      );
      expect(actions).toEqual({
        [made.v1?.output ?? '']: 'keep: published version',
        [made.v1?.sources ?? '']: 'keep: published version',
        [made.v2?.output ?? '']: 'delete: expired',
        [made.v2?.sources ?? '']: 'delete: expired',
        [made.v3?.output ?? '']: 'keep: current version',
        [made.v3?.sources ?? '']: 'keep: current version',
        [made.solo?.output ?? '']: 'keep: active deployment',
        [made.solo?.sources ?? '']: 'delete: expired',
      });
      for (const id of [made.v2?.output, made.v2?.sources, made.solo?.sources]) {
        const a = await artifact(id ?? '');
        expect(a.deleted_at).toBeNull();
        expect(await onDisk(a.storage_key)).toBe(true);
      }
      const listed = await call(t, 'GET', `/v1/projects/${projectId}/versions?userId=${OWNER}`);
      expect(listed.body.versions.map((v: { status: string }) => v.status)).toEqual([
        'ready',
        'ready',
        'ready',
      ]);
    });

    it('deletes expired artifacts nothing live uses, keeps the rest a period longer, logs the run', async () => {
      const doomed = [made.v2?.output, made.v2?.sources, made.solo?.sources] as string[];
      const sizes = await Promise.all(doomed.map(async (id) => (await artifact(id)).size_bytes));
      const before = new Date();
      const report = (await cleanup()).json();
      expect(report).toMatchObject({ dryRun: false, scanned: 8, deleted: 3, kept: 5, errors: [] });
      expect(report.bytesFreed).toBe(sizes.reduce((a, b) => a + b, 0));
      for (const id of doomed) {
        const a = await artifact(id);
        expect(a.deleted_at).not.toBeNull();
        expect(await onDisk(a.storage_key)).toBe(false);
      }
      for (const id of [made.v1?.output, made.v3?.sources, made.solo?.output] as string[]) {
        const a = await artifact(id);
        expect(a.deleted_at).toBeNull();
        expect(await onDisk(a.storage_key)).toBe(true);
        expect(a.expires_at.getTime()).toBeGreaterThan(before.getTime() + 6.9 * 86_400_000);
      }
      // The current and published versions still serve and roll back as before.
      expect(
        (await call(t, 'GET', `/v1/projects/${projectId}/versions?userId=${OWNER}`)).status,
      ).toBe(200);
      const { rows } = await t.container.db.query<Record<string, unknown>>(
        `SELECT dry_run, scanned, deleted, kept, bytes_freed, errors FROM r2_cleanup_logs
       ORDER BY started_at`,
      );
      expect(rows.map((r) => [r.dry_run, r.scanned, r.deleted, r.kept])).toEqual([
        [false, 0, 0, 0],
        [true, 8, 3, 5],
        [false, 8, 3, 5],
      ]);
      expect(rows[2]).toMatchObject({ bytes_freed: report.bytesFreed, errors: [] });
    });

    it('finds nothing left on the next runs, two of them at once', async () => {
      const runs = await Promise.all([
        t.container.artifactCleanup.run({ dryRun: false }),
        t.container.artifactCleanup.run({ dryRun: false }),
      ]);
      expect(runs.map((r) => [r.scanned, r.deleted])).toEqual([
        [0, 0],
        [0, 0],
      ]);
    });

    it('lets two runs at once delete each expired artifact once', async () => {
      await expireAll();
      // Nothing keeps v3 now: the project moves back to v1 (still published).
      await t.container.db.query('UPDATE projects SET current_version_id = $2 WHERE id = $1', [
        projectId,
        made.v1?.versionId,
      ]);
      const runs = await Promise.all([
        t.container.artifactCleanup.run({ dryRun: false }),
        t.container.artifactCleanup.run({ dryRun: false }),
      ]);
      expect(runs.reduce((n, r) => n + r.deleted, 0)).toBe(1);
      expect(runs.flatMap((r) => r.errors)).toEqual([]);
    });
  });
}
