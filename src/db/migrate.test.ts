import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from './db.js';
import { MigrationError, loadMigrations, migrate } from './migrate.js';
import { openPglite } from './pglite.js';

describe('migrations on PGlite', () => {
  let db: Db;
  beforeAll(async () => {
    db = await openPglite(undefined);
  });
  afterAll(() => db.close());

  it('create the whole schema from scratch, then re-run as a no-op', async () => {
    const first = await migrate(db);
    expect(first.applied).toEqual([
      '0001_initial_schema',
      '0002_pipeline',
      '0003_versions_and_publishing',
      '0004_build_event_seq',
      '0006_recommendations',
    ]);
    const { rows } = await db.query<{ table_name: string }>(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'`,
    );
    const tables = rows.map((r) => r.table_name);
    for (const table of [
      'projects',
      'project_versions',
      'project_ai_session_metrics',
      'build_events',
      'worker_builds',
      'recommendations',
      'r2_cleanup_logs',
      'usage_tracking',
      'user_bonuses',
      'quota_audit_log',
      'webhook_failures',
      'admin_alerts',
      'claude_user_usage',
      'builds',
      'jobs',
      'request_nonces',
      'domains',
      'artifacts',
      'deployments',
      'schema_migrations',
      'project_events',
    ]) {
      expect(tables).toContain(table);
    }
    const again = await migrate(db);
    expect(again).toEqual({ applied: [], alreadyApplied: 5 });
  });

  it('enforce ranges and relations in the database itself', async () => {
    const id = '01HZZZZZZZZZZZZZZZZZZZZZZZ';
    await db.query(`INSERT INTO projects (id, user_id, name) VALUES ($1, 'u1', 'Shop')`, [id]);
    await expect(
      db.query(
        `INSERT INTO project_versions (id, project_id, version_number, kind) VALUES ($1, $2, 0, 'create')`,
        ['01HZZZZZZZZZZZZZZZZZZZZZZ1', id],
      ),
    ).rejects.toThrow(/check constraint/);
    await expect(
      db.query(
        `INSERT INTO builds (id, project_id, user_id, kind, status) VALUES ($1, $2, 'u1', 'create', 'exploded')`,
        ['01HZZZZZZZZZZZZZZZZZZZZZZ2', id],
      ),
    ).rejects.toThrow(/check constraint/);
    await expect(
      db.query(
        `INSERT INTO builds (id, project_id, user_id, kind) VALUES ($1, 'missing-project-0000000000', 'u1', 'create')`,
        ['01HZZZZZZZZZZZZZZZZZZZZZZ3'],
      ),
    ).rejects.toThrow(/foreign key/);
  });
});

describe('migration runner', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'sheen-migrations-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('rolls back everything when one migration fails', async () => {
    await writeFile(path.join(dir, '0001_ok.sql'), 'CREATE TABLE a (id int);');
    await writeFile(
      path.join(dir, '0002_broken.sql'),
      'CREATE TABLE b (id int); SELECT nonsense FROM nowhere;',
    );
    const db = await openPglite(undefined);
    try {
      await expect(migrate(db, dir)).rejects.toThrow(/0002_broken failed/);
      const { rows } = await db.query(
        `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'`,
      );
      expect(rows).toEqual([]);
    } finally {
      await db.close();
      await rm(path.join(dir, '0002_broken.sql'));
    }
  });

  it('refuses to run when an applied migration was edited', async () => {
    const db = await openPglite(undefined);
    try {
      await migrate(db, dir);
      await writeFile(path.join(dir, '0001_ok.sql'), 'CREATE TABLE a (id bigint);');
      await expect(migrate(db, dir)).rejects.toBeInstanceOf(MigrationError);
    } finally {
      await db.close();
    }
  });

  it('rejects two files with one version number', async () => {
    await writeFile(path.join(dir, '0001_twin.sql'), 'SELECT 1;');
    await expect(loadMigrations(dir)).rejects.toThrow(/share a version/);
  });
});
