import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WorkerClient } from '../../src/cli/client.js';
import { createAndFollow, getWithHost, type BuildResult } from '../support/builds.js';
import { prepareCli, runCli, startServer, type ServerProcess } from '../support/server-process.js';

/**
 * Prompt to preview on the embedded profile: the real server process, signed HTTP, the SSE
 * stream, and the preview fetched over HTTP, exactly as a client of the service does it.
 */
describe('prompt to live preview (embedded profile)', () => {
  let dataDir: string;
  let server: ServerProcess;
  let client: WorkerClient;
  let first: BuildResult;

  beforeAll(async () => {
    // The CLI tests below run the CLI compiled: compiled while the first build runs.
    const cli = prepareCli();
    dataDir = await mkdtemp(path.join(tmpdir(), 'sheen-e2e-pipeline-'));
    // The first build installs cold, as on a fresh worker, the next reuses that tree.
    server = await startServer({ DATA_DIR: dataDir }, undefined, { coldInstalls: true });
    const secret = (await readFile(path.join(dataDir, 'secrets', 'hmac.key'), 'utf8')).trim();
    client = new WorkerClient({ baseUrl: server.baseUrl, secret });
    first = await createAndFollow(client, {
      prompt: 'A landing page for "Sunrise Bakery", a family bakery in Lisbon, with a green theme',
      idempotencyKey: 'e2e-first-build',
    });
    await cli;
  }, 240_000);
  afterAll(async () => {
    await server?.stop('SIGTERM');
    await rm(dataDir, { recursive: true, force: true });
  });

  it('runs every stage and ends succeeded with a preview URL', () => {
    expect(first.error).toBeNull();
    expect(first.status).toBe('succeeded');
    const finished = first.events.filter((e) => e.type === 'stage.finished').map((e) => e.stage);
    // Validate and build run side by side: either may finish first.
    expect([...finished.slice(3, 5)].sort()).toEqual(['build', 'validate']);
    expect([...finished.slice(0, 3), 'validate', 'build', ...finished.slice(5)]).toEqual([
      'plan',
      'generate',
      'install',
      'validate',
      'build',
      'package',
      'deploy',
      'record',
      'recommend',
    ]);
    expect(first.events.at(-1)?.type).toBe('build.finished');
    expect(first.previewUrl).toBe(
      `http://build-${first.buildId.toLowerCase()}.localhost:${new URL(server.baseUrl).port}/`,
    );
  });

  it('installs the scaffold with pnpm from its frozen lockfile, scripts off', () => {
    const attempts = first.events.filter((e) => e.type === 'install.attempt');
    expect(attempts.map((e) => (e.data as { manager: string }).manager)).toEqual(['pnpm']);
    expect(attempts[0]?.data).toMatchObject({ frozen: true, detectedBy: 'pnpm-lock.yaml' });
    const done = first.events.find((e) => e.type === 'install.done');
    expect(done?.data).toMatchObject({ manager: 'pnpm', reused: false });
  });

  it('numbers events in increasing order', () => {
    expect(first.ids.length).toBeGreaterThan(10);
    expect(first.ids).toEqual([...first.ids].sort((a, b) => a - b));
    expect(new Set(first.ids).size).toBe(first.ids.length);
  });

  it('serves the preview by path and by host, with the name and a JS bundle', async () => {
    const page = await fetch(`${server.baseUrl}/preview/${first.buildId}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    const html = await page.text();
    expect(html).toContain('Sunrise Bakery');
    const script = /<script[^>]+src="\.?\/?([^"]+\.js)"/.exec(html)?.[1];
    expect(script).toBeDefined();
    const js = await fetch(`${server.baseUrl}/preview/${first.buildId}/${script}`);
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toMatch(/javascript/);
    expect(js.headers.get('cache-control')).toContain('immutable');
    expect(page.headers.get('cache-control')).toBe('no-cache');

    const host = `build-${first.buildId.toLowerCase()}.localhost:${new URL(server.baseUrl).port}`;
    const byHost = await getWithHost(server.baseUrl, host, '/');
    expect(byHost.status).toBe(200);
    expect(byHost.body).toBe(html);
    const spa = await getWithHost(server.baseUrl, host, '/some/page');
    expect(spa.status).toBe(200);
    expect(spa.body).toBe(html);
  });

  it('never serves anything outside the preview', async () => {
    for (const p of [
      '/../../secrets/hmac.key',
      '/%2e%2e/%2e%2e/secrets/hmac.key',
      '/.env',
      '/assets/missing.js',
    ]) {
      const host = `build-${first.buildId.toLowerCase()}.localhost`;
      const res = await getWithHost(server.baseUrl, host, p);
      expect(res.status, p).toBe(404);
    }
    const unknown = await fetch(`${server.baseUrl}/preview/01ARZ3NDEKTSV4RRFFQ69G5FAV/`);
    expect(unknown.status).toBe(404);
  });

  it('returns the same build for a repeated idempotency key', async () => {
    const again = await client.json<{ buildId: string; created: boolean }>(
      'POST',
      '/v1/create-preview-for-new-project',
      {
        userId: 'e2e-user',
        prompt: 'something else entirely',
        idempotencyKey: 'e2e-first-build',
      },
    );
    expect(again.buildId).toBe(first.buildId);
    expect(again.created).toBe(false);
  });

  it('reuses the dependency tree on the next build of the same kind', async () => {
    const second = await createAndFollow(client, { prompt: 'A todo app to track chores, in blue' });
    expect(second.status).toBe('succeeded');
    const install = second.events.find((e) => e.type === 'install.done') as {
      data: { reused: boolean };
    };
    expect(install.data.reused).toBe(true);
  });

  it('works from the sheen CLI: live stage progress, then the preview URL', async () => {
    const cli = runCli(['create', 'A portfolio for "Mara Quinn", illustrator'], {
      SHEEN_URL: server.baseUrl,
      DATA_DIR: dataDir,
    });
    const { code, output } = await cli;
    expect(code).toBe(0);
    for (const stage of [
      'plan',
      'generate',
      'install',
      'validate',
      'build',
      'package',
      'deploy',
      'record',
      'recommend',
    ]) {
      expect(output).toMatch(new RegExp(`✔ ${stage}\\s+\\d+(\\.\\d)? m?s`));
    }
    const url = /Live in .*: (http:\/\/build-[0-9a-z]{26}\.localhost:\d+\/)/.exec(output)?.[1];
    expect(url).toBeDefined();
    const id = /build-([0-9a-z]{26})/.exec(url ?? '')?.[1] ?? '';
    const status = await runCli(['status', id], { SHEEN_URL: server.baseUrl, DATA_DIR: dataDir });
    expect(status.code).toBe(0);
    expect(status.output).toContain('succeeded');
  });

  // Each of these two starts a dozen CLI processes and waits on builds: on a loaded 2-core
  // machine that alone can pass the default 30 s.
  it('rolls back, publishes and attaches a domain from the sheen CLI', async () => {
    const env = { SHEEN_URL: server.baseUrl, DATA_DIR: dataDir, SHEEN_USER: 'e2e-user' };
    const update = await client.json<{ eventsUrl: string }>(
      'POST',
      `/v1/projects/${first.projectId}/update`,
      { userId: 'e2e-user', prompt: 'Rename it to "Moonrise Bakery"' },
    );
    for await (const { data } of client.events(update.eventsUrl)) {
      if (data.type === 'build.finished') break;
    }
    const p = first.projectId;
    const listed = await runCli(['versions', p], env);
    expect(listed.code).toBe(0);
    expect(listed.output).toMatch(/v2\s+ready\s+current/);
    expect(listed.output).toMatch(/v1\s+ready\s+-/);

    const back = await runCli(['rollback', p, 'v1'], env);
    expect(back.code).toBe(0);
    expect(back.output).toContain('Current version is now v1');
    const published = await runCli(['publish', p, '--json'], env);
    expect(published.code).toBe(0);
    const live = JSON.parse(published.output) as {
      productionUrl: string;
      publishedVersionId: string;
    };
    expect(live.publishedVersionId).toBe(first.versionId);
    const site = await getWithHost(server.baseUrl, new URL(live.productionUrl).host, '/');
    expect(site.status).toBe(200);
    expect(site.body).toMatch(/<html/i);

    const added = await runCli(['domains', 'add', p, 'shop.sunrise-bakery.pt'], env);
    expect(added.code).toBe(0);
    expect(added.output).toMatch(/TXT\s+_sheen-challenge\.shop\.sunrise-bakery\.pt/);
    const domains = await runCli(['domains', 'list', p], env);
    expect(domains.output).toMatch(/shop\.sunrise-bakery\.pt\s+pending/);
    expect((await runCli(['domains', 'rm', p, 'shop.sunrise-bakery.pt'], env)).code).toBe(0);
    expect((await runCli(['unpublish', p], env)).code).toBe(0);

    const stranger = await runCli(['rollback', p, first.versionId], {
      ...env,
      SHEEN_USER: 'other',
    });
    expect(stranger.code).toBe(1);
    expect(stranger.output).toContain('Error NOT_FOUND');

    // The offline engine is not metered: the balance is the untouched default plan.
    const balance = await runCli(['balance'], env);
    expect(balance.code).toBe(0);
    expect(balance.output).toContain('AI time left: 10.0 h');
    expect(balance.output).toContain('(default plan)');
    expect(balance.output).toContain('does not meter its engine');
    const asJson = JSON.parse((await runCli(['balance', '--json'], env)).output);
    expect(asJson).toMatchObject({ metered: false, balanceSeconds: 36_000, reservedSeconds: 0 });
  }, 90_000);

  it('shows recommendations from the sheen CLI, for the project and for a build', async () => {
    const env = { SHEEN_URL: server.baseUrl, DATA_DIR: dataDir, SHEEN_USER: 'e2e-user' };
    const text = await runCli(['recommendations', first.projectId], env);
    expect(text.code).toBe(0);
    expect(text.output).toMatch(/^Version [0-9A-Z]{26}/);
    expect(text.output).toMatch(/\[low\] Add tests .*code\.tests/);
    const json = await runCli(
      ['recommendations', first.projectId, '--build', first.buildId, '--json'],
      env,
    );
    expect(json.code).toBe(0);
    const report = JSON.parse(json.output) as { buildId: string; checks: Record<string, string> };
    expect(report).toMatchObject({ buildId: first.buildId, versionId: first.versionId });
    expect(report.checks).toMatchObject({ html: 'ran', bundle: 'ran', code: 'ran' });
    const stranger = await runCli(['recommendations', first.projectId], {
      ...env,
      SHEEN_USER: 'other',
    });
    expect(stranger.code).toBe(1);
    expect(stranger.output).toContain('Error NOT_FOUND');
  }, 90_000);

  it('rejects bad input with clear errors', async () => {
    const post = (body: Record<string, unknown>) =>
      client
        .json('POST', '/v1/create-preview-for-new-project', { userId: 'e2e-user', ...body })
        .then(
          () => undefined,
          (err: { status: number; code: string; message: string }) => err,
        );
    const empty = await post({ prompt: '   ' });
    expect(empty).toMatchObject({ status: 400, code: 'VALIDATION_FAILED' });
    expect(empty?.message).toContain('body.prompt');
    const long = await post({ prompt: 'x'.repeat(20_001) });
    expect(long).toMatchObject({ status: 400, code: 'VALIDATION_FAILED' });
    const framework = await post({ prompt: 'an app', framework: 'angular' });
    expect(framework).toMatchObject({ status: 400 });
    expect(framework?.message).toContain('react, nextjs, vue, svelte, static');
    const notOffline = await post({ prompt: 'an app', framework: 'vue' });
    expect(notOffline).toMatchObject({ status: 400 });
    expect(notOffline?.message).toContain('offline engine builds react');
  });
});
