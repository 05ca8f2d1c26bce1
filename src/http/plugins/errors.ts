import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, ERROR_CATALOG, type ErrorBody, type ErrorCode } from '../../errors.js';
import type { Redactor } from '../../observability/redact.js';
import { reasonOf } from '../../observability/dependency-state.js';
import { admissionRefusal } from './read-ahead.js';
import {
  outageOf,
  RETRY_AFTER_SECONDS,
  unavailableError,
} from '../../observability/dependency-errors.js';

interface ValidationIssue {
  instancePath?: string;
  message?: string;
}

/**
 * The one place errors become responses. Clients always get {error: {code, message, hint,
 * requestId}}; 5xx responses carry a fixed message, never the thrown one or a stack.
 */
export function registerErrorHandling(app: FastifyInstance, redact: Redactor): void {
  app.setErrorHandler(async (err: FastifyError | AppError, request, reply) => {
    // A read-ahead route's own error waits for its admission; a refusal is the answer.
    const appError = toAppError((await admissionRefusal(request)) ?? err);
    if (appError.details?.unavailable) {
      // A dependency outage is logged once where it is found (DependencyState); per request,
      // one line without the stack.
      const reason = reasonOf(appError.cause);
      request.log.warn(
        { code: appError.code, details: appError.details, reason },
        appError.message,
      );
    } else if (appError.status >= 500) {
      request.log.error({ err }, 'request failed');
    } else if (request.isSite || request.routeOptions.config.quietLog) {
      request.log.debug({ code: appError.code, status: appError.status }, appError.message);
    } else {
      request.log.info({ code: appError.code, status: appError.status }, appError.message);
    }
    return sendError(request, reply, appError, redact);
  });

  app.setNotFoundHandler((request, reply) =>
    sendError(
      request,
      reply,
      new AppError('NOT_FOUND', `No route for ${request.method} ${request.url.split('?')[0]}.`),
      redact,
    ),
  );
}

const MAX_PARAM_LENGTH = 100; // find-my-way's default maxParamLength, which the app keeps

/**
 * Errors the router raises before any hook runs (Fastify's `frameworkErrors`): a path that
 * does not decode, a path parameter longer than the router takes. Same catalog, same shape.
 */
export function frameworkErrorHandler(redact: Redactor) {
  return (err: FastifyError, request: FastifyRequest, reply: FastifyReply): void => {
    let error: AppError;
    if (err.code === 'FST_ERR_MAX_PARAM_LENGTH') {
      error = new AppError(
        'VALIDATION_FAILED',
        `params: a path parameter is longer than ${MAX_PARAM_LENGTH} characters.`,
      );
    } else if (err.code === 'FST_ERR_BAD_URL') {
      error = new AppError(
        'VALIDATION_FAILED',
        'url: the path is not valid percent-encoded UTF-8.',
      );
    } else {
      request.log.error({ err }, 'request failed');
      error = new AppError('INTERNAL', 'Internal error.', { cause: err });
    }
    void sendError(request, reply, error, redact);
  };
}

export function sendError(
  request: FastifyRequest,
  reply: FastifyReply,
  error: AppError,
  redact: Redactor,
): FastifyReply {
  // A 503 says what is down (our own fixed text); any other 5xx says nothing.
  const internal = error.status >= 500 && error.code !== 'SERVICE_UNAVAILABLE';
  if (error.status === 503 && !reply.hasHeader('retry-after'))
    reply.header('retry-after', RETRY_AFTER_SECONDS);
  const body: ErrorBody = {
    error: {
      code: error.code,
      message: internal ? 'Internal error.' : redact(error.message),
      hint: error.hint,
      requestId: request.id,
      ...(error.details && !internal ? { details: error.details } : {}),
    },
  };
  // Set here too: errors raised by the router come before the hook that sets it.
  reply.header('x-request-id', request.id);
  return reply.status(error.status).type('application/json; charset=utf-8').send(body);
}

export function toAppError(err: FastifyError | AppError): AppError {
  if (err instanceof AppError) {
    if (err.status < 500 || err.code === 'SERVICE_UNAVAILABLE') return err;
    // A dependency that cannot be reached is a 503 the client may retry, however it surfaced.
    const outage = outageOf(err.cause);
    return outage
      ? unavailableError(outage, err)
      : new AppError('INTERNAL', 'Internal error.', { cause: err });
  }
  if (Array.isArray(err.validation)) return validationError(err);
  const byFastifyCode: Record<string, ErrorCode> = {
    FST_ERR_CTP_BODY_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
    FST_ERR_CTP_INVALID_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
    FST_ERR_CTP_EMPTY_JSON_BODY: 'INVALID_JSON',
    FST_ERR_CTP_INVALID_JSON_BODY: 'INVALID_JSON',
    FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'VALIDATION_FAILED',
  };
  const mapped = err.code ? byFastifyCode[err.code] : undefined;
  if (mapped) return new AppError(mapped, defaultMessage(mapped), { cause: err });
  if (err instanceof SyntaxError)
    return new AppError('INVALID_JSON', defaultMessage('INVALID_JSON'));
  const outage = outageOf(err);
  if (outage) return unavailableError(outage, err);
  const status = err.statusCode ?? 500;
  if (status === 404) return new AppError('NOT_FOUND', 'Not found.');
  if (status === 405) return new AppError('METHOD_NOT_ALLOWED', 'Method not allowed.');
  if (status >= 400 && status < 500) {
    return new AppError('VALIDATION_FAILED', 'The request could not be processed.', { cause: err });
  }
  return new AppError('INTERNAL', 'Internal error.', { cause: err });
}

function validationError(err: FastifyError): AppError {
  const where = err.validationContext ?? 'body';
  const issues = (err.validation as ValidationIssue[]).map((issue) => {
    const path = (issue.instancePath ?? '').replace(/^\//, '').replaceAll('/', '.');
    return { field: path ? `${where}.${path}` : where, message: issue.message ?? 'is invalid' };
  });
  const first = issues[0] ?? { field: where, message: 'is invalid' };
  return new AppError('VALIDATION_FAILED', `${first.field}: ${first.message}`, {
    details: { issues },
  });
}

function defaultMessage(code: ErrorCode): string {
  switch (code) {
    case 'PAYLOAD_TOO_LARGE':
      return 'The request body is larger than this server accepts.';
    case 'UNSUPPORTED_MEDIA_TYPE':
      return 'This content type is not accepted.';
    case 'INVALID_JSON':
      return 'The request body is not valid JSON.';
    default:
      return code in ERROR_CATALOG ? 'The request could not be processed.' : 'Error.';
  }
}
