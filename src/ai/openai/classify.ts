/**
 * What a failed request to an OpenAI-compatible server means, for the shared retry policy
 * (`../agent/retry.ts`): retry 429, 408, 409 and 5xx; give up on refused credentials, an unknown
 * model or route and an account that must pay first; fail the call on any other 4xx with an
 * `OpenAiRequestError` that the chat may adapt to. Connection failures and broken streams are
 * the shared rules'.
 */
import { APIConnectionError, APIError, APIUserAbortError } from 'openai';
import {
  connectionVerdict,
  isRetryableStatus,
  retryAfterMs,
  statusReason,
  type Classify,
  type Verdict,
} from '../agent/retry.js';

export const ENGINE_NAME = 'openai';

/** A request the server refused as malformed (4xx other than auth, rate limits and 404). */
export class OpenAiRequestError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'OpenAiRequestError';
  }
}

/** The host part of a base URL, without credentials or path. */
export function hostOf(baseUrl: string): string {
  try {
    return new URL(baseUrl).host;
  } catch {
    return 'the configured server';
  }
}

/** How messages name the server. */
export function serverAt(where: string): string {
  return `The OpenAI-compatible server at ${where}`;
}

/** The SDK's error as `instanceof` leaves it typed (generic parameters are `any`). */
type ApiError = APIError<number | undefined, Headers | undefined, object | undefined>;

function serverMessage(err: ApiError, redact: (text: string) => string): string {
  const body: unknown = err.error;
  const message =
    typeof body === 'object' && body !== null ? (body as { message?: unknown }).message : undefined;
  const text = typeof message === 'string' ? message : '';
  return text ? ': ' + redact(text).slice(0, 300) : '';
}

/** The classify for the server at `where` (a host, never credentials). */
export function classifier(where: string): Classify {
  const server = serverAt(where);
  return (err, redact) => {
    // Our own idle timer aborts through the SDK; a caller's abort is handled before classify.
    if (err instanceof APIUserAbortError) return { kind: 'retry', reason: 'request cut off' };
    if (err instanceof APIConnectionError) return connectionVerdict(err);
    if (!(err instanceof APIError)) return undefined;
    return statusVerdict(err as ApiError, server, redact);
  };
}

function statusVerdict(
  err: ApiError,
  server: string,
  redact: (text: string) => string,
): Verdict | undefined {
  const status = err.status;
  // An `error` event inside a stream has no status, and servers differ on what it means: it
  // fails the call as it came.
  if (status === undefined) return undefined;
  // No cause and no server text: servers echo part of a rejected key.
  if (status === 401 || status === 403)
    return {
      kind: 'unavailable',
      message: `${server} refused the credentials (HTTP ${status}). Check OPENAI_API_KEY.`,
    };
  const said = serverMessage(err, redact);
  if (status === 402)
    return {
      kind: 'unavailable',
      message: `${server} wants payment before it answers (HTTP 402)${said}. Check the account's credits.`,
    };
  if (status === 404)
    return {
      kind: 'unavailable',
      message: `${server} does not know this model or route (HTTP 404)${said}. Check OPENAI_MODEL and OPENAI_BASE_URL.`,
    };
  if (isRetryableStatus(status)) {
    const after = retryAfterMs(err.headers);
    return {
      kind: 'retry',
      reason: `${statusReason(status)}${said}`,
      cause: err,
      ...(after === undefined ? {} : { retryAfterMs: after }),
    };
  }
  const message = `${server} rejected the request (HTTP ${status})${said}`;
  return { kind: 'fail', error: new OpenAiRequestError(status, message) };
}
