import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest, onResponseHookHandler } from 'fastify';
import { AppError } from '../../errors.js';
import type { Metrics } from '../../observability/metrics.js';
import type { MetricsRecorder } from '../../observability/recorder.js';

/**
 * One histogram observation per response, labelled with the matched route pattern (never the
 * raw URL, whose ids would make a series per request). Each route gets its own hook that
 * already knows its pattern: reading it per request (`request.routeOptions`) would build an
 * object every time on the hot path. Requests no route matched count as `unmatched`, and
 * hosted sites (previews, published projects by host name) as `site`, whatever their path.
 */
export function registerHttpMetrics(app: FastifyInstance, metrics: MetricsRecorder): void {
  const ours = new WeakSet<object>();
  app.addHook('onRoute', (route) => {
    const hooks = route.onResponse === undefined ? [] : [route.onResponse].flat();
    // The HEAD route Fastify adds for a GET route copies the GET route's hooks.
    if (hooks.some((h) => ours.has(h))) return;
    const pattern = route.url;
    const observe: onResponseHookHandler = (request, reply, done) => {
      const route = request.isSite ? 'site' : pattern;
      metrics.httpRequest(request.method, route, reply.statusCode, reply.elapsedTime / 1000);
      done();
    };
    ours.add(observe);
    route.onResponse = [...hooks, observe];
  });
  app.addHook('onResponse', (request, reply, done) => {
    if (!request.is404) return done();
    const route = request.isSite ? 'site' : 'unmatched';
    metrics.httpRequest(request.method, route, reply.statusCode, reply.elapsedTime / 1000);
    done();
  });
}

/**
 * GET /metrics on the main port, only when METRICS_TOKEN is set, for a Prometheus that sends
 * it as a bearer token. Prometheus cannot sign requests, so the route is public to the
 * signature layer and checks its own token; without METRICS_TOKEN there is no route (404),
 * and METRICS_PORT serves the metrics on a separate listener instead.
 */
export function registerMetricsRoute(
  app: FastifyInstance,
  metrics: Metrics,
  token: string | undefined,
): void {
  if (!token) return;
  const expected = digest(token);
  app.get(
    '/metrics',
    {
      config: { auth: 'public' },
      schema: { hide: true },
      onRequest: (request, _reply, done) => {
        done(bearerMatches(request, expected) ? undefined : unauthorized());
      },
    },
    async (_request, reply) => {
      reply.header('content-type', metrics.contentType);
      return metrics.render();
    },
  );
}

/** Compared as digests: equal length for timingSafeEqual, whatever the caller sent. */
function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

function bearerMatches(request: FastifyRequest, expected: Buffer): boolean {
  const header = request.headers.authorization;
  const match = typeof header === 'string' ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
  return match?.[1] !== undefined && timingSafeEqual(digest(match[1]), expected);
}

function unauthorized(): AppError {
  return new AppError('AUTH_MISSING', 'GET /metrics needs a valid bearer token.', {
    hint: 'Send Authorization: Bearer <METRICS_TOKEN>, or scrape the METRICS_PORT listener.',
  });
}
