import type { FastifyInstance } from 'fastify';

declare module 'fastify' {
  interface FastifyRequest {
    /** The exact body bytes, kept for signature verification. */
    rawBody?: Buffer;
  }
}

/**
 * JSON bodies are read as bytes (signatures cover the exact bytes), then parsed with
 * Fastify's own JSON parser, which guards against prototype poisoning. JSON is the only body
 * type: Fastify's text/plain parser would keep no bytes to verify, so a signed text body
 * would read as a bad signature instead of the 415 it is.
 */
export function registerRawBodyJson(app: FastifyInstance): void {
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser(['application/json', 'text/plain']);
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body, done) => {
    const bytes = body as Buffer;
    request.rawBody = bytes;
    if (bytes.length === 0) {
      done(null, undefined);
      return;
    }
    void parseJson(request, bytes.toString('utf8'), done);
  });
}
