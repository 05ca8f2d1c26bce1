import { monotonicFactory } from 'ulid';
import { pooledPrng } from '../ids.js';
import type { Queryable } from '../db/db.js';

/** What happened to a project, in order: the outbox the signed webhooks send from. */
export const PROJECT_EVENT_TYPES = [
  'version.created',
  'version.ready',
  'version.failed',
  'version.published',
  'project.unpublished',
  'version.rolled_back',
  'domain.added',
  'domain.verified',
  'domain.failed',
  'domain.removed',
  'build.started',
  'build.succeeded',
  'build.failed',
  'build.cancelled',
  'deployment.updated',
] as const;
export type ProjectEventType = (typeof PROJECT_EVENT_TYPES)[number];

export interface ProjectEventInput {
  projectId: string;
  userId: string;
  type: ProjectEventType;
  versionId?: string | null;
  data?: Record<string, unknown>;
}

// Monotonic within a process, so two events of one transaction keep their order.
const nextId = monotonicFactory(pooledPrng);

/** The columns an appended event fills, in the order of `eventValues`. */
export const EVENT_COLUMNS = 'id, project_id, user_id, type, version_id, data';

/** An event's row for EVENT_COLUMNS, with a new id (`data` goes in as `$n::jsonb`). */
export function eventValues(event: ProjectEventInput): unknown[] {
  return [
    nextId(),
    event.projectId,
    event.userId,
    event.type,
    event.versionId ?? null,
    JSON.stringify(event.data ?? {}),
  ];
}

export class ProjectEventsRepository {
  /**
   * Appends an event. Always called with the transaction that makes the change it reports,
   * so an event exists exactly when its change was committed.
   */
  async append(tx: Queryable, event: ProjectEventInput): Promise<void> {
    await tx.query(
      `INSERT INTO project_events (${EVENT_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6::jsonb)`,
      eventValues(event),
    );
  }
}
