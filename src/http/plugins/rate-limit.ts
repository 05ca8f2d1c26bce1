import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Config } from '../../config/config.js';
import { AppError } from '../../errors.js';
import type { Redis } from '../../redis/redis.js';

const USER_ID = /^[A-Za-z0-9._:@-]{1,128}$/;

/** The userId a signed request acts for, from its body, route params or query. */
export function userIdOf(request: FastifyRequest): string | undefined {
  for (const source of [request.body, request.params, request.query]) {
    if (source && typeof source === 'object' && 'userId' in source) {
      const value: unknown = source.userId;
      if (typeof value === 'string' && USER_ID.test(value)) return value;
    }
  }
  return undefined;
}

function limited(_request: FastifyRequest, context: { after: string; ttl: number }): AppError {
  return new AppError('RATE_LIMITED', `Too many requests; try again in ${context.after}.`, {
    retryable: true,
  });
}

/**
 * Two limits: per client IP on every request (checked first, cheaply), and per userId once
 * the request is signed and parsed, so an unsigned caller cannot spend someone's allowance.
 * Counters live in Redis when configured, so every API process shares them.
 */
export async function registerRateLimits(
  app: FastifyInstance,
  limits: Config['rateLimit'],
  redis: Redis | undefined,
  keyPrefix: string,
): Promise<void> {
  await app.register(rateLimit, {
    global: true,
    hook: 'onRequest',
    max: limits.ipMax,
    timeWindow: limits.windowMs,
    keyGenerator: (request) => `ip:${request.ip}`,
    errorResponseBuilder: limited,
    ...(redis ? { redis, nameSpace: `${keyPrefix}:rl:` } : {}),
  });

  app.addHook(
    'preHandler',
    app.rateLimit({
      max: limits.userMax,
      timeWindow: limits.windowMs,
      groupId: 'user',
      keyGenerator: (request) => `user:${userIdOf(request) ?? ''}`,
      allowList: (request) => userIdOf(request) === undefined,
      errorResponseBuilder: limited,
    }),
  );
}
