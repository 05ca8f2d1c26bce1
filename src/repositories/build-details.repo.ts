import type { CompressionStats } from '../artifacts/compressed-siblings.js';
import type { Queryable } from '../db/db.js';
import { planView, type PlanView } from '../build/plan-view.js';
import type { StoredRecommendation } from '../recommendations/recommendation.js';
import { BUILD_COLUMNS, toBuild, type Build } from './build-row.js';

/** AI usage of a build, summed over every engine call. */
export interface BuildUsage {
  calls: number;
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
  costUsd: number;
  durationMs: number;
  engines: string[];
  /** The same sums per task (plan, generate, fix, recommend), with the models that ran it. */
  byTask: TaskUsage[];
}

export interface TaskUsage {
  task: string;
  models: string[];
  calls: number;
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
  costUsd: number;
  durationMs: number;
}

/** What a client reads about a build: the row, its AI usage, its version's recommendations. */
export interface BuildDetails {
  build: Build;
  usage: BuildUsage;
  recommendations: StoredRecommendation[];
  /** What the compressed siblings of the build's artifact save; null without them. */
  assets: CompressionStats | null;
  /** The plan's summary and the prompt's asks; null before the plan stage has run. */
  plan: PlanView | null;
}

/**
 * A build's engine calls summed per task (operation), in pipeline order, and over all of them:
 * one pass over the build's usage rows (a subquery of the status read). Each task carries its
 * engines, which the reader merges into the build's list.
 */
const USAGE_SQL = `SELECT json_build_object('calls', coalesce(sum(t.calls), 0),
      'inputTokens', coalesce(sum(t.input_tokens), 0),
      'outputTokens', coalesce(sum(t.output_tokens), 0),
      'cacheReadTokens', coalesce(sum(t.cache_read_tokens), 0),
      'cacheWriteTokens', coalesce(sum(t.cache_write_tokens), 0),
      'costUsd', coalesce(sum(t.cost_usd), 0)::text,
      'durationMs', coalesce(sum(t.duration_ms), 0),
      'byTask', coalesce(json_agg(json_build_object('task', t.operation, 'models', t.models,
        'engines', t.engines, 'calls', t.calls, 'inputTokens', t.input_tokens,
        'outputTokens', t.output_tokens, 'cacheReadTokens', t.cache_read_tokens,
        'cacheWriteTokens', t.cache_write_tokens, 'costUsd', t.cost_usd::text,
        'durationMs', t.duration_ms)
        ORDER BY array_position(ARRAY['plan', 'generate', 'fix', 'recommend'], t.operation), t.operation), '[]'))
    FROM (SELECT operation, count(*) AS calls,
        coalesce(array_agg(DISTINCT model) FILTER (WHERE model IS NOT NULL), '{}') AS models,
        coalesce(array_agg(DISTINCT engine) FILTER (WHERE engine IS NOT NULL), '{}') AS engines,
        sum(input_tokens) AS input_tokens, sum(output_tokens) AS output_tokens,
        sum(cache_read_tokens) AS cache_read_tokens, sum(cache_write_tokens) AS cache_write_tokens,
        sum(cost_usd) AS cost_usd, sum(duration_ms) AS duration_ms
      FROM claude_user_usage WHERE build_id = builds.id GROUP BY operation) t`;

/**
 * The whole status read in one statement (it was three, two after the first), for one build
 * or several at once (see BuildsRepository.details): a status read is the most frequent
 * request, and each statement was a round trip and a plan. The subqueries read the same rows
 * as BuildsRepository.usage and RecommendationsRepository.listForVersion, in the same order;
 * the version's row is read once for its artifact's compression and its plan. Each subquery
 * costs the embedded database (PGlite) about 50 µs of CPU on top of its work.
 *
 * Prepared under a name per number of builds (`id = $1`, `id IN ($1, $2)`, …), so each
 * connection plans each once: PostgreSQL keeps a generic plan when it costs no more than the
 * plans for the values. With `id = ANY($1::text[])` it never did (a generic plan for an array
 * of unknown length is priced at about ten builds), and planned the statement again on every
 * read: ~0.3 ms of the database's CPU, where running the plan takes ~0.07 ms.
 */
function detailsSql(count: number): string {
  const where =
    count === 1
      ? 'id = $1'
      : `id IN (${Array.from({ length: count }, (_, i) => `$${i + 1}`).join(', ')})`;
  return `SELECT ${BUILD_COLUMNS},
  (${USAGE_SQL}) AS usage_json,
  (SELECT jsonb_build_object('assets', a.compression,
      'plan', CASE WHEN v.metadata->'plan' IS NOT NULL THEN jsonb_build_object(
        'summary', v.metadata->'plan'->'summary',
        'meta', jsonb_build_object('asks', v.metadata->'plan'->'meta'->'asks',
          'unmet', v.metadata->'plan'->'meta'->'unmet')) END)
    FROM project_versions v LEFT JOIN artifacts a ON a.id = v.artifact_id
    WHERE v.id = builds.version_id) AS version_json,
  (SELECT coalesce(json_agg(json_build_object('id', r.id, 'kind', r.kind, 'key', r.key,
      'severity', r.severity, 'origin', r.origin, 'title', r.title, 'detail', r.detail,
      'action', r.action, 'evidence', r.evidence)
      ORDER BY CASE r.severity WHEN 'high' THEN 0 WHEN 'medium' THEN 1 WHEN 'low' THEN 2 ELSE 3 END,
        r.origin = 'idea', r.kind, r.key), '[]')
    FROM recommendations r WHERE r.version_id = builds.version_id) AS recommendations_json
  FROM builds WHERE ${where}`;
}

/** Statements for at most this many builds; a longer list is read in parts. */
export const MAX_DETAILS_BATCH = 16;
const DETAILS_SQL = Array.from({ length: MAX_DETAILS_BATCH + 1 }, (_, n) =>
  n ? detailsSql(n) : '',
);

interface UsageJson extends Omit<BuildUsage, 'costUsd' | 'engines' | 'byTask'> {
  costUsd: string;
  byTask: Array<Record<keyof TaskUsage | 'engines', unknown>>;
}

interface VersionJson {
  assets: CompressionStats | null;
  plan: unknown;
}

/** The details of each of `ids` that exists, by id (each id is read once). */
export async function readBuildDetails(
  db: Queryable,
  ids: readonly string[],
): Promise<Map<string, BuildDetails>> {
  const unique = [...new Set(ids)];
  const found = new Map<string, BuildDetails>();
  for (let at = 0; at < unique.length; at += MAX_DETAILS_BATCH) {
    const part = unique.slice(at, at + MAX_DETAILS_BATCH);
    const { rows } = await db.query<Record<string, unknown>>(DETAILS_SQL[part.length] ?? '', part, {
      name: part.length === 1 ? 'build-status' : `build-status-${part.length}`,
    });
    for (const row of rows) found.set(row.id as string, detailsOf(row));
  }
  return found;
}

function detailsOf(row: Record<string, unknown>): BuildDetails {
  const usage = row.usage_json as UsageJson;
  const version = row.version_json as VersionJson | null;
  return {
    build: toBuild(row),
    usage: {
      calls: Number(usage.calls),
      inputTokens: Number(usage.inputTokens),
      outputTokens: Number(usage.outputTokens),
      cacheReadTokens: Number(usage.cacheReadTokens),
      cacheWriteTokens: Number(usage.cacheWriteTokens),
      costUsd: Number(usage.costUsd),
      durationMs: Number(usage.durationMs),
      engines: [...new Set(usage.byTask.flatMap((t) => t.engines as string[]))].sort(),
      byTask: usage.byTask.map(taskUsage),
    },
    recommendations: row.recommendations_json as StoredRecommendation[],
    assets: version?.assets ?? null,
    plan: planView(version?.plan ?? null),
  };
}

function taskUsage(t: Record<keyof TaskUsage, unknown>): TaskUsage {
  return {
    task: String(t.task),
    models: t.models as string[],
    calls: Number(t.calls),
    inputTokens: Number(t.inputTokens),
    outputTokens: Number(t.outputTokens),
    cacheReadTokens: Number(t.cacheReadTokens),
    cacheWriteTokens: Number(t.cacheWriteTokens),
    costUsd: Number(t.costUsd),
    durationMs: Number(t.durationMs),
  };
}
