import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AdmissionStore, RateLimitSettings, WindowCount } from '../admission/admission.js';
import { ExpiringMap, type Expiring } from '../admission/expiring-map.js';
import { AppError } from '../../errors.js';
import { userIdString } from '../schemas.js';
import { routeAuth } from './signature-auth.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** `false`: the route counts against no limit (liveness probes). */
    rateLimit?: false;
  }
  interface FastifyRequest {
    /**
     * A signed read's per-IP count, not sent yet: it waits for the signature check, to go in
     * one round trip with the nonce claim.
     */
    ipCountPending: boolean;
  }
}

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

/** The checks a request makes once its signature is known good (or known bad). */
export interface RateLimits {
  /**
   * Counts a deferred per-IP request, claims `nonce` and counts the user (when `countUser`),
   * in that order and in one round trip, throwing at the first refusal: RATE_LIMITED over
   * the IP limit (whatever the signature), AUTH_REPLAYED for a used nonce, RATE_LIMITED over
   * the user limit. Neither an unsigned nor a replayed request spends a user's allowance.
   */
  admit(
    request: FastifyRequest,
    reply: FastifyReply,
    steps: { nonce?: string; countUser: boolean },
  ): Promise<void>;
  /**
   * Whether a read may run beside its admission (see read-ahead.ts): not for an IP this
   * process has refused in the current window, so a client over its limit, or replaying a
   * request, makes each read wait for its refusal rather than cost a database read.
   */
  mayReadAhead(request: FastifyRequest): boolean;
}

/** Client IPs refused lately are remembered this many at most (see ExpiringMap). */
const MAX_REFUSED_IPS = 10_000;

/** Sets the limit headers on a counted request; throws RATE_LIMITED past the limit. */
function enforce(count: WindowCount | undefined, max: number, reply: FastifyReply): void {
  if (!count) return;
  const resetSeconds = Math.max(1, Math.ceil(count.ttlMs / 1000));
  reply.header('x-ratelimit-limit', max);
  reply.header('x-ratelimit-remaining', Math.max(0, max - count.count));
  reply.header('x-ratelimit-reset', resetSeconds);
  if (count.count <= max) return;
  reply.header('retry-after', resetSeconds);
  throw new AppError('RATE_LIMITED', `Too many requests; try again in ${resetSeconds} s.`, {
    retryable: true,
  });
}

/** Reads carry no body to parse, so their IP count can wait for the signature check. */
const deferrable = (request: FastifyRequest) =>
  (request.method === 'GET' || request.method === 'HEAD') && routeAuth(request) !== 'public';

/**
 * Two limits, fixed windows: per client IP on every request, unknown routes included, and
 * per userId once the request's signature verified. The counters live in the admission
 * store (Redis when configured, so every API process shares them). A route opts out with
 * `config: { rateLimit: false }`.
 *
 * The per-IP count is answered in onRequest, before the body is read, except on signed
 * reads: their count goes with the nonce claim and the user count in one round trip after
 * the HMAC check (ADR 14). A deferred request answered before that (a site's host, say) is
 * counted when it ends.
 */
export function registerRateLimits(
  app: FastifyInstance,
  settings: RateLimitSettings,
  store: AdmissionStore,
): RateLimits {
  app.decorateRequest('ipCountPending', false);
  const exempt = (request: FastifyRequest) => request.routeOptions.config.rateLimit === false;

  // A callback hook: an exempt route (liveness) pays no promise for a limit it does not have.
  app.addHook('onRequest', (request, reply, done) => {
    if (exempt(request)) return done();
    if (deferrable(request)) {
      request.ipCountPending = true;
      return done();
    }
    store
      .admit({ ip: request.ip })
      .then((admission) => enforce(admission.ip, settings.ipMax, reply))
      .then(() => done(), done);
  });
  app.addHook('onResponse', (request, _reply, done) => {
    if (request.ipCountPending) {
      // Counted for the requests that follow; this one is already answered.
      store.admit({ ip: request.ip }).catch(() => undefined);
    }
    done();
  });

  // Each refused IP until the end of the window it was refused in.
  const refused = new ExpiringMap<Expiring>(MAX_REFUSED_IPS);
  return {
    async admit(request, reply, steps) {
      const ip = request.ipCountPending ? request.ip : undefined;
      request.ipCountPending = false;
      const user = steps.countUser && !exempt(request) ? userIdOf(request) : undefined;
      if (ip === undefined && steps.nonce === undefined && user === undefined) return;
      const admission = await store.admit({
        ...(ip === undefined ? {} : { ip }),
        ...(steps.nonce === undefined ? {} : { nonce: steps.nonce }),
        ...(user === undefined ? {} : { user }),
      });
      try {
        enforce(admission.ip, settings.ipMax, reply);
        if (admission.nonceFresh === false) {
          throw new AppError('AUTH_REPLAYED', 'This nonce has already been used.');
        }
        enforce(admission.user, settings.userMax, reply);
      } catch (err) {
        const now = Date.now();
        refused.set(request.ip, { until: now + settings.windowMs }, now);
        throw err;
      }
    },
    mayReadAhead: (request) => refused.live(request.ip, Date.now()) === undefined,
  };
}
