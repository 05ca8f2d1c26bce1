import { copyFile, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ulid } from 'ulid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from './db.js';
import { MIGRATIONS_DIR, migrate } from './migrate.js';
import { openPglite } from './pglite.js';

/**
 * Migration 0009 makes a build's own preview deployment unique. Databases written before it
 * may hold the duplicates retried record stages made: the migration keeps one and applies.
 */
describe('one preview deployment per build (migration 0009)', () => {
  let db: Db;
  let before: string;
  const ids = { project: ulid(), version: ulid(), artifact: ulid(), build: ulid() };

  beforeAll(async () => {
    db = await openPglite(undefined);
    // The schema as it was before 0009: the earlier migrations only.
    before = await mkdtemp(path.join(tmpdir(), 'sheen-migrations-'));
    for (const file of await readdir(MIGRATIONS_DIR)) {
      if (file < '0009') await copyFile(path.join(MIGRATIONS_DIR, file), path.join(before, file));
    }
    await migrate(db, before);
  });
  afterAll(async () => {
    await db.close();
    await rm(before, { recursive: true, force: true });
  });

  const deployment = (id: string, status: string, createdAt: string, buildId = ids.build) =>
    db.query(
      `INSERT INTO deployments (id, project_id, version_id, build_id, artifact_id, environment,
         provider, status, reason, created_at)
       VALUES ($1, $2, $3, $4, $5, 'preview', 'local', $6, 'build', $7)`,
      [id, ids.project, ids.version, buildId, ids.artifact, status, createdAt],
    );

  it('keeps the live row of duplicates, applies, then refuses another', async () => {
    await db.query(`INSERT INTO projects (id, user_id, name) VALUES ($1, 'u1', 'Old')`, [
      ids.project,
    ]);
    await db.query(
      `INSERT INTO project_versions (id, project_id, version_number, kind) VALUES ($1, $2, 1, 'create')`,
      [ids.version, ids.project],
    );
    await db.query(
      `INSERT INTO artifacts (id, sha256, size_bytes, storage_kind, storage_key)
       VALUES ($1, $2, 1, 'fs', 'k')`,
      [ids.artifact, 'a'.repeat(64)],
    );
    await db.query(
      `INSERT INTO builds (id, project_id, version_id, user_id, kind) VALUES ($1, $2, $3, 'u1', 'create')`,
      [ids.build, ids.project, ids.version],
    );
    const [first, retried, later] = [ulid(), ulid(), ulid()];
    // A retried record stage superseded the first row with its own; both name one build.
    await deployment(first, 'superseded', '2026-01-01T00:00:00Z');
    await deployment(retried, 'active', '2026-01-01T00:00:05Z');
    // Two superseded duplicates of another build: the newest stays.
    const other = ulid();
    await db.query(
      `INSERT INTO builds (id, project_id, version_id, user_id, kind) VALUES ($1, $2, $3, 'u1', 'create')`,
      [other, ids.project, ids.version],
    );
    const older = ulid();
    await deployment(older, 'superseded', '2025-12-01T00:00:00Z', other);
    await deployment(later, 'superseded', '2025-12-01T00:00:09Z', other);

    const report = await migrate(db);
    expect(report.applied).toContain('0009_idempotent_stages');

    const { rows } = await db.query<{ id: string }>('SELECT id FROM deployments ORDER BY id');
    expect(rows.map((r) => r.id).sort()).toEqual([retried, later].sort());
    await expect(deployment(ulid(), 'superseded', '2026-01-02T00:00:00Z')).rejects.toThrow(
      /deployments_build_once_idx/,
    );
  });
});
