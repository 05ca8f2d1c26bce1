import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UsageRepository } from '../../src/repositories/usage.repo.js';
import { ADMIN_SECRET, signedInject, startTestApp, type TestApp } from '../support/harness.js';

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
const DAY = 86_400_000;

/** The console's pages read and act through the API's services (builds stay queued here). */
describe('web console pages', () => {
  let t: TestApp;
  let cookie: string;
  let csrf: string;

  const get = (url: string) => t.app.inject({ url, headers: { cookie } });
  const post = (url: string, form: Record<string, string>) =>
    t.app.inject({
      method: 'POST',
      url,
      headers: { ...FORM, cookie },
      payload: new URLSearchParams({ _csrf: csrf, ...form }).toString(),
    });
  const newApp = async (userId: string, prompt: string) => {
    const res = await post('/console/apps', { userId, prompt });
    expect(res.statusCode).toBe(303);
    const buildId = /\/console\/builds\/([0-9A-Z]{26})$/.exec(String(res.headers.location))?.[1];
    return t.container.builds.get(buildId ?? '');
  };

  beforeAll(async () => {
    t = await startTestApp({ env: { QUOTA_METER_OFFLINE: 'true' } });
    const res = await t.app.inject({
      method: 'POST',
      url: '/console/signin',
      headers: FORM,
      payload: new URLSearchParams({
        token: await t.container.console.auth.issueStartupToken(),
      }).toString(),
    });
    cookie = String(res.headers['set-cookie']).split(';')[0] ?? '';
    csrf = /name="_csrf" value="([^"]+)"/.exec((await get('/console')).body)?.[1] ?? '';
  });
  afterAll(() => t.close());

  it('validates forms with the API schemas and shows the catalog error', async () => {
    const forms: Array<Record<string, string>> = [
      { userId: 'console', prompt: '   ' },
      { userId: 'bad user id', prompt: 'A page' },
      { userId: 'console', prompt: 'A page', name: 'x'.repeat(500) },
    ];
    for (const form of forms) {
      const res = await post('/console/apps', form);
      expect(res.statusCode).toBe(400);
      expect(res.body).toContain('VALIDATION_FAILED');
    }
    const missing = await get(`/console/projects/${'0'.repeat(26)}`);
    expect(missing.statusCode).toBe(404);
    expect(missing.body).toContain('NOT_FOUND');
  });

  it('builds for the user given, and updates a project as its owner', async () => {
    const build = await newApp('maker-1', 'A landing page for a bakery');
    expect(build.userId).toBe('maker-1');
    const res = await post(`/console/projects/${build.projectId}/update`, {
      prompt: 'Make it dark',
    });
    expect(res.statusCode).toBe(303);
    const buildId = /([0-9A-Z]{26})$/.exec(String(res.headers.location))?.[1] ?? '';
    const update = await t.container.builds.get(buildId);
    expect(update).toMatchObject({ userId: 'maker-1', projectId: build.projectId, kind: 'update' });
    const page = await get(`/console/projects/${build.projectId}`);
    expect(page.body).toContain('maker-1');
    expect(page.body).toContain('Make it dark');
  });

  it("lists every user's projects, a page at a time", async () => {
    await newApp('maker-2', 'A portfolio for a potter');
    await newApp('maker-3', 'A menu for a noodle bar');
    const { reads } = t.container.console;
    const first = await reads.listProjects(2);
    expect(first.projects.map((p) => p.userId)).toEqual(['maker-3', 'maker-2']);
    const second = await reads.listProjects(2, first.nextCursor ?? undefined);
    expect(second.projects.map((p) => p.userId)).toEqual(['maker-1']);
    expect(second.nextCursor).toBeNull();
    const page = await get('/console/projects');
    for (const user of ['maker-1', 'maker-2', 'maker-3']) expect(page.body).toContain(user);
    const bad = await get('/console/projects?cursor=nonsense');
    expect(bad.statusCode).toBe(400);
  });

  it('shows a bonus with its expiry and the ledger of reservations and grants', async () => {
    const expiresAt = new Date(Date.now() + 7 * DAY).toISOString();
    const grant = await signedInject(t.app, {
      method: 'POST',
      url: '/v1/admin/quota/bonus',
      secret: ADMIN_SECRET,
      body: { userId: 'maker-1', seconds: 120, expiresAt, reason: 'launch week' },
    });
    expect(grant.statusCode).toBe(200);
    const page = await get('/console/usage?userId=maker-1');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('launch week');
    expect(page.body).toContain(`datetime="${expiresAt}"`);
    const ledger = page.body.slice(page.body.indexOf('id="ledger-heading"'));
    expect(ledger).toContain('grant (bonus)');
    expect(ledger).toContain('reserve');
  });

  it('shows engine calls per task on the build page and per task and model on the usage page', async () => {
    const build = await newApp('maker-4', 'A page for a book club');
    const before = await get(`/console/builds/${build.id}`);
    expect(before.body).toContain('No engine calls.');
    const empty = await get('/console/usage?userId=maker-4');
    expect(empty.body).toContain('No engine calls in this period.');

    const usage = new UsageRepository(t.container.db);
    const owner = { userId: 'maker-4', projectId: build.projectId, id: build.id };
    const call = (model: string, costUsd: number) => ({
      inputTokens: 1000,
      outputTokens: 250,
      cacheReadTokens: 0,
      cacheWriteTokens: 0,
      costUsd,
      durationMs: 1200,
      model,
    });
    await usage.record(owner, 'anthropic', 'generate', call('claude-big', 0.5));
    await usage.record(owner, 'anthropic', 'fix', call('<b>tiny</b>', 0.002));
    await usage.record(owner, 'anthropic', 'fix', call('<b>tiny</b>', 0.002));

    const page = (await get(`/console/builds/${build.id}`)).body;
    const table = page.slice(page.indexOf('id="usage-by-task"'));
    expect(table).toMatch(
      /data-task="generate">\s*<td>generate<\/td>\s*<td class="mono">claude-big/,
    );
    expect(table).toMatch(/data-task="fix">[\s\S]*?&lt;b&gt;tiny&lt;\/b&gt;[\s\S]*?>2<\/td>/);
    expect(page).not.toContain('<b>tiny</b>');

    const costs = (await get('/console/usage?userId=maker-4')).body;
    expect(costs).toContain('&lt;b&gt;tiny&lt;/b&gt;');
    expect(costs).not.toContain('<b>tiny</b>');
    expect(costs).toMatch(/id="usage-total">\$0\.5040</);
  });
});
