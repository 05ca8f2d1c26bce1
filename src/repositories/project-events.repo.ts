import { monotonicFactory } from 'ulid';
import type { Db, Queryable } from '../db/db.js';

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
] as const;
export type ProjectEventType = (typeof PROJECT_EVENT_TYPES)[number];

export interface ProjectEventInput {
  projectId: string;
  userId: string;
  type: ProjectEventType;
  versionId?: string | null;
  data?: Record<string, unknown>;
}

export interface ProjectEvent extends Required<Omit<ProjectEventInput, 'data'>> {
  id: string;
  data: Record<string, unknown>;
  createdAt: Date;
}

type Row = {
  id: string;
  project_id: string;
  user_id: string;
  type: ProjectEventType;
  version_id: string | null;
  data: Record<string, unknown>;
  created_at: Date;
};

// Monotonic within a process, so two events of one transaction keep their order.
const nextId = monotonicFactory();

export class ProjectEventsRepository {
  constructor(private readonly db: Db) {}

  /**
   * Appends an event. Always called with the transaction that makes the change it reports,
   * so an event exists exactly when its change was committed.
   */
  async append(tx: Queryable, event: ProjectEventInput): Promise<void> {
    await tx.query(
      `INSERT INTO project_events (id, project_id, user_id, type, version_id, data)
       VALUES ($1, $2, $3, $4, $5, $6::jsonb)`,
      [
        nextId(),
        event.projectId,
        event.userId,
        event.type,
        event.versionId ?? null,
        JSON.stringify(event.data ?? {}),
      ],
    );
  }

  /** A project's events, oldest first (ids are ULIDs: time-ordered). */
  async list(projectId: string, limit = 100, afterId = ''): Promise<ProjectEvent[]> {
    const { rows } = await this.db.query<Row>(
      `SELECT id, project_id, user_id, type, version_id, data, created_at FROM project_events
       WHERE project_id = $1 AND id > $2 ORDER BY id LIMIT $3`,
      [projectId, afterId, limit],
    );
    return rows.map((r) => ({
      id: r.id,
      projectId: r.project_id,
      userId: r.user_id,
      type: r.type,
      versionId: r.version_id,
      data: r.data,
      createdAt: r.created_at,
    }));
  }
}
