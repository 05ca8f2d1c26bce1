import type { Redis } from 'ioredis';
import type { DependencyState } from '../observability/dependency-state.js';
import type { HealthProbe, ProbeResult } from '../services/health.service.js';

export type { Redis } from 'ioredis';

export interface RedisConnectOptions {
  connectTimeoutMs?: number;
  /**
   * Fail commands at once while disconnected instead of holding them until Redis is back
   * (ioredis' offline queue). For connections a request waits on (nonces, rate limits): a
   * client gets a quick 503 rather than a 500 a second later.
   */
  failFast?: boolean;
}

/**
 * Opens a Redis connection and proves it answers, so a wrong REDIS_URL fails start-up with a
 * clear message instead of at the first request. ioredis is loaded here, not at import: a
 * process without REDIS_URL never needs it.
 */
export async function connectRedis(url: string, options: RedisConnectOptions = {}): Promise<Redis> {
  const failFast = options.failFast ?? false;
  const ioredis = await import('ioredis');
  const redis = new ioredis.Redis(url, {
    lazyConnect: true,
    connectTimeout: options.connectTimeoutMs ?? (failFast ? 2000 : 5000),
    maxRetriesPerRequest: failFast ? 0 : 2,
    enableOfflineQueue: !failFast,
    // No auto-pipelining: the request path's commands are batched where they are made (one
    // admission script call per event-loop turn, RedisAdmission), and a pipeline object per
    // lone command costs more than it saves.
  });
  // ioredis reconnects by itself; without a listener an 'error' event would crash the process.
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    await redis.ping();
  } catch (err) {
    redis.disconnect();
    throw new Error(`REDIS_URL: cannot reach Redis (${(err as Error).message})`, { cause: err });
  }
  return redis;
}

/** Keeps `state` in step with the connection: down when it closes, up once it is ready again. */
export function watchRedis(redis: Redis, state: DependencyState): void {
  redis.on('close', () => state.markDown('redis', 'connection closed'));
  redis.on('ready', () => state.markUp('redis'));
}

export function redisProbe(redis: Redis): HealthProbe {
  return {
    name: 'redis',
    async check(): Promise<ProbeResult> {
      // Not connected: say so now rather than wait for the reconnect to give up.
      if (redis.status !== 'ready') {
        return { status: 'down', message: `not connected (${redis.status})` };
      }
      const reply = await redis.ping();
      return reply === 'PONG'
        ? { status: 'ok', detail: { state: redis.status } }
        : { status: 'down', message: 'unexpected PING reply' };
    },
  };
}
