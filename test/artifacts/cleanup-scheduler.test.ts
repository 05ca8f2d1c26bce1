import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ulid } from 'ulid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { artifactCleanupScheduler } from '../../src/artifacts/cleanup-scheduler.js';
import { FsArtifactStore } from '../../src/artifacts/fs-artifact-store.js';
import type { Db } from '../../src/db/db.js';
import { ArtifactRetentionRepository } from '../../src/repositories/artifact-retention.repo.js';
import { ArtifactCleanupService } from '../../src/services/artifact-cleanup.service.js';
import { openMigratedPglite } from '../support/pglite-template.js';
import { LogLines } from '../support/queue-contract.js';

describe('artifact cleanup scheduler', () => {
  let db: Db;
  let root: string;
  let store: FsArtifactStore;
  const logs = new LogLines();

  beforeAll(async () => {
    db = await openMigratedPglite();
    root = await mkdtemp(path.join(tmpdir(), 'sheen-cleanup-'));
    store = new FsArtifactStore(root);
  });
  afterAll(async () => {
    await db?.close();
    await rm(root, { recursive: true, force: true });
  });

  /** An artifact that expired yesterday, stored on disk. */
  async function expiredArtifact(): Promise<{ id: string; key: string }> {
    const bytes = randomBytes(1000);
    const sha = createHash('sha256').update(bytes).digest('hex');
    const file = path.join(root, `in-${sha}`);
    await writeFile(file, bytes);
    const stored = await store.put(file, sha, bytes.length);
    const id = ulid();
    await db.query(
      `INSERT INTO artifacts (id, sha256, size_bytes, storage_kind, storage_key, expires_at)
       VALUES ($1, $2, $3, 'fs', $4, now() - interval '1 day')`,
      [id, sha, bytes.length, stored.storageKey],
    );
    return { id, key: stored.storageKey };
  }

  it('runs at start, logs each run once, and reports a delete the store refuses', async () => {
    const gone = await expiredArtifact();
    // A row whose key this store cannot hold (an S3 key with no bucket configured).
    const stray = ulid();
    const sha = 'a'.repeat(64);
    await db.query(
      `INSERT INTO artifacts (id, sha256, size_bytes, storage_kind, storage_key, expires_at)
       VALUES ($1, $2, 10, 's3', $3, now() - interval '1 day')`,
      [stray, sha, `artifacts/sha256/aa/${sha}.tar.gz`],
    );
    const service = new ArtifactCleanupService({
      transaction: (fn) => db.transaction(fn),
      retention: new ArtifactRetentionRepository(db),
      store,
      retentionDays: 30,
      logger: logs.logger(),
    });
    const scheduler = artifactCleanupScheduler(service, logs.logger(), {
      intervalMs: 3_600_000,
    });
    scheduler.start();
    scheduler.start(); // a second start changes nothing
    await scheduler.stop();

    expect(await store.exists(gone.key)).toBe(false);
    const { rows } = await db.query<{ id: string; deleted_at: Date | null }>(
      'SELECT id, deleted_at FROM artifacts WHERE id = ANY($1::text[]) ORDER BY id',
      [[gone.id, stray]],
    );
    expect(Object.fromEntries(rows.map((r) => [r.id, r.deleted_at !== null]))).toEqual({
      [gone.id]: true,
      // Unmarked: the next run tries again.
      [stray]: false,
    });
    const log = await db.query<Record<string, unknown>>(
      'SELECT dry_run, scanned, deleted, kept, bytes_freed, errors FROM r2_cleanup_logs',
    );
    expect(log.rows).toEqual([
      {
        dry_run: false,
        scanned: 2,
        deleted: 1,
        kept: 0,
        bytes_freed: 1000,
        errors: [{ artifactId: stray, message: 'invalid artifact key' }],
      },
    ]);
    expect(logs.entries.map((e) => e.msg)).toEqual(
      expect.arrayContaining(['artifact cleanup: delete failed', 'artifact cleanup finished']),
    );
  });
});
