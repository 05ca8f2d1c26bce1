import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/db.js';
import type { Recommendation } from '../../src/recommendations/recommendation.js';
import { MAX_DETAILS_BATCH, readBuildDetails } from '../../src/repositories/build-details.repo.js';
import type { Build } from '../../src/repositories/build-row.js';
import { BuildsRepository } from '../../src/repositories/builds.repo.js';
import { ProjectEventsRepository } from '../../src/repositories/project-events.repo.js';
import { RecommendationsRepository } from '../../src/repositories/recommendations.repo.js';
import { UsageRepository } from '../../src/repositories/usage.repo.js';
import { VersionsRepository } from '../../src/repositories/versions.repo.js';

const item = (
  kind: string,
  severity: Recommendation['severity'],
  origin: Recommendation['origin'] = 'measured',
  key = '',
): Recommendation => ({
  kind,
  key,
  severity,
  origin,
  title: `${kind} ${key}`,
  detail: 'd',
  action: 'a',
  evidence: { nested: { n: 1, s: 'x' }, list: [1, 2] },
});

/** A new build for a prompt, as a create makes it. */
export async function promptBuild(builds: BuildsRepository, userId: string): Promise<Build> {
  const { build } = await builds.createForPrompt({
    userId,
    prompt: 'a page',
    name: 'page',
    engine: 'offline',
    archMode: 'monolith',
  });
  return build;
}

/**
 * The one-statement build read answers exactly what the three separate reads it replaced
 * answer (the row, summed usage, recommendations in their order), on whichever database
 * `open` gives.
 */
export function buildDetailsSuite(profile: string, open: () => Promise<Db>) {
  describe(`build details in one statement (${profile})`, () => {
    let db: Db;
    let builds: BuildsRepository;
    beforeAll(async () => {
      db = await open();
      builds = new BuildsRepository(db, new ProjectEventsRepository());
    });
    afterAll(() => db?.close());

    const newBuild = () => promptBuild(builds, 'u-details');

    it('matches the row, the usage sums and the recommendation order of the separate reads', async () => {
      const build = await newBuild();
      const usage = new UsageRepository(db);
      const owner = { userId: build.userId, projectId: build.projectId, id: build.id };
      const call = { cacheReadTokens: 3, cacheWriteTokens: 4, durationMs: 1500, model: 'm' };
      await usage.record(owner, 'anthropic', 'generate', {
        ...call,
        inputTokens: 100,
        outputTokens: 20,
        costUsd: 0.012345,
      });
      await usage.record(owner, 'openai', 'fix', {
        ...call,
        inputTokens: 7,
        outputTokens: 9,
        costUsd: 1.5,
      });
      const recommendations = new RecommendationsRepository(db);
      const scope = { projectId: build.projectId, versionId: build.versionId, buildId: build.id };
      await recommendations.replace(
        scope,
        ['html.lang', 'prompt.unmet', 'idea.dark', 'bundle.size'],
        [
          item('html.lang', 'low'),
          item('prompt.unmet', 'high', 'measured', 'pay'),
          item('prompt.unmet', 'high', 'measured', 'login'),
          item('idea.dark', 'high', 'idea'),
          item('bundle.size', 'info'),
        ],
      );

      await usage.record(owner, 'openai', 'fix', {
        ...call,
        model: 'cheap',
        inputTokens: 1,
        outputTokens: 1,
        costUsd: 0.000002,
      });
      const details = await builds.details(build.id);
      expect(details?.build).toEqual(await builds.get(build.id));
      expect(details?.usage).toEqual({
        ...(await builds.usage(build.id)),
        byTask: expect.any(Array),
      });
      expect(details?.usage).toMatchObject({ calls: 3, inputTokens: 108, costUsd: 1.512347 });
      expect(details?.usage.byTask).toEqual([
        {
          task: 'generate',
          models: ['m'],
          calls: 1,
          inputTokens: 100,
          outputTokens: 20,
          cacheReadTokens: 3,
          cacheWriteTokens: 4,
          costUsd: 0.012345,
          durationMs: 1500,
        },
        {
          task: 'fix',
          models: ['cheap', 'm'],
          calls: 2,
          inputTokens: 8,
          outputTokens: 10,
          cacheReadTokens: 6,
          cacheWriteTokens: 8,
          costUsd: 1.500002,
          durationMs: 3000,
        },
      ]);
      expect(details?.assets).toBeNull();
      expect(details?.recommendations).toEqual(
        await recommendations.listForVersion(build.versionId),
      );
      expect(details?.recommendations.map((r) => `${r.kind}:${r.key}`)).toEqual([
        'prompt.unmet:login',
        'prompt.unmet:pay',
        'idea.dark:',
        'html.lang:',
        'bundle.size:',
      ]);
    });

    it('answers a build with no usage or recommendations, again and again, and undefined for none', async () => {
      const build = await newBuild();
      for (let i = 0; i < 3; i += 1) {
        const details = await builds.details(build.id);
        expect(details?.usage).toEqual({ ...(await builds.usage(build.id)), byTask: [] });
        expect(details?.usage.engines).toEqual([]);
        expect(details?.recommendations).toEqual([]);
        expect(details?.plan).toBeNull();
      }
      expect(await builds.details('01ARZ3NDEKTSV4RRFFQ69G5FAV')).toBeUndefined();
    });

    it('answers reads asked for together, each with its own build', async () => {
      const [a, b] = [await newBuild(), await newBuild()];
      const usage = new UsageRepository(db);
      await usage.record({ userId: a.userId, projectId: a.projectId, id: a.id }, 'openai', 'fix', {
        inputTokens: 5,
        outputTokens: 6,
        cacheReadTokens: 0,
        cacheWriteTokens: 0,
        durationMs: 10,
        costUsd: 0.5,
        model: 'm',
      });
      const missing = '01ARZ3NDEKTSV4RRFFQ69G5FAV';
      const [da, db2, none, again] = await Promise.all([
        builds.details(a.id),
        builds.details(b.id),
        builds.details(missing),
        builds.details(a.id),
      ]);
      expect(da?.build.id).toBe(a.id);
      expect(da?.usage).toMatchObject({ calls: 1, inputTokens: 5, engines: ['openai'] });
      expect(db2?.build.id).toBe(b.id);
      expect(db2?.usage).toMatchObject({ calls: 0, engines: [] });
      expect(none).toBeUndefined();
      expect(again).toEqual(da);
    });

    it('answers more builds at once than one statement reads', async () => {
      const ids: string[] = [];
      for (let i = 0; i < MAX_DETAILS_BATCH + 3; i += 1) ids.push((await newBuild()).id);
      const found = await readBuildDetails(db, [...ids, ids[0] as string]);
      expect([...found.keys()].sort()).toEqual([...ids].sort());
      const read = await Promise.all(ids.map((id) => builds.details(id)));
      expect(read.map((d) => d?.build.id)).toEqual(ids);
    });

    it("reads the plan's summary, asks and unmet asks from the version, leaving out malformed ones", async () => {
      const build = await newBuild();
      const versions = new VersionsRepository(db);
      const plan = {
        framework: 'react' as const,
        name: 'page',
        summary: 'A page.',
        files: ['index.html'],
        tasks: [],
        meta: {
          spec: { large: 'not read' },
          asks: [
            { kind: 'colour', text: 'pink', honoured: true, reason: 'Primary.', shows: null },
            { kind: 'feature', text: 'countdown', honoured: false, reason: 'Needs AI.' },
            { kind: 'feature', text: 42 },
          ],
          unmet: [{ kind: 'feature', text: 'countdown', reason: 'Needs AI.' }, 'bare'],
        },
      };
      await versions.saveMeta(build.versionId, { plan });
      expect((await builds.details(build.id))?.plan).toEqual({
        summary: 'A page.',
        assessed: true,
        asks: [
          { kind: 'colour', text: 'pink', honoured: true, reason: 'Primary.' },
          { kind: 'feature', text: 'countdown', honoured: false, reason: 'Needs AI.' },
        ],
        unmet: [{ kind: 'feature', text: 'countdown', reason: 'Needs AI.' }],
      });
      const other = await newBuild();
      await versions.saveMeta(other.versionId, { plan: { ...plan, meta: {} } });
      expect((await builds.details(other.id))?.plan).toEqual({
        summary: 'A page.',
        assessed: false,
        asks: [],
        unmet: [],
      });
    });
  });
}
