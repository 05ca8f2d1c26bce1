import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_SECRET, signedInject, startTestApp, type TestApp } from '../support/harness.js';
import { buildVersion, fetchSite, hostOf } from '../support/releases.js';
import { startS3Server, type S3Server } from '../support/s3-server.js';
import { ScriptedEngine } from '../support/scripted-engine.js';

/** The worker with ARTIFACT_STORE=s3 against a real S3 server (s3rver). */
describe('builds with artifacts in S3', () => {
  let s3: S3Server;
  let t: TestApp;
  const engine = new ScriptedEngine({});

  beforeAll(async () => {
    s3 = await startS3Server();
    t = await startTestApp({ engine, workers: true, env: s3.env });
  });
  afterAll(async () => {
    await t?.close();
    await s3?.close();
  });

  const storageOf = async (versionId: string) =>
    (
      await t.container.db.query<{ storage_kind: string; storage_key: string }>(
        `SELECT a.storage_kind, a.storage_key FROM project_versions v
         JOIN artifacts a ON a.id = v.artifact_id WHERE v.id = $1`,
        [versionId],
      )
    ).rows[0];

  it('builds, stores the output in the bucket, and serves the preview from it', async () => {
    const build = await buildVersion(t, engine, 'Stored in S3');
    const stored = await storageOf(build.versionId);
    expect(stored).toMatchObject({ storage_kind: 's3' });
    expect(stored?.storage_key).toMatch(/^artifacts\/sha256\//);
    // Nothing went to the disk store.
    const local = await readdir(path.join(t.container.config.dataDir, 'artifacts')).catch(() => []);
    expect(local).toEqual([]);

    // A process that never unpacked this build fetches it from the bucket.
    await rm(path.join(t.container.previews.root, build.buildId.toLowerCase()), {
      recursive: true,
    });
    const site = await fetchSite(t, hostOf(build.previewUrl));
    expect(site.status).toBe(200);
    expect(site.body).toContain('Stored in S3');

    // An update restores its parent's sources from the bucket.
    const update = await buildVersion(t, engine, 'Updated in S3', build.projectId);
    const updated = await fetchSite(t, hostOf(update.previewUrl));
    expect(updated.body).toContain('Updated in S3');
  }, 120_000);

  it('never serves an object changed in the bucket', async () => {
    const build = await buildVersion(t, engine, 'Tampered in S3');
    const stored = await storageOf(build.versionId);
    await writeFile(s3.objectFile(stored?.storage_key ?? ''), 'not the tarball');
    await rm(path.join(t.container.previews.root, build.buildId.toLowerCase()), {
      recursive: true,
    });
    const site = await fetchSite(t, hostOf(build.previewUrl));
    expect(site.status).toBeGreaterThanOrEqual(500);
    expect(site.body).not.toContain('Tampered in S3');
    expect(t.logs.text).toContain('failed its integrity check');
  }, 60_000);

  it('reports the bucket in the health check', async () => {
    const res = await signedInject(t.app, {
      method: 'GET',
      url: '/v1/admin/system-health',
      secret: ADMIN_SECRET,
    });
    const check = res.json().checks.find((c: { name: string }) => c.name === 'artifact-store');
    expect(check).toMatchObject({ status: 'ok', detail: { kind: 's3', bucket: s3.bucket } });
  });
});

describe('switching ARTIFACT_STORE from fs to s3', () => {
  it('still serves what was stored on disk before the switch, and stores new builds in S3', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'sheen-switch-'));
    const s3 = await startS3Server();
    const engine = new ScriptedEngine({});
    try {
      const before = await startTestApp({ engine, workers: true, env: { DATA_DIR: dataDir } });
      // The harness removes only the directory it made itself, not this DATA_DIR.
      const old = await buildVersion(before, engine, 'Stored on disk').finally(() =>
        before.close(),
      );

      const after = await startTestApp({
        engine,
        workers: true,
        env: { DATA_DIR: dataDir, ...s3.env },
      });
      try {
        await rm(path.join(after.container.previews.root, old.buildId.toLowerCase()), {
          recursive: true,
        });
        const site = await fetchSite(after, hostOf(old.previewUrl));
        expect(site.body).toContain('Stored on disk');
        const update = await buildVersion(after, engine, 'Now in S3', old.projectId);
        const { rows } = await after.container.db.query<{ storage_kind: string }>(
          `SELECT a.storage_kind FROM project_versions v JOIN artifacts a ON a.id = v.artifact_id
           WHERE v.id = ANY($1::text[]) ORDER BY v.version_number`,
          [[old.versionId, update.versionId]],
        );
        expect(rows.map((r) => r.storage_kind)).toEqual(['fs', 's3']);
      } finally {
        await after.close();
      }
    } finally {
      await s3.close();
      await rm(dataDir, { recursive: true, force: true });
    }
  }, 120_000);
});
