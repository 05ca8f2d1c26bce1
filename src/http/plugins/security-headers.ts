import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';
import helmet from 'helmet';

/**
 * Helmet's security headers and the request id on every response, set in one onRequest hook.
 * With the options used here helmet's headers are the same for every request, so they are
 * worked out once at start-up (helmet run against a recording response) and set from that
 * list: running helmet's middleware per request, a call per header through Node's header
 * checks, was the largest part of the liveness route's cost after the socket write.
 */
export function registerSecurityHeaders(app: FastifyInstance): void {
  const headers = helmetHeaders();
  app.addHook('onRequest', (request, reply, done) => {
    reply.headers(headers);
    reply.header('x-request-id', request.id);
    done();
  });
}

/** The headers helmet sets, by name (lower case). */
function helmetHeaders(): Record<string, string> {
  const headers: Record<string, string> = {};
  const recorder = {
    setHeader(name: string, value: string | number | readonly string[]) {
      headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
      return recorder;
    },
    removeHeader(name: string) {
      delete headers[name.toLowerCase()];
    },
  };
  let outcome: { err?: unknown } | undefined;
  helmet()({} as IncomingMessage, recorder as unknown as ServerResponse, (err?: unknown) => {
    outcome = { err };
  });
  // Helmet ends synchronously and fails only on bad options; anything else is a helmet change
  // this function must not paper over.
  if (!outcome || outcome.err) throw new Error('helmet did not set its headers synchronously');
  return headers;
}
