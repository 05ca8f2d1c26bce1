import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeCloudflare } from '../support/fake-cloudflare.js';
import { buildToEnd, startTestApp, type TestApp } from '../support/harness.js';
import { buildVersion, call, Counters, OWNER, siteFiles } from '../support/releases.js';
import { ScriptedEngine } from '../support/scripted-engine.js';

/**
 * DEPLOYER=cloudflare-pages through the signed API: builds deploy previews to a fake Cloudflare
 * API, publishing and rollback deploy stored artifacts to production without building, and
 * custom domains are attached to the Pages project.
 */
describe('deploying to Cloudflare Pages (fake API)', () => {
  let fake: FakeCloudflare;
  let t: TestApp;
  const counters = new Counters();
  const engine = new ScriptedEngine(siteFiles('v1'));
  let projectId: string;
  let pagesName: string;
  const v: Record<number, { versionId: string; buildId: string; previewUrl: string }> = {};

  beforeAll(async () => {
    fake = await new FakeCloudflare().start();
    t = await startTestApp({
      engine: counters.countingEngine(engine),
      workers: true,
      env: {
        DEPLOYER: 'cloudflare-pages',
        CF_ACCOUNT_ID: fake.accountId,
        CF_API_TOKEN: fake.apiToken,
        CF_API_BASE_URL: fake.baseUrl,
      },
    });
    counters.watchSandbox(t);
    for (const n of [1, 2]) {
      const build = await buildVersion(t, engine, `v${n}`, projectId);
      projectId = build.projectId;
      v[n] = { versionId: build.versionId, buildId: build.buildId, previewUrl: build.previewUrl };
    }
    pagesName = `sheen-${projectId.toLowerCase()}`;
  }, 120_000);
  afterAll(async () => {
    await t?.close();
    await fake?.close();
  });

  const deployments = () => fake.projects.get(pagesName)?.deployments ?? [];
  const status = () => call(t, 'GET', `/projects/${projectId}/publication-status?userId=${OWNER}`);

  it('deploys each build as a preview on its own branch, at the alias Pages answers', () => {
    for (const n of [1, 2]) {
      const branch = `build-${v[n]?.buildId.toLowerCase()}`;
      expect(v[n]?.previewUrl).toBe(`https://${branch}.${pagesName}.pages.dev`);
    }
    expect(deployments().map((d) => [d.branch, d.environment])).toEqual([
      [`build-${v[1]?.buildId.toLowerCase()}`, 'preview'],
      [`build-${v[2]?.buildId.toLowerCase()}`, 'preview'],
    ]);
    const page = fake.assets.get(deployments()[1]?.manifest['/index.html'] ?? '');
    expect(Buffer.from(page?.value ?? '', 'base64').toString()).toContain('<h1>v2</h1>');
    // The second build changed one file: only that one went up again.
    const uploads = fake.calls(/^\/pages\/assets\/upload$/);
    expect(uploads.map((u) => (u.body as unknown[]).length)).toEqual([1, 1]);
  });

  it('publishes a version to production on the main branch without building', async () => {
    const before = counters.snapshot();
    const res = await call(t, 'POST', `/projects/${projectId}/publish/${v[1]?.versionId}`, {
      userId: OWNER,
    });
    expect(res.status).toBe(200);
    expect(res.body.productionUrl).toBe(`https://${pagesName}.pages.dev/`);
    const production = deployments().at(-1);
    expect(production).toMatchObject({ branch: 'main', environment: 'production' });
    expect(production?.manifest).toEqual(deployments()[0]?.manifest);
    expect(counters.snapshot()).toEqual(before);
    expect((await status()).body.productionUrl).toBe(`https://${pagesName}.pages.dev/`);
  });

  it('rolls production back by deploying the stored artifact again, uploading nothing', async () => {
    const uploadsBefore = fake.calls(/^\/pages\/assets\/upload$/).length;
    await call(t, 'POST', `/projects/${projectId}/publish/${v[2]?.versionId}`, { userId: OWNER });
    const res = await call(t, 'POST', `/v1/projects/${projectId}/rollback/${v[1]?.versionId}`, {
      userId: OWNER,
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      publishedVersionId: v[1]?.versionId,
      previewUrl: v[1]?.previewUrl,
      productionUrl: `https://${pagesName}.pages.dev/`,
    });
    const production = deployments().filter((d) => d.environment === 'production');
    expect(production.map((d) => d.manifest)).toEqual([
      deployments()[0]?.manifest,
      deployments()[1]?.manifest,
      deployments()[0]?.manifest,
    ]);
    expect(fake.calls(/^\/pages\/assets\/upload$/)).toHaveLength(uploadsBefore);
  });

  it('leaves production as it was when Pages refuses the deployment', async () => {
    const before = (await status()).body;
    fake.failNext(1, { status: 400, match: /\/deployments$/ });
    const res = await call(t, 'POST', `/projects/${projectId}/publish/${v[2]?.versionId}`, {
      userId: OWNER,
    });
    expect(res.status).toBe(503);
    expect(res.body.error.code).toBe('SERVICE_UNAVAILABLE');
    expect((await status()).body).toEqual(before);
  });

  it('fails a build whose preview Pages refuses with DEPLOY_FAILED, without retrying it', async () => {
    fake.failNext(1, { status: 403, match: /\/deployments$/ });
    engine.files = siteFiles('refused');
    const build = await buildToEnd(
      t,
      { userId: OWNER, prompt: 'A refused page' },
      `/v1/projects/${projectId}/update`,
    );
    expect(build.status).toBe('failed');
    expect(build.error.code).toBe('DEPLOY_FAILED');
    expect(fake.calls(/\/deployments$/).filter((r) => r.status === 403)).toHaveLength(1);
  }, 60_000);

  it('attaches custom domains to the Pages project and shows Cloudflare’s validation', async () => {
    const added = await call(t, 'POST', `/projects/${projectId}/domains`, {
      userId: OWNER,
      domain: 'www.sunrise-bakery.com',
    });
    expect(added.status).toBe(201);
    expect(added.body.records).toContainEqual({
      type: 'CNAME',
      name: 'www.sunrise-bakery.com',
      value: `${pagesName}.pages.dev`,
    });
    const domain = fake.projects.get(pagesName)?.domains.get('www.sunrise-bakery.com');
    expect(domain?.status).toBe('initializing');
    const pending = (await status()).body.domains[0];
    expect(pending.hosting).toMatchObject({ provider: 'cloudflare-pages', status: 'initializing' });
    if (domain)
      Object.assign(domain, { status: 'active', validation: 'active', verification: 'active' });
    const active = (await status()).body.domains[0];
    expect(active.hosting).toEqual({
      provider: 'cloudflare-pages',
      status: 'active',
      validationStatus: 'active',
      verificationStatus: 'active',
      error: null,
    });
    const removed = await call(
      t,
      'DELETE',
      `/projects/${projectId}/domains/www.sunrise-bakery.com?userId=${OWNER}`,
    );
    expect(removed.status).toBe(200);
    expect(fake.projects.get(pagesName)?.domains.size).toBe(0);
    expect((await status()).body.domains).toEqual([]);
  });

  it('withdraws a domain Cloudflare refuses, and keeps one it could not detach', async () => {
    const domains = () => call(t, 'GET', `/projects/${projectId}/domains?userId=${OWNER}`);
    fake.failNext(1, { status: 400, match: /\/domains$/ });
    const refused = await call(t, 'POST', `/projects/${projectId}/domains`, {
      userId: OWNER,
      domain: 'shop.sunrise-bakery.com',
    });
    expect(refused.status).toBe(503);
    expect((await domains()).body.domains).toEqual([]);

    const added = await call(t, 'POST', `/projects/${projectId}/domains`, {
      userId: OWNER,
      domain: 'shop.sunrise-bakery.com',
    });
    expect(added.status).toBe(201);
    fake.failNext(1, { status: 400, match: /\/domains\/shop/ });
    const url = `/projects/${projectId}/domains/shop.sunrise-bakery.com?userId=${OWNER}`;
    expect((await call(t, 'DELETE', url)).status).toBe(503);
    expect((await domains()).body.domains.map((d: { domain: string }) => d.domain)).toEqual([
      'shop.sunrise-bakery.com',
    ]);
    expect((await call(t, 'DELETE', url)).status).toBe(200);
    expect(fake.projects.get(pagesName)?.domains.size).toBe(0);
  });

  it('asks Cloudflare nothing for a project the caller does not own', async () => {
    const calls = fake.requests.length;
    const res = await call(t, 'POST', `/projects/${projectId}/domains`, {
      userId: 'someone-else',
      domain: 'www.not-mine.com',
    });
    expect(res.status).toBe(404);
    expect(fake.requests.length).toBe(calls);
  });

  it('uploads the original files only, never the compressed copies the artifact carries', async () => {
    const js = Array.from({ length: 300 }, (_, i) => `export const n${i} = ${i};`).join('\n');
    engine.files = {
      'package.json': JSON.stringify({
        name: 'site',
        private: true,
        scripts: { build: 'node build.js' },
      }),
      'build.js': "require('node:fs').cpSync('site', 'dist', { recursive: true });\n",
      'site/index.html': `<!doctype html><title>v3</title>${'<p>v3 page</p>\n'.repeat(200)}`,
      'site/assets/app-AbCd1234.js': js,
      // A download that happens to end in .gz: a file of its own, uploaded as such.
      'site/backup.tar.gz': 'not a compressed sibling of anything',
    };
    const build = await buildToEnd(
      t,
      { userId: OWNER, prompt: 'A page titled v3' },
      `/v1/projects/${projectId}/update`,
    );
    expect(build.status).toBe('succeeded');
    // The artifact does carry siblings (the local host would serve them)…
    expect(build.events.find((e) => e.type === 'package.compressed')?.data.files).toBe(2);
    // …and Pages gets the originals alone.
    const manifest = deployments().at(-1)?.manifest ?? {};
    expect(Object.keys(manifest).sort()).toEqual([
      '/assets/app-AbCd1234.js',
      '/backup.tar.gz',
      '/index.html',
    ]);
    const served = fake.assets.get(manifest['/assets/app-AbCd1234.js'] ?? '');
    expect(Buffer.from(served?.value ?? '', 'base64').toString()).toBe(js);
  });

  it('never writes the API token to the log', () => {
    expect(t.logs.text).not.toContain(fake.apiToken);
  });
});
