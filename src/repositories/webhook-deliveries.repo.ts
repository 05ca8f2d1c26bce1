import { newId } from '../ids.js';
import type { Db, Queryable } from '../db/db.js';

export const DELIVERY_STATUSES = ['pending', 'delivered', 'failed', 'cancelled'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];
export type AttemptOutcome = 'delivered' | 'failed' | 'refused';

export interface Delivery {
  id: string;
  eventId: string;
  projectId: string | null;
  eventType: string;
  endpoint: 'global' | 'project' | 'alert';
  url: string;
  payload: unknown;
  status: DeliveryStatus;
  attempts: number;
  scheduleStart: number;
  nextAttemptAt: Date;
  lastStatus: number | null;
  lastError: string | null;
  deliveredAt: Date | null;
  createdAt: Date;
}

export interface Attempt {
  attempt: number;
  url: string;
  address: string | null;
  statusCode: number | null;
  latencyMs: number;
  responseExcerpt: string | null;
  error: string | null;
  outcome: AttemptOutcome;
  createdAt: Date;
}

const COLUMNS = `id, event_id, project_id, event_type, endpoint, url, payload, status, attempts,
  schedule_start, next_attempt_at, last_status, last_error, delivered_at, created_at`;

type Row = Record<string, unknown>;

function toDelivery(r: Row): Delivery {
  return {
    id: r.id as string,
    eventId: r.event_id as string,
    projectId: (r.project_id as string | null) ?? null,
    eventType: r.event_type as string,
    endpoint: r.endpoint as Delivery['endpoint'],
    url: r.url as string,
    payload: r.payload,
    status: r.status as DeliveryStatus,
    attempts: r.attempts as number,
    scheduleStart: r.schedule_start as number,
    nextAttemptAt: r.next_attempt_at as Date,
    lastStatus: (r.last_status as number | null) ?? null,
    lastError: (r.last_error as string | null) ?? null,
    deliveredAt: (r.delivered_at as Date | null) ?? null,
    createdAt: r.created_at as Date,
  };
}

function toAttempt(r: Row): Attempt {
  return {
    attempt: r.attempt as number,
    url: r.url as string,
    address: (r.address as string | null) ?? null,
    statusCode: (r.status_code as number | null) ?? null,
    latencyMs: r.latency_ms as number,
    responseExcerpt: (r.response_excerpt as string | null) ?? null,
    error: (r.error as string | null) ?? null,
    outcome: r.outcome as AttemptOutcome,
    createdAt: r.created_at as Date,
  };
}

/** Deliveries, their attempts, and what an exhausted one leaves for the operator. */
export class WebhookDeliveriesRepository {
  constructor(private readonly db: Db) {}

  /**
   * Takes a delivery for one attempt: only while it is pending and `dispatch` is its latest
   * hand-over, so a stale job (its delivery was handed over again) sends nothing. Extends the
   * lease to cover the attempt.
   */
  async begin(
    deliveryId: string,
    dispatch: number,
    leaseMs: number,
  ): Promise<Delivery | undefined> {
    const { rows } = await this.db.query<Row>(
      `UPDATE webhook_deliveries SET next_attempt_at = now() + ($3 || ' milliseconds')::interval,
         updated_at = now()
       WHERE id = $1 AND dispatches = $2 AND status = 'pending'
       RETURNING ${COLUMNS}`,
      [deliveryId, dispatch, String(leaseMs)],
    );
    return rows[0] ? toDelivery(rows[0]) : undefined;
  }

  async recordAttempt(tx: Queryable, deliveryId: string, a: Omit<Attempt, 'createdAt'>) {
    await tx.query(
      `INSERT INTO webhook_attempts (id, delivery_id, attempt, url, address, status_code, latency_ms,
         response_excerpt, error, outcome)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [
        newId(),
        deliveryId,
        a.attempt,
        a.url,
        a.address,
        a.statusCode,
        a.latencyMs,
        a.responseExcerpt,
        a.error,
        a.outcome,
      ],
    );
  }

  /** Ends or reschedules a delivery after attempt number `attempt`. */
  async settle(
    tx: Queryable,
    deliveryId: string,
    change: {
      attempt: number;
      status: 'pending' | 'delivered' | 'failed' | 'cancelled';
      lastStatus: number | null;
      lastError: string | null;
      retryInMs?: number;
    },
  ): Promise<void> {
    await tx.query(
      `UPDATE webhook_deliveries SET status = $2, attempts = $3, last_status = $4, last_error = $5,
         next_attempt_at = now() + ($6 || ' milliseconds')::interval, updated_at = now(),
         delivered_at = CASE WHEN $2 = 'delivered' THEN now() ELSE delivered_at END
       WHERE id = $1`,
      [
        deliveryId,
        change.status,
        change.attempt,
        change.lastStatus,
        change.lastError,
        String(change.retryInMs ?? 0),
      ],
    );
    if (change.status === 'delivered') {
      // A delivery an operator sent again after it was given up on is no longer a failure.
      await tx.query(
        `UPDATE webhook_failures SET status = 'delivered', updated_at = now() WHERE delivery_id = $1`,
        [deliveryId],
      );
    }
  }

  /** What an exhausted delivery leaves behind: a webhook_failures row and an admin alert. */
  async recordExhausted(tx: Queryable, d: Delivery, attempts: number): Promise<void> {
    await tx.query(
      `INSERT INTO webhook_failures (id, event_type, url, payload, attempts, last_status, last_error,
         status, delivery_id)
       VALUES ($1, $2, $3, $4::jsonb, $5, $6, $7, 'abandoned', $8)`,
      [
        newId(),
        d.eventType,
        d.url,
        JSON.stringify(d.payload),
        attempts,
        d.lastStatus,
        d.lastError,
        d.id,
      ],
    );
    await tx.query(
      `INSERT INTO admin_alerts (id, severity, kind, message, metadata)
       VALUES ($1, 'warning', 'webhook.exhausted', $2, $3::jsonb)`,
      [
        newId(),
        `Webhook ${d.eventType} to ${d.url} failed ${attempts} times and was given up`,
        JSON.stringify({ deliveryId: d.id, eventId: d.eventId, url: d.url, attempts }),
      ],
    );
  }

  async get(id: string, q: Queryable = this.db): Promise<Delivery | undefined> {
    const { rows } = await q.query<Row>(`SELECT ${COLUMNS} FROM webhook_deliveries WHERE id = $1`, [
      id,
    ]);
    return rows[0] ? toDelivery(rows[0]) : undefined;
  }

  /** Newest first, each with its attempts in order. */
  async list(options: {
    status?: DeliveryStatus | undefined;
    limit: number;
  }): Promise<Array<Delivery & { attemptLog: Attempt[] }>> {
    const { rows } = await this.db.query<Row>(
      `SELECT ${COLUMNS} FROM webhook_deliveries WHERE ($1::text IS NULL OR status = $1)
       ORDER BY created_at DESC, id DESC LIMIT $2`,
      [options.status ?? null, options.limit],
    );
    const deliveries = rows.map(toDelivery);
    const attempts = await this.attemptsOf(deliveries.map((d) => d.id));
    return deliveries.map((d) => ({ ...d, attemptLog: attempts.get(d.id) ?? [] }));
  }

  async attemptsOf(deliveryIds: string[]): Promise<Map<string, Attempt[]>> {
    const out = new Map<string, Attempt[]>();
    if (deliveryIds.length === 0) return out;
    const { rows } = await this.db.query<Row>(
      `SELECT delivery_id, attempt, url, address, status_code, latency_ms, response_excerpt, error,
         outcome, created_at
       FROM webhook_attempts WHERE delivery_id = ANY($1::text[]) ORDER BY delivery_id, attempt`,
      [deliveryIds],
    );
    for (const r of rows) {
      const list = out.get(r.delivery_id as string) ?? [];
      list.push(toAttempt(r));
      out.set(r.delivery_id as string, list);
    }
    return out;
  }

  /**
   * Makes a delivery due now with a fresh retry schedule (its attempt numbers go on). A
   * pending one is only brought forward.
   */
  async redeliver(id: string): Promise<Delivery | undefined> {
    const { rows } = await this.db.query<Row>(
      `UPDATE webhook_deliveries SET status = 'pending', schedule_start = attempts,
         next_attempt_at = now(), updated_at = now()
       WHERE id = $1 RETURNING ${COLUMNS}`,
      [id],
    );
    return rows[0] ? toDelivery(rows[0]) : undefined;
  }

  /**
   * Deliveries handed to the queue whose attempt never happened: pending, still leased, no
   * attempt recorded since the hand-over (an attempt and its settle share a transaction, so
   * their times are equal), and untouched for `quietMs`. Their job was lost, or is late.
   */
  async awaitingJobs(
    quietMs: number,
    limit = 500,
  ): Promise<Array<{ deliveryId: string; dispatch: number }>> {
    const { rows } = await this.db.query<{ id: string; dispatches: number }>(
      `SELECT d.id, d.dispatches FROM webhook_deliveries d
       WHERE ${LOST_JOB} ORDER BY d.updated_at LIMIT $2`,
      [String(quietMs), limit],
    );
    return rows.map((r) => ({ deliveryId: r.id, dispatch: r.dispatches }));
  }

  /**
   * Ends the lease of a delivery whose job was lost, if it is still in that state (so of two
   * processes that find it, one does this): the dispatcher hands it over again at once, with
   * a new dispatch number, so a late job of the lost dispatch never sends.
   */
  async releaseLostLease(deliveryId: string, dispatch: number, quietMs: number): Promise<boolean> {
    const { rowCount } = await this.db.query(
      `UPDATE webhook_deliveries d SET next_attempt_at = now(), updated_at = now()
       WHERE d.id = $2 AND d.dispatches = $3 AND ${LOST_JOB}`,
      [String(quietMs), deliveryId, dispatch],
    );
    return (rowCount ?? 0) > 0;
  }
}

/** A delivery whose job is owed: leased, no attempt since, quiet for $1 ms. */
const LOST_JOB = `d.status = 'pending' AND d.dispatches > 0 AND d.next_attempt_at > now()
  AND d.updated_at < now() - ($1 || ' milliseconds')::interval
  AND NOT EXISTS (SELECT 1 FROM webhook_attempts a
                  WHERE a.delivery_id = d.id AND a.created_at >= d.updated_at)`;
