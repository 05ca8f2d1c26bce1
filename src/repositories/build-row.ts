import { isBuildErrorCode, type BuildErrorCode } from '../build/build-errors.js';
import type { BuildStatus, StageName, StageRecord } from '../pipeline/stage-names.js';

/** A build as the repositories return it, and how a row of the builds table becomes one. */

export interface BuildError {
  code: BuildErrorCode;
  message: string;
  hint: string;
}

export interface Build {
  id: string;
  projectId: string;
  versionId: string;
  userId: string;
  kind: 'create' | 'update';
  status: BuildStatus;
  stage: StageName | null;
  stages: StageRecord[];
  prompt: string | null;
  framework: string | null;
  engine: string | null;
  archMode: string | null;
  idempotencyKey: string | null;
  attempts: number;
  error: BuildError | null;
  previewUrl: string | null;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  durationMs: number | null;
  cancelRequested: boolean;
}

/** The columns toBuild reads. */
export const BUILD_COLUMNS = `id, project_id, version_id, user_id, kind, status, stage, stages, prompt, framework,
  engine, arch_mode, idempotency_key, attempts, error_code, error_message, error_hint, preview_url,
  created_at, started_at, finished_at, duration_ms, cancel_requested_at`;

export type Row = Record<string, unknown>;

export function toBuild(r: Row): Build {
  return {
    id: r.id as string,
    projectId: r.project_id as string,
    versionId: r.version_id as string,
    userId: r.user_id as string,
    kind: r.kind as Build['kind'],
    status: r.status as BuildStatus,
    stage: (r.stage as StageName | null) ?? null,
    stages: (r.stages as StageRecord[] | null) ?? [],
    prompt: (r.prompt as string | null) ?? null,
    framework: (r.framework as string | null) ?? null,
    engine: (r.engine as string | null) ?? null,
    archMode: (r.arch_mode as string | null) ?? null,
    idempotencyKey: (r.idempotency_key as string | null) ?? null,
    attempts: r.attempts as number,
    error: r.error_code
      ? {
          // Codes are a closed catalog; a row written by an older release reads as INTERNAL.
          code: isBuildErrorCode(r.error_code as string)
            ? (r.error_code as BuildErrorCode)
            : 'INTERNAL',
          message: (r.error_message as string | null) ?? '',
          hint: (r.error_hint as string | null) ?? '',
        }
      : null,
    previewUrl: (r.preview_url as string | null) ?? null,
    createdAt: r.created_at as Date,
    startedAt: (r.started_at as Date | null) ?? null,
    finishedAt: (r.finished_at as Date | null) ?? null,
    durationMs: (r.duration_ms as number | null) ?? null,
    cancelRequested: r.cancel_requested_at !== null && r.cancel_requested_at !== undefined,
  };
}
