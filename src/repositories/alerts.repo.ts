import { newId } from '../ids.js';
import type { Db, Queryable } from '../db/db.js';

export const ALERT_STATES = ['open', 'resolved'] as const;
export type AlertState = (typeof ALERT_STATES)[number];
export type AlertSeverity = 'info' | 'warning' | 'critical';

/** What a rule says while it fires: about which subject, how bad, and the measured value. */
export interface Firing {
  rule: string;
  subject: string;
  severity: 'warning' | 'critical';
  message: string;
  value: number;
  threshold: number;
  details?: Record<string, unknown>;
}

export interface Alert {
  id: string;
  /** The rule that opened it, or the kind of a one-off notice (`webhook.exhausted`). */
  rule: string;
  /** Null for one-off notices, which no rule resolves. */
  subject: string | null;
  state: AlertState;
  severity: AlertSeverity;
  message: string;
  value: number | null;
  threshold: number | null;
  details: Record<string, unknown>;
  openedAt: Date;
  lastSeenAt: Date;
  resolvedAt: Date | null;
}

type Row = {
  id: string;
  kind: string;
  subject: string | null;
  state: AlertState;
  severity: AlertSeverity;
  message: string;
  value: number | null;
  threshold: number | null;
  metadata: Record<string, unknown>;
  created_at: Date;
  last_seen_at: Date;
  resolved_at: Date | null;
};

const COLUMNS = `id, kind, subject, state, severity, message, value, threshold, metadata, created_at,
  last_seen_at, resolved_at`;

function toAlert(r: Row): Alert {
  return {
    id: r.id,
    rule: r.kind,
    subject: r.subject,
    state: r.state,
    severity: r.severity,
    message: r.message,
    value: r.value === null ? null : Number(r.value),
    threshold: r.threshold === null ? null : Number(r.threshold),
    details: r.metadata,
    openedAt: r.created_at,
    lastSeenAt: r.last_seen_at,
    resolvedAt: r.resolved_at,
  };
}

/**
 * admin_alerts: rule alerts that open and resolve, and one-off notices. Opening is an insert
 * that the partial unique index (one open row per rule and subject) turns into nothing when
 * the alert is open already; every transition returns the row only to the caller that made it.
 */
export class AlertsRepository {
  constructor(private readonly db: Db) {}

  /** Opens the alert; undefined when it was open already (then only its reading is updated). */
  async open(tx: Queryable, f: Firing): Promise<Alert | undefined> {
    const { rows } = await tx.query<Row>(
      `INSERT INTO admin_alerts (id, kind, subject, severity, message, value, threshold, metadata)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb)
       ON CONFLICT (kind, subject) WHERE state = 'open' AND subject IS NOT NULL DO NOTHING
       RETURNING ${COLUMNS}`,
      [
        newId(),
        f.rule,
        f.subject,
        f.severity,
        f.message,
        f.value,
        f.threshold,
        JSON.stringify(f.details ?? {}),
      ],
    );
    if (rows[0]) return toAlert(rows[0]);
    await tx.query(
      `UPDATE admin_alerts SET last_seen_at = now(), message = $3, value = $4, severity = $5
       WHERE kind = $1 AND subject = $2 AND state = 'open'`,
      [f.rule, f.subject, f.message, f.value, f.severity],
    );
    return undefined;
  }

  /** Resolves the open alert; undefined when none was open (someone else resolved it). */
  async resolve(tx: Queryable, rule: string, subject: string): Promise<Alert | undefined> {
    const { rows } = await tx.query<Row>(
      `UPDATE admin_alerts SET state = 'resolved', resolved_at = now()
       WHERE kind = $1 AND subject = $2 AND state = 'open'
       RETURNING ${COLUMNS}`,
      [rule, subject],
    );
    return rows[0] ? toAlert(rows[0]) : undefined;
  }

  /** The open alerts of these rules (rule alerts only, never one-off notices). */
  async openOf(rules: readonly string[]): Promise<Alert[]> {
    const { rows } = await this.db.query<Row>(
      `SELECT ${COLUMNS} FROM admin_alerts
       WHERE state = 'open' AND subject IS NOT NULL AND kind = ANY($1::text[])`,
      [rules],
    );
    return rows.map(toAlert);
  }

  /** Newest first; all states when `state` is absent. */
  async list(query: { state?: AlertState; limit: number }): Promise<Alert[]> {
    const { rows } = await this.db.query<Row>(
      `SELECT ${COLUMNS} FROM admin_alerts
       WHERE ($1::text IS NULL OR state = $1) ORDER BY created_at DESC, id DESC LIMIT $2`,
      [query.state ?? null, query.limit],
    );
    return rows.map(toAlert);
  }
}
