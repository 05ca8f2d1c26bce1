import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FsArtifactStore } from '../../artifacts/fs-artifact-store.js';
import { packDirectory } from '../../artifacts/tarball.js';
import type { ArtifactRow } from '../../repositories/artifacts.repo.js';
import { FakeCloudflare } from '../../../test/support/fake-cloudflare.js';
import { assetHash } from './asset-hash.js';
import { PagesApi } from './pages-api.js';
import { CloudflarePagesDeployer } from './pages-deployer.js';
import { readSite } from './site-files.js';
import { AssetUpload, bucketsOf, MAX_BUCKET_BYTES } from './upload.js';

const PROJECT_ID = '01JF0000000000000000000000';
const BUILD_ID = '01JF00000000000000000000B1';
const OTHER_BUILD_ID = '01JF00000000000000000000B2';
const LATE_BUILD_ID = '01JF00000000000000000000B3';

let fake: FakeCloudflare;
let root: string;
let store: FsArtifactStore;
const sleeps: number[] = [];

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'sheen-pages-test-'));
  store = new FsArtifactStore(path.join(root, 'artifacts'));
});
afterAll(() => rm(root, { recursive: true, force: true }));
beforeEach(async () => {
  fake = await new FakeCloudflare().start();
  sleeps.length = 0;
});
afterEach(() => fake.close());

function api() {
  return new PagesApi({
    accountId: fake.accountId,
    apiToken: fake.apiToken,
    baseUrl: fake.baseUrl,
    sdkRetries: 2,
  });
}

const uploadOptions = {
  retries: 3,
  backoffMs: 1000,
  sleep: async (ms: number) => void sleeps.push(ms),
};

function deployer() {
  return new CloudflarePagesDeployer({
    api: api(),
    store,
    projectPrefix: 'sheen',
    upload: uploadOptions,
  });
}

let sites = 0;
/** Packs `files` as the package stage does and stores the tarball. */
async function artifactOf(files: Record<string, string | Buffer>): Promise<ArtifactRow> {
  const dir = path.join(root, `site-${++sites}`);
  for (const [name, contents] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, name)), { recursive: true });
    await writeFile(path.join(dir, name), contents);
  }
  const file = `${dir}.tar.gz`;
  const packed = await packDirectory(dir, file);
  return { id: `artifact-${sites}`, ...(await store.put(file, packed.sha256, packed.sizeBytes)) };
}

async function siteDir(name: string, files: Record<string, string>): Promise<string> {
  const dir = path.join(root, name);
  for (const [file, contents] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, file)), { recursive: true });
    await writeFile(path.join(dir, file), contents);
  }
  return dir;
}

const site = {
  'index.html': '<!doctype html><h1>Sunrise</h1>',
  'assets/app.js': 'console.log("hi")',
  'assets/style.css': 'h1 { color: red }',
};

describe('CloudflarePagesDeployer', () => {
  it('creates the Pages project, uploads the assets and deploys a preview on build-<id>', async () => {
    const artifact = await artifactOf({ ...site, _headers: '/*\n  X-Frame-Options: DENY\n' });
    const deployed = await deployer().deployPreview({
      buildId: BUILD_ID,
      projectId: PROJECT_ID,
      artifact,
    });
    const name = `sheen-${PROJECT_ID.toLowerCase()}`;
    const branch = `build-${BUILD_ID.toLowerCase()}`;
    expect(deployed.url).toBe(`https://${branch}.${name}.pages.dev`);
    const project = fake.projects.get(name);
    expect(project?.productionBranch).toBe('main');
    const deployment = project?.deployments[0];
    expect(deployed.providerDeploymentId).toBe(deployment?.id);
    expect(deployment).toMatchObject({ branch, environment: 'preview' });
    expect(deployment?.manifest).toEqual({
      '/assets/app.js': await assetHash(Buffer.from(site['assets/app.js']), 'app.js'),
      '/assets/style.css': await assetHash(Buffer.from(site['assets/style.css']), 'style.css'),
      '/index.html': await assetHash(Buffer.from(site['index.html']), 'index.html'),
    });
    // Configuration goes beside the manifest, not as an asset.
    expect(deployment?.files._headers).toContain('X-Frame-Options');
    const upload = fake.calls(/^\/pages\/assets\/upload$/)[0]?.body as Array<{
      metadata: { contentType: string };
      key: string;
    }>;
    expect(upload.map((f) => f.metadata.contentType).sort()).toEqual([
      'application/javascript',
      'text/css',
      'text/html',
    ]);
    // Asset endpoints take the JWT, never the API token.
    for (const r of fake.calls(/^\/pages\/assets\//)) expect(r.auth).not.toContain(fake.apiToken);
  });

  it('a retried build reuses the preview its earlier attempt deployed; a first attempt never looks', async () => {
    const artifact = await artifactOf(site);
    const first = await deployer().deployPreview({
      buildId: BUILD_ID,
      projectId: PROJECT_ID,
      artifact,
      attempt: 1,
    });
    expect(fake.calls(/\/deployments$/, 'GET')).toHaveLength(0);
    // Another build's preview in between: the retry must pick its own branch's deployment.
    await deployer().deployPreview({ buildId: OTHER_BUILD_ID, projectId: PROJECT_ID, artifact });
    const retried = await deployer().deployPreview({
      buildId: BUILD_ID,
      projectId: PROJECT_ID,
      artifact,
      attempt: 2,
    });
    expect(retried).toEqual(first);
    const name = `sheen-${PROJECT_ID.toLowerCase()}`;
    expect(fake.projects.get(name)?.deployments).toHaveLength(2);
    expect(fake.calls(/\/deployments$/, 'GET')).toHaveLength(1);
    // A retry whose first run died before deploying deploys now.
    const late = await deployer().deployPreview({
      buildId: LATE_BUILD_ID,
      projectId: PROJECT_ID,
      artifact,
      attempt: 3,
    });
    expect(late.url).toContain(`build-${LATE_BUILD_ID.toLowerCase()}`);
    expect(fake.projects.get(name)?.deployments).toHaveLength(3);
  });

  it('deploys production on the production branch at the project subdomain', async () => {
    const artifact = await artifactOf(site);
    const pages = deployer();
    await pages.deployPreview({ buildId: BUILD_ID, projectId: PROJECT_ID, artifact });
    const production = await pages.deployProduction({ projectId: PROJECT_ID, artifact });
    const name = `sheen-${PROJECT_ID.toLowerCase()}`;
    expect(production.url).toBe(`https://${name}.pages.dev/`);
    const deployments = fake.projects.get(name)?.deployments ?? [];
    expect(deployments.map((d) => [d.branch, d.environment])).toEqual([
      [`build-${BUILD_ID.toLowerCase()}`, 'preview'],
      ['main', 'production'],
    ]);
    // The same artifact again: nothing left to upload, and the project is read only once.
    expect(fake.calls(/^\/pages\/assets\/upload$/)).toHaveLength(1);
    expect(fake.calls(/\/pages\/projects\/[^/]+$/, 'GET')).toHaveLength(1);
  });

  it('uploads only the files Pages does not hold yet on a second deploy', async () => {
    const pages = deployer();
    await pages.deployPreview({
      buildId: BUILD_ID,
      projectId: PROJECT_ID,
      artifact: await artifactOf(site),
    });
    const changed = {
      ...site,
      'index.html': '<h1>Sunrise, v2</h1>',
      'about.html': '<h1>About</h1>',
    };
    await pages.deployPreview({
      buildId: '01JF00000000000000000000B2',
      projectId: PROJECT_ID,
      artifact: await artifactOf(changed),
    });
    const checks = fake.calls(/check-missing$/);
    expect(checks).toHaveLength(2);
    const second = fake.calls(/^\/pages\/assets\/upload$/)[1]?.body as Array<{ key: string }>;
    const newHashes = [
      await assetHash(Buffer.from(changed['about.html']), 'about.html'),
      await assetHash(Buffer.from(changed['index.html']), 'index.html'),
    ];
    expect(second.map((f) => f.key).sort()).toEqual(newHashes.sort());
    // Every hash of the deploy is refreshed, uploaded or not.
    const upsert = fake.calls(/upsert-hashes$/)[1]?.body as { hashes: string[] };
    expect(upsert.hashes).toHaveLength(4);
  });

  it('waits out a 429 (retry-after) and a 503, then succeeds', async () => {
    fake.failNext(1, { status: 429, retryAfter: 7, match: /assets\/upload$/ });
    fake.failNext(1, { status: 503, match: /assets\/upload$/ });
    const deployed = await deployer().deployPreview({
      buildId: BUILD_ID,
      projectId: PROJECT_ID,
      artifact: await artifactOf(site),
    });
    expect(deployed.url).toMatch(/^https:\/\/build-/);
    expect(fake.calls(/assets\/upload$/).map((r) => r.status)).toEqual([429, 503, 200]);
    expect(sleeps).toEqual([7000, 2000]);
  });

  it('lets the SDK wait out a 429 on the project calls', async () => {
    fake.failNext(1, { status: 429, retryAfter: 1, match: /\/pages\/projects\/[^/]+$/ });
    const started = Date.now();
    const deployed = await deployer().deployPreview({
      buildId: BUILD_ID,
      projectId: PROJECT_ID,
      artifact: await artifactOf(site),
    });
    expect(deployed.url).toMatch(/^https:\/\/build-/);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(fake.calls(/\/pages\/projects\/[^/]+$/, 'GET').map((r) => r.status)).toEqual([429, 404]);
  });

  it('gives up after its retries with the status in the error', async () => {
    fake.failNext(10, { status: 502, match: /check-missing$/ });
    await expect(
      deployer().deployPreview({
        buildId: BUILD_ID,
        projectId: PROJECT_ID,
        artifact: await artifactOf(site),
      }),
    ).rejects.toMatchObject({
      name: 'DeployError',
      retryable: true,
      message: expect.stringMatching(/HTTP 502: POST \/pages\/assets\/check-missing answered 502/),
    });
    expect(fake.calls(/check-missing$/)).toHaveLength(4);
    expect(fake.projects.get(`sheen-${PROJECT_ID.toLowerCase()}`)?.deployments).toEqual([]);
  });

  it('asks for a new upload token before the one it holds expires', async () => {
    const name = `sheen-${PROJECT_ID.toLowerCase()}`;
    await api().ensureProject(name, 'main');
    const upload = new AssetUpload(api(), name, uploadOptions);
    (upload as unknown as { jwt: string }).jwt = fake.issueJwt(name, 30);
    await upload.run((await readSite(await siteDir('near', { 'a.html': 'a' }))).assets);
    expect(fake.calls(/upload-token$/)).toHaveLength(1);
    expect(fake.calls(/^\/pages\/assets\//).every((r) => r.status === 200)).toBe(true);
  });

  it('gets a fresh upload token when Pages refuses the one it holds as expired (401)', async () => {
    const name = `sheen-${PROJECT_ID.toLowerCase()}`;
    await api().ensureProject(name, 'main');
    const upload = new AssetUpload(api(), name, uploadOptions);
    await upload.run((await readSite(await siteDir('first', { 'a.html': 'a' }))).assets);
    // An hour later by Cloudflare's clock: the token held is expired there, not here.
    fake.advanceClock(3600);
    const calls = fake.requests.length;
    await upload.run((await readSite(await siteDir('second', { 'b.html': 'b' }))).assets);
    const later = fake.requests.slice(calls).map((r) => `${r.status} ${r.path.split('/').pop()}`);
    expect(later).toEqual([
      '401 check-missing',
      '200 upload-token',
      '200 check-missing',
      '200 upload',
      '200 upsert-hashes',
    ]);
    expect(fake.assets.size).toBe(2);
  });

  it('refuses a file over 25 MiB before uploading anything', async () => {
    const dir = await siteDir('big', { 'index.html': 'x' });
    await writeFile(path.join(dir, 'video.mp4'), Buffer.alloc(25 * 1024 * 1024 + 1, 1));
    await expect(readSite(dir)).rejects.toThrow(
      /video\.mp4 is 25\.0 MiB; Cloudflare Pages serves files of at most 25 MiB/,
    );
  });

  it('tells a refusal (bad token) from a failure worth retrying', async () => {
    const wrong = new CloudflarePagesDeployer({
      api: new PagesApi({ accountId: fake.accountId, apiToken: 'revoked', baseUrl: fake.baseUrl }),
      store,
      projectPrefix: 'sheen',
      upload: uploadOptions,
    });
    const artifact = await artifactOf(site);
    await expect(
      wrong.deployPreview({ buildId: BUILD_ID, projectId: PROJECT_ID, artifact }),
    ).rejects.toMatchObject({ name: 'DeployError', retryable: false });
  });
});

describe('the fake Cloudflare API', () => {
  it('catches an upload whose contents do not hash to its key', async () => {
    const name = 'sheen-corrupt';
    await api().ensureProject(name, 'main');
    const dir = path.join(root, 'corrupt');
    await mkdir(dir, { recursive: true });
    await writeFile(path.join(dir, 'index.html'), '<h1>original</h1>');
    const { assets } = await readSite(dir);
    // The file changes between hashing and upload: the key no longer matches the bytes.
    await writeFile(path.join(dir, 'index.html'), '<h1>tampered</h1>');
    const { manifest } = await new AssetUpload(api(), name, uploadOptions).run(assets);
    await expect(api().createDeployment(name, { manifest, branch: 'main' })).rejects.toThrow(
      /index\.html: uploaded content hashes to [0-9a-f]{32}, not/,
    );
  });

  it('refuses asset calls without a valid JWT and account calls without the token', async () => {
    const res = await fetch(`${fake.baseUrl}/pages/assets/check-missing`, {
      method: 'POST',
      headers: { authorization: `Bearer ${fake.apiToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ hashes: [] }),
    });
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ success: false, errors: [{ code: 8000013 }] });
    const wrong = new PagesApi({
      accountId: fake.accountId,
      apiToken: 'nope',
      baseUrl: fake.baseUrl,
    });
    await expect(wrong.ensureProject('sheen-x', 'main')).rejects.toThrow(/403/);
  });
});

describe('bucketsOf', () => {
  it('keeps every request under 40 MiB and 2,000 files', () => {
    const asset = (i: number, sizeBytes: number) => ({
      name: `f${i}`,
      file: `/f${i}`,
      sizeBytes,
      contentType: 'text/plain',
      hash: `h${i}`,
    });
    const big = bucketsOf([
      asset(1, 30 * 1024 * 1024),
      asset(2, 20 * 1024 * 1024),
      asset(3, 10 * 1024 * 1024),
    ]);
    expect(big.map((b) => b.map((a) => a.name))).toEqual([['f1', 'f3'], ['f2']]);
    const many = bucketsOf(Array.from({ length: 4500 }, (_, i) => asset(i, 10)));
    expect(many.map((b) => b.length)).toEqual([2000, 2000, 500]);
    for (const b of big)
      expect(b.reduce((n, a) => n + a.sizeBytes, 0)).toBeLessThanOrEqual(MAX_BUCKET_BYTES);
  });
});
