import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db, QueryOptions } from '../../src/db/db.js';
import { openPglite } from '../../src/db/pglite.js';
import { BackupRepository } from '../../src/repositories/backup.repo.js';
import {
  ADMIN_SECRET,
  SECRET,
  latestSchemaVersion,
  signedInject,
  startTestApp,
  type TestApp,
} from '../support/harness.js';

const ROUTE = '/v1/admin/backup/database';
const NEXT_ADMIN = 'next-admin-secret-0123456789abcdef0123456789';

describe('GET /v1/admin/backup/database', () => {
  let t: TestApp;
  beforeAll(async () => {
    // Mid-rotation: the old admin secret and the next one are both accepted.
    t = await startTestApp({ env: { ADMIN_HMAC_SECRETS: `${ADMIN_SECRET},${NEXT_ADMIN}` } });
  });
  afterAll(() => t?.close());

  it('answers a dump of the embedded database that opens at the current schema', async () => {
    const res = await signedInject(t.app, { method: 'GET', url: ROUTE, secret: NEXT_ADMIN });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/gzip');
    expect(res.headers['cache-control']).toBe('no-store');
    const bytes = res.rawPayload;
    expect([bytes[0], bytes[1]]).toEqual([0x1f, 0x8b]);
    const copy = await openPglite(undefined, { loadDataDir: new Blob([bytes]) });
    try {
      expect(await new BackupRepository().migrationLevel(copy)).toBe(await latestSchemaVersion());
    } finally {
      await copy.close();
    }
  });

  it('takes an admin signature, old or new during rotation, and never the app secret', async () => {
    const old = await signedInject(t.app, { method: 'GET', url: ROUTE, secret: ADMIN_SECRET });
    expect(old.statusCode).toBe(200);
    const app = await signedInject(t.app, { method: 'GET', url: ROUTE, secret: SECRET });
    expect(app.statusCode).toBe(401);
    expect(app.json().error.code).toBe('AUTH_INVALID_SIGNATURE');
    const unsigned = await t.app.inject({ method: 'GET', url: ROUTE });
    expect(unsigned.statusCode).toBe(401);
  });
});

describe('the dump route on a database that cannot dump itself', () => {
  let embedded: TestApp;
  let t: TestApp;
  beforeAll(async () => {
    embedded = await startTestApp();
    const db = embedded.container.db;
    // What the PostgreSQL adapter is to the route: a Db without dumpDataDir.
    const postgresLike: Db = {
      kind: db.kind,
      query: <R>(sql: string, params?: unknown[], options?: QueryOptions) =>
        db.query<R>(sql, params, options),
      exec: (sql) => db.exec(sql),
      transaction: (fn) => db.transaction(fn),
      close: async () => undefined,
    };
    t = await startTestApp({ db: postgresLike });
  });
  afterAll(async () => {
    await t?.close();
    await embedded?.close();
  });

  it('answers 409 CONFLICT naming pg_dump', async () => {
    const res = await signedInject(t.app, { method: 'GET', url: ROUTE, secret: ADMIN_SECRET });
    expect(res.statusCode).toBe(409);
    expect(res.json().error).toMatchObject({ code: 'CONFLICT' });
    expect(res.json().error.hint).toContain('pg_dump');
  });
});
