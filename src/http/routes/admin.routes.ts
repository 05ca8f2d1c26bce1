import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Container } from '../../container.js';

const counts = z.object({
  waiting: z.number(),
  active: z.number(),
  completed: z.number(),
  failed: z.number(),
  delayed: z.number(),
});

export const adminRoutes =
  (c: Pick<Container, 'queue' | 'pipeline' | 'config'>): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/v1/admin/queue-status',
      {
        config: { auth: 'admin' },
        schema: {
          tags: ['operations'],
          summary: 'Jobs per queue and builds per status; signed with an admin secret.',
          response: {
            200: z.object({
              kind: z.enum(['bullmq', 'embedded']),
              archMode: z.string(),
              queues: z.record(z.string(), counts),
              builds: z.record(z.string(), z.number()),
            }),
          },
        },
      },
      async () => ({
        kind: c.queue.kind,
        archMode: c.config.pipeline.archMode,
        queues: await c.queue.counts(),
        builds: await c.pipeline.builds.countByStatus(),
      }),
    );
  };
