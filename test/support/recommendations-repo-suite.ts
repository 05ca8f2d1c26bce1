import { ulid } from 'ulid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/db.js';
import { measured, STATIC_KINDS } from '../../src/recommendations/recommendation.js';
import {
  RecommendationsRepository,
  type RecommendationScope,
} from '../../src/repositories/recommendations.repo.js';

const item = (kind: 'html.lang' | 'prompt.unmet' | 'code.tests', key = '', detail = 'd') =>
  measured(kind, { key, severity: 'low', title: kind, detail, action: 'do it', evidence: { key } });

/** A project with one version, for rows to hang off. */
async function insertVersion(db: Db): Promise<RecommendationScope> {
  const projectId = ulid();
  const versionId = ulid();
  await db.query(`INSERT INTO projects (id, user_id, name) VALUES ($1, 'u', 'p')`, [projectId]);
  await db.query(
    `INSERT INTO project_versions (id, project_id, version_number, kind) VALUES ($1, $2, 1, 'create')`,
    [versionId, projectId],
  );
  return { projectId, versionId, buildId: null };
}

/** The recommendations repository on whichever database `open` gives (PGlite or PostgreSQL). */
export function recommendationsRepoSuite(profile: string, open: () => Promise<Db>) {
  describe(`recommendations repository (${profile})`, () => {
    let db: Db;
    let repo: RecommendationsRepository;
    beforeAll(async () => {
      db = await open();
      repo = new RecommendationsRepository(db);
    });
    afterAll(() => db?.close());

    it('upserts by version, kind and key: the same items twice are the same rows', async () => {
      const scope = await insertVersion(db);
      const items = [item('html.lang'), item('prompt.unmet', 'login'), item('prompt.unmet', 'pay')];
      await repo.replace(scope, STATIC_KINDS, items);
      const first = await repo.listForVersion(scope.versionId);
      await repo.replace(scope, STATIC_KINDS, items);
      const second = await repo.listForVersion(scope.versionId);
      expect(second).toEqual(first);
      expect(second.map((r) => [r.kind, r.key])).toEqual([
        ['html.lang', ''],
        ['prompt.unmet', 'login'],
        ['prompt.unmet', 'pay'],
      ]);
    });

    it('updates what changed, drops what is gone, and leaves kinds outside the scope alone', async () => {
      const scope = await insertVersion(db);
      await repo.replace(scope, STATIC_KINDS, [item('html.lang'), item('code.tests')]);
      const lang = (await repo.listForVersion(scope.versionId)).find((r) => r.kind === 'html.lang');
      await repo.replace(scope, ['html.lang', 'prompt.unmet'], [item('html.lang', '', 'new')]);
      const after = await repo.listForVersion(scope.versionId);
      expect(after.map((r) => [r.kind, r.detail])).toEqual([
        ['code.tests', 'd'],
        ['html.lang', 'new'],
      ]);
      expect(after.find((r) => r.kind === 'html.lang')?.id).toBe(lang?.id);
      await repo.replace(scope, ['html.lang'], []);
      expect((await repo.listForVersion(scope.versionId)).map((r) => r.kind)).toEqual([
        'code.tests',
      ]);
    });

    it('stores what PostgreSQL cannot hold as given: NUL, lone surrogates, an over-long key', async () => {
      const scope = await insertVersion(db);
      const hostile = 'a\u0000b\ud800c';
      await repo.replace(scope, STATIC_KINDS, [
        { ...item('prompt.unmet', `${'k'.repeat(300)}`), evidence: { src: hostile } },
        item('prompt.unmet', `${'k'.repeat(300)}x`),
      ]);
      const rows = await repo.listForVersion(scope.versionId);
      // Both keys clip to the same 200 characters: one row, the first item's.
      expect(rows).toHaveLength(1);
      expect(rows[0]?.key).toHaveLength(200);
      expect(rows[0]?.evidence).toEqual({ src: 'ab\ufffdc' });
    });

    it('concurrent replaces of one version never duplicate a row', async () => {
      const scope = await insertVersion(db);
      const items = [item('html.lang'), item('code.tests')];
      await Promise.all([1, 2, 3, 4].map(() => repo.replace(scope, STATIC_KINDS, items)));
      expect(await repo.listForVersion(scope.versionId)).toHaveLength(2);
    });
  });
}
