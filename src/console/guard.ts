import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../errors.js';
import { csrfMatches, type ConsoleAuthService } from './console-auth.service.js';

export const SESSION_COOKIE = 'sheen_console';
export const CSRF_HEADER = 'x-csrf-token';
export const CSRF_FIELD = '_csrf';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the console guard on routes with auth 'console'. */
    consoleSession?: { id: string; csrfToken: string; expiresAt: Date };
  }
}

const SAFE_METHODS = new Set(['GET', 'HEAD']);

/** One cookie's value from the Cookie header (the console sets no other cookie). */
export function readCookie(request: FastifyRequest, name: string): string | undefined {
  const header = request.headers.cookie;
  if (typeof header !== 'string') return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/** The origin this request was sent to, as a browser would write it in Origin. */
export function requestOrigin(request: FastifyRequest): string {
  return `${request.protocol}://${request.host}`;
}

/**
 * Whether the browser said the request comes from an origin other than the console's. The
 * console's is the one the request was sent to, or PUBLIC_URL's: behind a proxy that does not
 * say it terminated TLS, the request looks like http while the browser's Origin is https.
 */
export function fromAnotherOrigin(request: FastifyRequest, publicUrl?: string): boolean {
  const origin = request.headers.origin;
  if (origin === undefined) return false;
  if (origin === requestOrigin(request)) return false;
  return !(publicUrl && origin === new URL(publicUrl).origin);
}

/**
 * Checks a console request: a live session from the cookie, and for anything but GET/HEAD a
 * matching CSRF token (form field or header) and, when the browser sent one, the same Origin.
 * Throws CONSOLE_SESSION_REQUIRED or CSRF_INVALID; on success sets `request.consoleSession`.
 */
export function consoleSessionCheck(auth: ConsoleAuthService, publicUrl?: string) {
  return async (request: FastifyRequest): Promise<void> => {
    const id = readCookie(request, SESSION_COOKIE);
    const session = id ? await auth.session(id) : undefined;
    if (!id || !session) {
      throw new AppError('CONSOLE_SESSION_REQUIRED', 'Sign in to use the console.');
    }
    if (!SAFE_METHODS.has(request.method)) {
      if (fromAnotherOrigin(request, publicUrl)) {
        throw new AppError('CSRF_INVALID', 'The request came from another site.');
      }
      if (!csrfMatches(id, submittedCsrf(request))) {
        throw new AppError('CSRF_INVALID', 'The form was missing its CSRF token or it was wrong.');
      }
    }
    request.consoleSession = { id, csrfToken: session.csrfToken, expiresAt: session.expiresAt };
  };
}

function submittedCsrf(request: FastifyRequest): string | undefined {
  const header = request.headers[CSRF_HEADER];
  if (typeof header === 'string') return header;
  const body = request.body as Record<string, unknown> | undefined;
  const field = body && typeof body === 'object' ? body[CSRF_FIELD] : undefined;
  return typeof field === 'string' ? field : undefined;
}

export function setSessionCookie(
  request: FastifyRequest,
  reply: FastifyReply,
  sessionId: string,
  expiresAt: Date,
): void {
  const maxAge = Math.max(0, Math.floor((expiresAt.getTime() - Date.now()) / 1000));
  reply.header('set-cookie', cookie(request, `${SESSION_COOKIE}=${sessionId}; Max-Age=${maxAge}`));
}

export function clearSessionCookie(request: FastifyRequest, reply: FastifyReply): void {
  reply.header('set-cookie', cookie(request, `${SESSION_COOKIE}=; Max-Age=0`));
}

function cookie(request: FastifyRequest, value: string): string {
  const secure = request.protocol === 'https' ? '; Secure' : '';
  return `${value}; Path=/; HttpOnly; SameSite=Strict${secure}`;
}
