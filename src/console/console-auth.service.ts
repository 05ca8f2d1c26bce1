import { createHmac, timingSafeEqual } from 'node:crypto';
import { AppError } from '../errors.js';
import type {
  ConsoleSessionsRepository,
  SigninSource,
} from '../repositories/console-sessions.repo.js';
import { hashToken, isSignedToken, randomToken, verifySigninToken } from './signin-link.js';

export interface ConsoleAuthSettings {
  /** How long a console session lasts (CONSOLE_SESSION_TTL). */
  sessionTtlSeconds: number;
  /** How long the link printed at start-up works. */
  startupLinkTtlSeconds: number;
  /** Secrets an admin-signed link may be signed with (ADMIN_HMAC_SECRETS / admin.key). */
  adminSecrets: readonly string[];
}

export interface ConsoleSession {
  /** The per-session token every console form and action must send back. */
  csrfToken: string;
  expiresAt: Date;
  source: SigninSource;
}

const TOKEN_SHAPE = /^[A-Za-z0-9._-]{20,200}$/;

const invalidSignin = () =>
  new AppError(
    'CONSOLE_SIGNIN_INVALID',
    'This sign-in link is not valid: it expired, was already used, or was never issued.',
  );

/**
 * Who may use the web console: one-time sign-in links turn into short sessions. Only hashes
 * of links and session ids are stored. The CSRF token is derived from the session id (an
 * HMAC keyed by it), so it needs no storage and nobody without the cookie can compute it.
 */
export class ConsoleAuthService {
  constructor(
    private readonly sessions: ConsoleSessionsRepository,
    private readonly settings: ConsoleAuthSettings,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** A fresh single-use sign-in token, stored hashed; printed once by main.ts. */
  async issueStartupToken(): Promise<string> {
    const token = randomToken();
    const expiresAt = new Date(this.now().getTime() + this.settings.startupLinkTtlSeconds * 1000);
    await this.sessions.addToken(hashToken(token), 'startup', expiresAt);
    return token;
  }

  /** Spends a sign-in token and opens a session; the raw session id goes into the cookie only. */
  async signIn(token: string): Promise<{ sessionId: string; expiresAt: Date }> {
    if (!TOKEN_SHAPE.test(token)) throw invalidSignin();
    const now = this.now();
    const source = await this.spend(token, now);
    if (!source) throw invalidSignin();
    await this.sessions.prune(now);
    const sessionId = randomToken();
    const expiresAt = new Date(now.getTime() + this.settings.sessionTtlSeconds * 1000);
    await this.sessions.addSession(hashToken(sessionId), source, expiresAt);
    return { sessionId, expiresAt };
  }

  private async spend(token: string, now: Date): Promise<SigninSource | undefined> {
    if (!isSignedToken(token)) return this.sessions.spendToken(hashToken(token), now);
    const expiresAt = verifySigninToken(token, this.settings.adminSecrets, now.getTime());
    if (!expiresAt) return undefined;
    return (await this.sessions.spendSignedLink(hashToken(token), expiresAt, now))
      ? 'admin-link'
      : undefined;
  }

  /** The live session a cookie names, or undefined (unknown, expired or signed out). */
  async session(sessionId: string): Promise<ConsoleSession | undefined> {
    if (!TOKEN_SHAPE.test(sessionId)) return undefined;
    const row = await this.sessions.session(hashToken(sessionId), this.now());
    if (!row) return undefined;
    return { csrfToken: csrfFor(sessionId), expiresAt: row.expiresAt, source: row.source };
  }

  async signOut(sessionId: string): Promise<void> {
    if (TOKEN_SHAPE.test(sessionId)) await this.sessions.removeSession(hashToken(sessionId));
  }
}

export function csrfFor(sessionId: string): string {
  return createHmac('sha256', sessionId).update('sheen-console-csrf').digest('base64url');
}

/** Constant-time comparison of a submitted CSRF token with the session's own. */
export function csrfMatches(sessionId: string, given: string | undefined): boolean {
  if (typeof given !== 'string') return false;
  const expected = Buffer.from(csrfFor(sessionId));
  const actual = Buffer.from(given);
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}
