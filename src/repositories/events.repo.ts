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

export class EventsRepository {
  constructor(private readonly db: Db) {}

  async insert(event: Omit<BuildEvent, 'at'>): Promise<BuildEvent> {
    const { rows } = await this.db.query<Row>(
      `INSERT INTO build_events (build_id, seq, type, stage, level, message, data)
       VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb)
       RETURNING seq, build_id, type, stage, level, message, data, created_at`,
      [
        event.buildId,
        event.id,
        event.type,
        event.stage,
        event.level,
        event.message,
        event.data === null ? null : JSON.stringify(event.data),
      ],
    );
    return toEvent(rows[0] as Row);
  }

  async listAfter(buildId: string, afterSeq: number, limit = 1000): Promise<BuildEvent[]> {
    const { rows } = await this.db.query<Row>(
      `SELECT seq, build_id, type, stage, level, message, data, created_at FROM build_events
       WHERE build_id = $1 AND seq > $2 ORDER BY seq LIMIT $3`,
      [buildId, afterSeq, limit],
    );
    return rows.map(toEvent);
  }

  async maxSeq(buildId: string): Promise<number> {
    const { rows } = await this.db.query<{ max: number | null }>(
      'SELECT max(seq) AS max FROM build_events WHERE build_id = $1',
      [buildId],
    );
    return rows[0]?.max ?? 0;
  }
}
