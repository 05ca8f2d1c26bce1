import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { TERMINAL_EVENT, type EventBus } from '../../events/event-bus.js';
import type { EventsRepository } from '../../repositories/events.repo.js';
import type { BuildService } from '../../services/build.service.js';
import { TERMINAL_STATUSES } from '../../pipeline/stage-names.js';

const HEARTBEAT_MS = 15_000;
const POLL_MS = 1000;

/**
 * Server-sent events for one build. The database is the source of truth: the stream replays
 * everything after Last-Event-ID from it, then re-reads it whenever the bus says something
 * happened (or every second), so no event is lost between replay and live.
 */
export const eventRoutes =
  (service: BuildService, events: EventsRepository, bus: EventBus): FastifyPluginAsyncZod =>
  async (app) => {
    // Open streams end when the server closes, so shutdown never waits on a client.
    const open = new Set<() => void>();
    app.addHook('preClose', async () => {
      for (const end of open) end();
    });
    app.get(
      '/v1/builds/:buildId/events',
      {
        schema: {
          tags: ['builds'],
          summary:
            'Build events as text/event-stream; resumes after Last-Event-ID and ends with the build.',
          params: z.object({
            buildId: z
              .string()
              .toUpperCase()
              .regex(/^[0-9A-Z]{26}$/),
          }),
          querystring: z.object({ lastEventId: z.coerce.number().int().min(0).optional() }),
          headers: z.object({ 'last-event-id': z.coerce.number().int().min(0).optional() }),
        },
      },
      async (request, reply) => {
        const build = await service.get(request.params.buildId);
        let last = request.headers['last-event-id'] ?? request.query.lastEventId ?? 0;
        reply.hijack();
        const res = reply.raw;
        res.writeHead(200, {
          'content-type': 'text/event-stream; charset=utf-8',
          'cache-control': 'no-cache, no-transform',
          connection: 'keep-alive',
          'x-accel-buffering': 'no',
          'x-request-id': request.id,
        });
        let closed = false;
        let wake: (() => void) | undefined;
        const end = () => {
          closed = true;
          wake?.();
        };
        request.raw.on('close', end);
        open.add(end);
        const unsubscribe = await bus.subscribe(build.id, () => wake?.());
        let lastWrite = Date.now();
        let terminalPolls = 0;
        try {
          res.write(`retry: 2000\n\n`);
          for (;;) {
            let finished = false;
            for (const event of await events.listAfter(build.id, last)) {
              res.write(`id: ${event.id}\ndata: ${JSON.stringify(event)}\n\n`);
              last = event.id;
              lastWrite = Date.now();
              if (event.type === TERMINAL_EVENT) finished = true;
            }
            if (finished || closed) break;
            const current = await service.get(build.id);
            if (TERMINAL_STATUSES.includes(current.status)) {
              // The status is written just before the closing event: give it a moment, then
              // end anyway (a build cancelled while queued has no closing event).
              terminalPolls += 1;
              if (terminalPolls > 20) break;
              await new Promise((r) => setTimeout(r, 100));
              continue;
            }
            if (Date.now() - lastWrite >= HEARTBEAT_MS) {
              res.write(': keep-alive\n\n');
              lastWrite = Date.now();
            }
            await new Promise<void>((resolve) => {
              const timer = setTimeout(resolve, POLL_MS);
              wake = () => {
                clearTimeout(timer);
                resolve();
              };
            });
            wake = undefined;
          }
        } catch (err) {
          request.log.warn({ err }, 'event stream ended with an error');
        } finally {
          open.delete(end);
          await unsubscribe().catch(() => undefined);
          res.end();
        }
      },
    );
  };
