import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from './db.js';
import { openPglite } from './pglite.js';

describe('named statements on PGlite', () => {
  let db: Db;
  beforeAll(async () => {
    db = await openPglite(undefined);
    await db.exec(`CREATE TABLE items (id text PRIMARY KEY, n int, doc jsonb, at timestamptz)`);
    await db.query(`INSERT INTO items VALUES ('a', 1, '{"k": [1, 2]}', '2026-01-02T03:04:05Z')`);
  });
  afterAll(() => db.close());

  const byId = (id: string | null) =>
    db.query<{ id: string; n: number; doc: unknown; at: Date }>(
      'SELECT id, n, doc, at FROM items WHERE id = $1',
      [id],
      { name: 'item-by-id' },
    );

  it('answers with the same values and types as an unnamed query, every time', async () => {
    // Without parameters a statement runs unnamed: PGlite's own query.
    const unnamed = await db.query(`SELECT id, n, doc, at FROM items WHERE id = 'a'`);
    for (let i = 0; i < 3; i++) expect(await byId('a')).toEqual(unnamed);
    expect((await byId('a')).rows[0]).toEqual({
      id: 'a',
      n: 1,
      doc: { k: [1, 2] },
      at: new Date('2026-01-02T03:04:05Z'),
    });
    expect(await byId('missing')).toEqual({ rows: [], rowCount: 0 });
    expect(await byId(null)).toEqual({ rows: [], rowCount: 0 });
  });

  it('serializes parameters by their declared types, and reports rows changed', async () => {
    const update = (n: number, doc: object, id: string) =>
      db.query('UPDATE items SET n = $1, doc = $2 WHERE id = $3', [n, doc, id], {
        name: 'item-update',
      });
    expect((await update(7, { k: 'v' }, 'a')).rowCount).toBe(1);
    expect((await byId('a')).rows[0]).toMatchObject({ n: 7, doc: { k: 'v' } });
    expect((await update(8, {}, 'nobody')).rowCount).toBe(0);
  });

  it('takes array parameters whose items need quoting, as the nonce claim sends', async () => {
    const texts = ['plain', 'a "quoted", {braced} item', 'back\\slash', 'NULL'];
    const at = [new Date('2026-01-01T00:00:00Z'), new Date('2026-02-01T00:00:00Z')];
    const { rows } = await db.query<{ t: string[]; at: Date[] }>(
      'SELECT $1::text[] AS t, $2::timestamptz[] AS at',
      [texts, at],
      { name: 'arrays' },
    );
    expect(rows).toEqual([{ t: texts, at }]);
  });

  it('writes nothing of a statement that failed, and the next one runs', async () => {
    const insert = (id: string) =>
      db.query('INSERT INTO items (id, n) VALUES ($1, 1)', [id], { name: 'item-insert' });
    await insert('b');
    await expect(insert('b')).rejects.toMatchObject({ code: '23505' });
    expect((await db.query("SELECT count(*)::int AS n FROM items WHERE id = 'b'")).rows).toEqual([
      { n: 1 },
    ]);
    expect((await insert('c')).rowCount).toBe(1);
  });

  it('raises the database error and stays usable after it', async () => {
    await expect(
      db.query('SELECT 1 / $1::int AS x', [0], { name: 'divide' }),
    ).rejects.toMatchObject({ code: '22012' });
    await expect(db.query('SELEC nonsense', [], { name: 'broken' })).rejects.toMatchObject({
      code: '42601',
    });
    expect((await db.query('SELECT 1 / $1::int AS x', [1], { name: 'divide' })).rows).toEqual([
      { x: 1 },
    ]);
    expect((await byId('a')).rows).toHaveLength(1);
  });

  it('refuses one name for two texts', async () => {
    await expect(db.query('SELECT 2', [], { name: 'item-by-id' })).rejects.toThrow(/other text/);
  });

  it('waits for a transaction in progress instead of running inside it', async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const tx = db.transaction(async (t) => {
      await t.query(`INSERT INTO items (id, n) VALUES ('tx', 1)`);
      await held;
      throw new Error('roll back');
    });
    const read = byId('tx');
    await new Promise((resolve) => setTimeout(resolve, 50));
    release();
    await expect(tx).rejects.toThrow('roll back');
    // Had it run inside the transaction it would have seen the row before the rollback.
    expect((await read).rows).toEqual([]);
  });
});

describe('statements the caller did not name, on PGlite', () => {
  let db: Db;
  beforeAll(async () => {
    db = await openPglite(undefined);
    await db.exec(`CREATE TABLE things (id text PRIMARY KEY, n int)`);
  });
  afterAll(() => db.close());

  const prepared = async () =>
    (
      await db.query<{ statement: string }>(
        `SELECT statement FROM pg_prepared_statements WHERE name LIKE 'auto%'`,
      )
    ).rows.map((r) => r.statement);

  it('prepares each text with parameters once, and leaves the rest unnamed', async () => {
    const insert = 'INSERT INTO things (id, n) VALUES ($1, $2)';
    for (const id of ['a', 'b', 'c']) await db.query(insert, [id, 1]);
    await db.query(`UPDATE things SET n = 2 WHERE id = 'a'`);
    expect(await prepared()).toEqual([insert]);
    expect((await db.query('SELECT n FROM things WHERE id = $1', ['a'])).rows).toEqual([{ n: 2 }]);
    expect(await prepared()).toHaveLength(2);
  });

  it('runs them inside a transaction, which a rollback undoes', async () => {
    const insert = 'INSERT INTO things (id, n) VALUES ($1, $2)';
    await expect(
      db.transaction(async (tx) => {
        await tx.query(insert, ['in-tx', 1]);
        await tx.query('UPDATE things SET n = $2 WHERE id = $1', ['a', 99]);
        const seen = await tx.query('SELECT n FROM things WHERE id = $1', ['in-tx']);
        expect(seen.rows).toEqual([{ n: 1 }]);
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    const after = await db.query<{ id: string; n: number }>(
      'SELECT id, n FROM things WHERE id = ANY($1::text[]) ORDER BY id',
      [['a', 'in-tx']],
    );
    expect(after.rows).toEqual([{ id: 'a', n: 2 }]);
    await db.transaction((tx) => tx.query(insert, ['committed', 3]));
    expect((await db.query('SELECT n FROM things WHERE id = $1', ['committed'])).rows).toEqual([
      { n: 3 },
    ]);
  });

  it('stops preparing new texts past its bound, and they still run', async () => {
    for (let i = 0; i < 520; i++) {
      const { rows } = await db.query<{ v: number }>(`SELECT $1::int + ${i} AS v`, [1]);
      expect(rows).toEqual([{ v: 1 + i }]);
    }
    expect((await prepared()).length).toBe(500);
  });
});
