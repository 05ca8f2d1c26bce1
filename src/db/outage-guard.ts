import {
  isPoolWaitTimeout,
  outageOf,
  unavailableError,
} from '../observability/dependency-errors.js';
import { reasonOf, type DependencyState } from '../observability/dependency-state.js';
import type { Db, QueryOptions, Queryable } from './db.js';

export interface OutageGuardOptions {
  /** How often to try the database again while it is down. */
  probeIntervalMs?: number;
}

/**
 * Wraps the PostgreSQL adapter so that losing the server is a quick 503, not a 500 after a
 * connect timeout per call. The first call that finds the connection gone marks the database
 * down; from then on every call fails at once with SERVICE_UNAVAILABLE, while one `SELECT 1`
 * at a time (at once, then every `probeIntervalMs`) finds out when it is back. A pool that is
 * merely busy (its wait for a free connection timed out) answers 503 without tripping.
 */
export function guardDatabase(
  db: Db,
  state: DependencyState,
  options: OutageGuardOptions = {},
): Db {
  return new GuardedDb(db, state, options.probeIntervalMs ?? 1000);
}

class GuardedDb implements Db {
  readonly kind: Db['kind'];
  private timer: NodeJS.Timeout | undefined;
  private closed = false;
  private readonly outer: Queryable;

  constructor(
    private readonly db: Db,
    private readonly state: DependencyState,
    private readonly intervalMs: number,
  ) {
    this.kind = db.kind;
    this.outer = this.guard(db);
  }

  async query<R>(sql: string, params?: unknown[], options?: QueryOptions) {
    this.ensureUp();
    // The options carry a statement's name: dropping them made PostgreSQL plan the hot
    // status read on every call (0.7 ms of planning for 0.14 ms of execution).
    return this.outer.query<R>(sql, params, options);
  }

  async exec(sql: string) {
    this.ensureUp();
    return this.outer.exec(sql);
  }

  async transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
    this.ensureUp();
    // Errors the callback throws pass through as they are: it may call more than the
    // database, and its own queries are already guarded. Only BEGIN, COMMIT and getting a
    // connection are judged here.
    const thrownByFn = new WeakSet<object>();
    try {
      return await this.db.transaction(async (tx) => {
        try {
          return await fn(this.guard(tx));
        } catch (err) {
          if (err instanceof Object) thrownByFn.add(err);
          throw err;
        }
      });
    } catch (err) {
      if (err instanceof Object && thrownByFn.has(err)) throw err;
      return this.fail(err);
    }
  }

  async close() {
    this.closed = true;
    clearTimeout(this.timer);
    await this.db.close();
  }

  private guard(q: Queryable): Queryable {
    return {
      query: <R>(sql: string, params?: unknown[], options?: QueryOptions) =>
        q.query<R>(sql, params, options).catch((err: unknown) => this.fail(err)),
      exec: (sql) => q.exec(sql).catch((err: unknown) => this.fail(err)),
    };
  }

  private ensureUp(): void {
    if (this.state.isDown('database')) throw unavailableError('database');
  }

  /** Turns a connection failure into the 503 (marking the database down); rethrows the rest. */
  private fail(err: unknown): never {
    if (isPoolWaitTimeout(err)) throw unavailableError('database', err);
    if (outageOf(err) === undefined) throw err;
    this.state.markDown('database', reasonOf(err));
    this.probeLater(0);
    throw unavailableError('database', err);
  }

  /** One `SELECT 1` at a time until the database answers, then it is marked up. */
  private probeLater(delayMs: number): void {
    if (this.timer || this.closed) return;
    this.timer = setTimeout(() => {
      this.db.query('SELECT 1').then(
        () => {
          this.timer = undefined;
          this.state.markUp('database');
        },
        () => {
          this.timer = undefined;
          this.probeLater(this.intervalMs);
        },
      );
    }, delayMs);
    this.timer.unref();
  }
}
