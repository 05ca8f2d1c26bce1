import { newId } from '../ids.js';
import type { Db, Queryable } from '../db/db.js';
import type { ProjectEventType } from './project-events.repo.js';

/** A project event not yet turned into deliveries. */
export interface OutboxEvent {
  id: string;
  projectId: string;
  userId: string;
  type: ProjectEventType;
  versionId: string | null;
  data: Record<string, unknown>;
  createdAt: Date;
}

export interface ProjectEndpoint {
  projectId: string;
  url: string;
  secret: string;
}

export interface NewDelivery {
  eventId: string;
  /** Null for alerts, which belong to no project. */
  projectId: string | null;
  eventType: string;
  endpoint: 'global' | 'project' | 'alert';
  url: string;
  payload: unknown;
}

type EventRow = {
  id: string;
  project_id: string;
  user_id: string;
  type: ProjectEventType;
  version_id: string | null;
  data: Record<string, unknown>;
  created_at: Date;
};

/**
 * The outbox side of webhooks: unsent project events, the endpoints they go to, and the
 * hand-over of due deliveries to the queue. Every read that decides who sends what locks its
 * rows with SKIP LOCKED, so several dispatchers (one per worker process) never take the same.
 */
export class WebhookOutboxRepository {
  constructor(private readonly db: Db) {}

  /**
   * Whether an event waits for its deliveries or a delivery is due: one read, no transaction,
   * so an idle dispatcher (every WEBHOOK_POLL_MS, in every worker process) writes nothing.
   */
  async hasWork(): Promise<boolean> {
    const { rows } = await this.db.query<{ work: boolean }>(
      `SELECT EXISTS (SELECT 1 FROM project_events WHERE dispatched_at IS NULL)
         OR EXISTS (SELECT 1 FROM webhook_deliveries
                    WHERE status = 'pending' AND next_attempt_at <= now()) AS work`,
      [],
      { name: 'webhook-outbox-work' },
    );
    return rows[0]?.work === true;
  }

  async takeUnsent(tx: Queryable, limit: number): Promise<OutboxEvent[]> {
    const { rows } = await tx.query<EventRow>(
      `SELECT id, project_id, user_id, type, version_id, data, created_at FROM project_events
       WHERE dispatched_at IS NULL ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED`,
      [limit],
    );
    return rows.map((r) => ({
      id: r.id,
      projectId: r.project_id,
      userId: r.user_id,
      type: r.type,
      versionId: r.version_id,
      data: r.data,
      createdAt: r.created_at,
    }));
  }

  async markSent(tx: Queryable, eventIds: string[]): Promise<void> {
    if (eventIds.length === 0) return;
    await tx.query(`UPDATE project_events SET dispatched_at = now() WHERE id = ANY($1::text[])`, [
      eventIds,
    ]);
  }

  async addDeliveries(tx: Queryable, deliveries: NewDelivery[]): Promise<void> {
    for (const d of deliveries) {
      await tx.query(
        `INSERT INTO webhook_deliveries (id, event_id, project_id, event_type, endpoint, url, payload)
         VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb) ON CONFLICT (event_id, endpoint) DO NOTHING`,
        [
          newId(),
          d.eventId,
          d.projectId,
          d.eventType,
          d.endpoint,
          d.url,
          JSON.stringify(d.payload),
        ],
      );
    }
  }

  /**
   * Deliveries whose time has come, each handed a new dispatch number and a lease: if its job
   * is lost (a crash, Redis gone), the lease lapses and it is handed over again.
   */
  async dispatchDue(
    tx: Queryable,
    limit: number,
    leaseMs: number,
  ): Promise<Array<{ deliveryId: string; dispatch: number }>> {
    const { rows } = await tx.query<{ id: string; dispatches: number }>(
      `UPDATE webhook_deliveries SET dispatches = dispatches + 1, updated_at = now(),
         next_attempt_at = now() + ($2 || ' milliseconds')::interval
       WHERE id IN (SELECT id FROM webhook_deliveries
                    WHERE status = 'pending' AND next_attempt_at <= now()
                    ORDER BY next_attempt_at LIMIT $1 FOR UPDATE SKIP LOCKED)
       RETURNING id, dispatches`,
      [limit, String(leaseMs)],
    );
    return rows.map((r) => ({ deliveryId: r.id, dispatch: r.dispatches }));
  }

  async endpoints(projectIds: string[], q: Queryable = this.db): Promise<ProjectEndpoint[]> {
    if (projectIds.length === 0) return [];
    const { rows } = await q.query<{ project_id: string; url: string; secret: string }>(
      `SELECT project_id, url, secret FROM project_webhooks WHERE project_id = ANY($1::text[])`,
      [projectIds],
    );
    return rows.map((r) => ({ projectId: r.project_id, url: r.url, secret: r.secret }));
  }

  async endpoint(projectId: string, q: Queryable = this.db): Promise<ProjectEndpoint | undefined> {
    return (await this.endpoints([projectId], q))[0];
  }

  async setEndpoint(tx: Queryable, endpoint: ProjectEndpoint): Promise<void> {
    await tx.query(
      `INSERT INTO project_webhooks (project_id, url, secret) VALUES ($1, $2, $3)
       ON CONFLICT (project_id) DO UPDATE SET url = $2, secret = $3, updated_at = now()`,
      [endpoint.projectId, endpoint.url, endpoint.secret],
    );
  }

  async removeEndpoint(tx: Queryable, projectId: string): Promise<boolean> {
    const { rowCount } = await tx.query('DELETE FROM project_webhooks WHERE project_id = $1', [
      projectId,
    ]);
    return rowCount > 0;
  }
}
