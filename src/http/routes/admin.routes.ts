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

const webhookBacklog = z
  .object({
    outbox: z.number().int().describe('Project events not yet turned into deliveries.'),
    pending: z.number().int(),
    delivered: z.number().int(),
    failed: z.number().int(),
    cancelled: z.number().int(),
  })
  .describe('Webhook deliveries by status; their jobs run on the webhooks queue.');

const cleanupStatus = z
  .object({
    expiredArtifacts: z
      .number()
      .int()
      .describe('Past retention, not deleted yet (cleanup keeps those still in use).'),
    intervalMs: z.number().int(),
    lastRun: z
      .object({
        startedAt: z.string(),
        finishedAt: z.string(),
        dryRun: z.boolean(),
        deleted: z.number().int(),
        kept: z.number().int(),
        errors: z.number().int(),
      })
      .nullable(),
  })
  .describe('Artifact cleanup, which runs on a timer on the workers.');

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
    c: Pick<Container, 'queue' | 'pipeline' | 'config' | 'artifactCleanup' | 'opsStats'>,
  ): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/v1/admin/queue-status',
      {
        config: { auth: 'admin' },
        schema: {
          tags: ['operations'],
          summary:
            'Jobs per queue (builds, ai, webhooks) with the wait of the oldest, builds per status, the webhook outbox and delivery backlog, and artifact cleanup; signed with an admin secret.',
          response: {
            200: z.object({
              kind: z.enum(['bullmq', 'embedded']),
              archMode: z.string(),
              queues: z.record(z.string(), counts.extend({ oldestWaitingMs: z.number() })),
              builds: z.record(z.string(), z.number()),
              webhooks: webhookBacklog,
              cleanup: cleanupStatus,
            }),
          },
        },
      },
      async () => {
        const [queues, oldest, builds, webhooks, cleanup] = await Promise.all([
          c.queue.counts(),
          c.queue.oldestWaitingMs(),
          c.pipeline.builds.countByStatus(),
          c.opsStats.deliveryBacklog(),
          c.opsStats.cleanupStatus(),
        ]);
        return {
          kind: c.queue.kind,
          archMode: c.config.pipeline.archMode,
          queues: Object.fromEntries(
            Object.entries(queues).map(([q, n]) => [
              q,
              { ...n, oldestWaitingMs: Math.round(oldest[q as keyof typeof oldest] ?? 0) },
            ]),
          ),
          builds,
          webhooks,
          cleanup: {
            expiredArtifacts: cleanup.expiredArtifacts,
            intervalMs: c.config.artifacts.cleanupIntervalMs,
            lastRun: cleanup.lastRun && {
              ...cleanup.lastRun,
              startedAt: cleanup.lastRun.startedAt.toISOString(),
              finishedAt: cleanup.lastRun.finishedAt.toISOString(),
            },
          },
        };
      },
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
