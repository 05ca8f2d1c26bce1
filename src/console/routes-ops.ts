import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Container } from '../container.js';
import { ulidString, userIdString } from '../http/schemas.js';
import { DELIVERY_STATUSES } from '../repositories/webhook-deliveries.repo.js';
import { DEFAULT_USER } from './pages/new-app.js';
import { usagePage } from './pages/usage.js';
import { webhooksPage } from './pages/webhooks.js';
import { csrfOf, seeOther, sendPage } from './reply.js';

const LEDGER_ROWS = 100;
const DELIVERIES_SHOWN = 50;
/** The period of the cost-per-task table: the billing API's default range. */
const COST_DAYS = 30;
const DAY_MS = 86_400_000;

/** Usage (balance, grants, ledger) and webhook deliveries with redelivery. */
export const opsRoutes =
  (container: Container): FastifyPluginAsyncZod =>
  async (app) => {
    const { quota, webhooks } = container;
    const opts = { config: { auth: 'console' as const } };

    app.get(
      '/console/usage',
      {
        ...opts,
        schema: {
          hide: true,
          querystring: z.object({ userId: userIdString.default(DEFAULT_USER) }),
        },
      },
      async (request, reply) => {
        const { userId } = request.query;
        const to = new Date();
        const from = new Date(to.getTime() - COST_DAYS * DAY_MS);
        const [balance, ledger, byTask] = await Promise.all([
          quota.balance(userId),
          container.console.reads.ledger(userId, LEDGER_ROWS),
          quota.usageByTask(userId, from, to),
        ]);
        const costs = { days: COST_DAYS, byTask };
        return sendPage(reply, usagePage(csrfOf(request), balance, ledger, costs));
      },
    );

    app.get(
      '/console/webhooks',
      {
        ...opts,
        schema: {
          hide: true,
          querystring: z.object({
            // The filter's "all" option submits an empty value.
            status: z.union([z.literal(''), z.enum(DELIVERY_STATUSES)]).optional(),
            notice: z.literal('redelivered').optional(),
          }),
        },
      },
      async (request, reply) => {
        const status = request.query.status || undefined;
        const list = await webhooks.listDeliveries(status, DELIVERIES_SHOWN);
        const notice = request.query.notice
          ? 'Sent again: a fresh retry schedule started.'
          : undefined;
        return sendPage(reply, webhooksPage(csrfOf(request), list, status, notice));
      },
    );

    app.post(
      '/console/webhooks/:id/redeliver',
      {
        ...opts,
        schema: {
          hide: true,
          params: z.object({ id: ulidString('must be a delivery id (26-character ULID)') }),
        },
      },
      async (request, reply) => {
        await webhooks.redeliver(request.params.id);
        return seeOther(reply, '/console/webhooks?notice=redelivered');
      },
    );
  };
