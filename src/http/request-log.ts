import { LogController, type FastifyReply, type FastifyRequest } from 'fastify';

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * Routes polled or browsed all day (health checks, previews): what the error handler
     * would log about them at info (a 404, a refusal) goes to debug instead.
     */
    quietLog?: boolean;
  }
  interface FastifyRequest {
    /** Answered as a hosted site (a preview or published project by host name), not the API. */
    isSite?: boolean;
  }
}

/**
 * Fastify's per-request lines ("incoming request", "request completed") at debug instead of
 * info: at info they were two log writes per request, over a quarter of a signed read's CPU.
 * LOG_LEVEL=debug brings them back. Everything else Fastify logs about a request (errors
 * after the response started, stream errors, serializer errors) keeps its level, and the
 * error handler still logs every failed request (4xx at info with its code, 5xx at error).
 */
export class QuietRequestLog extends LogController {
  override incomingRequest(request: FastifyRequest): void {
    request.log.debug({ req: request }, 'incoming request');
  }

  override requestCompleted(
    error: Error | null | undefined,
    request: FastifyRequest,
    reply: FastifyReply,
  ): void {
    if (error) {
      super.requestCompleted(error, request, reply);
      return;
    }
    reply.log.debug({ res: reply, responseTime: reply.elapsedTime }, 'request completed');
  }
}
