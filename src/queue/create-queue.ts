import type { Config } from '../config/config.js';
import type { Db } from '../db/db.js';
import type { Logger } from '../observability/logger.js';
import type { Redis } from '../redis/redis.js';
import { EmbeddedQueue } from './embedded-queue.js';
import type { JobQueue } from './job-queue.js';

/**
 * BullMQ when Redis is configured, else the queue kept in the database. BullMQ is loaded only
 * then: importing it (and ioredis) costs every process and test that does not use it.
 */
export async function createQueue(
  config: Config,
  deps: { db: Db; redis: Redis | undefined; logger: Logger; workerId: string },
): Promise<JobQueue> {
  const { attempts, lockMs } = config.pipeline;
  if (deps.redis) {
    const prefix = config.redis?.keyPrefix ?? 'sheen';
    const { BullmqQueue } = await import('./bullmq-queue.js');
    return new BullmqQueue(deps.redis, deps.logger, {
      redisUrl: config.redis?.url ?? '',
      prefix: `${prefix}:bull`,
      attempts,
      lockMs,
    });
  }
  return new EmbeddedQueue(deps.db, deps.logger, {
    workerId: deps.workerId,
    attempts,
    lockMs,
    // PGlite locks DATA_DIR to one process: nobody else can hold a job.
    singleProcess: deps.db.kind === 'pglite',
  });
}
