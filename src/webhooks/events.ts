import type { OutboxEvent } from '../repositories/webhook-outbox.repo.js';
import type { ProjectEventType } from '../repositories/project-events.repo.js';

/** The events a webhook endpoint receives: a closed catalog, named for the receiver. */
export const WEBHOOK_EVENT_TYPES = [
  'build.started',
  'build.succeeded',
  'build.failed',
  'build.cancelled',
  'version.created',
  'project.published',
  'project.unpublished',
  'project.rolled_back',
  'domain.verified',
  'domain.failed',
  'alert.opened',
  'alert.resolved',
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/**
 * Which project event each webhook reports. Events not listed (version.ready, version.failed,
 * domain.added, domain.removed, deployment.updated) stay in the log and are not sent: the
 * build events already say what version.ready and version.failed would.
 */
const SENT_AS: Partial<Record<ProjectEventType, WebhookEventType>> = {
  'build.started': 'build.started',
  'build.succeeded': 'build.succeeded',
  'build.failed': 'build.failed',
  'build.cancelled': 'build.cancelled',
  'version.created': 'version.created',
  'version.published': 'project.published',
  'project.unpublished': 'project.unpublished',
  'version.rolled_back': 'project.rolled_back',
  'domain.verified': 'domain.verified',
  'domain.failed': 'domain.failed',
};

export interface WebhookPayload {
  type: WebhookEventType;
  /** When the change was committed (ISO 8601), not when this attempt was sent. */
  timestamp: string;
  data: Record<string, unknown>;
}

/** The body an outbox event is sent with, or undefined when it is not sent at all. */
export function webhookPayload(event: OutboxEvent): WebhookPayload | undefined {
  const type = SENT_AS[event.type];
  if (!type) return undefined;
  return {
    type,
    timestamp: event.createdAt.toISOString(),
    data: {
      projectId: event.projectId,
      userId: event.userId,
      ...(event.versionId ? { versionId: event.versionId } : {}),
      ...event.data,
    },
  };
}

/** The `webhook-id` of a message: the same for every attempt, so receivers can drop repeats. */
export const messageId = (eventId: string) => `msg_${eventId}`;
