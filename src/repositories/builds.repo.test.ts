import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ulid } from 'ulid';
import type { Db } from '../db/db.js';
import { migrate } from '../db/migrate.js';
import { openPglite } from '../db/pglite.js';
import { BuildsRepository, ProjectNotFoundError } from './builds.repo.js';
import { ProjectEventsRepository } from './project-events.repo.js';

/** Which project and version number a new build gets (creates skip the project lookups). */
describe('BuildsRepository.createForPrompt', () => {
  let db: Db;
  let builds: BuildsRepository;
  const base = { prompt: 'A page', name: 'page', engine: 'offline', archMode: 'monolith' };
  beforeAll(async () => {
    db = await openPglite(undefined);
    await migrate(db);
    builds = new BuildsRepository(db, new ProjectEventsRepository());
  }, 180_000);
  afterAll(() => db.close());

  const versionOf = async (buildId: string) =>
    (
      await db.query<{ n: number; project_id: string }>(
        `SELECT v.version_number AS n, v.project_id FROM builds b
         JOIN project_versions v ON v.id = b.version_id WHERE b.id = $1`,
        [buildId],
      )
    ).rows[0];

  it('makes a new project at version 1, and numbers later versions of it in order', async () => {
    const first = await builds.createForPrompt({ ...base, userId: 'u1' });
    expect(await versionOf(first.build.id)).toEqual({ n: 1, project_id: first.build.projectId });
    const second = await builds.createForPrompt({
      ...base,
      userId: 'u1',
      projectId: first.build.projectId,
      requireProject: true,
    });
    expect(second.build.projectId).toBe(first.build.projectId);
    expect((await versionOf(second.build.id))?.n).toBe(2);
  });

  it('creates a project under an id the client chose when none exists', async () => {
    const projectId = ulid();
    const r = await builds.createForPrompt({ ...base, userId: 'u2', projectId });
    expect(await versionOf(r.build.id)).toEqual({ n: 1, project_id: projectId });
  });

  it("refuses another user's project and a missing one that must exist", async () => {
    const mine = await builds.createForPrompt({ ...base, userId: 'u3' });
    await expect(
      builds.createForPrompt({ ...base, userId: 'u4', projectId: mine.build.projectId }),
    ).rejects.toBeInstanceOf(ProjectNotFoundError);
    await expect(
      builds.createForPrompt({ ...base, userId: 'u3', projectId: ulid(), requireProject: true }),
    ).rejects.toBeInstanceOf(ProjectNotFoundError);
  });
});
