import type { Config } from '../config/config.js';
import type { Db } from '../db/db.js';
import { DbNonceStore } from '../auth/db-nonce-store.js';
import { nonceTtlSeconds, type AdmissionStore } from '../http/admission/admission.js';
import { LocalAdmission } from '../http/admission/local-admission.js';
import { RedisAdmission } from '../http/admission/redis-admission.js';
import type { DependencyState } from '../observability/dependency-state.js';
import { connectRedis, watchRedis, type Redis } from '../redis/redis.js';

export interface Connections {
  /** For the queue and event bus: rides out a short blip on ioredis' offline queue. */
  queueRedis: Redis | undefined;
  /** For what a request waits on (nonces, rate limits, health): fails at once instead. */
  redis: Redis | undefined;
  admission: AdmissionStore;
}

/**
 * The Redis connections of the production profile (none on the embedded one) and the
 * admission store that checks rate limits and nonces on each signed request. Each connection
 * opened is handed to `onOpen` at once, so a failure later in start-up still closes it.
 */
export async function openConnections(
  config: Config,
  db: Db,
  dependencies: DependencyState,
  onOpen: (close: () => Promise<unknown>) => void,
): Promise<Connections> {
  const queueRedis = config.redis ? await connectRedis(config.redis.url) : undefined;
  if (queueRedis) onOpen(() => queueRedis.quit());
  const redis = config.redis ? await connectRedis(config.redis.url, { failFast: true }) : undefined;
  if (redis) {
    onOpen(() => redis.quit());
    watchRedis(redis, dependencies);
  }
  const nonceTtl = nonceTtlSeconds(config.auth.toleranceSeconds);
  const admission: AdmissionStore = redis
    ? new RedisAdmission(redis, config.redis?.keyPrefix ?? 'sheen', config.rateLimit, nonceTtl)
    : new LocalAdmission(config.rateLimit, new DbNonceStore(db), nonceTtl);
  return { queueRedis, redis, admission };
}
