import { newId } from '../ids.js';
import type { Db, Queryable } from '../db/db.js';
import { isUniqueViolation } from './projects.repo.js';

export type DomainStatus = 'pending' | 'verified' | 'failed';

export interface Domain {
  id: string;
  projectId: string;
  domain: string;
  status: DomainStatus;
  token: string;
  cnameTarget: string;
  checkedAt: Date | null;
  verifiedAt: Date | null;
  error: string | null;
  createdAt: Date;
}

const COLUMNS = `id, project_id, domain_name, status, verification_token, cname_target,
  last_checked_at, verified_at, last_error, created_at`;

type Row = {
  id: string;
  project_id: string;
  domain_name: string;
  status: DomainStatus;
  verification_token: string;
  cname_target: string;
  last_checked_at: Date | null;
  verified_at: Date | null;
  last_error: string | null;
  created_at: Date;
};

const toDomain = (r: Row): Domain => ({
  id: r.id,
  projectId: r.project_id,
  domain: r.domain_name,
  status: r.status,
  token: r.verification_token,
  cnameTarget: r.cname_target,
  checkedAt: r.last_checked_at,
  verifiedAt: r.verified_at,
  error: r.last_error,
  createdAt: r.created_at,
});

export class DomainTakenError extends Error {}

export class DomainsRepository {
  constructor(private readonly db: Db) {}

  /**
   * Claims a domain for a project. The unique index on the name makes one project per domain
   * hold even when two claim it at once; the loser gets DomainTakenError.
   */
  async add(
    tx: Queryable,
    input: { projectId: string; domain: string; token: string; cnameTarget: string },
  ): Promise<Domain> {
    try {
      const { rows } = await tx.query<Row>(
        `INSERT INTO domains (id, project_id, domain_name, verification_token, cname_target)
         VALUES ($1, $2, $3, $4, $5) RETURNING ${COLUMNS}`,
        [newId(), input.projectId, input.domain, input.token, input.cnameTarget],
      );
      return toDomain(rows[0] as Row);
    } catch (err) {
      if (isUniqueViolation(err)) throw new DomainTakenError(input.domain);
      throw err;
    }
  }

  /** The domain by name, whichever project holds it. */
  async byName(domain: string, q: Queryable = this.db): Promise<Domain | undefined> {
    const { rows } = await q.query<Row>(`SELECT ${COLUMNS} FROM domains WHERE domain_name = $1`, [
      domain,
    ]);
    return rows[0] ? toDomain(rows[0]) : undefined;
  }

  async list(projectId: string, q: Queryable = this.db): Promise<Domain[]> {
    const { rows } = await q.query<Row>(
      `SELECT ${COLUMNS} FROM domains WHERE project_id = $1 ORDER BY domain_name`,
      [projectId],
    );
    return rows.map(toDomain);
  }

  async recordCheck(
    tx: Queryable,
    id: string,
    check: { status: DomainStatus; code: string; error: string | null; checkedAt: Date },
  ): Promise<Domain> {
    const { rows } = await tx.query<Row>(
      `UPDATE domains SET status = $2, last_check_code = $3, last_error = $4, last_checked_at = $5,
         verified_at = CASE WHEN $2 = 'verified' THEN coalesce(verified_at, $5) ELSE NULL END
       WHERE id = $1 RETURNING ${COLUMNS}`,
      [id, check.status, check.code, check.error, check.checkedAt],
    );
    return toDomain(rows[0] as Row);
  }

  async remove(tx: Queryable, id: string): Promise<void> {
    await tx.query('DELETE FROM domains WHERE id = $1', [id]);
  }
}
