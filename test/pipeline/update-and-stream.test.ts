import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signRequest } from '../../src/auth/signing.js';
import {
  SECRET,
  signedInject,
  startTestApp,
  waitForBuild,
  type TestApp,
} from '../support/harness.js';

/** The offline engine end to end through the HTTP API: updates, /generate and the legacy stream. */
describe('updates and streaming endpoints', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ workers: true });
  }, 60_000);
  afterAll(() => t.close());

  const waitFor = (buildId: string) => waitForBuild(t, buildId);

  it('updates an existing project into a new version', async () => {
    const created = await signedInject(t.app, {
      method: 'POST',
      url: '/v1/create-preview-for-new-project',
      body: { userId: 'owner', prompt: 'A landing page for "Sunrise Bakery" in Lisbon' },
    });
    const first = await waitFor(created.json().buildId);
    expect(first.status).toBe('succeeded');
    expect(first.usage).toMatchObject({ calls: 2, engines: ['offline'], costUsd: 0 });
    const metrics = await t.container.db.query<{
      engine: string;
      turns: number;
      tool_calls: number;
      success: boolean;
    }>(
      'SELECT engine, turns, tool_calls, success FROM project_ai_session_metrics WHERE build_id = $1',
      [first.buildId],
    );
    expect(metrics.rows).toHaveLength(1);
    expect(metrics.rows[0]).toMatchObject({ engine: 'offline', turns: 2, success: true });
    expect(metrics.rows[0]?.tool_calls).toBeGreaterThan(5);

    const update = await signedInject(t.app, {
      method: 'POST',
      url: `/v1/projects/${first.projectId}/update`,
      body: { userId: 'owner', prompt: 'Rename it to "Moonrise Bakery" and add a pricing section' },
    });
    expect(update.statusCode).toBe(202);
    const second = await waitFor(update.json().buildId);
    expect(second.error).toBeNull();
    expect(second.status).toBe('succeeded');
    expect(second.projectId).toBe(first.projectId);
    expect(second.versionId).not.toBe(first.versionId);
    const html = await t.app.inject({ method: 'GET', url: `/preview/${second.buildId}/` });
    expect(html.body).toContain('Moonrise Bakery');
    const { rows } = await t.container.db.query<{
      version_number: number;
      kind: string;
      status: string;
      files_changed: { added: number; modified: number; removed: number };
    }>(
      'SELECT version_number, kind, status, files_changed FROM project_versions WHERE project_id = $1 ORDER BY version_number',
      [first.projectId],
    );
    expect(rows.map(({ files_changed: _, ...r }) => r)).toEqual([
      { version_number: 1, kind: 'create', status: 'ready' },
      { version_number: 2, kind: 'update', status: 'ready' },
    ]);
    // Every file of a new project is new; the update changed some of them.
    const written = await t.container.db.query<{ message: string }>(
      "SELECT message FROM build_events WHERE build_id = $1 AND type = 'engine.tool'",
      [first.buildId],
    );
    const writes = written.rows.filter((r) => r.message.startsWith('write_file')).length;
    expect(writes).toBeGreaterThan(5);
    expect(rows[0]?.files_changed).toEqual({ added: writes, modified: 0, removed: 0 });
    expect(rows[1]?.files_changed.modified).toBeGreaterThan(0);

    const stranger = await signedInject(t.app, {
      method: 'POST',
      url: `/v1/projects/${first.projectId}/update`,
      body: { userId: 'someone-else', prompt: 'make it red' },
    });
    // Someone else's project answers exactly like a missing one.
    expect(stranger.statusCode).toBe(404);
    expect(stranger.json().error.code).toBe('NOT_FOUND');
  }, 120_000);

  it('answers 404 for an update of a project that does not exist', async () => {
    const res = await signedInject(t.app, {
      method: 'POST',
      url: '/v1/projects/01ARZ3NDEKTSV4RRFFQ69G5FAV/update',
      body: { userId: 'owner', prompt: 'make it red' },
    });
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('NOT_FOUND');
  });

  it('streams engine events for POST /generate', async () => {
    const body = JSON.stringify({ userId: 'owner', prompt: 'A todo app for groceries' });
    const res = await t.app.inject({
      method: 'POST',
      url: '/generate',
      payload: body,
      headers: {
        'content-type': 'application/json',
        ...signRequest({ secret: SECRET, method: 'POST', pathWithQuery: '/generate', body }),
      },
    });
    expect(res.headers['content-type']).toMatch(/text\/event-stream/);
    const events = res.body
      .split('\n\n')
      .map((block) => /^data: (.*)$/m.exec(block)?.[1])
      .filter((d): d is string => Boolean(d))
      .map((d) => JSON.parse(d));
    expect(events.some((e) => e.type === 'tool' && /write_file/.test(e.message))).toBe(true);
    const done = events.at(-1);
    expect(done.type).toBe('done');
    expect(done.data.files.map((f: { path: string }) => f.path)).toEqual(
      expect.arrayContaining(['package.json', 'src/App.tsx']),
    );
  });

  it('streams build events on the legacy endpoint until the build ends', async () => {
    const body = JSON.stringify({ userId: 'owner', prompt: 'A blog about tea' });
    const res = await t.app.inject({
      method: 'POST',
      url: '/build-preview-for-new-project',
      payload: body,
      headers: {
        'content-type': 'application/json',
        ...signRequest({
          secret: SECRET,
          method: 'POST',
          pathWithQuery: '/build-preview-for-new-project',
          body,
        }),
      },
    });
    expect(res.headers['content-type']).toMatch(/text\/event-stream/);
    const types = [...res.body.matchAll(/"type":"([^"]+)"/g)].map((m) => m[1]);
    expect(types[0]).toBe('build.started');
    expect(types.at(-1)).toBe('build.finished');
  }, 120_000);
});
