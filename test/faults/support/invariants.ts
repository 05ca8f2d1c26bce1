/**
 * What must hold after a fault run, read with plain SQL from the database the servers used:
 * each check returns one line per violation (empty: it held), so a failure names the builds.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Query = (sql: string, params?: unknown[]) => Promise<any[]>;

/** Webhook types a build's project events are sent as (src/webhooks/events.ts). */
const SENT_TYPES = ['version.created', 'build.started', 'build.succeeded', 'build.failed'];

/**
 * Every build ended. A build must succeed: the offline engine makes a valid app, so a failure
 * can only come from the faults. The one failure accepted is a build whose attempts the faults
 * used up (attempts >= maxAttempts), and only with a stated reason (code, message and hint).
 */
export async function unfinishedOrWronglyFailed(
  query: Query,
  buildIds: string[],
  maxAttempts: number,
): Promise<string[]> {
  const rows = await query(
    `SELECT id, status, stage, attempts, error_code, error_message, error_hint
     FROM builds WHERE id = ANY($1::text[])`,
    [buildIds],
  );
  const problems = buildIds
    .filter((id) => !rows.some((r) => r.id === id))
    .map((id) => `${id}: no build row`);
  for (const r of rows) {
    if (r.status === 'succeeded') continue;
    if (r.status === 'queued' || r.status === 'running') {
      problems.push(`${r.id}: still ${r.status} (stage ${r.stage}, ${r.attempts} attempts)`);
      continue;
    }
    const stated = Boolean(r.error_code && r.error_message && r.error_hint);
    if (r.status === 'failed' && stated && r.attempts >= maxAttempts) continue;
    problems.push(
      `${r.id}: ${r.status} after ${r.attempts} attempts: ${r.error_code} ${r.error_message}`,
    );
  }
  return problems;
}

/** One version row per build (each create makes a project with exactly one version). */
export async function versionsNotOnce(query: Query, buildIds: string[]): Promise<string[]> {
  const rows = await query(
    `SELECT b.id, b.status, count(v.id)::int AS versions,
            count(v.id) FILTER (WHERE v.id = b.version_id)::int AS own,
            max(v.status) AS version_status
     FROM builds b LEFT JOIN project_versions v ON v.project_id = b.project_id
     WHERE b.id = ANY($1::text[]) GROUP BY b.id, b.status`,
    [buildIds],
  );
  return rows
    .filter(
      (r) =>
        r.versions !== 1 ||
        r.own !== 1 ||
        (r.status === 'succeeded' && r.version_status !== 'ready'),
    )
    .map((r) => `${r.id}: ${r.versions} version rows (status ${r.version_status})`);
}

/** A succeeded build has exactly one deployment row; a failed one at most one. */
export async function deploymentsNotOnce(query: Query, buildIds: string[]): Promise<string[]> {
  const rows = await query(
    `SELECT b.id, b.status, count(d.id)::int AS deployments
     FROM builds b LEFT JOIN deployments d ON d.build_id = b.id
     WHERE b.id = ANY($1::text[]) GROUP BY b.id, b.status`,
    [buildIds],
  );
  return rows
    .filter((r) => (r.status === 'succeeded' ? r.deployments !== 1 : r.deployments > 1))
    .map((r) => `${r.id} (${r.status}): ${r.deployments} deployment rows`);
}

/**
 * AI time settled exactly once: each build reserved (AI time is metered in this suite), every
 * reservation is settled, its audit rows add up to what it reserved, used and refunded (a
 * second settlement would add rows), and every engine call was charged to one reservation.
 */
export async function quotaNotSettledOnce(query: Query, buildIds: string[]): Promise<string[]> {
  const reservations = await query(
    `SELECT r.id, r.build_id, r.idempotency_key, r.status, r.seconds, r.used_seconds,
            r.refunded_seconds,
            coalesce(sum(a.seconds) FILTER (WHERE a.action = 'reserve'), 0)::int AS reserved,
            coalesce(sum(a.seconds) FILTER (WHERE a.action = 'settle'), 0)::int AS settled,
            coalesce(sum(a.seconds) FILTER (WHERE a.action = 'refund'), 0)::int AS refunded
     FROM quota_reservations r LEFT JOIN quota_audit_log a ON a.reservation_id = r.id
     WHERE r.build_id = ANY($1::text[]) GROUP BY r.id`,
    [buildIds],
  );
  const problems = buildIds
    .filter((id) => !reservations.some((r) => r.build_id === id))
    .map((id) => `${id}: no reservation (metered builds reserve before the engine runs)`);
  for (const r of reservations) {
    const key = `${r.build_id} ${r.idempotency_key}`;
    if (r.status !== 'settled') problems.push(`${key}: reservation still ${r.status}`);
    else if (r.settled !== r.used_seconds || r.refunded !== r.refunded_seconds)
      problems.push(
        `${key}: audit log settles ${r.settled} s and refunds ${r.refunded} s, the reservation used ${r.used_seconds} s and refunded ${r.refunded_seconds} s`,
      );
    if (r.reserved !== r.seconds)
      problems.push(`${key}: audit log reserves ${r.reserved} s of ${r.seconds} s`);
  }
  const unclaimed = await query(
    `SELECT build_id, count(*)::int AS n FROM claude_user_usage
     WHERE build_id = ANY($1::text[]) AND reservation_id IS NULL GROUP BY build_id`,
    [buildIds],
  );
  for (const u of unclaimed) problems.push(`${u.build_id}: ${u.n} engine calls never charged`);
  return problems;
}

/** Plan grants hold no reserved seconds once every build has ended. */
export async function quotaStillReserved(query: Query): Promise<string[]> {
  const rows = await query(
    `SELECT user_id, sum(reserved_seconds)::int AS reserved FROM usage_tracking
     GROUP BY user_id HAVING sum(reserved_seconds) > 0`,
  );
  return rows.map((r) => `${r.user_id}: ${r.reserved} s still reserved`);
}

/**
 * The outbox: each build has one version.created, one build.started and one terminal event;
 * each was turned into exactly one delivery to the global endpoint, delivered, with exactly
 * one attempt recorded as delivered.
 */
export async function outboxNotOnce(query: Query, buildIds: string[]): Promise<string[]> {
  const events = await query(
    `WITH delivered AS (
       SELECT d.id, d.event_id, d.status,
              (SELECT count(*) FROM webhook_attempts a
               WHERE a.delivery_id = d.id AND a.outcome = 'delivered')::int AS attempts
       FROM webhook_deliveries d WHERE d.endpoint = 'global')
     SELECT b.id AS build_id, e.id, e.type, e.dispatched_at,
            count(d.id)::int AS deliveries, max(d.status) AS delivery_status,
            coalesce(sum(d.attempts), 0)::int AS delivered_attempts
     FROM builds b
     JOIN project_events e ON e.project_id = b.project_id AND e.type = ANY($2::text[])
     LEFT JOIN delivered d ON d.event_id = e.id
     WHERE b.id = ANY($1::text[])
     GROUP BY b.id, e.id, e.type, e.dispatched_at`,
    [buildIds, SENT_TYPES],
  );
  const builds = await query(`SELECT id, status FROM builds WHERE id = ANY($1::text[])`, [
    buildIds,
  ]);
  const problems: string[] = [];
  for (const id of buildIds) {
    const own = events.filter((e) => e.build_id === id);
    const status = builds.find((b) => b.id === id)?.status as string | undefined;
    // An unfinished build is reported by the first check; here only what it has written.
    const expected = ['version.created'];
    if (status && status !== 'queued') expected.push('build.started');
    if (status && !['queued', 'running'].includes(status)) expected.push(`build.${status}`);
    for (const type of expected) {
      const n = own.filter((e) => e.type === type).length;
      if (n !== 1) problems.push(`${id}: ${n} ${type} events`);
    }
    for (const e of own) {
      if (!e.dispatched_at) problems.push(`${id}: ${e.type} event ${e.id} never dispatched`);
      else if (e.deliveries !== 1) problems.push(`${id}: ${e.type} has ${e.deliveries} deliveries`);
      else if (e.delivery_status !== 'delivered' || e.delivered_attempts !== 1)
        problems.push(
          `${id}: ${e.type} delivery ${e.delivery_status} with ${e.delivered_attempts} delivered attempts`,
        );
    }
  }
  return problems;
}

/** The message ids (`webhook-id`) the outbox delivered for these builds. */
export async function deliveredMessageIds(query: Query, buildIds: string[]): Promise<string[]> {
  const rows = await query(
    `SELECT DISTINCT 'msg_' || d.event_id AS id FROM webhook_deliveries d
     JOIN builds b ON b.project_id = d.project_id
     WHERE b.id = ANY($1::text[]) AND d.status = 'delivered'`,
    [buildIds],
  );
  return rows.map((r) => r.id as string).sort();
}

/**
 * Build jobs plus the webhook delivery jobs they caused (each hand-over of a delivery to the
 * queue is a job: `dispatches`): what the SIGKILL target counts.
 */
export async function jobsRun(query: Query, buildIds: string[]): Promise<number> {
  const [row] = await query(
    `SELECT (SELECT count(*) FROM builds WHERE id = ANY($1::text[]))::int
          + (SELECT coalesce(sum(d.dispatches), 0) FROM webhook_deliveries d
             JOIN builds b ON b.project_id = d.project_id
             WHERE b.id = ANY($1::text[]))::int AS jobs`,
    [buildIds],
  );
  return (row?.jobs as number | undefined) ?? 0;
}
