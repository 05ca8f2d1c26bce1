import pg from 'pg';
import type { Db, QueryOptions, QueryResult, Queryable } from './db.js';

const INT8_OID = 20;

// Per-pool type overrides so this module changes nothing global in `pg`.
const types: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary'): unknown => {
    if (oid === INT8_OID && format !== 'binary') return (value: string) => Number(value);
    return pg.types.getTypeParser(oid, format ?? 'text');
  }) as pg.CustomTypesConfig['getTypeParser'],
};

export interface PostgresOptions {
  url: string;
  poolMax: number;
  onError?: (err: Error) => void;
}

export function openPostgres(options: PostgresOptions): Db {
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.poolMax,
    types,
    connectionTimeoutMillis: 10_000,
    idleTimeoutMillis: 30_000,
    application_name: 'sheenapps-worker',
  });
  // An idle client losing its connection must not crash the process.
  pool.on('error', (err) => options.onError?.(err));

  const wrap = (client: pg.Pool | pg.PoolClient): Queryable => ({
    async query<R>(
      sql: string,
      params?: unknown[],
      options?: QueryOptions,
    ): Promise<QueryResult<R>> {
      const result = options?.name
        ? await client.query({ name: options.name, text: sql, values: params })
        : await client.query(sql, params);
      return { rows: result.rows as R[], rowCount: result.rowCount ?? result.rows.length };
    },
    async exec(sql: string): Promise<void> {
      await client.query(sql);
    },
  });
  return {
    kind: 'postgres',
    ...wrap(pool),
    async transaction(fn) {
      const client = await pool.connect();
      // The pool listens for errors only on idle clients: a server restart during a
      // transaction would otherwise emit an unhandled 'error' and kill the process. The query
      // in flight rejects by itself; the broken client is destroyed instead of reused.
      let broken: Error | undefined;
      const onError = (err: Error) => {
        broken = err;
      };
      client.on('error', onError);
      try {
        await client.query('BEGIN');
        const result = await fn(wrap(client));
        await client.query('COMMIT');
        return result;
      } catch (err) {
        if (!broken) await client.query('ROLLBACK').catch(() => undefined);
        throw err;
      } finally {
        client.removeListener('error', onError);
        client.release(broken);
      }
    },
    close: () => pool.end(),
  };
}
