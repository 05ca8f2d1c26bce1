import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../db/db.js';
import { openMigratedPglite } from '../../test/support/pglite-template.js';
import { DbNonceStore } from './db-nonce-store.js';

describe('nonces in the database, claimed in groups', () => {
  let db: Db;
  beforeAll(async () => {
    db = await openMigratedPglite();
  }, 120_000);
  afterAll(() => db?.close());

  it('grants every distinct nonce of a burst once, and refuses each replay', async () => {
    const store = new DbNonceStore(db);
    const nonces = Array.from(
      { length: 50 },
      (_, i) => `burst-nonce-${String(i).padStart(4, '0')}`,
    );
    const first = await Promise.all(nonces.map((n) => store.claim(n, 600)));
    expect(first.every(Boolean)).toBe(true);
    const again = await Promise.all(nonces.map((n) => store.claim(n, 600)));
    expect(again.some(Boolean)).toBe(false);
  });

  it('grants a nonce once when claims of it race in one group and across stores', async () => {
    const a = new DbNonceStore(db);
    const b = new DbNonceStore(db);
    const nonces = ['race-nonce-00000001', 'race-nonce-00000002', 'race-nonce-00000003'];
    const claims = nonces.flatMap((n) => [a.claim(n, 600), b.claim(n, 600), a.claim(n, 600)]);
    const results = await Promise.all(claims);
    for (let i = 0; i < nonces.length; i += 1) {
      expect(results.slice(i * 3, i * 3 + 3).filter(Boolean)).toHaveLength(1);
    }
  });

  it('claims made in one turn of the event loop go in one statement', async () => {
    let statements = 0;
    const counted: Db = {
      ...db,
      query: (...args: Parameters<Db['query']>) => {
        statements += 1;
        return db.query(...args);
      },
    };
    const store = new DbNonceStore(counted);
    await store.claim('turn-nonce-00000000', 600); // the first also prunes
    await new Promise((resolve) => setTimeout(resolve, 10)); // and its flush has ended
    statements = 0;
    const nonces = Array.from({ length: 8 }, (_, i) => `turn-nonce-0000000${i + 1}`);
    expect(await Promise.all(nonces.map((n) => store.claim(n, 600)))).toEqual(
      nonces.map(() => true),
    );
    expect(statements).toBe(1);
  });

  it('grants a nonce again once its record has expired', async () => {
    let now = Date.UTC(2026, 0, 1);
    const store = new DbNonceStore(db, () => now);
    expect(await store.claim('expiring-nonce-0001', 60)).toBe(true);
    expect(await store.claim('expiring-nonce-0001', 60)).toBe(false);
    now += 61_000;
    expect(await store.claim('expiring-nonce-0001', 60)).toBe(true);
  });
});
