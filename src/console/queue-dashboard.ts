import type { FastifyInstance } from 'fastify';
import type { Container } from '../container.js';
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
  if (queue.kind === 'bullmq') {
    // Bull Board and BullMQ are loaded only for a worker that runs on BullMQ.
    const { registerBullBoard } = await import('./bull-board.js');
    await registerBullBoard(app, queue, QUEUE_DASHBOARD_PATH);
  } else if (queue instanceof EmbeddedQueue) registerEmbeddedPage(app, container, queue);
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
