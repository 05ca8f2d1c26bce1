import DataLoader from 'dataloader';
import type { Db, Queryable } from '../db/db.js';
import type { ProjectEventsRepository } from './project-events.repo.js';
import { insertVersionAndBuild, targetOf } from './new-build.js';
import { MAX_DETAILS_BATCH, readBuildDetails, type BuildDetails } from './build-details.repo.js';
import type { StageName, StageRecord } from '../pipeline/stage-names.js';
import type { ImportedMeta } from './versions.repo.js';
import { BUILD_COLUMNS, toBuild, type Build, type BuildError, type Row } from './build-row.js';

export { ProjectNotFoundError } from './new-build.js';

export type { Build, BuildError } from './build-row.js';

/** A build a job just started, and whether an earlier attempt already recorded its version. */
export interface StartedBuild extends Build {
  /**
   * The preview URL its version was recorded with, when the record stage committed in an
   * earlier attempt (that job died before ending the build); null while it is building.
   */
  recordedPreviewUrl: string | null;
}

export interface NewBuildInput {
  userId: string;
  prompt: string;
  projectId?: string;
  name: string;
  /** A name the client chose; the engine keeps it instead of naming the app itself. */
  requestedName?: string;
  framework?: string;
  engine: string;
  archMode: string;
  idempotencyKey?: string;
  /** Updates only: the project must already exist. */
  requireProject?: boolean;
  /** An import: the uploaded files, already stored, are the new version's sources. */
  imported?: { sourceArtifactId: string; meta: ImportedMeta };
  /** Called inside the transaction once the rows exist (the embedded queue enqueues here). */
  afterInsert?: (tx: Queryable, build: Build) => Promise<void>;
}

export class BuildsRepository {
  /**
   * Status reads asked for in one turn of the event loop (requests whose bytes arrived
   * together) go in one statement (up to MAX_DETAILS_BATCH builds, each read once however many
   * requests asked for it): one round trip, one write to the socket and one execution instead
   * of one each. Nothing is cached between turns.
   */
  private readonly detailsLoader = new DataLoader<string, BuildDetails | undefined>(
    async (ids) => {
      const found = await readBuildDetails(this.db, ids);
      return ids.map((id) => found.get(id));
    },
    {
      cache: false,
      maxBatchSize: MAX_DETAILS_BATCH,
      batchScheduleFn: (run) => setImmediate(run),
    },
  );

  constructor(
    private readonly db: Db,
    private readonly projectEvents: ProjectEventsRepository,
  ) {}

  /** A build with its AI usage and its version's recommendations, in one statement. */
  details(id: string): Promise<BuildDetails | undefined> {
    return this.detailsLoader.load(id);
  }

  async get(id: string): Promise<Build | undefined> {
    // Read on every wake of a build's event stream and by most stages: planned once.
    const { rows } = await this.db.query<Row>(
      `SELECT ${BUILD_COLUMNS} FROM builds WHERE id = $1`,
      [id],
      { name: 'build-by-id' },
    );
    return rows[0] ? toBuild(rows[0]) : undefined;
  }

  /**
   * Creates (or, for a repeated idempotency key, finds) the project, version and build rows
   * of a new build, atomically. Returns whether a new build was created.
   */
  async createForPrompt(input: NewBuildInput): Promise<{ build: Build; created: boolean }> {
    return this.db.transaction(async (tx) => {
      if (input.idempotencyKey) {
        const existing = await tx.query<Row>(
          `SELECT ${BUILD_COLUMNS} FROM builds WHERE user_id = $1 AND idempotency_key = $2`,
          [input.userId, input.idempotencyKey],
        );
        if (existing.rows[0]) return { build: toBuild(existing.rows[0]), created: false };
      }
      const build = await insertVersionAndBuild(tx, input, await targetOf(tx, input));
      await input.afterInsert?.(tx, build);
      return { build, created: true };
    });
  }

  /**
   * Marks a build running for a new attempt; returns undefined if it already ended. The
   * first start of a build appends build.started in the same transaction.
   */
  async start(id: string, workerId: string, newAttempt = true): Promise<StartedBuild | undefined> {
    return this.db.transaction(async (tx) => {
      const before = await tx.query<{ started_at: Date | null }>(
        'SELECT started_at FROM builds WHERE id = $1 FOR UPDATE',
        [id],
      );
      const { rows } = await tx.query<Row>(
        `UPDATE builds SET status = 'running', attempts = attempts + $3::int, worker_id = $2,
           started_at = coalesce(started_at, now())
         WHERE id = $1 AND status IN ('queued', 'running') AND cancel_requested_at IS NULL
         RETURNING ${BUILD_COLUMNS}, (SELECT v.preview_url FROM project_versions v
           WHERE v.id = builds.version_id AND v.status = 'ready') AS recorded_preview_url`,
        [id, workerId, newAttempt ? 1 : 0],
      );
      const row = rows[0];
      const started = row
        ? {
            ...toBuild(row),
            recordedPreviewUrl: (row.recorded_preview_url as string | null) ?? null,
          }
        : undefined;
      if (started && before.rows[0]?.started_at === null) {
        await this.appendBuildEvent(tx, started, 'build.started');
      }
      return started;
    });
  }

  async saveStages(id: string, stage: StageName | null, stages: StageRecord[]): Promise<void> {
    // Twice per stage of every build: planned once.
    await this.db.query(
      'UPDATE builds SET stage = $2, stages = $3::jsonb WHERE id = $1',
      [id, stage, JSON.stringify(stages)],
      { name: 'build-save-stages' },
    );
  }

  /**
   * Ends a build once: only from one of the `from` states, in one statement, so of two
   * writers racing to end a build exactly one wins; a build in any other state is left as it
   * is. A build that did not succeed fails its version, with the project event, in the same
   * transaction.
   */
  async finish(
    id: string,
    outcome: {
      status: 'succeeded' | 'failed' | 'cancelled';
      error?: BuildError;
      previewUrl?: string;
    },
    from: readonly ('queued' | 'running')[] = ['queued', 'running'],
  ): Promise<Build | undefined> {
    return this.db.transaction(async (tx) => {
      const { rows } = await tx.query<Row>(
        `UPDATE builds SET status = $2, error_code = $3, error_message = $4, error_hint = $5,
           preview_url = coalesce($6, preview_url), finished_at = now(),
           duration_ms = greatest(0, (extract(epoch FROM now() - coalesce(started_at, created_at)) * 1000)::int)
         WHERE id = $1 AND status = ANY($7::text[])
         RETURNING ${BUILD_COLUMNS}`,
        [
          id,
          outcome.status,
          outcome.error?.code ?? null,
          outcome.error?.message ?? null,
          outcome.error?.hint ?? null,
          outcome.previewUrl ?? null,
          from,
        ],
      );
      const ended = rows[0] ? toBuild(rows[0]) : undefined;
      if (!ended) return undefined;
      await this.appendBuildEvent(tx, ended, `build.${outcome.status}`);
      if (outcome.status !== 'succeeded') await this.failVersion(tx, ended);
      return ended;
    });
  }

  /** The build lifecycle in the project event log (the webhook outbox). */
  private async appendBuildEvent(
    tx: Queryable,
    build: Build,
    type: 'build.started' | 'build.succeeded' | 'build.failed' | 'build.cancelled',
  ): Promise<void> {
    await this.projectEvents.append(tx, {
      projectId: build.projectId,
      userId: build.userId,
      type,
      versionId: build.versionId,
      data: {
        buildId: build.id,
        status: build.status,
        kind: build.kind,
        ...(build.previewUrl ? { previewUrl: build.previewUrl } : {}),
        ...(build.error ? { error: build.error } : {}),
        ...(build.durationMs === null ? {} : { durationMs: build.durationMs }),
      },
    });
  }

  private async failVersion(tx: Queryable, build: Build): Promise<void> {
    const { rowCount } = await tx.query(
      `UPDATE project_versions SET status = 'failed' WHERE id = $1 AND status = 'building'`,
      [build.versionId],
    );
    if (rowCount === 0) return;
    await this.projectEvents.append(tx, {
      projectId: build.projectId,
      userId: build.userId,
      type: 'version.failed',
      versionId: build.versionId,
      data: { buildId: build.id, status: build.status, error: build.error },
    });
  }

  /**
   * Cancels a build no worker has taken: only while it is still queued. Undefined when a
   * worker started it meanwhile; that worker ends it when it sees cancel_requested_at.
   */
  cancelQueued(id: string, error: BuildError): Promise<Build | undefined> {
    return this.finish(id, { status: 'cancelled', error }, ['queued']);
  }

  async requestCancel(id: string): Promise<Build | undefined> {
    await this.db.query(
      `UPDATE builds SET cancel_requested_at = coalesce(cancel_requested_at, now())
       WHERE id = $1 AND status IN ('queued', 'running')`,
      [id],
    );
    return this.get(id);
  }

  /** AI usage of a build, summed over every engine call. */
  async usage(buildId: string) {
    const { rows } = await this.db.query<{
      calls: number;
      input_tokens: number;
      output_tokens: number;
      cache_read_tokens: number;
      cache_write_tokens: number;
      cost_usd: string;
      duration_ms: number;
      engines: string[] | null;
    }>(
      `SELECT count(*)::int AS calls, coalesce(sum(input_tokens), 0)::int AS input_tokens,
         coalesce(sum(output_tokens), 0)::int AS output_tokens,
         coalesce(sum(cache_read_tokens), 0)::int AS cache_read_tokens,
         coalesce(sum(cache_write_tokens), 0)::int AS cache_write_tokens,
         coalesce(sum(cost_usd), 0)::text AS cost_usd, coalesce(sum(duration_ms), 0)::int AS duration_ms,
         array_agg(DISTINCT engine) FILTER (WHERE engine IS NOT NULL) AS engines
       FROM claude_user_usage WHERE build_id = $1`,
      [buildId],
    );
    const r = rows[0];
    return {
      calls: r?.calls ?? 0,
      inputTokens: r?.input_tokens ?? 0,
      outputTokens: r?.output_tokens ?? 0,
      cacheReadTokens: r?.cache_read_tokens ?? 0,
      cacheWriteTokens: r?.cache_write_tokens ?? 0,
      costUsd: Number(r?.cost_usd ?? 0),
      durationMs: r?.duration_ms ?? 0,
      engines: r?.engines ?? [],
    };
  }

  /** Ids of builds still queued or running (on any worker): their workspaces are in use. */
  /**
   * Builds a queue job must carry (queued or running, not run inline in a request) that have
   * been quiet for `quietMs`: created, started and last event all older. A build a worker is
   * running writes events; one enqueued this instant is younger than that.
   */
  async awaitingJobs(
    quietMs: number,
    limit = 500,
  ): Promise<Array<{ id: string; stages: StageRecord[] }>> {
    const { rows } = await this.db.query<{ id: string; stages: StageRecord[] | null }>(
      `SELECT b.id, b.stages FROM builds b
         LEFT JOIN build_events e ON e.build_id = b.id AND e.seq = b.last_event_seq
       WHERE b.status IN ('queued', 'running') AND b.arch_mode IS DISTINCT FROM 'direct'
         AND greatest(b.created_at, b.started_at, e.created_at)
             < now() - ($1 || ' milliseconds')::interval
       ORDER BY b.created_at LIMIT $2`,
      [String(quietMs), limit],
    );
    return rows.map((r) => ({ id: r.id, stages: r.stages ?? [] }));
  }

  async unfinishedIds(): Promise<Set<string>> {
    const { rows } = await this.db.query<{ id: string }>(
      `SELECT id FROM builds WHERE status IN ('queued', 'running')`,
    );
    return new Set(rows.map((r) => r.id));
  }

  async countByStatus(): Promise<Record<string, number>> {
    const { rows } = await this.db.query<{ status: string; n: number }>(
      'SELECT status, count(*)::int AS n FROM builds GROUP BY status',
    );
    return Object.fromEntries(rows.map((r) => [r.status, r.n]));
  }
}
