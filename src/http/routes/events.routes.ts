import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { BuildEventStreams } from '../build-stream.js';
import { eventCursor, ulidString, userIdString } from '../schemas.js';

export const eventRoutes =
  (streams: BuildEventStreams): FastifyPluginAsyncZod =>
  async (app) => {
    app.addHook('preClose', async () => streams.closeAll());
    app.get(
      '/v1/builds/:buildId/events',
      {
        config: { auth: 'app' },
        schema: {
          tags: ['builds'],
          summary:
            'Build events as text/event-stream; resumes after Last-Event-ID and ends with the build.',
          params: z.object({ buildId: ulidString('must be a build id (26-character ULID)') }),
          querystring: z.object({
            lastEventId: eventCursor.optional(),
            userId: userIdString.optional(),
          }),
          headers: z.object({ 'last-event-id': eventCursor.optional() }),
        },
      },
      async (request, reply) => {
        const after = request.headers['last-event-id'] ?? request.query.lastEventId ?? 0;
        await streams.stream(request, reply, request.params.buildId, after, request.query.userId);
      },
    );
  };
