import type { Db } from '../db/db.js';

export interface BuildOutcomes {
  /** Builds that succeeded or failed in the window (cancelled ones say nothing of health). */
  ended: number;
  failed: number;
}

export interface DeliveryBacklog {
  /** Project events not yet turned into deliveries. */
  outbox: number;
  pending: number;
  delivered: number;
  failed: number;
  cancelled: number;
}

export interface CleanupStatus {
  /** Artifacts past their retention, not deleted yet (cleanup deletes those nothing uses). */
  expiredArtifacts: number;
  lastRun: {
    startedAt: Date;
    finishedAt: Date;
    dryRun: boolean;
    deleted: number;
    kept: number;
    errors: number;
  } | null;
}

/** Read-only figures for operators: the alert rules and the queue-status route. */
export class OpsStatsRepository {
  constructor(private readonly db: Db) {}

  async buildOutcomesSince(since: Date): Promise<BuildOutcomes> {
    const { rows } = await this.db.query<{ ended: number; failed: number }>(
      `SELECT count(*)::int AS ended, (count(*) FILTER (WHERE status = 'failed'))::int AS failed
       FROM builds WHERE finished_at >= $1 AND status IN ('succeeded', 'failed')`,
      [since],
    );
    return { ended: rows[0]?.ended ?? 0, failed: rows[0]?.failed ?? 0 };
  }

  /** Failed or refused webhook attempts since `since`, per URL. */
  async webhookFailuresSince(since: Date): Promise<Array<{ url: string; failures: number }>> {
    const { rows } = await this.db.query<{ url: string; failures: number }>(
      `SELECT url, count(*)::int AS failures FROM webhook_attempts
       WHERE created_at >= $1 AND outcome <> 'delivered' GROUP BY url`,
      [since],
    );
    return rows;
  }

  async deliveryBacklog(): Promise<DeliveryBacklog> {
    const [outbox, deliveries] = await Promise.all([
      this.db.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM project_events WHERE dispatched_at IS NULL',
      ),
      this.db.query<{ status: keyof DeliveryBacklog; n: number }>(
        'SELECT status, count(*)::int AS n FROM webhook_deliveries GROUP BY status',
      ),
    ]);
    const out: DeliveryBacklog = {
      outbox: outbox.rows[0]?.n ?? 0,
      pending: 0,
      delivered: 0,
      failed: 0,
      cancelled: 0,
    };
    for (const r of deliveries.rows) if (r.status in out) out[r.status] = r.n;
    return out;
  }

  async cleanupStatus(): Promise<CleanupStatus> {
    const [expired, last] = await Promise.all([
      this.db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM artifacts
         WHERE deleted_at IS NULL AND expires_at IS NOT NULL AND expires_at <= now()`,
      ),
      this.db.query<{
        started_at: Date;
        finished_at: Date;
        dry_run: boolean;
        deleted: number;
        kept: number;
        errors: number;
      }>(
        `SELECT started_at, finished_at, dry_run, deleted, kept, jsonb_array_length(errors) AS errors
         FROM r2_cleanup_logs ORDER BY started_at DESC LIMIT 1`,
      ),
    ]);
    const r = last.rows[0];
    return {
      expiredArtifacts: expired.rows[0]?.n ?? 0,
      lastRun: r
        ? {
            startedAt: r.started_at,
            finishedAt: r.finished_at,
            dryRun: r.dry_run,
            deleted: r.deleted,
            kept: r.kept,
            errors: r.errors,
          }
        : null,
    };
  }
}
