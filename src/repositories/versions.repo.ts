import type { BuildPlan } from '../ai/engine.js';
import type { Db, Queryable } from '../db/db.js';
import type { ArtifactRow } from './artifacts.repo.js';
import type { ArtifactRef } from '../artifacts/artifact-store.js';
import type { CompressionStats } from '../artifacts/compressed-siblings.js';

export type VersionStatus = 'building' | 'ready' | 'failed' | 'deleted';

/** Counts of files a version's generation added, changed and removed against its parent. */
export interface FilesChanged {
  added: number;
  modified: number;
  removed: number;
}

/** What stages hand each other through the version row. */
export interface VersionMeta {
  plan?: BuildPlan;
  requestedName?: string;
  /** Set on a version made from an uploaded archive: its sources were stored on upload. */
  imported?: ImportedMeta;
}

/** What an imported version came from. */
export interface ImportedMeta {
  archive: 'tar.gz' | 'tar' | 'zip';
  files: number;
  bytes: number;
}

export interface Version {
  id: string;
  projectId: string;
  number: number;
  kind: 'create' | 'update';
  status: VersionStatus;
  prompt: string | null;
  buildId: string | null;
  createdAt: Date;
  previewUrl: string | null;
  /** The built output: what rollback and publish re-point to. */
  artifact: ArtifactRow | null;
  /** What the artifact's compressed assets save; null when it has none. */
  assets: CompressionStats | null;
  filesChanged: FilesChanged | null;
  parentVersionId: string | null;
  isCurrent: boolean;
  isPublished: boolean;
}

const SELECT = `SELECT v.id, v.project_id, v.version_number, v.kind, v.status, v.prompt, v.created_at,
    v.preview_url, v.files_changed, v.parent_version_id,
    a.id AS artifact_id, a.sha256, a.size_bytes, a.storage_kind, a.storage_key, a.compression,
    (SELECT b.id FROM builds b WHERE b.version_id = v.id ORDER BY b.created_at DESC LIMIT 1) AS build_id,
    (p.current_version_id = v.id) AS is_current, (p.published_version_id = v.id) AS is_published
  FROM project_versions v
  JOIN projects p ON p.id = v.project_id
  LEFT JOIN artifacts a ON a.id = v.artifact_id`;

type Row = {
  id: string;
  project_id: string;
  version_number: number;
  kind: Version['kind'];
  status: VersionStatus;
  prompt: string | null;
  created_at: Date;
  preview_url: string | null;
  files_changed: FilesChanged | null;
  parent_version_id: string | null;
  artifact_id: string | null;
  sha256: string | null;
  size_bytes: number | string | null;
  storage_kind: 'fs' | 's3' | null;
  storage_key: string | null;
  compression: CompressionStats | null;
  build_id: string | null;
  is_current: boolean | null;
  is_published: boolean | null;
};

const toVersion = (r: Row): Version => ({
  id: r.id,
  projectId: r.project_id,
  number: r.version_number,
  kind: r.kind,
  status: r.status,
  prompt: r.prompt,
  buildId: r.build_id,
  createdAt: r.created_at,
  previewUrl: r.preview_url,
  artifact:
    r.artifact_id && r.sha256 && r.storage_kind && r.storage_key
      ? {
          id: r.artifact_id,
          sha256: r.sha256,
          sizeBytes: Number(r.size_bytes),
          storageKind: r.storage_kind,
          storageKey: r.storage_key,
        }
      : null,
  assets: r.compression ?? null,
  filesChanged: r.files_changed,
  parentVersionId: r.parent_version_id,
  isCurrent: r.is_current === true,
  isPublished: r.is_published === true,
});

export class VersionsRepository {
  constructor(private readonly db: Db) {}

  /** A project's versions, newest first, strictly older than `beforeNumber` when given. */
  async list(projectId: string, limit: number, beforeNumber?: number): Promise<Version[]> {
    const { rows } = await this.db.query<Row>(
      `${SELECT} WHERE v.project_id = $1 AND ($2::int IS NULL OR v.version_number < $2::int)
       ORDER BY v.version_number DESC LIMIT $3`,
      [projectId, beforeNumber ?? null, limit],
    );
    return rows.map(toVersion);
  }

  /** One version of one project (a version id of another project finds nothing). */
  async get(projectId: string, versionId: string, q: Queryable = this.db) {
    const { rows } = await q.query<Row>(`${SELECT} WHERE v.project_id = $1 AND v.id = $2`, [
      projectId,
      versionId,
    ]);
    return rows[0] ? toVersion(rows[0]) : undefined;
  }

  async meta(versionId: string): Promise<VersionMeta> {
    const { rows } = await this.db.query<{ metadata: VersionMeta }>(
      'SELECT metadata FROM project_versions WHERE id = $1',
      [versionId],
      // Read by several stages of every build: planned once.
      { name: 'version-meta' },
    );
    return rows[0]?.metadata ?? {};
  }

  async saveMeta(versionId: string, meta: VersionMeta): Promise<void> {
    await this.db.query(
      `UPDATE project_versions SET metadata = metadata || $2::jsonb,
         framework = coalesce($3, framework) WHERE id = $1`,
      [versionId, JSON.stringify(meta), meta.plan?.framework ?? null],
    );
  }

  async parentOf(versionId: string): Promise<string | undefined> {
    const { rows } = await this.db.query<{ parent_version_id: string | null }>(
      'SELECT parent_version_id FROM project_versions WHERE id = $1',
      [versionId],
    );
    return rows[0]?.parent_version_id ?? undefined;
  }

  /** The stored sources of a version (its generated files), if they were snapshotted. */
  async sourceArtifact(versionId: string): Promise<ArtifactRef | undefined> {
    const { rows } = await this.db.query<{ storage_key: string; sha256: string }>(
      `SELECT a.storage_key, a.sha256 FROM project_versions v
       JOIN artifacts a ON a.id = v.source_artifact_id
       WHERE v.id = $1`,
      [versionId],
    );
    const row = rows[0];
    return row ? { storageKey: row.storage_key, sha256: row.sha256 } : undefined;
  }

  async saveSources(
    versionId: string,
    artifactId: string,
    filesChanged: FilesChanged | null,
  ): Promise<void> {
    await this.db.query(
      `UPDATE project_versions SET source_artifact_id = $2, files_changed = $3::jsonb WHERE id = $1`,
      [versionId, artifactId, filesChanged === null ? null : JSON.stringify(filesChanged)],
    );
  }

  /**
   * A building version becomes ready; false when it is not building any more (its build
   * recorded it already, in a job that died before it could say so). The row lock makes two
   * writers racing here wait for each other, and the second finds it ready.
   */
  async markReady(
    tx: Queryable,
    versionId: string,
    built: { artifactId: string; previewUrl: string; framework?: string | undefined },
  ): Promise<boolean> {
    const { rowCount } = await tx.query(
      `UPDATE project_versions SET status = 'ready', artifact_id = $2, preview_url = $3,
         framework = coalesce(framework, $4) WHERE id = $1 AND status = 'building'`,
      [versionId, built.artifactId, built.previewUrl, built.framework ?? null],
    );
    return rowCount > 0;
  }
}
