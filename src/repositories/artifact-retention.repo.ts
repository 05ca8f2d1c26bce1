import { newId } from '../ids.js';
import type { StorageKind } from '../artifacts/artifact-store.js';
import type { Db, Queryable } from '../db/db.js';

/** Why an expired artifact stays: something live still uses it. */
export type KeepReason =
  'published version' | 'current version' | 'active deployment' | 'deployment in progress';

export interface ExpiredArtifact {
  id: string;
  sha256: string;
  sizeBytes: number;
  storageKind: StorageKind;
  storageKey: string;
  /** Undefined: nothing live uses it, it may go. */
  keepReason: KeepReason | undefined;
}

export interface CleanupRun {
  dryRun: boolean;
  scanned: number;
  deleted: number;
  kept: number;
  bytesFreed: number;
  errors: Array<{ artifactId: string; message: string }>;
  startedAt: Date;
  finishedAt: Date;
}

/** The SQL of artifact retention: which artifacts expired, what keeps them, the run log. */
export class ArtifactRetentionRepository {
  constructor(private readonly db: Db) {}

  /**
   * Serialises cleanup runs across processes until the transaction ends (every worker runs a
   * scheduler): a second run waits, then finds the first one's work already done.
   */
  async lock(tx: Queryable): Promise<void> {
    await tx.query(`SELECT pg_advisory_xact_lock(hashtextextended('sheen-artifact-cleanup', 0))`);
  }

  /**
   * Expired artifacts not yet deleted, oldest first, each with what keeps it, if anything:
   * a version some project points at (current or published; build output and sources alike)
   * or a deployment that is live or being made. Rows are locked for the transaction.
   * Rows from before expiry was recorded expire `retentionDays` after they were made.
   */
  async expired(
    tx: Queryable,
    input: { now: Date; retentionDays: number; limit: number },
  ): Promise<ExpiredArtifact[]> {
    const { rows } = await tx.query<{
      id: string;
      sha256: string;
      size_bytes: number;
      storage_kind: StorageKind;
      storage_key: string;
      keep_reason: KeepReason | null;
    }>(
      `SELECT a.id, a.sha256, a.size_bytes, a.storage_kind, a.storage_key,
         CASE
           WHEN EXISTS (SELECT 1 FROM project_versions v
                        JOIN projects p ON p.published_version_id = v.id
                        WHERE v.artifact_id = a.id OR v.source_artifact_id = a.id)
             THEN 'published version'
           WHEN EXISTS (SELECT 1 FROM project_versions v
                        JOIN projects p ON p.current_version_id = v.id
                        WHERE v.artifact_id = a.id OR v.source_artifact_id = a.id)
             THEN 'current version'
           WHEN EXISTS (SELECT 1 FROM deployments d
                        WHERE d.artifact_id = a.id AND d.status = 'active')
             THEN 'active deployment'
           WHEN EXISTS (SELECT 1 FROM deployments d
                        WHERE d.artifact_id = a.id AND d.status = 'pending')
             THEN 'deployment in progress'
         END AS keep_reason
       FROM artifacts a
       WHERE a.deleted_at IS NULL
         AND coalesce(a.expires_at, a.created_at + make_interval(days => $2::int)) <= $1
       ORDER BY coalesce(a.expires_at, a.created_at), a.id
       LIMIT $3
       FOR UPDATE OF a SKIP LOCKED`,
      [input.now, input.retentionDays, input.limit],
    );
    return rows.map((r) => ({
      id: r.id,
      sha256: r.sha256,
      sizeBytes: r.size_bytes,
      storageKind: r.storage_kind,
      storageKey: r.storage_key,
      keepReason: r.keep_reason ?? undefined,
    }));
  }

  /** A kept artifact gets a full retention period again, so each run does not rescan it. */
  async extend(tx: Queryable, ids: string[], until: Date): Promise<void> {
    if (ids.length === 0) return;
    await tx.query('UPDATE artifacts SET expires_at = $2 WHERE id = ANY($1::text[])', [ids, until]);
  }

  /** Marks artifacts deleted before their bytes go, so nothing reads them from now on. */
  async markDeleted(tx: Queryable, ids: string[], at: Date): Promise<void> {
    if (ids.length === 0) return;
    await tx.query('UPDATE artifacts SET deleted_at = $2 WHERE id = ANY($1::text[])', [ids, at]);
  }

  /** Undoes markDeleted for an artifact whose bytes the store failed to delete. */
  async unmarkDeleted(id: string): Promise<void> {
    await this.db.query('UPDATE artifacts SET deleted_at = NULL WHERE id = $1', [id]);
  }

  /**
   * Versions whose build output is gone become 'deleted': listed as such, and refused by
   * rollback and publish (VERSION_NOT_READY) instead of failing to deploy.
   */
  async retireVersions(artifactIds: string[]): Promise<void> {
    if (artifactIds.length === 0) return;
    await this.db.query(
      `UPDATE project_versions SET status = 'deleted'
       WHERE artifact_id = ANY($1::text[]) AND status = 'ready'`,
      [artifactIds],
    );
  }

  async logRun(run: CleanupRun): Promise<void> {
    await this.db.query(
      `INSERT INTO r2_cleanup_logs (id, dry_run, scanned, deleted, kept, bytes_freed, errors,
         started_at, finished_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8, $9)`,
      [
        newId(),
        run.dryRun,
        run.scanned,
        run.deleted,
        run.kept,
        run.bytesFreed,
        JSON.stringify(run.errors),
        run.startedAt,
        run.finishedAt,
      ],
    );
  }
}
