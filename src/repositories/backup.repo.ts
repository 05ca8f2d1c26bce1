import type { StorageKind } from '../artifacts/artifact-store.js';
import type { Queryable } from '../db/db.js';

/** An artifact a backup must carry: every one the database still points at. */
export interface BackupArtifact {
  id: string;
  sha256: string;
  sizeBytes: number;
  storageKind: StorageKind;
  storageKey: string;
}

/** The SQL of backup and restore: what a dump holds and whether a target is empty. */
export class BackupRepository {
  /**
   * Makes `tx` a read-only snapshot and exports it, so pg_dump (`--snapshot`) and the artifact
   * list below see exactly the same committed state. Must be the first statement of `tx`.
   */
  async exportSnapshot(tx: Queryable): Promise<string> {
    await tx.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY');
    const { rows } = await tx.query<{ id: string }>('SELECT pg_export_snapshot() AS id');
    return (rows[0] as { id: string }).id;
  }

  /** The highest migration applied, 0 for a database never migrated. */
  async migrationLevel(q: Queryable): Promise<number> {
    if (!(await this.hasSchema(q))) return 0;
    const { rows } = await q.query<{ level: number | null }>(
      'SELECT max(version) AS level FROM schema_migrations',
    );
    return rows[0]?.level ?? 0;
  }

  /** Whether the worker's schema is there: a restore onto it overwrites data. */
  async hasSchema(q: Queryable): Promise<boolean> {
    const { rows } = await q.query<{ present: boolean }>(
      `SELECT to_regclass('schema_migrations') IS NOT NULL AS present`,
    );
    return rows[0]?.present === true;
  }

  async liveArtifacts(q: Queryable): Promise<BackupArtifact[]> {
    const { rows } = await q.query<{
      id: string;
      sha256: string;
      size_bytes: number | string;
      storage_kind: StorageKind;
      storage_key: string;
    }>(
      `SELECT id, sha256, size_bytes, storage_kind, storage_key FROM artifacts
       WHERE deleted_at IS NULL ORDER BY id`,
    );
    return rows.map((r) => ({
      id: r.id,
      sha256: r.sha256,
      sizeBytes: Number(r.size_bytes),
      storageKind: r.storage_kind,
      storageKey: r.storage_key,
    }));
  }

  /**
   * Artifacts a backup could not carry (retention deleted them between the dump and the copy)
   * become deleted in the restored database, and so do the versions built from them, exactly
   * as retention itself leaves them: listed as deleted, refused by rollback and publish.
   */
  async retire(q: Queryable, artifactIds: string[]): Promise<void> {
    if (artifactIds.length === 0) return;
    await q.query('UPDATE artifacts SET deleted_at = now() WHERE id = ANY($1::text[])', [
      artifactIds,
    ]);
    await q.query(
      `UPDATE project_versions SET status = 'deleted'
       WHERE artifact_id = ANY($1::text[]) AND status = 'ready'`,
      [artifactIds],
    );
  }
}
