import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pgliteTemplate } from '../../test/support/pglite-template.js';
import type { Db } from './db.js';
import { openPglite } from './pglite.js';

describe('opening PGlite from a template', () => {
  let template: string;
  let dir: string;
  beforeAll(async () => {
    const built = await pgliteTemplate();
    if (!built) throw new Error('the test run provides no PGlite template (vitest globalSetup)');
    template = built;
    dir = await mkdtemp(path.join(tmpdir(), 'sheen-pglite-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  const NONCE = 'nonce-0123456789abcdef';
  const addNonce = (db: Db) =>
    db.query(`INSERT INTO request_nonces (nonce, expires_at) VALUES ($1, now())`, [NONCE]);

  it('copies the template into an empty directory, and never writes back to it', async () => {
    const first = await openPglite(path.join(dir, 'a'), { copyFrom: template });
    await addNonce(first);
    await first.close();
    const second = await openPglite(path.join(dir, 'b'), { copyFrom: template });
    const { rows } = await second.query('SELECT nonce FROM request_nonces');
    expect(rows).toEqual([]);
    const migrations = await second.query('SELECT version FROM schema_migrations');
    expect(migrations.rows.length).toBeGreaterThan(0);
    await second.close();
  });

  it('opens a database already in the directory as it is', async () => {
    const first = await openPglite(path.join(dir, 'c'), { copyFrom: template });
    await addNonce(first);
    await first.close();
    const again = await openPglite(path.join(dir, 'c'), { copyFrom: template });
    const { rows } = await again.query('SELECT nonce FROM request_nonces');
    expect(rows).toEqual([{ nonce: NONCE }]);
    await again.close();
  });

  it('needs a directory to copy into', async () => {
    await expect(openPglite(undefined, { copyFrom: template })).rejects.toThrow(/copyFrom/);
  });
});
