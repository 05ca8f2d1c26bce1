/**
 * What to do with a failed Anthropic request: retry it (rate limits, overload, server errors,
 * dropped connections, streams cut short), give up because the engine is unusable (bad key, no
 * access, unknown model), or fail the call (a request the API will never accept). Kept apart
 * from the client so the policy is testable without a server.
 */
import { APIConnectionError, APIError, APIUserAbortError } from '@anthropic-ai/sdk';

/** A stream that ended without `message_stop`, or went silent: the whole request is retried. */
export class StreamCutError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StreamCutError';
  }
}

export type Verdict =
  | { kind: 'retry'; reason: string; retryAfterMs?: number }
  | { kind: 'unavailable'; message: string }
  | { kind: 'fatal'; message: string };

const RETRYABLE_TYPES = new Set([
  'overloaded_error',
  'api_error',
  'rate_limit_error',
  'timeout_error',
]);

/** `retry-after-ms`, else `retry-after` in seconds or as an HTTP date. */
export function retryAfterMs(headers: Headers | undefined, now = Date.now()): number | undefined {
  if (!headers) return undefined;
  const ms = Number(headers.get('retry-after-ms'));
  if (headers.get('retry-after-ms') !== null && Number.isFinite(ms) && ms >= 0) return ms;
  const raw = headers.get('retry-after');
  if (raw === null || raw.trim() === '') return undefined;
  const seconds = Number(raw);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(raw);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/**
 * Exponential backoff with full jitter: a uniformly random wait between 0 and
 * min(max, base·2^attempt), so many workers hitting the same limit do not retry in lockstep.
 */
export function backoffMs(
  attempt: number,
  baseMs: number,
  maxMs: number,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** attempt);
  return Math.round(random() * ceiling);
}

function apiWords(err: ApiError, redact: (text: string) => string): string {
  const detail = err.apiMessage ? `: ${redact(err.apiMessage)}` : '';
  return `${err.status ?? 'stream'} ${err.type ?? 'error'}${detail}`;
}

/**
 * Classifies a failed request. `redact` removes secrets from API-provided text before it can
 * reach a message (the API does not echo keys today; this keeps it that way if it ever does).
 */
export function classify(err: unknown, redact: (text: string) => string = (t) => t): Verdict {
  if (err instanceof StreamCutError) return { kind: 'retry', reason: err.message };
  // Our own idle timer aborts through the SDK; a caller's abort is handled before classify.
  if (err instanceof APIUserAbortError) return { kind: 'retry', reason: 'request cut off' };
  if (err instanceof APIConnectionError) {
    return { kind: 'retry', reason: 'connection failure' };
  }
  if (err instanceof APIError) return classifyApiError(err as ApiError, redact);
  // Undici reports a socket closed mid-body as `TypeError: terminated`; a garbled event as a
  // SyntaxError from the SDK's JSON parse. Both mean the stream broke, not that the request is bad.
  if (err instanceof TypeError && /terminated|fetch failed|socket/i.test(err.message)) {
    return { kind: 'retry', reason: 'connection reset' };
  }
  if (err instanceof SyntaxError) return { kind: 'retry', reason: 'garbled stream' };
  const code = (err as { code?: unknown } | null)?.code;
  if (
    typeof code === 'string' &&
    /^(?:ECONNRESET|ECONNREFUSED|EPIPE|ETIMEDOUT|UND_ERR)/.test(code)
  ) {
    return { kind: 'retry', reason: `connection failure (${code})` };
  }
  return {
    kind: 'fatal',
    message: redact(err instanceof Error ? err.message : String(err)),
  };
}

/** The SDK's error as `instanceof` leaves it typed (generic parameters are `any`). */
type ApiError = APIError<number | undefined, Headers | undefined, object | undefined>;

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
  const retryable =
    status === undefined
      ? RETRYABLE_TYPES.has(err.type ?? '')
      : status === 408 || status === 409 || status === 429 || status >= 500;
  if (retryable) {
    const reason =
      status === 429
        ? 'rate limit (429)'
        : status === 529 || err.type === 'overloaded_error'
          ? `overloaded (${status ?? 'overloaded_error in the stream'})`
          : `server error (${status ?? (err.type ?? 'error') + ' in the stream'})`;
    const after = retryAfterMs(err.headers);
    return after === undefined
      ? { kind: 'retry', reason }
      : { kind: 'retry', reason, retryAfterMs: after };
  }
  return {
    kind: 'fatal',
    message: `The Anthropic API refused the request (${apiWords(err, redact)}).`,
  };
}
