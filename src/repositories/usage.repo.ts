import { ulid } from 'ulid';
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
        ulid(),
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
      [ulid(), build.projectId, build.id, sessionId ?? null, success],
    );
  }
}
