import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Container } from '../container.js';
import type { BuildEventStreams } from '../http/build-stream.js';
import {
  eventCursor,
  projectNameString,
  promptString,
  ulidString,
  userIdString,
} from '../http/schemas.js';
import { previewSandbox } from './csp.js';
import { buildPage } from './pages/build.js';
import { DEFAULT_USER, newAppPage } from './pages/new-app.js';
import { csrfOf, seeOther, sendPage } from './reply.js';

const buildParams = z.object({ buildId: ulidString('must be a build id (26-character ULID)') });
/** An empty optional field of a form arrives as ''. */
const blankAsMissing = (v: unknown) => (v === '' ? undefined : v);

const newAppBody = z.object({
  userId: userIdString,
  prompt: promptString,
  name: z.preprocess(blankAsMissing, projectNameString.optional()),
});

/** New app (prompt → build), a build's page with live stages and log, and its event stream. */
export const appRoutes =
  (container: Container, streams: BuildEventStreams): FastifyPluginAsyncZod =>
  async (app) => {
    const { builds } = container;
    const opts = { config: { auth: 'console' as const } };

    app.get('/console', { ...opts, schema: { hide: true } }, async (request, reply) =>
      sendPage(reply, newAppPage(csrfOf(request), { userId: DEFAULT_USER, prompt: '', name: '' })),
    );

    app.post(
      '/console/apps',
      { ...opts, schema: { hide: true, body: newAppBody } },
      async (request, reply) => {
        const { userId, prompt, name } = request.body;
        const { build } = await builds.create({ userId, prompt, ...(name ? { name } : {}) });
        request.log.info({ buildId: build.id, userId }, 'console: app build started');
        return seeOther(reply, `/console/builds/${build.id}`);
      },
    );

    app.get(
      '/console/builds/:buildId',
      { ...opts, schema: { hide: true, params: buildParams } },
      async (request, reply) => {
        const details = await builds.details(request.params.buildId);
        const project = await container.console.reads.project(details.build.projectId);
        const url = details.build.status === 'succeeded' ? details.build.previewUrl : null;
        const preview = url
          ? { url, sandbox: previewSandbox(url, request.hostname.replace(/:\d+$/, '')) }
          : undefined;
        const body = buildPage({
          csrf: csrfOf(request),
          details,
          projectName: project.name,
          preview,
        });
        return sendPage(reply, body, preview ? new URL(preview.url).origin : undefined);
      },
    );

    app.get(
      '/console/builds/:buildId/events',
      {
        ...opts,
        schema: {
          hide: true,
          params: buildParams,
          querystring: z.object({ after: eventCursor.optional() }),
          headers: z.object({ 'last-event-id': eventCursor.optional() }),
        },
      },
      async (request, reply) => {
        const after = request.headers['last-event-id'] ?? request.query.after ?? 0;
        await streams.stream(request, reply, request.params.buildId, after);
      },
    );

    app.post(
      '/console/builds/:buildId/cancel',
      { ...opts, schema: { hide: true, params: buildParams } },
      async (request, reply) => {
        await builds.cancel(request.params.buildId);
        return seeOther(reply, `/console/builds/${request.params.buildId}`);
      },
    );
  };
