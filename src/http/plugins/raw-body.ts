import type { FastifyInstance } from 'fastify';

declare module 'fastify' {
  interface FastifyRequest {
    /** The exact body bytes, kept for signature verification. */
    rawBody?: Buffer;
  }
}

/**
 * JSON bodies are read as bytes (signatures cover the exact bytes), then parsed with
 * Fastify's own JSON parser, which guards against prototype poisoning.
 */
export function registerRawBodyJson(app: FastifyInstance): void {
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
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
