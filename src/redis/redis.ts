import { Redis } from 'ioredis';
import type { HealthProbe, ProbeResult } from '../services/health.service.js';

export type { Redis } from 'ioredis';

/**
 * Opens the shared Redis connection and proves it answers, so a wrong REDIS_URL fails
 * start-up with a clear message instead of at the first request.
 */
export async function connectRedis(url: string, connectTimeoutMs = 5000): Promise<Redis> {
  const redis = new Redis(url, {
    lazyConnect: true,
    connectTimeout: connectTimeoutMs,
    maxRetriesPerRequest: 2,
    enableOfflineQueue: true,
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

export function redisProbe(redis: Redis): HealthProbe {
  return {
    name: 'redis',
    async check(): Promise<ProbeResult> {
      const reply = await redis.ping();
      return reply === 'PONG'
        ? { status: 'ok', detail: { state: redis.status } }
        : { status: 'down', message: 'unexpected PING reply' };
    },
  };
}
