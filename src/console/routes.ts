import { readFileSync } from 'node:fs';
import type { FastifyError, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Container } from '../container.js';
import { AppError } from '../errors.js';
import type { BuildEventStreams } from '../http/build-stream.js';
import { toAppError } from '../http/plugins/errors.js';
import { consoleCsp } from './csp.js';
import { seeOther, sendPage } from './reply.js';
import { clearSessionCookie, fromAnotherOrigin, setSessionCookie } from './guard.js';
import { errorPage, signinPage } from './pages/signin.js';
import { appRoutes } from './routes-apps.js';
import { opsRoutes } from './routes-ops.js';
import { projectRoutes } from './routes-projects.js';

const FORM_LIMIT_BYTES = 64 * 1024;
const ASSETS = {
  'console.css': 'text/css; charset=utf-8',
  'console.js': 'text/javascript; charset=utf-8',
} as const;

/**
 * The web console under /console: server-rendered pages, plain HTML forms and one small
 * script for live build events. Every route but sign-in and the two static files declares
 * auth 'console' (session cookie; CSRF token and Origin on changes, checked by the app's auth
 * hook), and every action goes through the services the API routes use, with their schemas.
 */
export const consoleRoutes =
  (container: Container, streams: BuildEventStreams): FastifyPluginAsyncZod =>
  async (app) => {
    const { auth } = container.console;
    app.addContentTypeParser(
      'application/x-www-form-urlencoded',
      { parseAs: 'string', bodyLimit: FORM_LIMIT_BYTES },
      (_request, body, done) => {
        done(null, Object.fromEntries(new URLSearchParams(body as string)));
      },
    );
    app.addHook('onRequest', (_request, reply, done) => {
      reply.header('content-security-policy', consoleCsp());
      // Helmet's no-referrer would make browsers send `Origin: null` on the console's own
      // form posts, and the guard compares Origin.
      reply.header('referrer-policy', 'same-origin');
      done();
    });
    app.setErrorHandler((err: FastifyError | AppError, request, reply) => {
      const error = toAppError(err);
      // Server faults and clients that asked for JSON get the app's own JSON error.
      if (error.status >= 500 || !wantsHtml(request)) throw err;
      request.log.info({ code: error.code, status: error.status }, error.message);
      const body = {
        code: error.code,
        message: container.redact(error.message),
        hint: error.hint,
        requestId: request.id,
      };
      reply.status(error.status);
      return sendPage(reply, errorPage(error.status, body, request.consoleSession?.csrfToken));
    });

    for (const [name, type] of Object.entries(ASSETS)) {
      const content = readFileSync(new URL(`./assets/${name}`, import.meta.url));
      app.get(
        `/console/assets/${name}`,
        { config: { auth: 'public' }, schema: { hide: true } },
        async (_request, reply) =>
          reply.type(type).header('cache-control', 'no-cache').send(content),
      );
    }

    app.get(
      '/console/signin',
      {
        config: { auth: 'public' },
        schema: { hide: true, querystring: z.object({ token: z.string().max(300).optional() }) },
      },
      async (request, reply) => sendPage(reply, signinPage(request.query.token)),
    );

    app.post(
      '/console/signin',
      {
        config: { auth: 'public' },
        schema: { hide: true, body: z.object({ token: z.string().min(1).max(300) }) },
      },
      async (request, reply) => {
        // No session yet, so no CSRF token: a sign-in posted from another site is refused.
        if (fromAnotherOrigin(request, container.config.http.publicUrl)) {
          throw new AppError('CSRF_INVALID', 'The sign-in came from another site.');
        }
        const { sessionId, expiresAt } = await auth.signIn(request.body.token);
        setSessionCookie(request, reply, sessionId, expiresAt);
        request.log.info('console: signed in');
        return seeOther(reply, '/console');
      },
    );

    app.post(
      '/console/signout',
      { config: { auth: 'console' }, schema: { hide: true } },
      async (request, reply) => {
        await auth.signOut(request.consoleSession?.id ?? '');
        clearSessionCookie(request, reply);
        return seeOther(reply, '/console/signin');
      },
    );

    await app.register(appRoutes(container, streams));
    await app.register(projectRoutes(container));
    await app.register(opsRoutes(container));
  };

function wantsHtml(request: FastifyRequest): boolean {
  const accept = request.headers.accept ?? '';
  return accept.includes('text/html') || !accept.includes('application/json');
}
