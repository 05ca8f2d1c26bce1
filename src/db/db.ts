/**
 * The database port. Two adapters implement it: PGlite (embedded, the default) and
 * PostgreSQL through a `pg` pool. Both speak the same SQL and return the same JS types:
 * int8 as number, numeric as string, timestamptz as Date, json/jsonb parsed.
 */
export interface QueryResult<R> {
  rows: R[];
  rowCount: number;
}

export interface QueryOptions {
  /**
   * Prepare the statement under this name (PostgreSQL: once per connection, then only bound
   * and run; PGlite: once per database). For hot statements with fixed text; one name, one text.
   */
  name?: string;
}

export interface Queryable {
  /** One statement, parameters always as $1..$n. */
  query<R = Record<string, unknown>>(
    sql: string,
    params?: unknown[],
    options?: QueryOptions,
  ): Promise<QueryResult<R>>;
  /** Several statements, no parameters: for migrations only. */
  exec(sql: string): Promise<void>;
}

export interface Db extends Queryable {
  readonly kind: 'pglite' | 'postgres';
  /** Runs `fn` in one transaction on one connection; rolls back if it throws. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
  /**
   * Embedded only: the whole data directory as a gzipped tar, taken between transactions, so
   * a backup of a running worker is consistent. PGlite opens it again with `loadDataDir`.
   */
  dumpDataDir?(): Promise<Blob>;
}
