import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Container } from '../../container.js';
import { MAX_LISTED } from '../../services/artifact-cleanup.service.js';

const counts = z.object({
  waiting: z.number(),
  active: z.number(),
  completed: z.number(),
  failed: z.number(),
  delayed: z.number(),
});

const cleanupReport = z.object({
  dryRun: z.boolean(),
  scanned: z.number().int(),
  deleted: z.number().int(),
  kept: z.number().int(),
  bytesFreed: z.number().int(),
  errors: z.array(z.object({ artifactId: z.string(), message: z.string() })),
  artifacts: z
    .array(
      z.object({
        artifactId: z.string(),
        sha256: z.string(),
        sizeBytes: z.number().int(),
        action: z.enum(['delete', 'keep']),
        reason: z.string(),
      }),
    )
    .describe(`The artifacts looked at, at most ${MAX_LISTED}.`),
});

export const adminRoutes =
  (
    c: Pick<Container, 'queue' | 'pipeline' | 'config' | 'artifactCleanup'>,
  ): FastifyPluginAsyncZod =>
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

    app.post(
      '/v1/admin/artifacts/cleanup',
      {
        config: { auth: 'admin' },
        schema: {
          tags: ['operations'],
          summary:
            'Runs artifact cleanup now: deletes expired artifacts no current or published version or live deployment uses. With dryRun=true, deletes nothing and says what it would do. Signed with an admin secret.',
          querystring: z.object({
            dryRun: z
              .enum(['true', 'false'])
              .default('false')
              .transform((v) => v === 'true'),
          }),
          response: { 200: cleanupReport },
        },
      },
      async (req) => c.artifactCleanup.run({ dryRun: req.query.dryRun }),
    );
  };
