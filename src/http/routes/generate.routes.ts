import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { EngineMisconfiguredError, EngineUnavailableError } from '../../ai/engine.js';
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
        // Refused for want of AI time: a plain 402 before the stream opens.
        const reservation = await service.admit(request.body);
        const abort = new AbortController();
        onClientGone(reply, () => abort.abort());
        const out = openEventStream(reply);
        let seq = 0;
        try {
          const result = await service.run(
            request.body,
            (event) => out.send(++seq, event),
            abort.signal,
            reservation,
          );
          out.send(++seq, {
            type: 'done',
            message: `Generated ${result.files.length} files.`,
            data: result,
          });
        } catch (err) {
          if (!(err instanceof EngineUnavailableError)) {
            request.log.error({ err }, 'generate failed');
          }
          out.send(++seq, {
            type: 'error',
            error: { ...generateError(err), requestId: request.id },
          });
        } finally {
          out.end();
        }
      },
    );
  };

/** What a client sees when generation stops: a set-up error is not worth retrying. */
function generateError(err: unknown): { code: string; message: string; hint: string } {
  if (err instanceof EngineMisconfiguredError) {
    return {
      code: 'AI_ENGINE_MISCONFIGURED',
      message: `The AI engine is not set up on this worker: ${err.message}`,
      hint: `The operator must fix ${err.setting}; retrying fails the same way until then.`,
    };
  }
  if (err instanceof EngineUnavailableError) {
    return {
      code: 'AI_UNAVAILABLE',
      message: `The AI engine is unavailable: ${err.message}`,
      hint: 'Try again in a few minutes.',
    };
  }
  return {
    code: 'INTERNAL',
    message: 'Generation stopped because of an internal error.',
    hint: 'Try again; report the request id if it persists.',
  };
}
