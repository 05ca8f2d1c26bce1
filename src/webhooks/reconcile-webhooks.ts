import type { ReconcileSource } from '../queue/reconcile.js';
import type { WebhookDeliveriesRepository } from '../repositories/webhook-deliveries.repo.js';

/**
 * Deliveries handed to the queue whose job was lost. The dispatcher would hand them over
 * again once their lease lapses (minutes); the reconciler ends the lease as soon as the job
 * is seen missing, so the dispatcher's next round sends them with a new dispatch number.
 * "Quiet" outlasts an attempt still sending (its send is cut at `attemptMs`, then it records
 * the result), so an attempt is never doubled; the job's own 120 s limit would leave
 * deliveries lost with Redis waiting two minutes for nothing.
 */
export function webhooksReconcileSource(
  deliveries: WebhookDeliveriesRepository,
  options: { quietMs: number; attemptMs: number },
): ReconcileSource {
  const quietMs = Math.max(options.quietMs, 2 * options.attemptMs + 5000);
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
