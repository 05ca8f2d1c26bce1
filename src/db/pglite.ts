import { existsSync } from 'node:fs';
import { chmod, copyFile, mkdir, readdir } from 'node:fs/promises';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import type { Db, QueryOptions, QueryResult, Queryable } from './db.js';
import { PgliteStatements } from './pglite-statements.js';

interface PgliteLike {
  query<R>(sql: string, params?: unknown[]): Promise<{ rows: R[]; affectedRows?: number }>;
  exec(sql: string): Promise<unknown>;
}

function wrap(conn: PgliteLike): Queryable {
  return {
    async query<R>(sql: string, params?: unknown[]): Promise<QueryResult<R>> {
      const result = await conn.query<R>(sql, params);
      return { rows: result.rows, rowCount: result.affectedRows ?? result.rows.length };
    },
    async exec(sql: string): Promise<void> {
      await conn.exec(sql);
    },
  };
}

export interface PgliteOptions {
  /**
   * A closed PGlite data directory to copy into `dir` when `dir` holds no database yet, in
   * place of initdb, which takes seconds (tests start every app from one migrated template).
   * A database already in `dir` is opened as it is.
   */
  copyFrom?: string;
  /** A `dumpDataDir` tarball to start from (a restore); `dir` must hold no database yet. */
  loadDataDir?: Blob;
}

/**
 * Embedded PostgreSQL (WASM). `dir` undefined keeps the database in memory (tests).
 * PGlite is one connection: it serialises queries itself, and a transaction holds it.
 */
export async function openPglite(
  dir: string | undefined,
  options: PgliteOptions = {},
): Promise<Db> {
  if (options.copyFrom !== undefined && dir === undefined) {
    throw new Error('openPglite: copyFrom needs a data directory to copy into');
  }
  if (dir) await mkdir(dir, { recursive: true });
  if (dir && options.copyFrom !== undefined && !hasDatabase(dir)) {
    await copyTree(options.copyFrom, dir);
  }
  if (dir && options.loadDataDir && hasDatabase(dir)) {
    throw new Error(
      `openPglite: ${dir} already holds a database; a dump loads only into an empty one`,
    );
  }
  const pg = await PGlite.create({
    ...(dir === undefined ? {} : { dataDir: dir }),
    ...(options.loadDataDir ? { loadDataDir: options.loadDataDir } : {}),
  });
  // The database files are the worker's alone (sandboxed builds run as another user).
  if (dir) await chmod(dir, 0o700);
  const statements = new PgliteStatements(pg);
  const top = wrap(pg);
  return {
    kind: 'pglite',
    ...top,
    // A named statement is prepared once (see PgliteStatements); inside a transaction,
    // statements run through `query` as usual.
    query: <R>(sql: string, params: unknown[] = [], options?: QueryOptions) =>
      options?.name ? statements.run<R>(options.name, sql, params) : top.query<R>(sql, params),
    transaction: (fn) => pg.transaction((tx) => fn(wrap(tx))),
    close: () => pg.close(),
    // Holding the transaction lock means no transaction is half-way through when the files
    // are read; dumpDataDir then takes the query lock itself.
    dumpDataDir: () => pg._runExclusiveTransaction(() => pg.dumpDataDir('gzip')),
  };
}

/** True when `dir` holds a PostgreSQL data directory (initdb writes PG_VERSION). */
export function hasDatabase(dir: string): boolean {
  return existsSync(path.join(dir, 'PG_VERSION'));
}

/** Copies a directory tree, files in parallel (a data directory is about a thousand files). */
async function copyTree(from: string, to: string): Promise<void> {
  await mkdir(to, { recursive: true });
  const entries = await readdir(from, { withFileTypes: true });
  await Promise.all(
    entries.map((entry) => {
      const source = path.join(from, entry.name);
      const target = path.join(to, entry.name);
      if (entry.isDirectory()) return copyTree(source, target);
      if (entry.isFile()) return copyFile(source, target);
      throw new Error(`openPglite: unexpected entry in the template: ${source}`);
    }),
  );
}
