import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Standard Webhooks (standardwebhooks.com) signing: HMAC-SHA256 over `id.timestamp.body`
 * with the key that follows `whsec_` (base64), sent as `webhook-signature: v1,<base64>`
 * next to `webhook-id` and `webhook-timestamp`. Any Standard Webhooks library verifies it.
 */

const PREFIX = 'whsec_';
/** The spec asks for 24 to 64 random bytes. */
const MIN_KEY_BYTES = 24;
const MAX_KEY_BYTES = 64;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

export function isWebhookSecret(value: string): boolean {
  return secretKey(value) !== undefined;
}

/** The HMAC key of a `whsec_` secret, or undefined when the value is not one. */
export function secretKey(value: string): Buffer | undefined {
  if (!value.startsWith(PREFIX)) return undefined;
  const encoded = value.slice(PREFIX.length);
  if (!BASE64.test(encoded) || encoded.length % 4 !== 0) return undefined;
  const key = Buffer.from(encoded, 'base64');
  return key.length >= MIN_KEY_BYTES && key.length <= MAX_KEY_BYTES ? key : undefined;
}

export function newWebhookSecret(): string {
  return PREFIX + randomBytes(32).toString('base64');
}

function mac(key: Buffer, id: string, timestamp: number, body: string): Buffer {
  return createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest();
}

export interface SignedHeaders {
  'webhook-id': string;
  'webhook-timestamp': string;
  'webhook-signature': string;
}

/** The three headers of one attempt; `timestamp` in unix seconds (the time of sending). */
export function signWebhook(
  secret: string,
  id: string,
  timestamp: number,
  body: string,
): SignedHeaders {
  const key = secretKey(secret);
  if (!key) throw new Error('not a whsec_ secret');
  return {
    'webhook-id': id,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': `v1,${mac(key, id, timestamp, body).toString('base64')}`,
  };
}

export type VerifyFailure = 'missing' | 'timestamp' | 'signature';

export type VerifyResult = { ok: true; id: string } | { ok: false; reason: VerifyFailure };

/**
 * Checks a received message: the headers are present, the timestamp is within
 * `toleranceSeconds` of now (so a captured message cannot be replayed later), and one of the
 * space-separated `v1,` signatures matches one of `secrets` (several during rotation).
 */
export function verifyWebhook(
  secrets: readonly string[],
  headers: Record<string, string | string[] | undefined>,
  body: Buffer | string,
  options: { toleranceSeconds: number; nowSeconds?: number },
): VerifyResult {
  const one = (name: string) => {
    const value = headers[name];
    return typeof value === 'string' && value.length > 0 ? value : undefined;
  };
  const id = one('webhook-id');
  const timestamp = one('webhook-timestamp');
  const signatures = one('webhook-signature');
  if (!id || !timestamp || !signatures) return { ok: false, reason: 'missing' };
  const seconds = /^\d{1,12}$/.test(timestamp) ? Number(timestamp) : NaN;
  const now = options.nowSeconds ?? Math.floor(Date.now() / 1000);
  if (!Number.isFinite(seconds) || Math.abs(now - seconds) > options.toleranceSeconds) {
    return { ok: false, reason: 'timestamp' };
  }
  const text = typeof body === 'string' ? body : body.toString('utf8');
  const offered = signatures
    .split(' ')
    .filter((s) => s.startsWith('v1,'))
    .map((s) => Buffer.from(s.slice(3), 'base64'));
  for (const secret of secrets) {
    const key = secretKey(secret);
    if (!key) continue;
    const expected = mac(key, id, seconds, text);
    if (offered.some((sig) => sig.length === expected.length && timingSafeEqual(sig, expected))) {
      return { ok: true, id };
    }
  }
  return { ok: false, reason: 'signature' };
}
