import type { Queryable } from '../db/db.js';
import { newId } from '../ids.js';
import { initialStages } from '../pipeline/stage-names.js';
import { BUILD_COLUMNS, toBuild, type Build, type Row } from './build-row.js';
import { EVENT_COLUMNS, eventValues } from './project-events.repo.js';
import type { NewBuildInput } from './builds.repo.js';

/** The project does not exist, or belongs to someone else: callers cannot tell which. */
export class ProjectNotFoundError extends Error {}

/** Where a new version goes: its project (made by the same statement when new) and number. */
interface Target {
  projectId: string;
  versionNumber: number;
  newProject: boolean;
}

/**
 * The project a new version goes into, locked, and that version's number. A project id the
 * repository makes up cannot exist, so a plain create skips the lookups (two round trips of
 * every create request).
 */
export async function targetOf(tx: Queryable, input: NewBuildInput): Promise<Target> {
  if (!input.projectId) return { projectId: newId(), versionNumber: 1, newProject: true };
  const projectId = input.projectId;
  const project = await tx.query<{ user_id: string }>(
    'SELECT user_id FROM projects WHERE id = $1 FOR UPDATE',
    [projectId],
  );
  const owner = project.rows[0]?.user_id;
  if (owner === undefined && input.requireProject) throw new ProjectNotFoundError(projectId);
  if (owner !== undefined && owner !== input.userId) throw new ProjectNotFoundError(projectId);
  if (owner === undefined) return { projectId, versionNumber: 1, newProject: true };
  const next = await tx.query<{ n: number }>(
    'SELECT coalesce(max(version_number), 0) + 1 AS n FROM project_versions WHERE project_id = $1',
    [projectId],
  );
  return { projectId, versionNumber: next.rows[0]?.n ?? 1, newProject: false };
}

/**
 * Inserts the project when it is new, the version, the build and the version.created event
 * in one statement: one round trip where there were four. Foreign keys are checked at the
 * end of the statement, so the version may name the project it inserts beside.
 */
export async function insertVersionAndBuild(
  tx: Queryable,
  input: NewBuildInput,
  target: Target,
): Promise<Build> {
  const { projectId, versionNumber, newProject } = target;
  const versionId = newId();
  const buildId = newId();
  const kind = versionNumber === 1 ? 'create' : 'update';
  const metadata = {
    ...(input.requestedName ? { requestedName: input.requestedName } : {}),
    ...(input.imported ? { imported: input.imported.meta } : {}),
  };
  const event = {
    projectId,
    userId: input.userId,
    type: 'version.created' as const,
    versionId,
    data: { number: versionNumber, kind, buildId },
  };
  const params: unknown[] = [
    ...[buildId, projectId, versionId, input.userId, kind, input.prompt, input.framework ?? null],
    ...[
      input.engine,
      input.archMode,
      input.idempotencyKey ?? null,
      JSON.stringify(initialStages()),
    ],
    ...[versionNumber, JSON.stringify(metadata), input.imported?.sourceArtifactId ?? null],
    ...eventValues(event),
    ...(newProject ? [input.name] : []),
  ];
  const { rows } = await tx.query<Row>(newBuildSql(newProject), params);
  return toBuild(rows[0] as Row);
}

/**
 * The statement for insertVersionAndBuild's parameters: $1-$11 the build, $12-$14 the rest of
 * the version, $15-$20 the event, $21 a new project's name. A new project has no current
 * version; an existing one's is the new version's parent.
 */
function newBuildSql(newProject: boolean): string {
  const project = newProject
    ? 'p AS (INSERT INTO projects (id, user_id, name, framework) VALUES ($2, $4, $21, $7)),'
    : '';
  const parent = newProject ? 'NULL' : '(SELECT current_version_id FROM projects WHERE id = $2)';
  return `WITH ${project}
     v AS (
       INSERT INTO project_versions (id, project_id, version_number, parent_version_id, kind,
         prompt, framework, metadata, source_artifact_id)
       VALUES ($3, $2, $12, ${parent}, $5, $6, $7, $13::jsonb, $14)
     ),
     e AS (
       INSERT INTO project_events (${EVENT_COLUMNS}) VALUES ($15, $16, $17, $18, $19, $20::jsonb)
     )
     INSERT INTO builds (id, project_id, version_id, user_id, kind, prompt, framework, engine,
       arch_mode, idempotency_key, stages)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11::jsonb)
     RETURNING ${BUILD_COLUMNS}`;
}
