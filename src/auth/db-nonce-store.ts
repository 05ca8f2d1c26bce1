import type { Db } from '../db/db.js';
import type { NonceStore } from './nonce-store.js';

const PRUNE_EVERY_MS = 60_000;

/** Nonces in the database: the embedded profile's store, atomic through the primary key. */
export class DbNonceStore implements NonceStore {
  private lastPrune = 0;

  constructor(
    private readonly db: Db,
    private readonly now: () => number = Date.now,
  ) {}

  async claim(nonce: string, ttlSeconds: number): Promise<boolean> {
    await this.pruneIfDue();
    const expiresAt = new Date(this.now() + ttlSeconds * 1000);
    // An expired row for the same nonce is replaced: after its window the nonce can no longer
    // be replayed (the timestamp check rejects it), so reuse is harmless.
    const result = await this.db.query(
      `INSERT INTO request_nonces (nonce, expires_at) VALUES ($1, $2)
       ON CONFLICT (nonce) DO UPDATE SET expires_at = EXCLUDED.expires_at
         WHERE request_nonces.expires_at < $3
       RETURNING nonce`,
      [nonce, expiresAt, new Date(this.now())],
    );
    return result.rows.length === 1;
  }

  private async pruneIfDue(): Promise<void> {
    const now = this.now();
    if (now - this.lastPrune < PRUNE_EVERY_MS) return;
    this.lastPrune = now;
    await this.db.query('DELETE FROM request_nonces WHERE expires_at < $1', [new Date(now)]);
  }

  async close(): Promise<void> {}
}
