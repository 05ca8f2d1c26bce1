import { newId } from '../ids.js';
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
        newId(),
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

/** A deployment as a provider's status report finds it. */
export interface ReportedDeployment {
  id: string;
  projectId: string;
  versionId: string;
  environment: Environment;
  status: 'pending' | 'active' | 'superseded' | 'failed';
  url: string | null;
}

/**
 * Status reports from a deployment provider (inbound webhooks): find a deployment by our id
 * or the provider's, and settle a pending one. Kept apart from the class above, which only
 * ever inserts and supersedes.
 */
export class DeploymentReportsRepository {
  /** Stores an inbound webhook id; false when it was stored before (a replay). */
  async remember(tx: Queryable, id: string, type: string, ref: string | null): Promise<boolean> {
    const { rows } = await tx.query(
      `INSERT INTO inbound_webhook_events (id, type, deployment_id) VALUES ($1, $2, $3)
       ON CONFLICT (id) DO NOTHING RETURNING id`,
      [id, type, ref],
    );
    return rows.length === 1;
  }

  async lock(
    tx: Queryable,
    ref: { deploymentId?: string | undefined; providerDeploymentId?: string | undefined },
  ): Promise<ReportedDeployment | undefined> {
    const { rows } = await tx.query<{
      id: string;
      project_id: string;
      version_id: string;
      environment: Environment;
      status: ReportedDeployment['status'];
      url: string | null;
    }>(
      `SELECT id, project_id, version_id, environment, status, url FROM deployments
       WHERE ($1::text IS NOT NULL AND id = $1) OR ($2::text IS NOT NULL AND provider_deployment_id = $2)
       ORDER BY created_at DESC LIMIT 1 FOR UPDATE`,
      [ref.deploymentId ?? null, ref.providerDeploymentId ?? null],
    );
    const r = rows[0];
    if (!r) return undefined;
    return {
      id: r.id,
      projectId: r.project_id,
      versionId: r.version_id,
      environment: r.environment,
      status: r.status,
      url: r.url,
    };
  }

  /** A pending deployment goes live (superseding what was) or fails; its URL may be filled in. */
  async settle(
    tx: Queryable,
    d: ReportedDeployment,
    status: 'active' | 'failed',
    url: string | undefined,
  ): Promise<void> {
    if (status === 'active') {
      await tx.query(
        `UPDATE deployments SET status = 'superseded', superseded_at = now()
         WHERE project_id = $1 AND environment = $2 AND status = 'active'`,
        [d.projectId, d.environment],
      );
    }
    await tx.query(
      `UPDATE deployments SET status = $2, url = coalesce($3, url),
         activated_at = CASE WHEN $2 = 'active' THEN now() ELSE activated_at END
       WHERE id = $1`,
      [d.id, status, url ?? null],
    );
  }
}
