import type { Db } from '../db/db.js';
import type { NonceStore } from './nonce-store.js';

const PRUNE_EVERY_MS = 60_000;

interface PendingClaim {
  nonce: string;
  expiresAt: Date;
  resolve: (fresh: boolean) => void;
  reject: (err: unknown) => void;
}

/**
 * Nonces in the database: the embedded profile's store, atomic through the primary key.
 *
 * Claims are committed in groups: the claims made in one turn of the event loop (the requests
 * whose bytes arrived together) go in one INSERT, started once that turn's callbacks have run,
 * and while it runs the claims that arrive wait and go together in the next one. Each claim
 * still answers only after its row is written, and of two claims of one nonce exactly one wins
 * (the primary key decides across statements; a repeat within one group loses at once). On
 * PGlite, which runs one statement at a time on the event loop, a group of ten costs about
 * what one claim did; without waiting for the turn's end every group had one claim.
 */
export class DbNonceStore implements NonceStore {
  private lastPrune = 0;
  private pending: PendingClaim[] = [];
  private flushing = false;

  constructor(
    private readonly db: Db,
    private readonly now: () => number = Date.now,
  ) {}

  claim(nonce: string, ttlSeconds: number): Promise<boolean> {
    return new Promise((resolve, reject) => {
      const expiresAt = new Date(this.now() + ttlSeconds * 1000);
      this.pending.push({ nonce, expiresAt, resolve, reject });
      if (this.flushing) return;
      this.flushing = true;
      setImmediate(() => void this.flush());
    });
  }

  private async flush(): Promise<void> {
    try {
      while (this.pending.length > 0) {
        const group = this.pending;
        this.pending = [];
        await this.claimGroup(group);
      }
    } finally {
      this.flushing = false;
    }
  }

  private async claimGroup(group: PendingClaim[]): Promise<void> {
    const first = new Map<string, PendingClaim>();
    for (const claim of group) {
      if (first.has(claim.nonce)) claim.resolve(false);
      else first.set(claim.nonce, claim);
    }
    const claims = [...first.values()];
    try {
      await this.pruneIfDue();
      const { rows } = await this.insert(claims);
      const won = new Set(rows.map((r) => r.nonce));
      for (const claim of claims) claim.resolve(won.has(claim.nonce));
    } catch (err) {
      for (const claim of claims) claim.reject(err);
    }
  }

  /**
   * An expired row for the same nonce is replaced: after its window the nonce can no longer
   * be replayed (the timestamp check rejects it), so reuse is harmless. Each statement runs
   * on every signed request: planned once, not once per request. A group of one, the common
   * case when requests do not overlap, skips unnest (about a tenth of the claim on PGlite).
   */
  private insert(claims: PendingClaim[]) {
    const now = new Date(this.now());
    const conflict = `ON CONFLICT (nonce) DO UPDATE SET expires_at = EXCLUDED.expires_at
        WHERE request_nonces.expires_at < $3 RETURNING nonce`;
    const [only] = claims;
    if (claims.length === 1 && only) {
      return this.db.query<{ nonce: string }>(
        `INSERT INTO request_nonces (nonce, expires_at) VALUES ($1, $2) ${conflict}`,
        [only.nonce, only.expiresAt, now],
        { name: 'nonce-claim-one' },
      );
    }
    return this.db.query<{ nonce: string }>(
      `INSERT INTO request_nonces (nonce, expires_at)
       SELECT * FROM unnest($1::text[], $2::timestamptz[]) ${conflict}`,
      [claims.map((c) => c.nonce), claims.map((c) => c.expiresAt), now],
      { name: 'nonce-claim' },
    );
  }

  private async pruneIfDue(): Promise<void> {
    const now = this.now();
    if (now - this.lastPrune < PRUNE_EVERY_MS) return;
    this.lastPrune = now;
    await this.db.query('DELETE FROM request_nonces WHERE expires_at < $1', [new Date(now)]);
  }

  async close(): Promise<void> {}
}
