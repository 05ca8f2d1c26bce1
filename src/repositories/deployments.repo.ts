import { ulid } from 'ulid';
import type { Db, Queryable } from '../db/db.js';

export type Environment = 'preview' | 'production';
export type DeploymentReason = 'build' | 'publish' | 'rollback';

export interface Activation {
  projectId: string;
  versionId: string;
  buildId: string | null;
  artifactId: string;
  environment: Environment;
  provider: 'local' | 'cloudflare-pages';
  providerDeploymentId: string | null;
  url: string;
  reason: DeploymentReason;
}

export interface ActiveDeployment {
  id: string;
  projectId: string;
  versionId: string;
  buildId: string | null;
  artifactId: string;
  url: string | null;
  activatedAt: Date;
}

type Row = {
  id: string;
  project_id: string;
  version_id: string;
  build_id: string | null;
  artifact_id: string;
  url: string | null;
  activated_at: Date;
};

const toActive = (r: Row): ActiveDeployment => ({
  id: r.id,
  projectId: r.project_id,
  versionId: r.version_id,
  buildId: r.build_id,
  artifactId: r.artifact_id,
  url: r.url,
  activatedAt: r.activated_at,
});

/**
 * Deployments are the one record of what is live: per project and environment at most one
 * row is `active` (a partial unique index says so). Every change supersedes the active row
 * and inserts the new one in the caller's transaction, so history is kept and never edited.
 */
export class DeploymentsRepository {
  constructor(private readonly db: Db) {}

  async activate(tx: Queryable, a: Activation): Promise<ActiveDeployment> {
    await this.deactivate(tx, a.projectId, a.environment);
    const { rows } = await tx.query<Row>(
      `INSERT INTO deployments (id, project_id, version_id, build_id, artifact_id, environment,
         provider, provider_deployment_id, url, status, reason, activated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'active', $10, now())
       RETURNING id, project_id, version_id, build_id, artifact_id, url, activated_at`,
      [
        ulid(),
        a.projectId,
        a.versionId,
        a.buildId,
        a.artifactId,
        a.environment,
        a.provider,
        a.providerDeploymentId,
        a.url,
        a.reason,
      ],
    );
    return toActive(rows[0] as Row);
  }

  /** Takes whatever is live in an environment down; returns whether something was live. */
  async deactivate(tx: Queryable, projectId: string, environment: Environment): Promise<boolean> {
    const { rowCount } = await tx.query(
      `UPDATE deployments SET status = 'superseded', superseded_at = now()
       WHERE project_id = $1 AND environment = $2 AND status = 'active'`,
      [projectId, environment],
    );
    return rowCount > 0;
  }

  async active(
    projectId: string,
    environment: Environment,
    q: Queryable = this.db,
  ): Promise<ActiveDeployment | undefined> {
    const { rows } = await q.query<Row>(
      `SELECT id, project_id, version_id, build_id, artifact_id, url, activated_at FROM deployments
       WHERE project_id = $1 AND environment = $2 AND status = 'active'`,
      [projectId, environment],
    );
    return rows[0] ? toActive(rows[0]) : undefined;
  }

  /** What production serves at a project's host name (its slug), if it is published. */
  async productionBySlug(slug: string): Promise<ActiveDeployment | undefined> {
    const { rows } = await this.db.query<Row>(
      `SELECT d.id, d.project_id, d.version_id, d.build_id, d.artifact_id, d.url, d.activated_at
       FROM projects p JOIN deployments d ON d.project_id = p.id
       WHERE p.slug = $1 AND d.environment = 'production' AND d.status = 'active'`,
      [slug],
    );
    return rows[0] ? toActive(rows[0]) : undefined;
  }

  /** What production serves at a verified custom domain, if its project is published. */
  async productionByDomain(domain: string): Promise<ActiveDeployment | undefined> {
    const { rows } = await this.db.query<Row>(
      `SELECT d.id, d.project_id, d.version_id, d.build_id, d.artifact_id, d.url, d.activated_at
       FROM domains m JOIN deployments d ON d.project_id = m.project_id
       WHERE m.domain_name = $1 AND m.status = 'verified'
         AND d.environment = 'production' AND d.status = 'active'`,
      [domain],
    );
    return rows[0] ? toActive(rows[0]) : undefined;
  }
}
