import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../../config/config.js';
import { AppError } from '../../errors.js';
import type { Redis } from '../../redis/redis.js';
import { userIdString } from '../schemas.js';
import { routeAuth } from './signature-auth.js';

/** The userId a signed request acts for, from its body, route params or query. */
export function userIdOf(request: FastifyRequest): string | undefined {
  for (const source of [request.body, request.params, request.query]) {
    if (source && typeof source === 'object' && 'userId' in source) {
      const value: unknown = source.userId;
      if (typeof value === 'string' && userIdString.safeParse(value).success) return value;
    }
  }
  return undefined;
}

type Limiter = ReturnType<FastifyInstance['createRateLimit']>;
export type LimitCount = Awaited<ReturnType<Limiter>>;

declare module 'fastify' {
  interface FastifyRequest {
    /** The per-IP count of a signed read, started in onRequest and settled after the signature. */
    pendingIpCount: Promise<LimitCount> | null;
  }
}

/** The counters a signed request is checked against once its signature verifies. */
export interface RateLimits {
  /** The request's per-IP count when it was deferred to overlap the signature's round trips. */
  pendingIp(request: FastifyRequest): Promise<LimitCount | undefined>;
  /** Counts the request against its userId; only for verified requests with a fresh nonce. */
  countUser(request: FastifyRequest): Promise<LimitCount | undefined>;
  /** Throws RATE_LIMITED when a count is over its limit; sets the limit headers when counted. */
  enforce(count: LimitCount | undefined, reply: FastifyReply): void;
}

function enforceLimit(result: LimitCount | undefined, reply: FastifyReply): void {
  if (!result || result.isAllowed) return;
  reply.header('x-ratelimit-limit', result.max);
  reply.header('x-ratelimit-remaining', result.remaining);
  reply.header('x-ratelimit-reset', result.ttlInSeconds);
  if (!result.isExceeded) return;
  reply.header('retry-after', result.ttlInSeconds);
  throw new AppError('RATE_LIMITED', `Too many requests; try again in ${result.ttlInSeconds} s.`, {
    retryable: true,
  });
}

/** Reads carry no body to parse, so their IP count can wait for the signature's round trip. */
const deferrable = (request: FastifyRequest) =>
  (request.method === 'GET' || request.method === 'HEAD') && routeAuth(request) !== 'public';

/**
 * Two limits: per client IP on every request, unknown routes included, and per userId once
 * the request's signature verified, so an unsigned caller cannot spend someone else's
 * allowance. Counters live in Redis when configured, so every API process shares them. A
 * route opts out with `config: { rateLimit: false }`.
 *
 * The per-IP count is answered in onRequest, before the body is read, except on signed reads:
 * there it is sent in onRequest and settled by the signature check, overlapping the nonce
 * claim's round trip (ADR 14).
 */
export async function registerRateLimits(
  app: FastifyInstance,
  limits: Config['rateLimit'],
  redis: Redis | undefined,
  keyPrefix: string,
): Promise<RateLimits> {
  await app.register(rateLimit, {
    global: false,
    ...(redis ? { redis, nameSpace: `${keyPrefix}:rl:` } : {}),
  });
  const perIp = app.createRateLimit({
    max: limits.ipMax,
    timeWindow: limits.windowMs,
    keyGenerator: (request) => `ip:${request.ip}`,
  });
  const perUser = app.createRateLimit({
    max: limits.userMax,
    timeWindow: limits.windowMs,
    keyGenerator: (request) => `user:${userIdOf(request) ?? ''}`,
    allowList: (request) => userIdOf(request) === undefined,
  });
  const exempt = (request: FastifyRequest) => request.routeOptions.config.rateLimit === false;

  app.decorateRequest('pendingIpCount', null);
  // A callback hook: an exempt route (liveness) pays no promise for a limit it does not have.
  app.addHook('onRequest', (request, reply, done) => {
    if (exempt(request)) return done();
    const count = perIp(request);
    if (deferrable(request)) {
      // Settled in preValidation; the catch only keeps an abandoned request from leaving an
      // unhandled rejection behind.
      count.catch(() => undefined);
      request.pendingIpCount = count;
      return done();
    }
    count.then((result) => enforceLimit(result, reply)).then(() => done(), done);
  });
  return {
    pendingIp: async (request) => (request.pendingIpCount ? request.pendingIpCount : undefined),
    countUser: async (request) => (exempt(request) ? undefined : perUser(request)),
    enforce: enforceLimit,
  };
}
