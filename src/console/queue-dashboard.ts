import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import type { HTTPStatus } from '@bull-board/api/dist/types.js';
import { FastifyAdapter } from '@bull-board/fastify';
import type { FastifyInstance } from 'fastify';
import type { Container } from '../container.js';
import { toAppError } from '../http/plugins/errors.js';
import { BullmqQueue } from '../queue/bullmq-queue.js';
import { EmbeddedQueue } from '../queue/embedded-queue.js';
import { queuesPage } from './pages/queues.js';
import { csrfOf, sendPage } from './reply.js';

export const QUEUE_DASHBOARD_PATH = '/admin/queues';
const RECENT_JOBS = 50;

/**
 * The queue dashboard at /admin/queues, behind the console's sign-in (a browser cannot sign
 * HMAC requests): Bull Board on BullMQ, a page of our own on the embedded queue. Both only
 * read. Bull Board's actions (retry, clean, promote) post from its own script, which cannot
 * carry the console's CSRF token; operators act through the API, the CLI and the console.
 */
export async function registerQueueDashboard(
  app: FastifyInstance,
  container: Container,
): Promise<void> {
  const { queue } = container;
  if (queue instanceof BullmqQueue) await registerBullBoard(app, queue);
  else if (queue instanceof EmbeddedQueue) registerEmbeddedPage(app, container, queue);
}

async function registerBullBoard(app: FastifyInstance, queue: BullmqQueue): Promise<void> {
  const serverAdapter = new FastifyAdapter();
  serverAdapter.setBasePath(QUEUE_DASHBOARD_PATH);
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
    { prefix: QUEUE_DASHBOARD_PATH },
  );
}

function registerEmbeddedPage(
  app: FastifyInstance,
  container: Container,
  queue: EmbeddedQueue,
): void {
  app.get(
    QUEUE_DASHBOARD_PATH,
    { config: { auth: 'console' }, schema: { hide: true } },
    async (request, reply) => {
      const [counts, waited, jobs] = await Promise.all([
        queue.counts(),
        queue.oldestWaitingMs(),
        queue.recentJobs(RECENT_JOBS),
      ]);
      const shown = jobs.map((j) => ({
        ...j,
        lastError: j.lastError === null ? null : container.redact(j.lastError),
      }));
      return sendPage(reply, queuesPage(csrfOf(request), counts, waited, shown));
    },
  );
}
