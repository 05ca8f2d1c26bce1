import type { Db } from '../db/db.js';

export type SigninSource = 'startup' | 'admin-link';

export interface ConsoleSessionRow {
  source: SigninSource;
  expiresAt: Date;
}

/**
 * Sign-in tokens and sessions of the web console, by SHA-256 hash only. Spending a token and
 * reading a session each take one statement, so concurrent requests on several processes
 * agree: of two redemptions of one token exactly one wins.
 */
export class ConsoleSessionsRepository {
  constructor(private readonly db: Db) {}

  async addToken(tokenHash: string, source: SigninSource, expiresAt: Date): Promise<void> {
    await this.db.query(
      `INSERT INTO console_signin_tokens (token_hash, source, expires_at) VALUES ($1, $2, $3)`,
      [tokenHash, source, expiresAt],
    );
  }

  /** Marks a stored, unexpired, unspent token spent; the source when this call spent it. */
  async spendToken(tokenHash: string, now: Date): Promise<SigninSource | undefined> {
    const { rows } = await this.db.query<{ source: SigninSource }>(
      `UPDATE console_signin_tokens SET used_at = $2
       WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2
       RETURNING source`,
      [tokenHash, now],
    );
    return rows[0]?.source;
  }

  /**
   * Records an admin-signed link as spent, in the same statement that checks it was not: true
   * when this call was the first. The row is kept until the link's own expiry.
   */
  async spendSignedLink(tokenHash: string, expiresAt: Date, now: Date): Promise<boolean> {
    const { rows } = await this.db.query<{ token_hash: string }>(
      `INSERT INTO console_signin_tokens (token_hash, source, expires_at, used_at)
       VALUES ($1, 'admin-link', $2, $3)
       ON CONFLICT (token_hash) DO NOTHING RETURNING token_hash`,
      [tokenHash, expiresAt, now],
    );
    return rows.length === 1;
  }

  async addSession(idHash: string, source: SigninSource, expiresAt: Date): Promise<void> {
    await this.db.query(
      `INSERT INTO console_sessions (id_hash, source, expires_at) VALUES ($1, $2, $3)`,
      [idHash, source, expiresAt],
    );
  }

  async session(idHash: string, now: Date): Promise<ConsoleSessionRow | undefined> {
    const { rows } = await this.db.query<{ source: SigninSource; expires_at: Date }>(
      `SELECT source, expires_at FROM console_sessions WHERE id_hash = $1 AND expires_at > $2`,
      [idHash, now],
      { name: 'console_session' },
    );
    const row = rows[0];
    return row ? { source: row.source, expiresAt: row.expires_at } : undefined;
  }

  async removeSession(idHash: string): Promise<void> {
    await this.db.query('DELETE FROM console_sessions WHERE id_hash = $1', [idHash]);
  }

  /** Drops what has expired (tokens a day after, so a replayed link still reads as spent). */
  async prune(now: Date): Promise<void> {
    await this.db.query('DELETE FROM console_sessions WHERE expires_at <= $1', [now]);
    await this.db.query(
      `DELETE FROM console_signin_tokens WHERE expires_at <= $1::timestamptz - interval '1 day'`,
      [now],
    );
  }
}
