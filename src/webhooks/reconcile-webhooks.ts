import { JOBS } from '../queue/catalog.js';
import type { ReconcileSource } from '../queue/reconcile.js';
import type { WebhookDeliveriesRepository } from '../repositories/webhook-deliveries.repo.js';

/**
 * Deliveries handed to the queue whose job was lost. The dispatcher would hand them over
 * again once their lease lapses (minutes); the reconciler ends the lease as soon as the job
 * is seen missing, so the dispatcher's next round sends them with a new dispatch number.
 * "Quiet" waits out a job's own time limit, so an attempt still sending is never doubled.
 */
export function webhooksReconcileSource(
  deliveries: WebhookDeliveriesRepository,
  options: { quietMs: number },
): ReconcileSource {
  const quietMs = Math.max(options.quietMs, JOBS['webhook.deliver'].timeoutMs ?? 0);
  return {
    name: 'webhooks',
    covers: ['webhook.deliver'],
    async owed() {
      const waiting = await deliveries.awaitingJobs(quietMs);
      return waiting.map((payload) => ({
        what: `webhook delivery ${payload.deliveryId}`,
        jobs: [{ name: 'webhook.deliver', payload }],
        requeue: () => deliveries.releaseLostLease(payload.deliveryId, payload.dispatch, quietMs),
      }));
    },
  };
}
