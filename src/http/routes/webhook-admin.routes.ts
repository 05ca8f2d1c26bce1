import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { DELIVERY_STATUSES, type Delivery } from '../../repositories/webhook-deliveries.repo.js';
import type { WebhooksService } from '../../services/webhooks.service.js';
import { ulidString } from '../schemas.js';

const attemptSchema = z.object({
  attempt: z.number(),
  url: z.string(),
  address: z.string().nullable(),
  statusCode: z.number().nullable(),
  latencyMs: z.number(),
  responseExcerpt: z.string().nullable(),
  error: z.string().nullable(),
  outcome: z.enum(['delivered', 'failed', 'refused']),
  createdAt: z.string(),
});

const deliverySchema = z.object({
  id: z.string(),
  eventId: z.string(),
  projectId: z.string().nullable(),
  eventType: z.string(),
  endpoint: z.enum(['global', 'project', 'alert']),
  url: z.string(),
  status: z.enum(DELIVERY_STATUSES),
  attempts: z.number(),
  nextAttemptAt: z.string().nullable(),
  lastStatus: z.number().nullable(),
  lastError: z.string().nullable(),
  deliveredAt: z.string().nullable(),
  createdAt: z.string(),
});

function toJson(d: Delivery) {
  return {
    id: d.id,
    eventId: d.eventId,
    projectId: d.projectId,
    eventType: d.eventType,
    endpoint: d.endpoint,
    url: d.url,
    status: d.status,
    attempts: d.attempts,
    nextAttemptAt: d.status === 'pending' ? d.nextAttemptAt.toISOString() : null,
    lastStatus: d.lastStatus,
    lastError: d.lastError,
    deliveredAt: d.deliveredAt?.toISOString() ?? null,
    createdAt: d.createdAt.toISOString(),
  };
}

/** Webhook deliveries for operators: what was sent, every attempt, and sending one again. */
export const webhookAdminRoutes =
  (service: WebhooksService): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/v1/admin/webhooks/deliveries',
      {
        config: { auth: 'admin' },
        schema: {
          tags: ['operations'],
          summary: 'Webhook deliveries, newest first, each with its attempts; admin secret.',
          querystring: z.object({
            status: z.enum(DELIVERY_STATUSES).optional(),
            limit: z.coerce.number().int().min(1).max(200).default(50),
          }),
          response: {
            200: z.object({
              deliveries: z.array(deliverySchema.extend({ attemptLog: z.array(attemptSchema) })),
            }),
          },
        },
      },
      async (request) => {
        const list = await service.listDeliveries(request.query.status, request.query.limit);
        return {
          deliveries: list.map((d) => ({
            ...toJson(d),
            attemptLog: d.attemptLog.map((a) => ({ ...a, createdAt: a.createdAt.toISOString() })),
          })),
        };
      },
    );

    app.post(
      '/v1/admin/webhooks/deliveries/:id/redeliver',
      {
        config: { auth: 'admin' },
        schema: {
          tags: ['operations'],
          summary:
            'Send a delivery again now, with a fresh retry schedule (same webhook-id); admin secret.',
          params: z.object({ id: ulidString('must be a delivery id (26-character ULID)') }),
          response: { 202: deliverySchema },
        },
      },
      async (request, reply) => {
        reply.status(202);
        return toJson(await service.redeliver(request.params.id));
      },
    );
  };
