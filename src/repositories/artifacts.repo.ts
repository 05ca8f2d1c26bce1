import { newId } from '../ids.js';
import type { StoredArtifact } from '../artifacts/artifact-store.js';
import type { CompressionStats } from '../artifacts/compressed-siblings.js';
import type { Db } from '../db/db.js';

export interface ArtifactRow extends StoredArtifact {
  id: string;
}

export class ArtifactsRepository {
  /** `retentionDays`: how long a new artifact is kept unless a live version uses it. */
  constructor(
    private readonly db: Db,
    private readonly retentionDays: number,
  ) {}

  /**
   * Content-addressed: the same bytes stored twice are one row. Storing them again revives a
   * deleted row, points it at where they were just put, and never shortens its expiry.
   * `compression` is what the package stage's compressed siblings saved (kept if not given).
   */
  async record(artifact: StoredArtifact, compression?: CompressionStats): Promise<ArtifactRow> {
    const { rows } = await this.db.query<{ id: string }>(
      `INSERT INTO artifacts (id, sha256, size_bytes, storage_kind, storage_key, expires_at,
         compression)
       VALUES ($1, $2, $3, $4, $5, now() + make_interval(days => $6::int), $7::jsonb)
       ON CONFLICT (sha256) DO UPDATE SET deleted_at = NULL,
         storage_kind = EXCLUDED.storage_kind, storage_key = EXCLUDED.storage_key,
         expires_at = GREATEST(artifacts.expires_at, EXCLUDED.expires_at),
         compression = coalesce(EXCLUDED.compression, artifacts.compression)
       RETURNING id`,
      [
        newId(),
        artifact.sha256,
        artifact.sizeBytes,
        artifact.storageKind,
        artifact.storageKey,
        this.retentionDays,
        compression ? JSON.stringify(compression) : null,
      ],
    );
    return { id: (rows[0] as { id: string }).id, ...artifact };
  }

  /** An artifact that has not been deleted by retention. */
  async get(id: string): Promise<ArtifactRow | undefined> {
    const { rows } = await this.db.query<{
      id: string;
      sha256: string;
      size_bytes: number;
      storage_kind: 'fs' | 's3';
      storage_key: string;
    }>(
      `SELECT id, sha256, size_bytes, storage_kind, storage_key FROM artifacts
       WHERE id = $1 AND deleted_at IS NULL`,
      [id],
    );
    const r = rows[0];
    return r
      ? {
          id: r.id,
          sha256: r.sha256,
          sizeBytes: r.size_bytes,
          storageKind: r.storage_kind,
          storageKey: r.storage_key,
        }
      : undefined;
  }

  /**
   * The output of a build, for serving it on any machine: the artifact its version was
   * recorded with (set only once the build succeeded, so a failed build serves nothing).
   */
  async ofBuild(buildId: string): Promise<ArtifactRow | undefined> {
    const { rows } = await this.db.query<{ artifact_id: string }>(
      `SELECT v.artifact_id FROM builds b JOIN project_versions v ON v.id = b.version_id
       WHERE b.id = $1 AND v.artifact_id IS NOT NULL`,
      [buildId],
    );
    return rows[0] ? this.get(rows[0].artifact_id) : undefined;
  }
}
