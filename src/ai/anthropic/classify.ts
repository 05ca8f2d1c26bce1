/**
 * What a failed Anthropic request means, for the shared retry policy (`../agent/retry.ts`):
 * retry it (rate limits, overload, server errors, a stream cut short), give up because the
 * engine is unusable (bad key, no access, unknown model, billing), or fail the call (a request
 * the API will never accept). Connection failures and broken streams are the shared rules'.
 */
import { APIConnectionError, APIError, APIUserAbortError } from '@anthropic-ai/sdk';
import {
  connectionVerdict,
  isRetryableStatus,
  retryAfterMs,
  statusReason,
  type Verdict,
} from '../agent/retry.js';

/** Error types an `event: error` inside a stream carries (it has no HTTP status). */
const RETRYABLE_TYPES = new Set([
  'overloaded_error',
  'api_error',
  'rate_limit_error',
  'timeout_error',
]);

/** The SDK's error as `instanceof` leaves it typed (generic parameters are `any`). */
type ApiError = APIError<number | undefined, Headers | undefined, object | undefined>;

function apiWords(err: ApiError, redact: (text: string) => string): string {
  const detail = err.apiMessage ? `: ${redact(err.apiMessage)}` : '';
  return `${err.status ?? 'stream'} ${err.type ?? 'error'}${detail}`;
}

/**
 * Classifies a failed request. `redact` removes secrets from API-provided text before it can
 * reach a message (the API does not echo keys today; this keeps it that way if it ever does).
 */
export function classify(
  err: unknown,
  redact: (text: string) => string = (t) => t,
): Verdict | undefined {
  // Our own idle timer aborts through the SDK; a caller's abort is handled before classify.
  if (err instanceof APIUserAbortError) return { kind: 'retry', reason: 'request cut off' };
  if (err instanceof APIConnectionError) return connectionVerdict(err);
  if (err instanceof APIError) return classifyApiError(err as ApiError, redact);
  return undefined;
}

function classifyApiError(err: ApiError, redact: (text: string) => string): Verdict {
  const status = err.status;
  if (status === 401) {
    return {
      kind: 'unavailable',
      message:
        'The Anthropic API rejected the API key (401 authentication_error). Check ANTHROPIC_API_KEY.',
    };
  }
  if (status === 403) {
    return {
      kind: 'unavailable',
      message: `The Anthropic API refused access (${apiWords(err, redact)}). Check the key's workspace and model permissions.`,
    };
  }
  if (status === 402 || status === 404) {
    return {
      kind: 'unavailable',
      message: `The Anthropic API cannot serve this engine (${apiWords(err, redact)}). Check ANTHROPIC_MODEL and the account's billing.`,
    };
  }
  if (status === undefined ? RETRYABLE_TYPES.has(err.type ?? '') : isRetryableStatus(status)) {
    const after = retryAfterMs(err.headers);
    return {
      kind: 'retry',
      reason: retryReason(err),
      cause: err,
      ...(after === undefined ? {} : { retryAfterMs: after }),
    };
  }
  return {
    kind: 'fail',
    error: new Error(`The Anthropic API refused the request (${apiWords(err, redact)}).`),
  };
}

function retryReason(err: ApiError): string {
  const { status, type } = err;
  if (status === 529 || (status !== 429 && type === 'overloaded_error'))
    return `overloaded (${status ?? 'overloaded_error in the stream'})`;
  return status === undefined
    ? `server error (${type ?? 'error'} in the stream)`
    : statusReason(status);
}
