import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Console sign-in tokens. Two kinds travel in `/console/signin?token=…`:
 *
 * - a random one-time token the worker stores (hashed) and prints at start-up, and
 * - an admin-signed one, `a1.<expiresUnix>.<nonce>.<hex HMAC-SHA256(adminSecret,
 *   "sheen-console-signin.<expiresUnix>.<nonce>")>`, that an operator mints later with
 *   `npm run console-link` from the admin secret alone, without reaching the worker.
 *
 * Both work once. Self-contained (node:crypto only) so the link script needs no server code.
 */

const SIGNED_PREFIX = 'a1';
const SIGNED_TOKEN = /^a1\.(\d{1,12})\.([A-Za-z0-9_-]{16,64})\.([0-9a-f]{64})$/;
/** No admin-signed link may live longer than this, whatever its signer asked for. */
export const MAX_SIGNED_LINK_SECONDS = 24 * 3600;

export const hashToken = (value: string) => createHash('sha256').update(value).digest('hex');

export const randomToken = () => randomBytes(32).toString('base64url');

function signature(secret: string, expires: number, nonce: string): string {
  return createHmac('sha256', secret)
    .update(`sheen-console-signin.${expires}.${nonce}`)
    .digest('hex');
}

/** An admin-signed sign-in token valid for `ttlSeconds` from `now`. */
export function signSigninToken(secret: string, ttlSeconds: number, now = Date.now()): string {
  const ttl = Math.min(Math.max(1, Math.floor(ttlSeconds)), MAX_SIGNED_LINK_SECONDS);
  const expires = Math.floor(now / 1000) + ttl;
  const nonce = randomBytes(18).toString('base64url');
  return `${SIGNED_PREFIX}.${expires}.${nonce}.${signature(secret, expires, nonce)}`;
}

export const isSignedToken = (token: string) => token.startsWith(`${SIGNED_PREFIX}.`);

/**
 * The expiry of an admin-signed token whose signature matches one of `secrets` and which has
 * not expired; undefined otherwise. Whether it was used before is the caller's to check.
 */
export function verifySigninToken(
  token: string,
  secrets: readonly string[],
  now = Date.now(),
): Date | undefined {
  const match = SIGNED_TOKEN.exec(token);
  if (!match) return undefined;
  const expires = Number(match[1]);
  const nonce = match[2] as string;
  const given = Buffer.from(match[3] as string, 'hex');
  const nowSeconds = Math.floor(now / 1000);
  if (expires <= nowSeconds || expires > nowSeconds + MAX_SIGNED_LINK_SECONDS) return undefined;
  // Every secret is compared, so timing says nothing about which one (if any) matched.
  let valid = false;
  for (const secret of secrets) {
    const expected = Buffer.from(signature(secret, expires, nonce), 'hex');
    if (timingSafeEqual(expected, given)) valid = true;
  }
  return valid ? new Date(expires * 1000) : undefined;
}
