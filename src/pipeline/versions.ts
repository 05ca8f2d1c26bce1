import type { BuildPlan } from '../ai/engine.js';
import type { Db } from '../db/db.js';

/** Version rows: the metadata stages hand each other, and usage records. */
export interface VersionMeta {
  plan?: BuildPlan;
  requestedName?: string;
}

export async function saveVersionMeta(db: Db, versionId: string, meta: VersionMeta): Promise<void> {
  await db.query(
    'UPDATE project_versions SET metadata = metadata || $2::jsonb, framework = coalesce($3, framework) WHERE id = $1',
    [versionId, JSON.stringify(meta), meta.plan?.framework ?? null],
  );
}

export async function loadVersionMeta(db: Db, versionId: string): Promise<VersionMeta> {
  const { rows } = await db.query<{ metadata: VersionMeta }>(
    'SELECT metadata FROM project_versions WHERE id = $1',
    [versionId],
  );
  return rows[0]?.metadata ?? {};
}

export async function sourceArtifactOf(
  db: Db,
  versionId: string,
): Promise<{ storageKey: string } | undefined> {
  const { rows } = await db.query<{ storage_key: string }>(
    `SELECT a.storage_key FROM project_versions v JOIN artifacts a ON a.id = v.source_artifact_id
     WHERE v.id = $1`,
    [versionId],
  );
  return rows[0] ? { storageKey: rows[0].storage_key } : undefined;
}

export { recordUsage } from '../repositories/usage.repo.js';
