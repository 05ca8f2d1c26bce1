/**
 * The one retry policy of the API engines (`anthropic`, `openai`). Their SDKs' own retries are
 * off (`maxRetries: 0`) so that one loop covers both failed requests and streams cut halfway,
 * every retry is an event, and `retry-after` is honoured. An engine supplies only what knows its
 * SDK: a `classify` that maps its error classes and statuses to a `Verdict`, and the words for
 * its messages. Everything else lives here: backoff with jitter, `retry-after` and its cap, the
 * rule for servers that cannot be reached, dropped connections, redaction and the notices.
 */
import { createRedactor, REDACTED } from '../../observability/redact.js';
import { EngineUnavailableError, type EngineEvent } from '../engine.js';
import { sleep } from './sleep.js';

/** A stream that ended before its finish, or went silent: the whole request is sent again. */
export class StreamCutError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'StreamCutError';
  }
}

/** What one failed attempt means. */
export type Verdict =
  /** Transient: wait (the server's `retry-after`, else backoff) and send the request again. */
  | { kind: 'retry'; reason: string; retryAfterMs?: number; cause?: unknown }
  /** Nothing answers at that address: see UNREACHABLE_RETRIES. */
  | { kind: 'unreachable'; reason: string; cause?: unknown }
  /** The engine cannot work (credentials, model, billing): unavailable at once. */
  | { kind: 'unavailable'; message: string; cause?: unknown }
  /** This request will never succeed but the engine is fine: the call fails with `error`. */
  | { kind: 'fail'; error: unknown };

/** The provider part: `undefined` leaves the error to the shared rules below. */
export type Classify = (err: unknown, redact: (text: string) => string) => Verdict | undefined;

/**
 * A refused connection (ECONNREFUSED) or a host name that does not resolve (ENOTFOUND) means
 * nothing listens there: most often a local OpenAI-compatible server that is not running, or a
 * wrong base URL. Waiting out the full backoff (minutes at AI_RETRIES=4) would only delay the
 * fallback engine or the build's failure, so both engines give it two quick retries, enough for
 * a listener that is restarting, and then raise EngineUnavailableError. A hosted API that
 * refuses connections is no more likely to recover within a backoff, so the rule is the same.
 */
const UNREACHABLE_RETRIES = 2;
const UNREACHABLE_DELAY_MS = 250;
const UNREACHABLE: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'connection refused',
  ENOTFOUND: 'the host name does not resolve',
};
/** Connections that broke or timed out: worth the normal backoff. */
const DROPPED =
  /^(?:ECONNRESET|ECONNABORTED|EPIPE|ETIMEDOUT|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH|UND_ERR)/;

export interface RetryPolicy {
  /** The engine's name, for EngineUnavailableError. */
  engine: string;
  /** Who failed, starting every message: "The Anthropic API". */
  subject: string;
  /** Said after giving up on an unreachable server (which setting to check). */
  unreachableHint: string;
  /** Retries after the first attempt (AI_RETRIES). */
  retries: number;
  /** First backoff ceiling; doubles per retry. */
  baseMs: number;
  maxMs: number;
  /** Longest `retry-after` honoured; a server asking for more makes the engine unavailable. */
  retryAfterMaxMs: number;
  /** Values that must never appear in a message (the API key). */
  secrets: readonly string[];
  classify: Classify;
  random?: () => number;
}

export interface RetryNotice {
  message: string;
  reason: string;
  delayMs: number;
  /** 1 for the first retry. */
  retry: number;
  /** Retries this failure allows (fewer for an unreachable server). */
  retries: number;
}

export interface RetryCall {
  signal: AbortSignal;
  /** Told before each wait. */
  onRetry?: (notice: RetryNotice) => void;
}

/** A notice as the build event both engines emit. */
export function retryEvent(notice: RetryNotice): EngineEvent {
  const { reason, delayMs, retry, retries } = notice;
  return { type: 'progress', message: notice.message, data: { retry, retries, delayMs, reason } };
}

/**
 * Servers echo a rejected key in their error text, sometimes masked (`sk-proj-****abcd`) or
 * shorter than the shapes the log redactor looks for; those go too.
 */
const ECHOED_KEY = /\b(?:sk|rk|gsk|xai)-[A-Za-z0-9_*.-]{6,}/g;

/** Removes `secrets` and anything shaped like a credential from text a server sent. */
export function secretRedactor(secrets: readonly string[]): (text: string) => string {
  const known = createRedactor(secrets);
  return (text) => known(text).replace(ECHOED_KEY, REDACTED);
}

/** `retry-after-ms`, else `retry-after` in seconds or as an HTTP date. */
export function retryAfterMs(headers: Headers | undefined, now = Date.now()): number | undefined {
  if (!headers) return undefined;
  const ms = Number.parseFloat(headers.get('retry-after-ms') ?? '');
  if (Number.isFinite(ms) && ms >= 0) return ms;
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

/** 408, 409, 429 and 5xx: statuses both APIs document as worth retrying. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 409 || status === 429 || status >= 500;
}

/** Short words for a retryable status, the same in both engines' notices. */
export function statusReason(status: number): string {
  if (status === 429) return 'rate limit (429)';
  if (status === 529) return 'overloaded (529)';
  return `server error (${status})`;
}

/** Error codes on an error, its causes and, for a connection tried on several addresses, each. */
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

/** The verdict for a failed connection (an SDK's APIConnectionError, or fetch's own error). */
export function connectionVerdict(err: unknown): Verdict {
  const codes = errnoCodes(err);
  const unreachable = codes.find((code) => UNREACHABLE[code] !== undefined);
  if (unreachable) return { kind: 'unreachable', reason: UNREACHABLE[unreachable]!, cause: err };
  const dropped = codes.find((code) => DROPPED.test(code));
  return {
    kind: 'retry',
    reason: `connection failure (${dropped ?? 'network error'})`,
    cause: err,
  };
}

/** Errors that reach us past the SDK, from the stream it was reading. */
function transportVerdict(err: unknown): Verdict | undefined {
  if (err instanceof StreamCutError) return { kind: 'retry', reason: err.message, cause: err };
  const codes = errnoCodes(err);
  if (codes.some((code) => UNREACHABLE[code] !== undefined)) return connectionVerdict(err);
  // Undici reports a socket closed mid-body as `TypeError: terminated`; a garbled event is a
  // SyntaxError from the SDK's JSON parse. Both mean the stream broke, not that the request is
  // bad. Other TypeErrors are bugs and are not retried.
  if (err instanceof TypeError && /terminated|fetch failed|socket/i.test(err.message))
    return { kind: 'retry', reason: 'connection reset', cause: err };
  if (err instanceof SyntaxError) return { kind: 'retry', reason: 'garbled stream', cause: err };
  if (codes.some((code) => DROPPED.test(code))) return connectionVerdict(err);
  return undefined;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** Runs requests of one engine under the policy above. */
export class Retrier {
  readonly redact: (text: string) => string;

  constructor(private readonly policy: RetryPolicy) {
    this.redact = secretRedactor(policy.secrets);
  }

  /**
   * Runs `call` until it succeeds, retrying transient failures. `call` must be safe to repeat
   * whole: a request whose stream was cut is sent again from the start.
   */
  async run<T>(call: (attempt: number) => Promise<T>, options: RetryCall): Promise<T> {
    let unreachable = 0;
    for (let attempt = 0; ; attempt += 1) {
      options.signal.throwIfAborted();
      try {
        return await call(attempt);
      } catch (err) {
        // The caller's abort wins over whatever the SDK made of it.
        options.signal.throwIfAborted();
        const verdict = this.policy.classify(err, this.redact) ??
          transportVerdict(err) ?? { kind: 'fail', error: err };
        if (verdict.kind === 'unreachable') unreachable += 1;
        const notice = this.nextRetry(verdict, attempt, unreachable);
        options.onRetry?.(notice);
        await sleep(notice.delayMs, options.signal);
      }
    }
  }

  /** How long to wait before the next attempt; throws when there is to be none. */
  private nextRetry(verdict: Verdict, attempt: number, unreachable: number): RetryNotice {
    const { policy } = this;
    const giveUp = (message: string, cause?: unknown): never => {
      throw new EngineUnavailableError(
        policy.engine,
        this.redact(message),
        cause === undefined ? undefined : { cause },
      );
    };
    const attempts = plural(attempt + 1, 'attempt');
    switch (verdict.kind) {
      case 'fail':
        throw verdict.error;
      case 'unavailable':
        return giveUp(verdict.message, verdict.cause);
      case 'unreachable': {
        const retries = Math.min(policy.retries, UNREACHABLE_RETRIES);
        if (unreachable > retries) {
          const words = `${policy.subject} is unreachable after ${attempts} (${verdict.reason}).`;
          return giveUp(`${words} ${policy.unreachableHint}`, verdict.cause);
        }
        const base = Math.min(policy.baseMs, UNREACHABLE_DELAY_MS);
        return this.notice(verdict.reason, base * 2 ** (unreachable - 1), unreachable, retries);
      }
      case 'retry': {
        const after = verdict.retryAfterMs;
        if (after !== undefined && after > policy.retryAfterMaxMs) {
          const seconds = (ms: number) => Math.ceil(ms / 1000);
          const limit = `${seconds(after)} s, longer than the ${seconds(policy.retryAfterMaxMs)} s the engine waits`;
          return giveUp(
            `${policy.subject} asks to wait ${limit} (${verdict.reason}).`,
            verdict.cause,
          );
        }
        if (attempt >= policy.retries) {
          const words = `${policy.subject} is unavailable after ${attempts} (last error: ${verdict.reason}).`;
          return giveUp(words, verdict.cause);
        }
        const delay = after ?? backoffMs(attempt, policy.baseMs, policy.maxMs, policy.random);
        return this.notice(verdict.reason, delay, attempt + 1, policy.retries);
      }
    }
  }

  private notice(reason: string, delayMs: number, retry: number, retries: number): RetryNotice {
    const clean = this.redact(reason);
    const message = `${this.policy.subject}: ${clean}. Retrying in ${(delayMs / 1000).toFixed(1)} s (retry ${retry} of ${retries}).`;
    return { message, reason: clean, delayMs, retry, retries };
  }
}
