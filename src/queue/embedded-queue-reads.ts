import type { Db } from '../db/db.js';
import { QUEUES, type QueueName } from './catalog.js';
import type { JobPresence, QueueCounts } from './job-queue.js';

/**
 * What the embedded queue reports about its job rows (counts, the dashboard's list, the
 * oldest wait, whether jobs exist): reads only, apart from the queue's claiming and leasing.
 */

/** One job row as the dashboard shows it. */
export interface RecentJob {
  id: string;
  queue: QueueName;
  name: string;
  status: string;
  attempts: number;
  maxAttempts: number;
  runAt: Date;
  updatedAt: Date;
  lastError: string | null;
}

export async function countJobs(db: Db): Promise<Record<QueueName, QueueCounts>> {
  const { rows } = await db.query<{
    queue: QueueName;
    status: string;
    delayed: boolean;
    n: number;
  }>(
    `SELECT queue, status, (status = 'waiting' AND run_at > now()) AS delayed, count(*)::int AS n
     FROM jobs GROUP BY 1, 2, 3`,
  );
  const out = Object.fromEntries(
    QUEUES.map((q) => [q, { waiting: 0, active: 0, completed: 0, failed: 0, delayed: 0 }]),
  ) as Record<QueueName, QueueCounts>;
  for (const r of rows) {
    const c = out[r.queue];
    if (!c) continue;
    if (r.delayed) c.delayed += r.n;
    else if (r.status === 'waiting' || r.status === 'waiting-children') c.waiting += r.n;
    else if (r.status === 'active') c.active += r.n;
    else if (r.status === 'completed') c.completed += r.n;
    else if (r.status === 'failed') c.failed += r.n;
  }
  return out;
}

/** The jobs touched last, newest first. */
export async function recentJobs(db: Db, limit: number): Promise<RecentJob[]> {
  const { rows } = await db.query<RecentJob>(
    `SELECT id, queue, name, status, attempts, max_attempts AS "maxAttempts",
       run_at AS "runAt", updated_at AS "updatedAt", left(last_error, 500) AS "lastError"
     FROM jobs ORDER BY updated_at DESC, id LIMIT $1`,
    [limit],
  );
  return rows;
}

/** Per queue, how long the oldest job ready to run has waited (0: none waits). */
export async function oldestWaitingMs(db: Db): Promise<Record<QueueName, number>> {
  const { rows } = await db.query<{ queue: QueueName; ms: number }>(
    `SELECT queue, (extract(epoch FROM now() - min(run_at)) * 1000)::float8 AS ms
     FROM jobs WHERE status = 'waiting' AND run_at <= now() GROUP BY queue`,
  );
  const out = Object.fromEntries(QUEUES.map((q) => [q, 0])) as Record<QueueName, number>;
  for (const r of rows) if (r.queue in out) out[r.queue] = Math.max(0, Number(r.ms));
  return out;
}

/** Where each job stands, by id, in the order asked. */
export async function jobPresence(db: Db, ids: string[]): Promise<JobPresence[]> {
  const { rows } = await db.query<{ id: string; status: string }>(
    'SELECT id, status FROM jobs WHERE id = ANY($1::text[])',
    [ids],
  );
  const status = new Map(rows.map((r) => [r.id, r.status]));
  return ids.map((id) => {
    const s = status.get(id);
    if (s === undefined) return 'missing';
    return s === 'completed' || s === 'failed' ? 'finished' : 'live';
  });
}
