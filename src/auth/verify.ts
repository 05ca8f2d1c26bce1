import { AppError } from '../errors.js';
import {
  NONCE_HEADER,
  NONCE_PATTERN,
  SIGNATURE_HEADER,
  TIMESTAMP_HEADER,
  canonicalString,
  safeEqual,
  signCanonical,
  signV1,
} from './signing.js';

export interface SignaturePolicy {
  secrets: readonly string[];
  allowV1: boolean;
  toleranceSeconds: number;
  now?: () => number;
}

export interface SignedRequest {
  method: string;
  /** The request-line URL: path with query, exactly as received. */
  url: string;
  headers: Record<string, string | string[] | undefined>;
  rawBody: Buffer | undefined;
}

/** A signature that matched; a v2 one still has its nonce to claim. */
export type CheckedSignature = { scheme: 'v1' } | { scheme: 'v2'; nonce: string };

const V2_SIGNATURE = /^v2=[0-9a-f]{64}$/;
const V1_SIGNATURE = /^[0-9a-f]{64}$/;

/**
 * The synchronous half of verification: headers, timestamp window and HMAC. Throws AppError
 * with an AUTH_* code on any failure; never throws anything else.
 */
export function checkSignature(req: SignedRequest, policy: SignaturePolicy): CheckedSignature {
  const signature = header(req, SIGNATURE_HEADER);
  const timestamp = header(req, TIMESTAMP_HEADER);
  const nonce = header(req, NONCE_HEADER);

  if (!signature) throw new AppError('AUTH_MISSING', `Missing ${SIGNATURE_HEADER} header.`);
  if (policy.secrets.length === 0) {
    throw new AppError('AUTH_INVALID_SIGNATURE', 'No signing secret is configured for this route.');
  }

  if (timestamp === undefined && nonce === undefined && V1_SIGNATURE.test(signature)) {
    if (policy.allowV1) return verifyV1(req, signature, policy);
    throw new AppError(
      'AUTH_MISSING',
      `Legacy v1 signatures are not accepted here; sign with v2 (${TIMESTAMP_HEADER}, ${NONCE_HEADER}).`,
    );
  }
  if (timestamp === undefined) {
    throw new AppError('AUTH_MISSING', `Missing ${TIMESTAMP_HEADER} header.`);
  }
  if (nonce === undefined) throw new AppError('AUTH_MISSING', `Missing ${NONCE_HEADER} header.`);

  if (!/^\d{1,12}$/.test(timestamp)) {
    throw new AppError('AUTH_TIMESTAMP_SKEW', `${TIMESTAMP_HEADER} must be unix seconds.`);
  }
  const nowSeconds = Math.floor((policy.now?.() ?? Date.now()) / 1000);
  if (Math.abs(nowSeconds - Number(timestamp)) > policy.toleranceSeconds) {
    throw new AppError(
      'AUTH_TIMESTAMP_SKEW',
      `Request timestamp is more than ${policy.toleranceSeconds} seconds from server time.`,
    );
  }
  if (!NONCE_PATTERN.test(nonce)) {
    throw new AppError(
      'AUTH_MISSING',
      `${NONCE_HEADER} must be 16-128 characters of A-Z a-z 0-9 _ -.`,
    );
  }
  if (!V2_SIGNATURE.test(signature)) {
    throw new AppError('AUTH_INVALID_SIGNATURE', 'Signature is malformed.');
  }

  const canonical = canonicalString({
    timestamp,
    nonce,
    method: req.method,
    pathWithQuery: req.url,
    body: req.rawBody,
  });
  // Check every secret (no early exit) so timing does not reveal which one matched.
  let matched = false;
  for (const secret of policy.secrets) {
    if (safeEqual(signCanonical(secret, canonical), signature)) matched = true;
  }
  if (!matched) throw new AppError('AUTH_INVALID_SIGNATURE', 'Signature does not match.');
  return { scheme: 'v2', nonce };
}

function verifyV1(
  req: SignedRequest,
  signature: string,
  policy: SignaturePolicy,
): CheckedSignature {
  if (!V1_SIGNATURE.test(signature)) {
    throw new AppError('AUTH_INVALID_SIGNATURE', 'Signature is malformed.');
  }
  const path = req.url.split('?', 1)[0] ?? req.url;
  let matched = false;
  for (const secret of policy.secrets) {
    if (safeEqual(signV1(secret, req.rawBody, path), signature)) matched = true;
  }
  if (!matched) throw new AppError('AUTH_INVALID_SIGNATURE', 'Signature does not match.');
  return { scheme: 'v1' };
}

function header(req: SignedRequest, name: string): string | undefined {
  const value = req.headers[name];
  const single = Array.isArray(value) ? value[0] : value;
  return single === undefined || single === '' ? undefined : single;
}
