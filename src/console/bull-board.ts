import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import type { HTTPStatus } from '@bull-board/api/dist/types.js';
import { FastifyAdapter } from '@bull-board/fastify';
import type { FastifyInstance } from 'fastify';
import { toAppError } from '../http/plugins/errors.js';
import { BullmqQueue } from '../queue/bullmq-queue.js';
import type { JobQueue } from '../queue/job-queue.js';

/**
 * Bull Board, read-only, for the queue dashboard on BullMQ (see queue-dashboard.ts, which
 * loads this module only then: Bull Board and BullMQ are slow to import).
 */
export async function registerBullBoard(
  app: FastifyInstance,
  queue: JobQueue,
  basePath: string,
): Promise<void> {
  if (!(queue instanceof BullmqQueue)) return;
  const serverAdapter = new FastifyAdapter();
  serverAdapter.setBasePath(basePath);
  createBullBoard({
    queues: queue.dashboardQueues().map((q) => new BullMQAdapter(q, { readOnlyMode: true })),
    serverAdapter,
    options: { uiConfig: { boardTitle: 'SheenApps queues' } },
  });
  // Bull Board answers errors in its own context, the console guard's refusals included:
  // keep them in the catalog's shape, with no thrown message behind a 5xx.
  serverAdapter.setErrorHandler((err) => {
    const error = toAppError(err as Parameters<typeof toAppError>[0]);
    const internal = error.status >= 500 && error.code !== 'SERVICE_UNAVAILABLE';
    return {
      // Its type lists the statuses it uses itself; it hands any number to reply.status().
      status: error.status as HTTPStatus,
      body: {
        error: {
          code: error.code,
          message: internal ? 'Internal error.' : error.message,
          hint: error.hint,
        },
      },
    };
  });
  await app.register(
    async (board) => {
      // Its routes (page, API, static files) cannot declare a level themselves.
      board.addHook('onRoute', (route) => {
        route.config = { ...(route.config ?? {}), auth: 'console' };
      });
      await board.register(serverAdapter.registerPlugin());
    },
    { prefix: basePath },
  );
}
