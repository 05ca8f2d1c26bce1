import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { alertJson } from '../../alerts/alert-evaluator.js';
import { ALERT_STATES, type AlertsRepository } from '../../repositories/alerts.repo.js';

export const alertSchema = z.object({
  id: z.string(),
  rule: z.string().describe('The rule that opened it, or the kind of a one-off notice.'),
  subject: z
    .string()
    .nullable()
    .describe('What it is about (a queue, an engine, a host); null for one-off notices.'),
  state: z.enum(ALERT_STATES),
  severity: z.enum(['info', 'warning', 'critical']),
  message: z.string(),
  value: z.number().nullable(),
  threshold: z.number().nullable(),
  details: z.record(z.string(), z.unknown()),
  openedAt: z.string(),
  lastSeenAt: z.string(),
  resolvedAt: z.string().nullable(),
});

/** Alerts for operators: what the rules opened and resolved, newest first. */
export const alertRoutes =
  (alerts: Pick<AlertsRepository, 'list'>): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/v1/admin/alerts',
      {
        config: { auth: 'admin' },
        schema: {
          tags: ['operations'],
          summary:
            'Alerts newest first: open ones while their rule fires, resolved ones after; admin secret.',
          querystring: z.object({
            state: z.enum(ALERT_STATES).optional(),
            limit: z.coerce.number().int().min(1).max(500).default(100),
          }),
          response: { 200: z.object({ alerts: z.array(alertSchema) }) },
        },
      },
      async (request) => {
        const list = await alerts.list({
          limit: request.query.limit,
          ...(request.query.state ? { state: request.query.state } : {}),
        });
        return { alerts: list.map(alertJson) };
      },
    );
  };
