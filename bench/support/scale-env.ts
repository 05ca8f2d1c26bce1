import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import pg from 'pg';
import { ulid } from 'ulid';

/**
 * Private state for one run of the scale bench on the shared PostgreSQL and Redis: a fresh
 * schema and a Redis key prefix of its own, both removed afterwards.
 */

export interface SharedServices {
  env: Record<string, string>;
  drop(): Promise<void>;
}

export async function reachable(pgUrl: string, redisUrl: string): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: pgUrl });
  try {
    await client.connect();
    await client.end();
  } catch (err) {
    return `PostgreSQL at ${pgUrl}: ${(err as Error).message}`;
  }
  const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 0 });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    await redis.ping();
  } catch (err) {
    return `Redis at ${redisUrl}: ${(err as Error).message}`;
  } finally {
    redis.disconnect();
  }
  return undefined;
}

export async function privateServices(pgUrl: string, redisUrl: string): Promise<SharedServices> {
  const id = ulid().toLowerCase();
  const schema = `bench_scale_${id}`;
  const admin = new pg.Client({ connectionString: pgUrl });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`);
  await admin.end();
  const url = new URL(pgUrl);
  url.searchParams.set('options', `-c search_path=${schema}`);
  const prefix = `bench-scale-${id}`;
  return {
    env: { DATABASE_URL: url.toString(), REDIS_URL: redisUrl, REDIS_KEY_PREFIX: prefix },
    async drop() {
      const client = new pg.Client({ connectionString: pgUrl });
      await client.connect();
      await client.query(`DROP SCHEMA ${schema} CASCADE`);
      await client.end();
      await deleteKeys(redisUrl, `${prefix}:*`);
    },
  };
}

/** Removes this run's keys only (never a flush: the Redis is shared). */
async function deleteKeys(redisUrl: string, pattern: string): Promise<void> {
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 2 });
  try {
    let cursor = '0';
    do {
      const [nextCursor, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
      cursor = nextCursor;
      if (keys.length > 0) await redis.unlink(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

/** Signing secrets every process of a run shares (the API signs nothing itself). */
export function runSecrets(): { app: string; admin: string } {
  return { app: randomBytes(32).toString('hex'), admin: randomBytes(32).toString('hex') };
}
