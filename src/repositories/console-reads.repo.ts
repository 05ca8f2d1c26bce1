import type { Db } from '../db/db.js';

/** A project as the operator's list shows it: owner, and current and published versions. */
export interface ProjectSummary {
  id: string;
  userId: string;
  name: string;
  framework: string | null;
  currentVersion: number | null;
  publishedVersion: number | null;
  updatedAt: Date;
}

/** One movement of a user's AI-time ledger. */
export interface LedgerEntry {
  id: string;
  action: string;
  seconds: number;
  balanceBefore: number | null;
  balanceAfter: number | null;
  reason: string | null;
  buildId: string | null;
  grantKind: string | null;
  createdAt: Date;
}

type ProjectRow = {
  id: string;
  user_id: string;
  name: string;
  framework: string | null;
  current_number: number | null;
  published_number: number | null;
  updated_at: Date;
};

type LedgerRow = {
  id: string;
  action: string;
  seconds: number;
  balance_before: number | string | null;
  balance_after: number | string | null;
  reason: string | null;
  build_id: string | null;
  grant_kind: string | null;
  created_at: Date;
};

const num = (v: number | string | null) => (v === null ? null : Number(v));

/** Reads across users that only the operator's console makes. */
export class ConsoleReadsRepository {
  constructor(private readonly db: Db) {}

  /** Every project, most recently changed first; `before` is the last row of the previous page. */
  async listProjects(
    limit: number,
    before?: { updatedAt: Date; id: string },
  ): Promise<ProjectSummary[]> {
    const { rows } = await this.db.query<ProjectRow>(
      `SELECT p.id, p.user_id, p.name, p.framework, p.updated_at,
         (SELECT version_number FROM project_versions WHERE id = p.current_version_id) AS current_number,
         (SELECT version_number FROM project_versions WHERE id = p.published_version_id) AS published_number
       FROM projects p
       WHERE $1::timestamptz IS NULL OR (p.updated_at, p.id) < ($1::timestamptz, $2::text)
       ORDER BY p.updated_at DESC, p.id DESC
       LIMIT $3`,
      [before?.updatedAt ?? null, before?.id ?? null, limit],
    );
    return rows.map((r) => ({
      id: r.id,
      userId: r.user_id,
      name: r.name,
      framework: r.framework,
      currentVersion: r.current_number,
      publishedVersion: r.published_number,
      updatedAt: r.updated_at,
    }));
  }

  /** The newest movements of a user's ledger, in the order they were written. */
  async ledger(userId: string, limit: number): Promise<LedgerEntry[]> {
    const { rows } = await this.db.query<LedgerRow>(
      `SELECT id, action, seconds, balance_before, balance_after, reason, build_id, grant_kind,
         created_at
       FROM quota_audit_log WHERE user_id = $1
       ORDER BY created_at DESC, seq DESC NULLS LAST LIMIT $2`,
      [userId, limit],
    );
    return rows.map((r) => ({
      id: r.id,
      action: r.action,
      seconds: r.seconds,
      balanceBefore: num(r.balance_before),
      balanceAfter: num(r.balance_after),
      reason: r.reason,
      buildId: r.build_id,
      grantKind: r.grant_kind,
      createdAt: r.created_at,
    }));
  }
}
