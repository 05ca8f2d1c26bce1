import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../../config/config.js';
import { AppError } from '../../errors.js';
import type { Redis } from '../../redis/redis.js';
import { userIdString } from '../schemas.js';

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

async function enforce(limiter: Limiter, request: FastifyRequest, reply: FastifyReply) {
  const result = await limiter(request);
  if (result.isAllowed) return;
  reply.header('x-ratelimit-limit', result.max);
  reply.header('x-ratelimit-remaining', result.remaining);
  reply.header('x-ratelimit-reset', result.ttlInSeconds);
  if (!result.isExceeded) return;
  reply.header('retry-after', result.ttlInSeconds);
  throw new AppError('RATE_LIMITED', `Too many requests; try again in ${result.ttlInSeconds} s.`, {
    retryable: true,
  });
}

/**
 * Two limits: per client IP on every request, unknown routes included (checked first,
 * cheaply), and per userId once the request is signed and parsed, so an unsigned caller
 * cannot spend someone else's allowance. Counters live in Redis when configured, so every
 * API process shares them. A route opts out with `config: { rateLimit: false }`.
 */
export async function registerRateLimits(
  app: FastifyInstance,
  limits: Config['rateLimit'],
  redis: Redis | undefined,
  keyPrefix: string,
): Promise<void> {
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

  // Callback hooks: an exempt route (liveness) pays no promise for a limit it does not have.
  const hook =
    (limiter: Limiter) =>
    (request: FastifyRequest, reply: FastifyReply, done: (err?: Error) => void) => {
      if (exempt(request)) return done();
      enforce(limiter, request, reply).then(() => done(), done);
    };
  app.addHook('onRequest', hook(perIp));
  app.addHook('preHandler', hook(perUser));
}
