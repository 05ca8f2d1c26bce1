import type { Redis } from 'ioredis';
import type { NonceStore } from './nonce-store.js';

/** Nonces in Redis, shared by every API process: SET NX with an expiry is the claim. */
export class RedisNonceStore implements NonceStore {
  constructor(
    private readonly redis: Redis,
    private readonly keyPrefix: string,
  ) {}

  async claim(nonce: string, ttlSeconds: number): Promise<boolean> {
    const reply = await this.redis.set(
      `${this.keyPrefix}:nonce:${nonce}`,
      '1',
      'EX',
      ttlSeconds,
      'NX',
    );
    return reply === 'OK';
  }

  async close(): Promise<void> {}
}
