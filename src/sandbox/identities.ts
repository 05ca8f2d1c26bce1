import { readFile } from 'node:fs/promises';
import { ConfigError } from '../config/config.js';
import type { Logger } from '../observability/logger.js';
import { rangeConflict, UidPool, WorkerIdentity, type IdentityPool } from './identity-pool.js';

/**
 * The identity pool for this worker: a slot per build when it runs as root (after checking
 * that no account uses the range, and killing what crashed builds left there), else the
 * worker's own uid for everything.
 */
export async function createIdentityPool(
  range: { base: number; count: number },
  logger: Logger,
): Promise<IdentityPool> {
  if (process.getuid?.() !== 0) return new WorkerIdentity();
  const accounts = await Promise.all(
    ['/etc/passwd', '/etc/group'].map((f) => readFile(f, 'utf8').catch(() => '')),
  );
  const conflict = rangeConflict(range, accounts.join('\n'));
  if (conflict) throw new ConfigError([`SANDBOX_UID_BASE: ${conflict}`]);
  const pool = new UidPool(range);
  const swept = await pool.sweepIdle();
  if (swept.length > 0)
    logger.warn({ uids: swept }, 'killed processes left under sandbox uids by an earlier worker');
  logger.info(
    { from: range.base, to: range.base + range.count - 1 },
    'each build runs as a sandbox uid of its own',
  );
  return pool;
}
