import { createHash } from 'node:crypto';
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
  const nameOf = autoNames();
  const top = wrap(pg);
  return {
    kind: 'pglite',
    ...top,
    // Every statement with parameters is prepared once (see PgliteStatements).
    query: <R>(sql: string, params: unknown[] = [], options?: QueryOptions) => {
      const name = nameOf(sql, params, options);
      return name ? statements.run<R>(name, sql, params) : top.query<R>(sql, params);
    },
    transaction: (fn) =>
      pg.transaction((tx) => {
        const inner = wrap(tx);
        return fn({
          ...inner,
          query: <R>(sql: string, params: unknown[] = [], options?: QueryOptions) => {
            const name = nameOf(sql, params, options);
            return name
              ? statements.runInTransaction<R>(name, sql, params)
              : inner.query<R>(sql, params);
          },
        });
      }),
    close: () => pg.close(),
    // Holding the transaction lock means no transaction is half-way through when the files
    // are read; dumpDataDir then takes the query lock itself.
    dumpDataDir: () => pg._runExclusiveTransaction(() => pg.dumpDataDir('gzip')),
  };
}

/** Statements prepared without a name of their own, at most (a bound for generated SQL). */
const MAX_AUTO_NAMED = 500;

/**
 * Names for statements the caller did not name. PGlite runs an unnamed statement as six
 * calls into the database (parse, describe, bind, describe, execute, sync) and plans it every
 * time: about 0.5 ms of CPU, against 0.1 ms for a prepared one. Statements with parameters
 * have fixed text with the values apart, so each text is prepared once under a name derived
 * from it. Past MAX_AUTO_NAMED texts, new ones run unnamed; statements without parameters
 * (migrations, utility commands) always do.
 */
function autoNames() {
  const names = new Map<string, string>();
  return (sql: string, params: unknown[], options?: QueryOptions): string | undefined => {
    if (options?.name) return options.name;
    if (params.length === 0) return undefined;
    let name = names.get(sql);
    if (!name && names.size < MAX_AUTO_NAMED) {
      name = `auto_${createHash('sha256').update(sql).digest('hex').slice(0, 24)}`;
      names.set(sql, name);
    }
    return name;
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
