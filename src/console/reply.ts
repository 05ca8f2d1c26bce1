import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../errors.js';
import { consoleCsp } from './csp.js';

/** Sends a rendered page. Console pages hold operator data: never cached. */
export function sendPage(reply: FastifyReply, body: string, frameOrigin?: string) {
  return reply
    .header('content-security-policy', consoleCsp(frameOrigin))
    .header('cache-control', 'no-store')
    .type('text/html; charset=utf-8')
    .send(body);
}

/** A redirect after a form post (303: the browser follows with GET). */
export const seeOther = (reply: FastifyReply, url: string) => reply.redirect(url, 303);

/** The session's CSRF token; the auth hook has set the session on every 'console' route. */
export function csrfOf(request: FastifyRequest): string {
  const session = request.consoleSession;
  if (!session) throw new AppError('CONSOLE_SESSION_REQUIRED', 'Sign in to use the console.');
  return session.csrfToken;
}
