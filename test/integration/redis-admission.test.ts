import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisAdmission } from '../../src/http/admission/redis-admission.js';
import { admissionSuite, SUITE_LIMITS } from '../support/admission-suite.js';
import { REDIS_URL, servicesUp, uniquePrefix } from '../support/services.js';

describe.skipIf(!servicesUp)('RedisAdmission on Redis', () => {
  let redis: Redis;
  const prefix = uniquePrefix();
  beforeAll(() => {
    redis = new Redis(REDIS_URL, { enableAutoPipelining: true });
  });
  afterAll(async () => {
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
  });

  admissionSuite(() => new RedisAdmission(redis, prefix, SUITE_LIMITS, 600));

  it('keeps its keys under the prefix, each with an expiry', async () => {
    const store = new RedisAdmission(redis, prefix, SUITE_LIMITS, 600);
    await store.admit({ ip: '203.0.113.7', nonce: 'n'.repeat(20), user: 'keys-user' });
    for (const key of [`${prefix}:rl:ip:203.0.113.7`, `${prefix}:rl:user:keys-user`]) {
      expect(await redis.pttl(key)).toBeGreaterThan(50_000);
    }
    const nonceTtl = await redis.pttl(`${prefix}:nonce:${'n'.repeat(20)}`);
    expect(nonceTtl).toBeGreaterThan(590_000);
    expect(nonceTtl).toBeLessThanOrEqual(600_000);
  });

  it('gives a counter that lost its expiry a new one instead of counting it for good', async () => {
    const key = `${prefix}:rl:ip:198.51.100.99`;
    await redis.set(key, '5');
    const store = new RedisAdmission(redis, prefix, SUITE_LIMITS, 600);
    const { ip } = await store.admit({ ip: '198.51.100.99' });
    expect(ip).toEqual({ count: 6, ttlMs: SUITE_LIMITS.windowMs });
    expect(await redis.pttl(key)).toBeGreaterThan(50_000);
  });
});
