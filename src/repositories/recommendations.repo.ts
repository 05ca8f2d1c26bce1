import { newId } from '../ids.js';
import type { Db } from '../db/db.js';
import type { Recommendation, StoredRecommendation } from '../recommendations/recommendation.js';
import { clipText, storableText } from '../text.js';

/** recommendations.key: CHECK (length(key) <= 200). */
const KEY_MAX = 200;

/** Which version the items are about, and the build that measured them. */
export interface RecommendationScope {
  projectId: string;
  versionId: string;
  buildId: string | null;
}

export class RecommendationsRepository {
  constructor(private readonly db: Db) {}

  /**
   * Makes a version's stored items of `kinds` exactly `items`: each is upserted by (version,
   * kind, key), keeping its id, and items of those kinds that were not found this time are
   * removed. Running it again with the same items changes nothing, so a retried stage or a
   * repeated request never duplicates a row. One transaction: readers see before or after.
   */
  async replace(
    scope: RecommendationScope,
    kinds: readonly string[],
    items: readonly Recommendation[],
  ): Promise<void> {
    const rows = unique(items.filter((i) => kinds.includes(i.kind)).map(storable));
    await this.db.transaction(async (tx) => {
      await tx.query(
        `DELETE FROM recommendations WHERE version_id = $1 AND kind = ANY($2::text[])
           AND (kind, key) NOT IN (SELECT * FROM unnest($3::text[], $4::text[]))`,
        [scope.versionId, kinds, rows.map((r) => r.kind), rows.map((r) => r.key)],
      );
      if (rows.length === 0) return;
      await tx.query(
        `INSERT INTO recommendations (id, project_id, version_id, build_id, kind, key, category,
           severity, origin, title, detail, action, evidence)
         SELECT x.id, $1, $2, $3, x.kind, x.key, split_part(x.kind, '.', 1), x.severity, x.origin,
           x.title, x.detail, x.action, x.evidence
         FROM jsonb_to_recordset($4::jsonb) AS x(id text, kind text, key text, severity text,
           origin text, title text, detail text, action text, evidence jsonb)
         ON CONFLICT (version_id, kind, key) DO UPDATE SET build_id = EXCLUDED.build_id,
           severity = EXCLUDED.severity, origin = EXCLUDED.origin, title = EXCLUDED.title,
           detail = EXCLUDED.detail, action = EXCLUDED.action, evidence = EXCLUDED.evidence,
           updated_at = now()`,
        [
          scope.projectId,
          scope.versionId,
          scope.buildId,
          JSON.stringify(rows.map((r) => ({ ...r, id: newId() }))),
        ],
      );
    });
  }

  /** A version's items: highest severity first, measured before ideas, then by kind and key. */
  async listForVersion(versionId: string): Promise<StoredRecommendation[]> {
    const { rows } = await this.db.query<StoredRecommendation>(
      `SELECT id, kind, key, severity, origin, title, detail, action, evidence
       FROM recommendations WHERE version_id = $1
       ORDER BY
         CASE severity WHEN 'high' THEN 0 WHEN 'medium' THEN 1 WHEN 'low' THEN 2 ELSE 3 END,
         origin = 'idea', kind, key`,
      [versionId],
    );
    return rows;
  }
}

/** An item as the database can hold it: no NUL, no unpaired surrogate, a key within its limit. */
function storable(item: Recommendation): Recommendation {
  return {
    ...item,
    key: clipText(storableText(item.key), KEY_MAX),
    title: storableText(item.title),
    detail: storableText(item.detail),
    action: storableText(item.action),
    evidence: JSON.parse(
      JSON.stringify(item.evidence, (_k, v: unknown) =>
        typeof v === 'string' ? storableText(v) : v,
      ),
    ) as Record<string, unknown>,
  };
}

/** The first item of each (kind, key): one statement must not upsert a row twice. */
function unique(items: Recommendation[]): Recommendation[] {
  const seen = new Set<string>();
  return items.filter((i) => {
    const id = JSON.stringify([i.kind, i.key]);
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}
