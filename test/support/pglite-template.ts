import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { inject } from 'vitest';
import type { Db } from '../../src/db/db.js';
import { loadMigrations, migrate } from '../../src/db/migrate.js';
import { hasDatabase, openPglite } from '../../src/db/pglite.js';

let template: Promise<string | undefined> | undefined;

/**
 * A PGlite data directory migrated by the real runner, made once per test run and copied
 * into every test app's DATA_DIR: a copy opens in well under a second, initdb takes seconds.
 * Undefined outside a run with the global setup (each app then runs initdb itself).
 *
 * Test files run in separate processes, possibly at once: each builds into a staging
 * directory of its own and renames it into place; the first rename wins. Templates are kept
 * per set of migration files, so a migration edited during a watch session gets a new one.
 */
export function pgliteTemplate(): Promise<string | undefined> {
  template ??= build().catch((err: unknown) => {
    template = undefined;
    throw err;
  });
  return template;
}

async function build(): Promise<string | undefined> {
  const runRoot = inject('pgliteTemplateRoot') as string | undefined;
  if (!runRoot) return undefined;
  const migrations = createHash('sha256');
  for (const m of await loadMigrations()) migrations.update(`${m.version} ${m.checksum}\n`);
  const root = path.join(runRoot, migrations.digest('hex').slice(0, 16));
  await mkdir(root, { recursive: true });
  const dir = path.join(root, 'db');
  if (hasDatabase(dir)) return dir;
  const staging = await mkdtemp(path.join(root, 'staging-'));
  try {
    const db = await openPglite(path.join(staging, 'db'));
    try {
      await migrate(db);
    } finally {
      await db.close();
    }
    await rename(path.join(staging, 'db'), dir).catch((err: unknown) => {
      if (!hasDatabase(dir)) throw err;
    });
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
  return dir;
}

/**
 * A migrated PGlite database of its own, for tests that need one without an app: a copy of
 * the template on disk, removed on close (in memory and migrated here, without a template).
 */
export async function openMigratedPglite(): Promise<Db> {
  const template = await pgliteTemplate();
  if (!template) {
    const db = await openPglite(undefined);
    await migrate(db);
    return db;
  }
  const dir = await mkdtemp(path.join(tmpdir(), 'sheen-pglite-'));
  const db = await openPglite(path.join(dir, 'db'), { copyFrom: template });
  return {
    ...db,
    async close() {
      await db.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
