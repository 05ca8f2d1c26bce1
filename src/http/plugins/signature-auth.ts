import type { FastifyContextConfig, FastifyInstance, FastifyRequest, RouteOptions } from 'fastify';
import { checkSignature, type CheckedSignature } from '../../auth/verify.js';
import type { Config } from '../../config/config.js';
import type { RateLimits } from './rate-limit.js';
import { admitWhileReading } from './read-ahead.js';
import { AppError } from '../../errors.js';

/**
 * Who may call a route: anyone, a client signing with HMAC_SECRETS, an operator signing
 * with ADMIN_HMAC_SECRETS, or an operator signed in to the web console (session cookie and,
 * on changes, a CSRF token; never an HMAC signature).
 */
export const ROUTE_AUTH_LEVELS = ['public', 'app', 'admin', 'console'] as const;
export type RouteAuth = (typeof ROUTE_AUTH_LEVELS)[number];

export interface DeclaredRoute {
  method: string;
  url: string;
  auth: RouteAuth;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Who may call the route. Every route must say; the app refuses to start otherwise. */
    auth?: RouteAuth;
  }
  interface FastifyRequest {
    signatureScheme?: 'v1' | 'v2';
  }
  interface FastifyInstance {
    /** Every route with the auth level it declared, filled as routes are added. */
    readonly declaredRoutes: readonly DeclaredRoute[];
  }
}

/**
 * The level of the route the router matched. Decided from the route's own declaration only:
 * the raw URL may spell the same path many ways (%61dmin, trailing slash, query), the
 * matched route is the one thing they all agree on.
 */
export function routeAuth(request: FastifyRequest): RouteAuth {
  return authLevel(matchedConfig(request));
}

/** The matched route's config; undefined when no route matched. */
const matchedConfig = (request: FastifyRequest) =>
  request.is404 ? undefined : request.routeOptions.config;

function authLevel(config: FastifyContextConfig | undefined): RouteAuth {
  // No route matched: the 404 itself reveals nothing, and clients deserve to see it.
  if (config === undefined) return 'public';
  const declared = config.auth;
  // Fail closed: the start-up check makes this unreachable, but a missing or unknown
  // declaration must never mean public.
  return declared === 'public' || declared === 'admin' || declared === 'console' ? declared : 'app';
}

/** A client's read on a route that says it only reads; never a change, never an admin route. */
const readsAhead = (request: FastifyRequest, config: FastifyContextConfig | undefined) =>
  config?.readAhead === true && (request.method === 'GET' || request.method === 'HEAD');

/**
 * Verifies signatures in preValidation: after the body is read (the signature covers its
 * bytes) and before validation, so unsigned callers learn nothing about route schemas. The
 * HMAC is checked first, in process; then one admission call counts a signed read's IP,
 * claims the nonce and counts the user, in one round trip. A request over its IP limit is
 * refused with 429 whatever its signature; then a replayed nonce; the user's count comes
 * last, so neither an unsigned nor a replayed request spends someone's allowance. A client read
 * on a route that declares `readAhead` runs while that call is decided, its response held
 * until then (read-ahead.ts, ADR 28).
 */
export function registerSignatureAuth(
  app: FastifyInstance,
  auth: Config['auth'],
  limits: RateLimits,
  consoleCheck?: (request: FastifyRequest) => Promise<void>,
): void {
  app.addHook('preValidation', (request, reply, done) => {
    const config = matchedConfig(request);
    const level = authLevel(config);
    // A callback hook, so public routes (liveness, sites) skip the promise of the signed path.
    if (level === 'public') return done();
    if (level === 'console') {
      // Fail closed: without a console guard, no console route answers anyone.
      const check =
        consoleCheck ??
        (() => Promise.reject(new AppError('CONSOLE_SESSION_REQUIRED', 'No console here.')));
      limits
        .admit(request, reply, { countUser: false })
        .then(() => check(request))
        .then(() => done(), done);
      return;
    }
    const policy = {
      secrets: level === 'admin' ? auth.adminSecrets : auth.secrets,
      // The replayable legacy scheme is never good enough for admin routes.
      allowV1: level === 'admin' ? false : auth.allowV1,
      toleranceSeconds: auth.toleranceSeconds,
    };
    let checked: CheckedSignature;
    try {
      checked = checkSignature(
        {
          method: request.method,
          url: request.url,
          headers: request.headers,
          rawBody: request.rawBody,
        },
        policy,
      );
    } catch (err) {
      // Still counted against its IP (and refused as rate-limited when over it).
      limits.admit(request, reply, { countUser: false }).then(() => done(err as Error), done);
      return;
    }
    const nonce = checked.scheme === 'v2' ? { nonce: checked.nonce } : {};
    const admitted = limits.admit(request, reply, { ...nonce, countUser: true });
    if (level === 'app' && readsAhead(request, config) && limits.mayReadAhead(request)) {
      request.signatureScheme = checked.scheme;
      admitWhileReading(request, admitted);
      return done();
    }
    admitted.then(() => {
      request.signatureScheme = checked.scheme;
      done();
    }, done);
  });
}

/**
 * Start-up check: every route declares its level, so a new admin route cannot forget and
 * end up signed with the app secret. Register it before anything that adds routes. Checked
 * when the app is ready rather than as each route is added, because plugins such as the
 * docs UI fill in the level from their own onRoute hook, which runs after this one.
 */
export function registerRouteAuthCheck(app: FastifyInstance): void {
  const routes: RouteOptions[] = [];
  const declared: DeclaredRoute[] = [];
  app.decorate('declaredRoutes', declared);
  app.addHook('onRoute', (route) => {
    routes.push(route);
  });
  app.addHook('onReady', async () => {
    const missing: string[] = [];
    for (const route of routes) {
      const level = route.config?.auth;
      const method = [route.method].flat().join(',');
      if (level && (ROUTE_AUTH_LEVELS as readonly string[]).includes(level)) {
        declared.push({ method, url: route.url, auth: level });
      } else {
        missing.push(`${method} ${route.url}`);
      }
    }
    if (missing.length > 0) {
      throw new Error(
        `Routes without config.auth (${ROUTE_AUTH_LEVELS.join(' | ')}): ${missing.join('; ')}`,
      );
    }
  });
}
