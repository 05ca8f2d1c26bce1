import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Request signing, scheme "v2". Self-contained (node:crypto only) so the main app, the CLI
 * and tests can import it without pulling in the server.
 *
 *   canonical = `${timestamp}.${nonce}.${METHOD}.${pathWithQuery}.${hex(sha256(rawBody))}`
 *   x-sheen-signature = "v2=" + hex(HMAC-SHA256(secret, canonical))
 */

export const SIGNATURE_HEADER = 'x-sheen-signature';
export const TIMESTAMP_HEADER = 'x-sheen-timestamp';
export const NONCE_HEADER = 'x-sheen-nonce';
export const NONCE_PATTERN = /^[A-Za-z0-9_-]{16,128}$/;

export type Body = string | Uint8Array | undefined;

export interface CanonicalParts {
  timestamp: number | string;
  nonce: string;
  method: string;
  /** Path exactly as sent on the request line, query string included. */
  pathWithQuery: string;
  body?: Body;
}

/** Reads and deletes carry no body: their hash is this constant, not a hash per request. */
const EMPTY_SHA256 = createHash('sha256').update('').digest('hex');

export function sha256Hex(body: Body): string {
  if (body === undefined || body.length === 0) return EMPTY_SHA256;
  return createHash('sha256').update(body).digest('hex');
}

export function canonicalString(parts: CanonicalParts): string {
  return [
    String(parts.timestamp),
    parts.nonce,
    parts.method.toUpperCase(),
    parts.pathWithQuery,
    sha256Hex(parts.body),
  ].join('.');
}

export function signV2(secret: string, parts: CanonicalParts): string {
  return signCanonical(secret, canonicalString(parts));
}

/** The v2 signature of a canonical string already built (a verifier tries several secrets). */
export function signCanonical(secret: string, canonical: string): string {
  return 'v2=' + createHmac('sha256', secret).update(canonical).digest('hex');
}

/** The legacy scheme: replayable, accepted only when HMAC_ALLOW_V1=true. Path without query. */
export function signV1(secret: string, body: Body, path: string): string {
  return createHmac('sha256', secret)
    .update(Buffer.concat([toBuffer(body), Buffer.from(path)]))
    .digest('hex');
}

export function newNonce(): string {
  return randomBytes(18).toString('base64url');
}

export interface SignRequestInput {
  secret: string;
  method: string;
  pathWithQuery: string;
  body?: Body;
  /** Unix seconds; defaults to now. */
  timestamp?: number;
  nonce?: string;
}

/** Headers to add to a request so the worker accepts it. */
export function signRequest(input: SignRequestInput): Record<string, string> {
  const timestamp = input.timestamp ?? Math.floor(Date.now() / 1000);
  const nonce = input.nonce ?? newNonce();
  const signature = signV2(input.secret, {
    timestamp,
    nonce,
    method: input.method,
    pathWithQuery: input.pathWithQuery,
    body: input.body,
  });
  return {
    [TIMESTAMP_HEADER]: String(timestamp),
    [NONCE_HEADER]: nonce,
    [SIGNATURE_HEADER]: signature,
  };
}

/**
 * Constant-time comparison of two strings that never throws. Only a length is told apart
 * early, and a signature's length is public (`v2=` and 64 hex digits).
 */
export function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

function toBuffer(body: Body): Buffer {
  if (body === undefined) return Buffer.alloc(0);
  return typeof body === 'string' ? Buffer.from(body) : Buffer.from(body);
}
