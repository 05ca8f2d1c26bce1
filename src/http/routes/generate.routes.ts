import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { EngineUnavailableError } from '../../ai/engine.js';
import type { GenerateService } from '../../services/generate.service.js';
import { onClientGone, openEventStream } from '../build-stream.js';
import { frameworkEnum, promptString, userIdString } from '../schemas.js';

export const generateRoutes =
  (service: GenerateService): FastifyPluginAsyncZod =>
  async (app) => {
    app.post(
      '/generate',
      {
        config: { auth: 'app' },
        schema: {
          tags: ['ai'],
          summary:
            "Stream an engine's events (text/event-stream) while it writes an app for a prompt; nothing is built or kept.",
          body: z.object({
            userId: userIdString,
            prompt: promptString,
            framework: frameworkEnum.optional(),
          }),
        },
      },
      async (request, reply) => {
        const abort = new AbortController();
        onClientGone(reply, () => abort.abort());
        const out = openEventStream(request, reply);
        let seq = 0;
        try {
          const result = await service.run(
            request.body,
            (event) => out.send(++seq, event),
            abort.signal,
          );
          out.send(++seq, {
            type: 'done',
            message: `Generated ${result.files.length} files.`,
            data: result,
          });
        } catch (err) {
          const unavailable = err instanceof EngineUnavailableError;
          if (!unavailable) request.log.error({ err }, 'generate failed');
          out.send(++seq, {
            type: 'error',
            error: {
              code: unavailable ? 'AI_UNAVAILABLE' : 'INTERNAL',
              message: unavailable
                ? `The AI engine is unavailable: ${err.message}`
                : 'Generation stopped because of an internal error.',
              hint: unavailable
                ? 'Try again in a few minutes.'
                : 'Try again; report the request id if it persists.',
              requestId: request.id,
            },
          });
        } finally {
          out.end();
        }
      },
    );
  };
