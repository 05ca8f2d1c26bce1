import {
  LogController,
  type FastifyBaseLogger,
  type FastifyReply,
  type FastifyRequest,
} from 'fastify';
import type { Bindings, ChildLoggerOptions, LogFn, Logger } from 'pino';

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

/**
 * Fastify gives every request a child logger bound to its id. Making one runs pino's
 * redaction over the bindings (4-7 µs, near a tenth of a liveness probe's CPU), and most
 * requests write no line at a level that is on. This child is made at its first such line;
 * until then it answers for its level and writes nothing. A class, so a request costs one
 * object and no closures.
 */
class LazyRequestLogger implements FastifyBaseLogger {
  #child: FastifyBaseLogger | undefined;

  constructor(
    private readonly root: Logger,
    private readonly bindings: Bindings,
    private readonly options: ChildLoggerOptions,
  ) {}

  get level(): string {
    return this.#child?.level ?? this.options.level ?? this.root.level;
  }

  set level(value: string) {
    this.#real().level = value;
  }

  child(bindings: Bindings, options?: ChildLoggerOptions): FastifyBaseLogger {
    return this.#real().child(bindings, options);
  }

  fatal(...args: Parameters<LogFn>): void {
    if (this.#on('fatal')) this.#real().fatal(...args);
  }

  error(...args: Parameters<LogFn>): void {
    if (this.#on('error')) this.#real().error(...args);
  }

  warn(...args: Parameters<LogFn>): void {
    if (this.#on('warn')) this.#real().warn(...args);
  }

  info(...args: Parameters<LogFn>): void {
    if (this.#on('info')) this.#real().info(...args);
  }

  debug(...args: Parameters<LogFn>): void {
    if (this.#on('debug')) this.#real().debug(...args);
  }

  trace(...args: Parameters<LogFn>): void {
    if (this.#on('trace')) this.#real().trace(...args);
  }

  silent(): void {}

  #on(level: string): boolean {
    const values = this.root.levels.values;
    return (values[level] ?? 0) >= (values[this.level] ?? Infinity);
  }

  #real(): FastifyBaseLogger {
    return (this.#child ??= this.root.child(this.bindings, this.options));
  }
}

/** Fastify's childLoggerFactory: see LazyRequestLogger. */
export function lazyRequestLogger(
  parent: FastifyBaseLogger,
  bindings: Bindings,
  options: ChildLoggerOptions,
): FastifyBaseLogger {
  return new LazyRequestLogger(parent as Logger, bindings, options);
}
