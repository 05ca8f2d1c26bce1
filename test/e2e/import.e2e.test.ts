import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OfflineEngine } from '../../src/ai/offline/engine.js';
import { signRequest } from '../../src/auth/signing.js';
import { Workspace } from '../../src/workspace/workspace.js';
import { WorkerClient } from '../../src/cli/client.js';
import { packProject } from '../../src/cli/pack-project.js';
import { zip } from '../support/archives.js';
import { prepareCli, runCli, startServer, type ServerProcess } from '../support/server-process.js';

const FIXTURE = path.resolve('test/fixtures/import/react-vite');
const USER = 'e2e-import';

interface Accepted {
  buildId: string;
  projectId: string;
  versionId: string;
  eventsUrl: string;
}

/**
 * Importing projects through the real server: a signed multipart upload, the build through
 * the queue without an engine call, the preview served; the CLI's packer; refusals as 400s.
 */
describe('importing a project (embedded profile)', () => {
  let dataDir: string;
  let server: ServerProcess;
  let client: WorkerClient;
  let secret: string;

  async function follow(accepted: Accepted) {
    const events: Array<Record<string, unknown>> = [];
    for await (const { data } of client.events(accepted.eventsUrl)) events.push(data);
    const build = await client.json<{ status: string; previewUrl: string | null; error: unknown }>(
      'GET',
      `/v1/builds/${accepted.buildId}`,
    );
    return { ...build, events };
  }

  function upload(bytes: Buffer, fields: Record<string, string>, fileName = 'app.tar.gz') {
    const form = new FormData();
    for (const [k, v] of Object.entries(fields)) form.set(k, v);
    form.set('file', new Blob([bytes]), fileName);
    return client.postForm<Accepted>('/v1/projects/import', form);
  }

  beforeAll(async () => {
    // One test runs `sheen import`: the CLI is compiled while the server starts.
    const cli = prepareCli();
    dataDir = await mkdtemp(path.join(tmpdir(), 'sheen-e2e-import-'));
    server = await startServer({ DATA_DIR: dataDir }, 60_000, { coldInstalls: true });
    secret = (await readFile(path.join(dataDir, 'secrets', 'hmac.key'), 'utf8')).trim();
    client = new WorkerClient({ baseUrl: server.baseUrl, secret });
    await cli;
  }, 90_000);
  afterAll(async () => {
    await server?.stop('SIGTERM');
    await rm(dataDir, { recursive: true, force: true });
  });

  it('builds and previews an imported React + Vite project without an engine call', async () => {
    const packed = await packProject(FIXTURE);
    const accepted = await upload(packed.bytes, { userId: USER, name: 'Harbour Lights' });
    const build = await follow(accepted);
    expect(build.error).toBeNull();
    expect(build.status).toBe('succeeded');
    const imported = build.events.find((e) => e.type === 'generate.imported');
    expect(imported?.message).toContain('no engine call, no AI time charged');
    expect(build.events.some((e) => e.type === 'quota.reserved')).toBe(false);
    const install = build.events.find((e) => e.type === 'install.attempt');
    expect(install?.data).toMatchObject({ manager: 'pnpm', detectedBy: 'pnpm-lock.yaml' });

    const page = await fetch(`${server.baseUrl}/preview/${accepted.buildId}/`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('Harbour Lights Café');
    const script = /<script[^>]+src="\.?\/?([^"]+\.js)"/.exec(html)?.[1];
    const js = await fetch(`${server.baseUrl}/preview/${accepted.buildId}/${script ?? 'none'}`);
    expect(js.status).toBe(200);
    expect(await js.text()).toContain('Cups poured today');

    const versions = await client.json<{ versions: Array<{ number: number; prompt: string }> }>(
      'GET',
      `/v1/projects/${accepted.projectId}/versions?userId=${USER}`,
    );
    expect(versions.versions[0]).toMatchObject({ number: 1, prompt: 'Imported from app.tar.gz' });

    // The offline engine edits only apps it wrote: an update of this one ends at once, saying
    // so, rather than as an internal error after retries.
    const update = await client.json<Accepted>(
      'POST',
      `/v1/projects/${accepted.projectId}/update`,
      { userId: USER, prompt: 'Add a pricing section' },
    );
    const refused = await follow(update);
    expect(refused.status).toBe('failed');
    expect(refused.error).toMatchObject({
      code: 'AI_REQUEST_UNSUPPORTED',
      message: expect.stringContaining('only update apps it generated'),
    });
  }, 180_000);

  it('updates an imported project by prompt, starting from its files', async () => {
    // An app the offline engine wrote elsewhere (it edits only apps it generated), imported.
    const dir = await mkdtemp(path.join(tmpdir(), 'sheen-import-offline-'));
    try {
      const project = path.join(dir, 'lantern-books');
      const workspace = await Workspace.create(project);
      const engine = new OfflineEngine();
      const ctx = {
        signal: new AbortController().signal,
        emit: () => undefined,
        workspaceRoot: project,
        projectId: 'local',
      };
      const prompt = 'A landing page for "Lantern Books", a bookshop in Leeds';
      const { plan } = await engine.plan({ kind: 'create', prompt }, ctx);
      await engine.generate({ prompt, plan, kind: 'create' }, workspace.tools(), ctx);
      const packed = await packProject(project);
      const accepted = await upload(packed.bytes, { userId: USER });
      expect((await follow(accepted)).status).toBe('succeeded');

      const update = await client.json<Accepted>(
        'POST',
        `/v1/projects/${accepted.projectId}/update`,
        { userId: USER, prompt: 'Make the theme dark blue' },
      );
      const updated = await follow(update);
      expect(updated.error, server.output().slice(-2000)).toBeNull();
      expect(updated.status).toBe('succeeded');
      const generated = updated.events.find((e) => e.type === 'generate.done');
      expect(generated?.data).toMatchObject({ filesChanged: { modified: expect.any(Number) } });
      const page = await fetch(`${server.baseUrl}/preview/${update.buildId}/`);
      expect(await page.text()).toContain('Lantern Books');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 180_000);

  it('repairs an imported type error with the fix loop (sheen import)', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'sheen-import-broken-'));
    try {
      const project = path.join(dir, 'broken-cafe');
      await cp(FIXTURE, project, { recursive: true });
      const app = path.join(project, 'src', 'App.tsx');
      await writeFile(app, (await readFile(app, 'utf8')).replace(/^import .*\n/m, ''));
      const cli = await runCli(['import', project, '--detach', '--json'], {
        SHEEN_URL: server.baseUrl,
        SHEEN_SECRET: secret,
        SHEEN_USER: USER,
      });
      expect(cli.code, cli.output).toBe(0);
      const accepted = JSON.parse(cli.output) as Accepted;
      const build = await follow(accepted);
      expect(build.error).toBeNull();
      expect(build.status).toBe('succeeded');
      const failed = build.events.find(
        (e) => e.type === 'validate.failed' || e.type === 'stage.failed',
      );
      const fixed = build.events.find((e) => e.type === 'fix.applied');
      expect(JSON.stringify(fixed ?? failed ?? build.events.map((e) => e.type))).toContain(
        'useState',
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 180_000);

  it('refuses a hostile archive with a 400 naming the entry, and unsigned uploads', async () => {
    const err = await upload(zip([{ name: '../../evil.js', body: 'x' }]), { userId: USER }).then(
      () => undefined,
      (e: unknown) => e as { status: number; code: string; message: string },
    );
    expect(err).toMatchObject({ status: 400, code: 'IMPORT_UNSAFE_ENTRY' });
    expect(err?.message).toContain('../../evil.js');

    const form = new FormData();
    form.set('userId', USER);
    form.set('file', new Blob([zip([{ name: 'index.html', body: 'x' }])]), 'a.zip');
    const unsigned = await fetch(`${server.baseUrl}/v1/projects/import`, {
      method: 'POST',
      body: form,
    });
    expect(unsigned.status).toBe(401);

    // The signature covers the exact bytes: a changed byte after signing is refused.
    const body = zip([{ name: 'index.html', body: '<h1>x</h1>' }]);
    const headers = signRequest({
      secret,
      method: 'POST',
      pathWithQuery: `/v1/projects/import?userId=${USER}`,
      body,
    });
    const tampered = Buffer.from(body);
    tampered.writeUInt8((tampered.at(-30) ?? 0) ^ 1, tampered.length - 30);
    const res = await fetch(`${server.baseUrl}/v1/projects/import?userId=${USER}`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/zip' },
      body: tampered,
    });
    expect(res.status).toBe(401);
    const raw = await fetch(`${server.baseUrl}/v1/projects/import?userId=${USER}`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/zip' },
      body,
    });
    expect(raw.status).toBe(202);
  }, 60_000);
});
