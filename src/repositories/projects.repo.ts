import type { Db, Queryable } from '../db/db.js';

export interface Project {
  id: string;
  userId: string;
  name: string;
  framework: string | null;
  slug: string | null;
  currentVersionId: string | null;
  publishedVersionId: string | null;
  aiSessionId: string | null;
  createdAt: Date;
  updatedAt: Date;
}

const COLUMNS = `id, user_id, name, framework, slug, current_version_id, published_version_id,
  ai_session_id, created_at, updated_at`;

type Row = {
  id: string;
  user_id: string;
  name: string;
  framework: string | null;
  slug: string | null;
  current_version_id: string | null;
  published_version_id: string | null;
  ai_session_id: string | null;
  created_at: Date;
  updated_at: Date;
};

const toProject = (r: Row): Project => ({
  id: r.id,
  userId: r.user_id,
  name: r.name,
  framework: r.framework,
  slug: r.slug,
  currentVersionId: r.current_version_id,
  publishedVersionId: r.published_version_id,
  aiSessionId: r.ai_session_id,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

export class ProjectsRepository {
  constructor(private readonly db: Db) {}

  async get(projectId: string, q: Queryable = this.db): Promise<Project | undefined> {
    const { rows } = await q.query<Row>(`SELECT ${COLUMNS} FROM projects WHERE id = $1`, [
      projectId,
    ]);
    return rows[0] ? toProject(rows[0]) : undefined;
  }

  /**
   * A project as its owner sees it. Someone else's project and a missing one look the same
   * (undefined), so a route never reveals that another user's project exists.
   */
  async getOwned(projectId: string, userId: string, q: Queryable = this.db) {
    const { rows } = await q.query<Row>(
      `SELECT ${COLUMNS} FROM projects WHERE id = $1 AND user_id = $2`,
      [projectId, userId],
    );
    return rows[0] ? toProject(rows[0]) : undefined;
  }

  /** The same, locked until the transaction ends: changes to what is live go one at a time. */
  async lockOwned(tx: Queryable, projectId: string, userId: string) {
    const { rows } = await tx.query<Row>(
      `SELECT ${COLUMNS} FROM projects WHERE id = $1 AND user_id = $2 FOR UPDATE`,
      [projectId, userId],
    );
    return rows[0] ? toProject(rows[0]) : undefined;
  }

  async setCurrentVersion(tx: Queryable, projectId: string, versionId: string): Promise<void> {
    await tx.query(
      'UPDATE projects SET current_version_id = $2, updated_at = now() WHERE id = $1',
      [projectId, versionId],
    );
  }

  async setPublishedVersion(tx: Queryable, projectId: string, versionId: string | null) {
    await tx.query(
      'UPDATE projects SET published_version_id = $2, updated_at = now() WHERE id = $1',
      [projectId, versionId],
    );
  }

  /** What a successful build learnt about its project: framework and the app's name. */
  async noteBuilt(
    tx: Queryable,
    projectId: string,
    learnt: { framework?: string | undefined; name?: string | undefined },
  ): Promise<void> {
    await tx.query(
      `UPDATE projects SET framework = coalesce($2, framework), name = coalesce($3, name),
         updated_at = now() WHERE id = $1`,
      [projectId, learnt.framework ?? null, learnt.name ?? null],
    );
  }

  /**
   * Gives the project its production host label once; later calls return the one it has.
   * Candidates are tried in order, each in its own statement: the unique index settles
   * concurrent claims, and a refused one must not abort a caller's transaction.
   */
  async claimSlug(projectId: string, candidates: readonly string[]): Promise<string> {
    for (const slug of candidates) {
      try {
        const { rows } = await this.db.query<{ slug: string }>(
          `UPDATE projects SET slug = coalesce(slug, $2) WHERE id = $1 RETURNING slug`,
          [projectId, slug],
        );
        if (!rows[0]) throw new Error(`project ${projectId} does not exist`);
        return rows[0].slug;
      } catch (err) {
        if (!isUniqueViolation(err)) throw err;
      }
    }
    throw new Error(`no free host name among ${candidates.length} candidates`);
  }

  /** The engine conversation an update resumes (Claude CLI sessions). */
  async aiSession(projectId: string): Promise<string | undefined> {
    const { rows } = await this.db.query<{ ai_session_id: string | null }>(
      'SELECT ai_session_id FROM projects WHERE id = $1',
      [projectId],
    );
    return rows[0]?.ai_session_id ?? undefined;
  }

  async setAiSession(projectId: string, sessionId: string): Promise<void> {
    await this.db.query('UPDATE projects SET ai_session_id = $2 WHERE id = $1', [
      projectId,
      sessionId,
    ]);
  }
}

/** PostgreSQL's unique_violation, as pg and PGlite both report it. */
export function isUniqueViolation(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === '23505';
}
