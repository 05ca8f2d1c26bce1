import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.js';
import { openPglite } from '../../src/db/pglite.js';
import { applyRestore } from '../../src/ops/apply-restore.js';
import { takeBackup } from '../../src/ops/take-backup.js';
import { BackupRepository } from '../../src/repositories/backup.repo.js';
import { ADMIN_SECRET, SECRET, startTestApp, type TestApp } from '../support/harness.js';
import { startS3Server, type S3Server } from '../support/s3-server.js';

/**
 * ARTIFACT_STORE=s3: the backup reads every artifact the dump names from the bucket through
 * the ArtifactStore port, and restore puts them back into the bucket.
 */
describe('backup and restore with artifacts in S3', () => {
  let s3: S3Server;
  let t: TestApp;
  let baseUrl: string;
  let root: string;

  beforeAll(async () => {
    s3 = await startS3Server();
    t = await startTestApp({ env: s3.env });
    baseUrl = await t.app.listen({ port: 0, host: '127.0.0.1' });
    root = await mkdtemp(path.join(tmpdir(), 'sheen-s3-backup-'));
  });
  afterAll(async () => {
    await t?.close();
    await s3?.close();
    if (root) await rm(root, { recursive: true, force: true });
  });

  it('copies the bucket objects the database names, and puts them back', async () => {
    // An artifact stored and recorded as the package stage does it: bytes first, then the row.
    const bytes = randomBytes(4096);
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const file = path.join(root, 'artifact.tar.gz');
    await writeFile(file, bytes);
    const { pipeline } = t.container;
    const row = await pipeline.artifacts.record(
      await pipeline.artifactStore.put(file, sha256, bytes.length),
    );
    expect(row.storageKind).toBe('s3');

    const lines: string[] = [];
    const out = path.join(root, 'backup');
    const manifest = await takeBackup({
      config: t.container.config,
      out,
      withSecrets: false,
      workerUrl: baseUrl,
      say: (line) => lines.push(line),
    });
    expect(manifest.artifacts.items).toEqual([
      expect.objectContaining({ sha256, storageKind: 's3', storageKey: row.storageKey }),
    ]);
    const copied = await readFile(path.join(out, manifest.artifacts.items[0]?.file ?? ''));
    expect(copied.equals(bytes)).toBe(true);

    // The bucket loses the object; a restore into a fresh DATA_DIR puts it back.
    await rm(s3.objectFile(row.storageKey));
    expect(await pipeline.artifactStore.exists(row.storageKey)).toBe(false);
    const dataDir = path.join(root, 'restored');
    const config = loadConfig({
      ...s3.env,
      DATA_DIR: dataDir,
      HMAC_SECRETS: SECRET,
      ADMIN_HMAC_SECRETS: ADMIN_SECRET,
    });
    await applyRestore({
      config,
      from: out,
      force: false,
      withSecrets: false,
      say: () => undefined,
    });
    expect(await pipeline.artifactStore.exists(row.storageKey)).toBe(true);
    expect((await stat(s3.objectFile(row.storageKey))).size).toBe(bytes.length);
    const db = await openPglite(path.join(dataDir, 'db'));
    try {
      const artifacts = await new BackupRepository().liveArtifacts(db);
      expect(artifacts.map((a) => a.sha256)).toContain(sha256);
    } finally {
      await db.close();
    }
  });
});
