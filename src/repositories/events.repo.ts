import type { Db } from '../db/db.js';
import type { BuildEvent } from '../events/event-bus.js';

type Row = {
  seq: number;
  build_id: string;
  type: string;
  stage: string | null;
  level: BuildEvent['level'];
  message: string;
  data: Record<string, unknown> | null;
  created_at: Date;
};

const toEvent = (r: Row): BuildEvent => ({
  id: r.seq,
  buildId: r.build_id,
  type: r.type,
  stage: r.stage,
  level: r.level,
  message: r.message,
  data: r.data,
  at: r.created_at.toISOString(),
});

/** An event as a writer hands it in: the database gives it its number and time. */
export type NewEvent = Omit<BuildEvent, 'id' | 'at'>;

/** A build's current stage and its stage records (JSON), saved along with events. */
export interface StagesUpdate {
  stage: string | null;
  records: string;
}

export class EventsRepository {
  constructor(private readonly db: Db) {}

  /**
   * Stores a build's events in the order given, each under the next number of its build. The
   * numbers come from the build's row in the same statement: the row lock orders concurrent
   * writers (in any process), and a failed insert rolls the counter back with it, so numbers
   * are unique and contiguous. One statement and one update of the counter for the lot. With
   * `stages`, the same update saves the build's stage records (as BuildsRepository.saveStages
   * does), so a stage's record and its event are written together. Returns them in order.
   */
  async insertMany(
    buildId: string,
    events: readonly NewEvent[],
    stages?: StagesUpdate,
  ): Promise<BuildEvent[]> {
    if (events.length === 0) return [];
    const { rows } = await this.db.query<Row>(
      `WITH next AS (
         UPDATE builds SET last_event_seq = last_event_seq + $2::int,
           stage = CASE WHEN $8::jsonb IS NULL THEN stage ELSE $9::text END,
           stages = coalesce($8::jsonb, stages)
         WHERE id = $1
         RETURNING last_event_seq - $2::int AS base
       )
       INSERT INTO build_events (build_id, seq, type, stage, level, message, data)
       SELECT $1, next.base + e.n, e.type, e.stage, e.level, e.message, e.data::jsonb
       FROM next, unnest($3::text[], $4::text[], $5::text[], $6::text[], $7::text[])
         WITH ORDINALITY AS e(type, stage, level, message, data, n)
       RETURNING seq, build_id, type, stage, level, message, data, created_at`,
      [
        buildId,
        events.length,
        events.map((e) => e.type),
        events.map((e) => e.stage),
        events.map((e) => e.level),
        events.map((e) => e.message),
        events.map((e) => (e.data === null ? null : JSON.stringify(e.data))),
        stages?.records ?? null,
        stages?.stage ?? null,
      ],
      // A build writes dozens of events: planned once.
      { name: 'build-events-insert' },
    );
    if (rows.length !== events.length) throw new Error(`no build ${buildId} to record events for`);
    return rows.map(toEvent).sort((a, b) => a.id - b.id);
  }

  /**
   * The events of a build's latest attempt that may hold warnings: warn-level events of the
   * stages that run tools (and of repairs, which have no stage), and those stages' output lines
   * that mention a warning. The caller picks the warning lines out of the output.
   */
  async warningCandidates(buildId: string, limit = 500) {
    const { rows } = await this.db.query<{
      stage: string | null;
      level: string;
      type: string;
      message: string;
    }>(
      `SELECT stage, level, type, message FROM build_events
       WHERE build_id = $1
         AND seq >= coalesce((SELECT max(seq) FROM build_events
                              WHERE build_id = $1 AND type = 'build.started'), 0)
         AND (stage IN ('install', 'validate', 'build') OR type LIKE 'fix.%')
         AND (level = 'warn' OR (type = 'log' AND message ~* '(warn|\\(!\\))'))
       ORDER BY seq LIMIT $2`,
      [buildId, limit],
    );
    return rows;
  }

  /** The data of the last event of a type in the build's latest attempt (null: none). */
  async latestData(buildId: string, type: string): Promise<Record<string, unknown> | null> {
    const { rows } = await this.db.query<{ data: Record<string, unknown> | null }>(
      `SELECT data FROM build_events
       WHERE build_id = $1 AND type = $2
         AND seq >= coalesce((SELECT max(seq) FROM build_events
                              WHERE build_id = $1 AND type = 'build.started'), 0)
       ORDER BY seq DESC LIMIT 1`,
      [buildId, type],
    );
    return rows[0]?.data ?? null;
  }

  async listAfter(buildId: string, afterSeq: number, limit = 1000): Promise<BuildEvent[]> {
    const { rows } = await this.db.query<Row>(
      `SELECT seq, build_id, type, stage, level, message, data, created_at FROM build_events
       WHERE build_id = $1 AND seq > $2 ORDER BY seq LIMIT $3`,
      [buildId, afterSeq, limit],
      // Every open event stream runs it once per event: planned once.
      { name: 'build-events-after' },
    );
    return rows.map(toEvent);
  }
}
