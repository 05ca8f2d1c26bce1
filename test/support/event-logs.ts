import { ulid } from 'ulid';
import type { Db } from '../../src/db/db.js';
import { MemoryEventBus } from '../../src/events/memory-bus.js';
import { createRedactor } from '../../src/observability/redact.js';
import { BuildEventLog } from '../../src/pipeline/event-log.js';
import { EventsRepository } from '../../src/repositories/events.repo.js';

/** A project and a queued build, the least the schema asks for; returns the build id. */
export async function insertBuild(db: Db): Promise<string> {
  const projectId = ulid();
  const buildId = ulid();
  await db.query(`INSERT INTO projects (id, user_id, name) VALUES ($1, 'u1', 'Events')`, [
    projectId,
  ]);
  await db.query(
    `INSERT INTO builds (id, project_id, user_id, kind) VALUES ($1, $2, 'u1', 'create')`,
    [buildId, projectId],
  );
  return buildId;
}

/**
 * Two event logs for one build, each on its own database handle (two processes, on
 * PostgreSQL), emitting `perLog` events at the same time. Returns the ids each log got.
 */
export async function emitFromTwoLogs(
  dbs: [Db, Db],
  buildId: string,
  perLog: number,
): Promise<number[][]> {
  const redact = createRedactor([]);
  const logs = dbs.map(
    (db) => new BuildEventLog(buildId, new EventsRepository(db), new MemoryEventBus(), redact),
  );
  return Promise.all(
    logs.map((log, n) =>
      Promise.all(
        Array.from({ length: perLog }, (_, i) =>
          log.emit({ type: 'log', message: `log ${n} line ${i}` }).then((e) => e.id),
        ),
      ),
    ),
  );
}

export async function storedSeqs(db: Db, buildId: string) {
  const events = await db.query<{ seq: number }>(
    'SELECT seq FROM build_events WHERE build_id = $1 ORDER BY seq',
    [buildId],
  );
  const build = await db.query<{ last_event_seq: number }>(
    'SELECT last_event_seq FROM builds WHERE id = $1',
    [buildId],
  );
  return { seqs: events.rows.map((r) => r.seq), last: build.rows[0]?.last_event_seq };
}

export const oneTo = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

/** Texts an array parameter could mangle: quoting, escapes, braces, the word NULL, emoji. */
const TRICKY = [
  'NULL',
  'null',
  'a"b',
  'c\\d',
  '{x,y}',
  '',
  ' lead',
  'ü✓ 😀',
  'line\nbreak',
  "it's",
];

/**
 * Stores one batch of events with tricky texts and a stage update, and returns what was
 * stored next to what went in, for the caller to compare.
 */
export async function storeTrickyBatch(db: Db) {
  const buildId = await insertBuild(db);
  const sent = TRICKY.map((text, i) => ({
    buildId,
    type: `t${i}`,
    stage: i % 2 ? null : text,
    level: 'info' as const,
    message: text,
    data: i % 3 ? null : { text, list: [text] },
  }));
  const stored = await new EventsRepository(db).insertMany(buildId, sent, {
    stage: 'NULL',
    records: '[{"name":"NULL"}]',
  });
  const build = await db.query<{ stage: string; stages: unknown }>(
    'SELECT stage, stages FROM builds WHERE id = $1',
    [buildId],
  );
  return {
    sent: sent.map(({ stage, message, data }) => ({ stage, message, data })),
    stored: stored.map(({ stage, message, data }) => ({ stage, message, data })),
    ids: stored.map((e) => e.id),
    build: build.rows[0],
  };
}
