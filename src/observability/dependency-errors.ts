import { AppError } from '../errors.js';

/** The services a request can wait on; each can go away while the worker runs. */
export type DependencyName = 'database' | 'redis';

/** What an error says about the service behind it: unreachable, and which one if it can tell. */
export type Outage = DependencyName | 'unknown';

/** How long a client should wait before trying again while a dependency is down. */
export const RETRY_AFTER_SECONDS = 5;

// Socket-level failures: the peer is down, unreachable or stopped answering.
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'EHOSTDOWN',
  'ENETUNREACH',
  'ENETDOWN',
  'EAI_AGAIN',
  'ENOTFOUND',
]);

// SQLSTATE: class 08 is "connection exception"; 57P01-57P03 are the server shutting down,
// crashing or still starting. Everything else (syntax, constraints, ...) is a bug or a
// conflict, not an outage.
const PG_UNAVAILABLE = /^(08[0-9A-Z]{3}|57P0[123])$/;

const PG_MESSAGES = [
  'Connection terminated unexpectedly',
  'Connection terminated due to connection timeout',
  'timeout exceeded when trying to connect',
  'Client has encountered a connection error and is not queryable',
];

const REDIS_MESSAGES = [
  'Connection is closed.',
  "Stream isn't writeable and enableOfflineQueue options is false",
  'Reached the max retries per request limit',
  'Command timed out',
];

/**
 * Whether `err` (or an error it wraps) means a dependency could not be reached, and which one
 * when the error's shape tells. Errors our own code raised (AppError) are never outages here:
 * they already carry their code.
 */
export function outageOf(err: unknown): Outage | undefined {
  let current: unknown = err;
  for (let depth = 0; depth < 5 && current instanceof Error; depth++) {
    if (current instanceof AppError) return undefined;
    const found = outageOfOne(current);
    if (found) return found;
    current = current.cause;
  }
  return undefined;
}

/** The fixed driver message of a connection failure (they name no host), if `err` has one. */
export function knownOutageMessage(err: Error): string | undefined {
  return [...PG_MESSAGES, ...REDIS_MESSAGES].find((m) => err.message.startsWith(m));
}

function outageOfOne(err: Error): Outage | undefined {
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string' && 'severity' in err && PG_UNAVAILABLE.test(code)) return 'database';
  if (PG_MESSAGES.some((m) => err.message.startsWith(m))) return 'database';
  if (err.name === 'MaxRetriesPerRequestError') return 'redis';
  if (REDIS_MESSAGES.some((m) => err.message.startsWith(m))) return 'redis';
  if (typeof code === 'string' && NETWORK_CODES.has(code)) return 'unknown';
  // Node's happy-eyeballs connect fails with every address's error in one AggregateError.
  if (err instanceof AggregateError && err.errors.some((e) => outageOf(e) !== undefined))
    return 'unknown';
  return undefined;
}

/** pg-pool's wait for a free connection ran out: the database is busy, not gone. */
export function isPoolWaitTimeout(err: unknown): boolean {
  return err instanceof Error && err.message === 'timeout exceeded when trying to connect';
}

const LABELS: Record<Outage, string> = {
  database: 'The database',
  redis: 'Redis',
  unknown: 'A service this request needs',
};

/** The client-visible 503 for a dependency that is down (retryable: a queue job may retry it). */
export function unavailableError(outage: Outage, cause?: unknown): AppError {
  return new AppError('SERVICE_UNAVAILABLE', `${LABELS[outage]} is unavailable.`, {
    cause,
    retryable: true,
    details: { unavailable: outage === 'unknown' ? [] : [outage] },
  });
}
