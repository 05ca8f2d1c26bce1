import { ulid } from 'ulid';
import type { StoredArtifact } from '../artifacts/artifact-store.js';
import type { Db } from '../db/db.js';

export interface ArtifactRow extends StoredArtifact {
  id: string;
}

export class ArtifactsRepository {
  constructor(private readonly db: Db) {}

  /** Content-addressed: the same bytes stored twice are one row. */
  async record(artifact: StoredArtifact): Promise<ArtifactRow> {
    const { rows } = await this.db.query<{ id: string }>(
      `INSERT INTO artifacts (id, sha256, size_bytes, storage_kind, storage_key)
       VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (sha256) DO UPDATE SET deleted_at = NULL
       RETURNING id`,
      [ulid(), artifact.sha256, artifact.sizeBytes, artifact.storageKind, artifact.storageKey],
    );
    return { id: (rows[0] as { id: string }).id, ...artifact };
  }

  async get(id: string): Promise<ArtifactRow | undefined> {
    const { rows } = await this.db.query<{
      id: string;
      sha256: string;
      size_bytes: number;
      storage_kind: 'fs' | 's3';
      storage_key: string;
    }>('SELECT id, sha256, size_bytes, storage_kind, storage_key FROM artifacts WHERE id = $1', [
      id,
    ]);
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

  /** The artifact behind a build's preview deployment, for serving it on another machine. */
  async forPreview(buildId: string): Promise<ArtifactRow | undefined> {
    const { rows } = await this.db.query<{ artifact_id: string }>(
      `SELECT artifact_id FROM deployments WHERE build_id = $1 AND environment = 'preview'
       ORDER BY created_at DESC LIMIT 1`,
      [buildId],
    );
    return rows[0] ? this.get(rows[0].artifact_id) : undefined;
  }
}
