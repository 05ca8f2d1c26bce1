import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../db/db.js';
import { migrate } from '../db/migrate.js';
import { openPglite } from '../db/pglite.js';
import { MemoryEventBus } from '../events/memory-bus.js';
import { createRedactor } from '../observability/redact.js';
import { EventsRepository } from '../repositories/events.repo.js';
import { insertBuild, oneTo, storedSeqs } from '../../test/support/event-logs.js';
import { BuildEventLog } from './event-log.js';

describe('BuildEventLog', () => {
  let db: Db;
  const statements: string[] = [];
  beforeAll(async () => {
    const real = await openPglite(undefined);
    await migrate(real);
    // Counts the statements that store events; the database underneath is real.
    db = {
      ...real,
      query: (sql, params, options) => {
        if (sql.includes('INSERT INTO build_events')) statements.push(options?.name ?? sql);
        return real.query(sql, params, options);
      },
    };
  });
  afterAll(() => db.close());

  const logFor = (buildId: string, bus = new MemoryEventBus()) =>
    new BuildEventLog(buildId, new EventsRepository(db), bus, createRedactor(['hunter2-secret']));

  it('stores a burst of events in one statement, in order, and publishes each', async () => {
    const buildId = await insertBuild(db);
    const bus = new MemoryEventBus();
    const heard: number[] = [];
    await bus.subscribe(buildId, (event) => heard.push(event.id));
    const log = logFor(buildId, bus);
    statements.length = 0;
    const events = await Promise.all(
      Array.from({ length: 15 }, (_, i) =>
        log.emit({ type: 'engine.tool', stage: 'generate', message: `write_file ${i}` }),
      ),
    );
    expect(statements).toEqual(['build-events-insert']);
    expect(events.map((e) => [e.id, e.message])).toEqual(
      oneTo(15).map((n) => [n, `write_file ${n - 1}`]),
    );
    expect(heard).toEqual(oneTo(15));
    expect(await storedSeqs(db, buildId)).toEqual({ seqs: oneTo(15), last: 15 });
  });

  it('keeps the order of events emitted while a write is under way, and flush waits for them', async () => {
    const buildId = await insertBuild(db);
    const log = logFor(buildId);
    statements.length = 0;
    const first = log.emit({ type: 'stage.started', message: 'first' });
    await Promise.resolve();
    await Promise.resolve();
    for (let i = 0; i < 5; i++) log.post({ type: 'log', message: `line ${i}` });
    await log.flush();
    expect((await first).id).toBe(1);
    const rows = await db.query<{ seq: number; message: string }>(
      'SELECT seq, message FROM build_events WHERE build_id = $1 ORDER BY seq',
      [buildId],
    );
    expect(rows.rows.map((r) => r.message)).toEqual([
      'first',
      ...oneTo(5).map((n) => `line ${n - 1}`),
    ]);
    expect(statements.length).toBeLessThanOrEqual(2);
  });

  it('stores what one turn of the event loop emits in one statement, awaits emitSoon through takeUnawaited', async () => {
    const buildId = await insertBuild(db);
    const log = logFor(buildId);
    statements.length = 0;
    // A stage's last event, then (a few awaits later, in the same turn) its end.
    log.emitSoon({ type: 'generate.done', stage: 'generate', message: 'done' });
    for (let i = 0; i < 5; i++) await Promise.resolve();
    const finished = log.emit({ type: 'stage.finished', stage: 'generate', message: 'end' });
    await Promise.all([log.takeUnawaited(), finished]);
    expect(statements).toEqual(['build-events-insert']);
    expect((await storedSeqs(db, buildId)).seqs).toEqual([1, 2]);
    // A write that fails is heard by whoever takes the unawaited writes, once.
    log.emitSoon({ type: 'log', message: 'bad', data: { text: '\ud800' } });
    await expect(log.takeUnawaited()).rejects.toThrow();
    await expect(log.takeUnawaited()).resolves.toEqual([]);
  });

  it('fails only the event the database refuses, and stores the rest of its batch', async () => {
    const buildId = await insertBuild(db);
    const log = logFor(buildId);
    // A lone surrogate is valid in a JS string and refused by jsonb.
    const results = await Promise.allSettled([
      log.emit({ type: 'log', message: 'before' }),
      log.emit({ type: 'log', message: 'bad', data: { text: '\ud800' } }),
      log.emit({ type: 'log', message: 'after hunter2-secret' }),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    const rows = await db.query<{ seq: number; message: string }>(
      'SELECT seq, message FROM build_events WHERE build_id = $1 ORDER BY seq',
      [buildId],
    );
    expect(rows.rows.map((r) => [r.seq, r.message])).toEqual([
      [1, 'before'],
      [2, expect.not.stringContaining('hunter2-secret')],
    ]);
    expect(rows.rows[1]?.message).toMatch(/^after /);
  });
});
