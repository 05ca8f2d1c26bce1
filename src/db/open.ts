import type { Config } from '../config/config.js';
import type { Logger } from '../observability/logger.js';
import type { Db } from './db.js';
import { openPglite, type PgliteOptions } from './pglite.js';
import { openPostgres } from './postgres.js';

/**
 * Opens the configured database and proves it answers, naming the variable if it does not.
 * `pglite` options apply to the embedded database only.
 */
export async function openDatabase(
  config: Config,
  logger: Logger,
  pglite: PgliteOptions = {},
): Promise<Db> {
  if (config.database.kind === 'pglite') {
    try {
      return await openPglite(config.database.dir, pglite);
    } catch (err) {
      throw new Error(`DATA_DIR: cannot open the embedded database in ${config.database.dir}`, {
        cause: err,
      });
    }
  }
  const db = openPostgres({
    url: config.database.url,
    poolMax: config.database.poolMax,
    onError: (err) => logger.error({ err }, 'idle database connection failed'),
  });
  try {
    await db.query('SELECT 1');
  } catch (err) {
    await db.close().catch(() => undefined);
    throw new Error(`DATABASE_URL: cannot reach PostgreSQL (${(err as Error).message})`, {
      cause: err,
    });
  }
  return db;
}
