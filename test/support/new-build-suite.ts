import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ulid } from 'ulid';
import type { Db } from '../../src/db/db.js';
import { BuildsRepository, ProjectNotFoundError } from '../../src/repositories/builds.repo.js';
import { ProjectEventsRepository } from '../../src/repositories/project-events.repo.js';

/**
 * Which project and version number a new build gets (creates skip the project lookups), and
 * the rows the one insert statement leaves, on whichever database `open` gives.
 */
export function newBuildSuite(profile: string, open: () => Promise<Db>) {
  describe(`BuildsRepository.createForPrompt (${profile})`, () => {
    let db: Db;
    let builds: BuildsRepository;
    const base = { prompt: 'A page', name: 'page', engine: 'offline', archMode: 'monolith' };
    beforeAll(async () => {
      db = await open();
      builds = new BuildsRepository(db, new ProjectEventsRepository());
    }, 180_000);
    afterAll(() => db?.close());

    const versionOf = async (buildId: string) =>
      (
        await db.query<{ n: number; project_id: string }>(
          `SELECT v.version_number AS n, v.project_id FROM builds b
           JOIN project_versions v ON v.id = b.version_id WHERE b.id = $1`,
          [buildId],
        )
      ).rows[0];

    it('makes a new project at version 1, and numbers later versions of it in order', async () => {
      const first = await builds.createForPrompt({ ...base, userId: 'u1', framework: 'react' });
      expect(await versionOf(first.build.id)).toEqual({ n: 1, project_id: first.build.projectId });
      const project = await db.query<{ user_id: string; name: string; framework: string }>(
        'SELECT user_id, name, framework FROM projects WHERE id = $1',
        [first.build.projectId],
      );
      expect(project.rows).toEqual([{ user_id: 'u1', name: 'page', framework: 'react' }]);
      const second = await builds.createForPrompt({
        ...base,
        userId: 'u1',
        projectId: first.build.projectId,
        requireProject: true,
      });
      expect(second.build).toMatchObject({ projectId: first.build.projectId, kind: 'update' });
      expect((await versionOf(second.build.id))?.n).toBe(2);
    });

    it('records version.created for each new version, in the same statement', async () => {
      const made = await builds.createForPrompt({ ...base, userId: 'u5', requestedName: 'Shop' });
      const events = await db.query<{ type: string; user_id: string; data: unknown }>(
        `SELECT e.type, e.user_id, e.data FROM project_events e
         JOIN builds b ON b.version_id = e.version_id WHERE b.id = $1`,
        [made.build.id],
      );
      expect(events.rows).toEqual([
        {
          type: 'version.created',
          user_id: 'u5',
          data: { number: 1, kind: 'create', buildId: made.build.id },
        },
      ]);
      const meta = await db.query<{ metadata: unknown; status: string }>(
        'SELECT v.metadata, b.status FROM project_versions v JOIN builds b ON b.version_id = v.id WHERE b.id = $1',
        [made.build.id],
      );
      expect(meta.rows).toEqual([{ metadata: { requestedName: 'Shop' }, status: 'queued' }]);
    });

    it('answers a repeated idempotency key with the first build', async () => {
      const key = { ...base, userId: 'u6', idempotencyKey: 'k-1' };
      const first = await builds.createForPrompt(key);
      const again = await builds.createForPrompt(key);
      expect(again).toEqual({ build: first.build, created: false });
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

    it('leaves nothing when the work after the insert fails', async () => {
      const count = async () =>
        Number((await db.query<{ n: string }>('SELECT count(*) AS n FROM projects')).rows[0]?.n);
      const before = await count();
      await expect(
        builds.createForPrompt({
          ...base,
          userId: 'u7',
          afterInsert: () => Promise.reject(new Error('quota refused')),
        }),
      ).rejects.toThrow('quota refused');
      expect(await count()).toBe(before);
    });
  });
}
