import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  deploymentReportSchema,
  type InboundWebhooksService,
} from '../../services/inbound-webhooks.service.js';
import type { WebhooksService } from '../../services/webhooks.service.js';
import { ulidString, userIdString } from '../schemas.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The verified webhook-id of an inbound webhook. */
    webhookId?: string;
  }
}

const projectParams = z.object({
  projectId: ulidString('must be a project id (26-character ULID)'),
});
const owner = z.object({ userId: userIdString });

/** A project's own webhook endpoint, and inbound deployment status. */
export const webhookRoutes =
  (service: WebhooksService, inbound: InboundWebhooksService): FastifyPluginAsyncZod =>
  async (app) => {
    const base = '/v1/projects/:projectId/webhook';
    app.put(
      base,
      {
        config: { auth: 'app' },
        schema: {
          tags: ['webhooks'],
          summary:
            "Set the project's webhook URL. Returns a new whsec_ signing secret, shown this once.",
          params: projectParams,
          body: owner.extend({ url: z.string().min(1).max(2048) }),
          response: {
            200: z.object({ projectId: z.string(), url: z.string(), secret: z.string() }),
          },
        },
      },
      async (request) =>
        service.setEndpoint(request.params.projectId, request.body.userId, request.body.url),
    );

    app.get(
      base,
      {
        config: { auth: 'app' },
        schema: {
          tags: ['webhooks'],
          summary: "The project's webhook URL (null when none is set); never the secret.",
          params: projectParams,
          querystring: owner,
          response: { 200: z.object({ projectId: z.string(), url: z.string().nullable() }) },
        },
      },
      async (request) => service.getEndpoint(request.params.projectId, request.query.userId),
    );

    app.delete(
      base,
      {
        config: { auth: 'app' },
        schema: {
          tags: ['webhooks'],
          summary: "Remove the project's webhook URL; what is still owed to it is not sent.",
          params: projectParams,
          querystring: owner,
          response: { 200: z.object({ projectId: z.string(), removed: z.boolean() }) },
        },
      },
      async (request) => ({
        projectId: request.params.projectId,
        removed: await service.removeEndpoint(request.params.projectId, request.query.userId),
      }),
    );

    app.post(
      '/v1/webhook',
      {
        // Not HMAC-signed like the API: Standard Webhooks-signed, checked before validation.
        config: { auth: 'public' },
        preValidation: async (request) => {
          request.webhookId = inbound.verify(request.headers, request.rawBody);
        },
        schema: {
          tags: ['webhooks'],
          summary:
            'Inbound deployment status, signed as Standard Webhooks with INBOUND_WEBHOOK_SECRET; applied once per webhook-id.',
          body: deploymentReportSchema,
          response: {
            200: z.object({
              id: z.string(),
              duplicate: z.boolean(),
              deploymentId: z.string().nullable(),
              status: z.string().nullable(),
              changed: z.boolean(),
            }),
          },
        },
      },
      async (request) => inbound.apply(request.webhookId ?? '', request.body),
    );
  };
