/**
 * Retries for calls to an OpenAI-compatible server. The SDK's own retries are off
 * (`maxRetries: 0`) so that one policy covers both failed requests and streams cut halfway:
 * exponential backoff with jitter on 429, 408, 409 and 5xx (honouring `retry-after-ms` and
 * `retry-after`), on dropped connections and on cut streams. Refused credentials, a server that
 * is not listening and exhausted retries become an `EngineUnavailableError` whose message never
 * contains the API key.
 */
import { APIConnectionError, APIError, APIUserAbortError } from 'openai';
import { EngineUnavailableError } from '../engine.js';
import { sleep } from '../agent/sleep.js';

export const ENGINE_NAME = 'openai';

/** A longest wait a `retry-after` may ask for before the engine gives up instead. */
const MAX_RETRY_AFTER_MS = 60_000;

/** A stream that ended before its finish (socket closed, no `finish_reason`, no `[DONE]`). */
export class CutStreamError extends Error {
  constructor(message = 'The response stream ended before the answer was complete.') {
    super(message);
    this.name = 'CutStreamError';
  }
}

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

export interface RetryOptions {
  retries: number;
  /** First backoff delay; doubles on each attempt (default 1000 ms). */
  baseDelayMs: number;
  /** Largest backoff delay (default 30 s). */
  maxDelayMs: number;
  signal: AbortSignal;
  /** Where the server is, for messages (host only, never credentials). */
  where: string;
  /** Strings that must never appear in an error message (the API key). */
  secrets: readonly string[];
  /** Told before each wait, with why and for how long. */
  onRetry?: (reason: string, delayMs: number, attempt: number) => void;
}

type Verdict =
  | { kind: 'abort' }
  | { kind: 'fatal'; message: string; cause?: unknown }
  | { kind: 'retry'; message: string; afterMs?: number; cause?: unknown }
  | { kind: 'rejected'; status: number; message: string }
  | { kind: 'rethrow' };

/** Removes secrets and anything shaped like an API key from text that came from a server. */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) if (secret.length >= 4) out = out.split(secret).join('[REDACTED]');
  return out.replace(/\b(sk|rk|gsk|xai)-[A-Za-z0-9_*.-]{6,}/g, '[REDACTED]');
}

/** The host part of a base URL, without credentials or path. */
export function hostOf(baseUrl: string): string {
  try {
    return new URL(baseUrl).host;
  } catch {
    return 'the configured server';
  }
}

function errnoCodes(err: unknown, depth = 0): string[] {
  if (!err || typeof err !== 'object' || depth > 5) return [];
  const codes: string[] = [];
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string') codes.push(code);
  if (err instanceof AggregateError)
    for (const inner of err.errors) codes.push(...errnoCodes(inner, depth + 1));
  codes.push(...errnoCodes((err as { cause?: unknown }).cause, depth + 1));
  return codes;
}

/** Milliseconds a response asks the client to wait (`retry-after-ms`, then `retry-after`). */
export function retryAfterMs(headers: Headers | undefined, now = Date.now()): number | undefined {
  if (!headers) return undefined;
  const ms = Number.parseFloat(headers.get('retry-after-ms') ?? '');
  if (Number.isFinite(ms) && ms >= 0) return ms;
  const value = headers.get('retry-after');
  if (value === null || value.trim() === '') return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(value);
  return Number.isFinite(date) ? Math.max(0, date - now) : undefined;
}

function serverMessage(err: APIError, secrets: readonly string[]): string {
  const body: unknown = err.error;
  const message =
    typeof body === 'object' && body !== null ? (body as { message?: unknown }).message : undefined;
  const text = typeof message === 'string' ? message : '';
  return text ? ': ' + redact(text, secrets).slice(0, 300) : '';
}

function classify(err: unknown, options: RetryOptions): Verdict {
  if (options.signal.aborted || err instanceof APIUserAbortError) return { kind: 'abort' };
  const where = options.where;
  if (err instanceof CutStreamError) return { kind: 'retry', message: err.message, cause: err };
  if (err instanceof APIConnectionError) {
    const codes = errnoCodes(err);
    if (codes.includes('ECONNREFUSED'))
      return {
        kind: 'fatal',
        message: `Cannot reach the OpenAI-compatible server at ${where}: connection refused. Is it running, and is OPENAI_BASE_URL right?`,
        cause: err,
      };
    if (codes.includes('ENOTFOUND'))
      return {
        kind: 'fatal',
        message: `Cannot reach the OpenAI-compatible server at ${where}: the host name does not resolve. Check OPENAI_BASE_URL.`,
        cause: err,
      };
    return {
      kind: 'retry',
      message: `The connection to ${where} failed (${codes[0] ?? 'network error'}).`,
      cause: err,
    };
  }
  if (err instanceof APIError && typeof err.status === 'number') {
    const api = err as APIError;
    const status = err.status;
    if (status === 401 || status === 403)
      // No cause and no server text: servers echo part of a rejected key.
      return {
        kind: 'fatal',
        message: `The OpenAI-compatible server at ${where} refused the credentials (HTTP ${status}). Check OPENAI_API_KEY.`,
      };
    if (status === 429 || status === 408 || status === 409 || status >= 500) {
      const afterMs = retryAfterMs(api.headers);
      const what = status === 429 ? 'is rate limiting requests' : `answered HTTP ${status}`;
      return {
        kind: 'retry',
        message: `The OpenAI-compatible server at ${where} ${what}${serverMessage(api, options.secrets)}`,
        ...(afterMs !== undefined ? { afterMs } : {}),
        cause: err,
      };
    }
    if (status === 404)
      return {
        kind: 'fatal',
        message: `The OpenAI-compatible server at ${where} does not know this model or route (HTTP 404)${serverMessage(api, options.secrets)}. Check OPENAI_MODEL and OPENAI_BASE_URL.`,
      };
    return {
      kind: 'rejected',
      status,
      message: `The OpenAI-compatible server at ${where} rejected the request (HTTP ${status})${serverMessage(api, options.secrets)}`,
    };
  }
  // A body that stopped arriving mid-stream surfaces from fetch as a plain error ("terminated").
  if (err instanceof TypeError || errnoCodes(err).some((c) => /^(ECONNRESET|EPIPE|UND_)/.test(c)))
    return { kind: 'retry', message: `The connection to ${where} dropped mid-answer.`, cause: err };
  return { kind: 'rethrow' };
}

/** Backoff before retry number `attempt` (0-based): exponential with "equal jitter". */
export function backoffMs(attempt: number, base: number, max: number): number {
  const ceiling = Math.min(max, base * 2 ** attempt);
  return Math.round(ceiling / 2 + Math.random() * (ceiling / 2));
}

/**
 * Runs `call` and retries it per the policy above. `call` must be safe to repeat whole (a turn
 * whose stream was cut is requested again from the start).
 */
export async function withRetries<T>(
  call: (attempt: number) => Promise<T>,
  options: RetryOptions,
): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    options.signal.throwIfAborted();
    try {
      return await call(attempt);
    } catch (err) {
      const verdict = classify(err, options);
      if (verdict.kind === 'abort') {
        options.signal.throwIfAborted();
        throw err;
      }
      if (verdict.kind === 'rethrow') throw err;
      if (verdict.kind === 'rejected')
        throw new OpenAiRequestError(verdict.status, verdict.message);
      if (verdict.kind === 'fatal')
        throw new EngineUnavailableError(
          ENGINE_NAME,
          verdict.message,
          verdict.cause ? { cause: verdict.cause } : undefined,
        );
      if (verdict.afterMs !== undefined && verdict.afterMs > MAX_RETRY_AFTER_MS)
        throw new EngineUnavailableError(
          ENGINE_NAME,
          `${verdict.message}; it asks to wait ${Math.ceil(verdict.afterMs / 1000)} s, longer than the engine waits.`,
          { cause: verdict.cause },
        );
      if (attempt >= options.retries)
        throw new EngineUnavailableError(
          ENGINE_NAME,
          `${verdict.message} (gave up after ${attempt + 1} attempt${attempt === 0 ? '' : 's'}).`,
          { cause: verdict.cause },
        );
      const delay = verdict.afterMs ?? backoffMs(attempt, options.baseDelayMs, options.maxDelayMs);
      options.onRetry?.(verdict.message, delay, attempt + 1);
      await sleep(delay, options.signal);
    }
  }
}
