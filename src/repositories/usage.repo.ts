import { newId } from '../ids.js';
import type { EngineUsage } from '../ai/engine.js';
import type { Db } from '../db/db.js';

/** Whose engine call it was: a build's, or a bare /generate request's. */
export interface UsageOwner {
  userId: string;
  projectId?: string | null;
  id?: string | null;
}

/** Engine calls and AI sessions: what metering and the build view read. */
export class UsageRepository {
  constructor(private readonly db: Db) {}

  /** One row per engine call: tokens, cost, time and model. */
  async record(
    owner: UsageOwner,
    engine: string,
    operation: string,
    usage: EngineUsage,
  ): Promise<void> {
    await this.db.query(
      `INSERT INTO claude_user_usage (id, user_id, project_id, build_id, engine, model, operation,
       input_tokens, output_tokens, cache_read_tokens, cache_write_tokens, cost_usd, duration_ms)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
      [
        newId(),
        owner.userId,
        owner.projectId ?? null,
        owner.id ?? null,
        usage.engine ?? engine,
        usage.model,
        operation,
        usage.inputTokens,
        usage.outputTokens,
        usage.cacheReadTokens,
        usage.cacheWriteTokens,
        usage.costUsd.toFixed(6),
        Math.round(usage.durationMs),
      ],
    );
  }

  /**
   * One row per finished build summarising its AI session: engine, model, calls, tool calls,
   * tokens, cost and time, and whether the build succeeded.
   */
  async recordSession(
    build: { id: string; projectId: string },
    sessionId: string | undefined,
    success: boolean,
  ): Promise<void> {
    await this.db.query(
      `INSERT INTO project_ai_session_metrics (id, project_id, build_id, session_id, engine, model, turns,
       tool_calls, input_tokens, output_tokens, cost_usd, duration_ms, success)
     SELECT $1, $2, $3, $4, coalesce(max(u.engine), 'none'), max(u.model), count(*)::int,
       (SELECT count(*)::int FROM build_events e WHERE e.build_id = $3 AND e.type = 'engine.tool'),
       coalesce(sum(u.input_tokens), 0), coalesce(sum(u.output_tokens), 0), coalesce(sum(u.cost_usd), 0),
       coalesce(sum(u.duration_ms), 0), $5
     FROM claude_user_usage u WHERE u.build_id = $3
     HAVING count(*) > 0`,
      [newId(), build.projectId, build.id, sessionId ?? null, success],
    );
  }

  /**
   * AI time, tokens and cost of recent runs like the one being estimated, newest first: per
   * build (its plan and generate calls) for a create or update, per call for a fix. Scoped to
   * one project or one user, and to one engine (and model, when known).
   */
  async recentRuns(query: {
    scope: { projectId: string } | { userId: string };
    kind: 'create' | 'update' | 'fix';
    engine: string;
    model: string | undefined;
    limit: number;
  }): Promise<Array<{ ms: number; tokens: number; costUsd: number }>> {
    const byProject = 'projectId' in query.scope;
    const owner = byProject ? 'u.project_id = $1' : 'u.user_id = $1';
    const params = [
      byProject
        ? (query.scope as { projectId: string }).projectId
        : (query.scope as { userId: string }).userId,
      query.engine,
      query.model ?? null,
      query.limit,
    ];
    const columns = `sum(u.duration_ms)::float8 AS ms, sum(u.input_tokens + u.output_tokens
      + u.cache_read_tokens + u.cache_write_tokens)::float8 AS tokens, sum(u.cost_usd)::float8 AS cost`;
    const filter = `${owner} AND u.engine = $2 AND ($3::text IS NULL OR u.model = $3)`;
    const sql =
      query.kind === 'fix'
        ? `SELECT ${columns} FROM claude_user_usage u WHERE ${filter} AND u.operation = 'fix'
           GROUP BY u.id ORDER BY max(u.created_at) DESC LIMIT $4`
        : `SELECT ${columns} FROM claude_user_usage u JOIN builds b ON b.id = u.build_id
           WHERE ${filter} AND u.operation IN ('plan', 'generate') AND b.kind = $5
           GROUP BY u.build_id ORDER BY max(u.created_at) DESC LIMIT $4`;
    const { rows } = await this.db.query<{ ms: number; tokens: number; cost: number }>(
      sql,
      query.kind === 'fix' ? params : [...params, query.kind],
    );
    return rows.map((r) => ({ ms: r.ms, tokens: r.tokens, costUsd: r.cost }));
  }

  /** Per task and model in [from, to): calls, tokens, cost and time (recommendations included). */
  async perTask(userId: string, from: Date, to: Date): Promise<TaskModelUsage[]> {
    const { rows } = await this.db.query<{
      task: string;
      model: string | null;
      calls: number;
      tokens: number;
      cost: number;
      ms: number;
    }>(
      `SELECT operation AS task, model, count(*)::int AS calls,
         sum(input_tokens + output_tokens + cache_read_tokens + cache_write_tokens)::float8 AS tokens,
         sum(cost_usd)::float8 AS cost, sum(duration_ms)::float8 AS ms
       FROM claude_user_usage WHERE user_id = $1 AND created_at >= $2 AND created_at < $3
       GROUP BY operation, model
       ORDER BY array_position(ARRAY['plan', 'generate', 'fix', 'recommend'], operation), operation, model`,
      [userId, from, to],
    );
    return rows.map((r) => ({
      task: r.task,
      model: r.model,
      calls: r.calls,
      tokens: r.tokens,
      costUsd: Math.round(r.cost * 1e6) / 1e6,
      seconds: Math.round(r.ms / 10) / 100,
    }));
  }

  /** Per UTC day in [from, to): AI time, tokens, cost, builds, and the seconds charged. */
  async perDay(userId: string, from: Date, to: Date): Promise<DayUsage[]> {
    const { rows } = await this.db.query<{
      day: string;
      ms: number;
      tokens: number;
      cost: number;
      builds: number;
      charged: number;
    }>(
      `WITH calls AS (
         SELECT to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day, duration_ms,
           input_tokens + output_tokens + cache_read_tokens + cache_write_tokens AS tokens,
           cost_usd, build_id
         FROM claude_user_usage WHERE user_id = $1 AND created_at >= $2 AND created_at < $3
       ), charged AS (
         SELECT to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day, sum(seconds) AS s
         FROM quota_audit_log
         WHERE user_id = $1 AND action = 'settle' AND created_at >= $2 AND created_at < $3
         GROUP BY 1
       ), days AS (SELECT day FROM calls UNION SELECT day FROM charged)
       SELECT d.day, coalesce(sum(c.duration_ms), 0)::float8 AS ms,
         coalesce(sum(c.tokens), 0)::float8 AS tokens, coalesce(sum(c.cost_usd), 0)::float8 AS cost,
         count(DISTINCT c.build_id)::int AS builds, coalesce(max(ch.s), 0)::int AS charged
       FROM days d LEFT JOIN calls c ON c.day = d.day LEFT JOIN charged ch ON ch.day = d.day
       GROUP BY d.day ORDER BY d.day`,
      [userId, from, to],
    );
    return rows.map((r) => ({
      day: r.day,
      seconds: Math.round(r.ms / 10) / 100,
      chargedSeconds: r.charged,
      tokens: r.tokens,
      costUsd: Math.round(r.cost * 1e6) / 1e6,
      builds: r.builds,
    }));
  }
}

/** One task's engine calls on one model over a period. */
export interface TaskModelUsage {
  task: string;
  model: string | null;
  calls: number;
  tokens: number;
  costUsd: number;
  /** Engine wall time, in seconds. */
  seconds: number;
}

export interface DayUsage {
  /** UTC date, YYYY-MM-DD. */
  day: string;
  /** Engine wall time, in seconds. */
  seconds: number;
  /** Seconds settled against the user's grants that day. */
  chargedSeconds: number;
  tokens: number;
  costUsd: number;
  builds: number;
}
