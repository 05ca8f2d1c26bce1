import { copyFile, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../db/db.js';
import { migrate, MIGRATIONS_DIR } from '../db/migrate.js';
import { openPglite } from '../db/pglite.js';
import {
  emitFromTwoLogs,
  insertBuild,
  oneTo,
  storedSeqs,
  storeTrickyBatch,
} from '../../test/support/event-logs.js';
import { EventsRepository } from './events.repo.js';

describe('build event numbers on PGlite', () => {
  let db: Db;
  beforeAll(async () => {
    db = await openPglite(undefined);
    await migrate(db);
  });
  afterAll(() => db.close());

  it('are unique and contiguous when two event logs write for one build at once', async () => {
    const buildId = await insertBuild(db);
    const [a = [], b = []] = await emitFromTwoLogs([db, db], buildId, 20);
    // Each log keeps its own order; together they share one sequence.
    expect(a).toEqual([...a].sort((x, y) => x - y));
    expect(b).toEqual([...b].sort((x, y) => x - y));
    expect([...a, ...b].sort((x, y) => x - y)).toEqual(oneTo(40));
    expect(await storedSeqs(db, buildId)).toEqual({ seqs: oneTo(40), last: 40 });
  });

  it('keep every text of a batch as sent, and save the stage update with it', async () => {
    const { sent, stored, ids, build } = await storeTrickyBatch(db);
    expect(stored).toEqual(sent);
    expect(ids).toEqual(oneTo(sent.length));
    expect(build).toEqual({ stage: 'NULL', stages: [{ name: 'NULL' }] });
  });

  it('are counted per build', async () => {
    const [first, second] = [await insertBuild(db), await insertBuild(db)];
    const repo = new EventsRepository(db);
    const event = { type: 'log', stage: null, level: 'info', message: 'x', data: null } as const;
    await repo.insertMany(first, [{ ...event, buildId: first }]);
    await repo.insertMany(first, [{ ...event, buildId: first }]);
    const [stored] = await repo.insertMany(second, [{ ...event, buildId: second }]);
    expect(stored?.id).toBe(1);
  });

  it('refuse an event for a build that does not exist', async () => {
    const repo = new EventsRepository(db);
    const buildId = '01ARZ3NDEKTSV4RRFFQ69G5FAV';
    await expect(
      repo.insertMany(buildId, [
        {
          buildId,
          type: 'log',
          stage: null,
          level: 'info',
          message: 'x',
          data: null,
        },
      ]),
    ).rejects.toThrow(/no build/);
  });
});

describe('the migration that moves event numbers into builds', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'sheen-event-seq-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('continues each build from the events it already has', async () => {
    const files = (await readdir(MIGRATIONS_DIR)).filter((f) => f.endsWith('.sql')).sort();
    const copy = (f: string) => copyFile(path.join(MIGRATIONS_DIR, f), path.join(dir, f));
    for (const f of files.filter((f) => f < '0004')) await copy(f);
    const db = await openPglite(undefined);
    try {
      await migrate(db, dir);
      const buildId = await insertBuild(db);
      for (const seq of [1, 2, 3])
        await db.query(`INSERT INTO build_events (build_id, seq, type) VALUES ($1, $2, 'log')`, [
          buildId,
          seq,
        ]);
      await copy('0004_build_event_seq.sql');
      await migrate(db, dir);
      const [next] = await new EventsRepository(db).insertMany(buildId, [
        {
          buildId,
          type: 'log',
          stage: null,
          level: 'info',
          message: 'after the upgrade',
          data: null,
        },
      ]);
      expect(next?.id).toBe(4);
      expect(await storedSeqs(db, buildId)).toEqual({ seqs: oneTo(4), last: 4 });
    } finally {
      await db.close();
    }
  });
});
