import { spawn } from 'node:child_process';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileCli } from '../support/cli-build.js';
import { closedPort } from '../support/closed-port.js';
import { startDnsServer, type TestDnsServer } from '../support/dns-server.js';
import { pgliteTemplate } from '../support/pglite-template.js';
import { startServer, type ServerProcess } from '../support/server-process.js';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy.js';

const CNAME_TARGET = 'edge.sheenapps.dev';

interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Where compileCli put the CLI's entry point. */
let entry: string;

/** The sheen CLI, compiled from source, as a child process with only the environment given. */
function sheen(
  args: string[],
  env: Record<string, string>,
  onStdout?: (all: string) => void,
): Promise<CliRun> {
  const child = spawn(process.execPath, [entry, ...args], {
    cwd: path.dirname(entry),
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => {
    stdout += d.toString();
    onStdout?.(stdout);
  });
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  // 'close', not 'exit': output can still be in the pipes when the process has exited.
  return new Promise((resolve) => child.once('close', (code) => resolve({ code, stdout, stderr })));
}

const json = <T>(run: CliRun): T => JSON.parse(run.stdout) as T;
const ndjson = (run: CliRun) =>
  run.stdout
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as { id: number; type: string });

/**
 * The sheen CLI against one real server process: a project from create to cancel, with and
 * without --json, and the errors a new user meets (worker down, wrong key, bad URL, typos).
 */
describe('sheen CLI against a running worker', () => {
  let dataDir: string;
  let server: ServerProcess;
  let dns: TestDnsServer;
  let env: Record<string, string>;

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'sheen-e2e-cli-'));
    const [compiled, template, started] = await Promise.all([
      compileCli(await mkdtemp(path.join(tmpdir(), 'sheen-cli-'))),
      pgliteTemplate(),
      startDnsServer(),
    ]);
    entry = compiled;
    dns = started;
    // A migrated database to start from: initdb and the migrations take seconds.
    if (template) await cp(template, path.join(dataDir, 'db'), { recursive: true });
    server = await startServer(
      {
        DATA_DIR: dataDir,
        // One build at a time: the second build waits in the queue while the first installs.
        BUILD_CONCURRENCY: '1',
        // The browser check of recommendations is tested elsewhere; here it would only cost time.
        CHROMIUM_PATH: path.join(dataDir, 'no-chromium'),
        DNS_SERVERS: dns.address,
        DNS_TIMEOUT_MS: '300',
        DOMAIN_CNAME_TARGET: CNAME_TARGET,
      },
      60_000,
      // The first build's cold install is what the dropped connection happens during.
      { coldInstalls: true },
    );
    env = { SHEEN_URL: server.baseUrl, DATA_DIR: dataDir, SHEEN_USER: 'cli-user' };
  }, 120_000);
  afterAll(async () => {
    await server?.stop('SIGTERM');
    await dns?.close();
    await rm(dataDir, { recursive: true, force: true });
    if (entry) await rm(path.dirname(path.dirname(entry)), { recursive: true, force: true });
  });

  let buildId: string;
  let projectId: string;

  it('creates, follows across a dropped connection, cancels a second build, reports both', async () => {
    const created = await sheen(
      [
        'create',
        'A landing page for "Sunrise Bakery" in Lisbon, green theme',
        '--detach',
        '--json',
      ],
      env,
    );
    expect(created.code).toBe(0);
    ({ buildId, projectId } = json<{ buildId: string; projectId: string }>(created));

    // logs -f through a proxy that is cut mid-build: it resumes after the last event it saw.
    const proxy: TcpProxy = await startTcpProxy({
      host: '127.0.0.1',
      port: Number(new URL(server.baseUrl).port),
    });
    let cut = false;
    const followed = sheen(
      ['logs', '-f', buildId, '--json'],
      { ...env, SHEEN_URL: `http://127.0.0.1:${proxy.port}` },
      (out) => {
        if (cut || !out.includes('"install.attempt"')) return;
        cut = true;
        void proxy
          .cut()
          .then(() => new Promise((r) => setTimeout(r, 300)))
          .then(() => proxy.restore());
      },
    );
    const text = sheen(['logs', '-f', buildId], env);
    const [viaProxy, plain] = await Promise.all([followed, text, createAndCancel()]);
    await proxy.close();
    expect(cut).toBe(true);
    expect(viaProxy.code).toBe(0);
    expect(viaProxy.stderr).toMatch(/connection lost; resuming after event \d+/);
    const events = ndjson(viaProxy);
    const ids = events.map((e) => e.id);
    expect(ids).toEqual([...new Set(ids)].sort((a, b) => a - b));
    expect(ids).toEqual(Array.from({ length: ids.length }, (_, i) => i + 1));
    expect(events.at(-1)?.type).toBe('build.finished');
    expect(plain.code).toBe(0);
    expect(plain.stdout).toMatch(/install\s+install finished in \d+ ms/);
    expect(plain.stdout).toMatch(/Build succeeded: http:\/\/build-/);

    const [status, statusJson, logs] = await Promise.all([
      sheen(['status', buildId], env),
      sheen(['status', buildId, '--json'], env),
      sheen(['logs', buildId], env),
    ]);
    expect(status.code).toBe(0);
    expect(status.stdout).toContain(`Build ${buildId}: succeeded`);
    expect(status.stdout).toMatch(/✔ install\s+\d/);
    expect(json(statusJson)).toMatchObject({ buildId, projectId, status: 'succeeded' });
    expect(logs.code).toBe(0);
    expect(logs.stdout).toContain('Build started');
  }, 60_000);

  /** A second build, followed by `create`, cancelled from another CLI while it waits its turn. */
  async function createAndCancel(): Promise<void> {
    let seen = '';
    const create = sheen(['create', 'A todo app to track chores, in blue'], env, (out) => {
      seen = out;
    });
    for (let i = 0; i < 600 && !/Build [0-9A-Z]{26}/.test(seen); i++)
      await new Promise((r) => setTimeout(r, 50));
    const id = /Build ([0-9A-Z]{26})/.exec(seen)?.[1] ?? '';
    const cancelled = await sheen(['cancel', id], env);
    expect(cancelled.stdout).toContain(`Cancelled build ${id}.`);
    expect(cancelled.code).toBe(0);
    const ended = await create;
    expect(ended.code).toBe(1);
    expect(ended.stdout).toContain(`Build ${id}: cancelled`);
    expect(ended.stdout).toContain('Error BUILD_CANCELLED');
    const [again, status] = await Promise.all([
      sheen(['cancel', id, '--json'], env),
      sheen(['status', id], env),
    ]);
    expect(again.code).toBe(0);
    expect(json(again)).toMatchObject({ buildId: id, status: 'cancelled' });
    expect(status.code).toBe(1);
  }

  it('updates, lists versions, rolls back, publishes, opens and unpublishes', async () => {
    const updated = await sheen(
      ['update', projectId, 'Rename it to "Moonrise Bakery" and add a countdown and a calendar'],
      env,
    );
    expect(updated.code).toBe(0);
    // The countdown comes from the component library; what the offline engine could not do is
    // printed after the preview URL.
    expect(updated.stdout).toMatch(
      /Live in .*: http:\/\/build-.*\nNot built \(this needs an AI engine\):\n {2}- calendar \(feature\): An offline update cannot add a calendar/,
    );
    expect(updated.stdout).not.toMatch(/- countdown \(feature\)/);
    // Not a terminal: one plain line per stage, no spinner redraws.
    expect(updated.stdout).toMatch(/^✔ build\s+\d/m);
    expect(updated.stdout).not.toContain('\r');
    expect(updated.stdout).toMatch(/Live in .*: http:\/\/build-/);

    const [versions, versionsJson] = await Promise.all([
      sheen(['versions', projectId], env),
      sheen(['versions', projectId, '--json'], env),
    ]);
    expect(versions.stdout).toMatch(/v2\s+ready\s+current/);
    const list = json<{ versions: Array<{ number: number; versionId: string }> }>(versionsJson);
    expect(list.versions.map((v) => v.number)).toEqual([2, 1]);

    const back = await sheen(['rollback', projectId, 'v1'], env);
    expect(back.code).toBe(0);
    expect(back.stdout).toContain('Current version is now v1');
    const published = await sheen(['publish', projectId, '--json'], env);
    expect(published.code).toBe(0);
    expect(json(published)).toMatchObject({ publishedVersionId: list.versions[1]?.versionId });
    const [opened, openedProduction] = await Promise.all([
      sheen(['open', buildId], env),
      sheen(['open', projectId, '--production', '--json'], env),
    ]);
    expect(opened.code).toBe(0);
    expect(opened.stdout.trim()).toMatch(/^http:\/\/build-[0-9a-z]{26}\.localhost:\d+\/$/);
    expect(json<{ url: string }>(openedProduction).url).toMatch(/^http:\/\/.*\.localhost:\d+\/$/);
    const unpublished = await sheen(['unpublish', projectId], env);
    expect(unpublished.code).toBe(0);
    expect(unpublished.stdout).toContain('production no longer answers');

    // An update the offline engine can apply nothing of says so; no version is built.
    const nothing = await sheen(['update', projectId, 'Add a calendar'], env);
    expect(nothing.code).toBe(1);
    expect(nothing.stdout).toContain('Error UPDATE_NOTHING_TO_CHANGE');
    expect(nothing.stdout).toContain('it asks for calendar');
    expect(nothing.stdout).toContain('Hint: No new version was built');
    expect(nothing.stdout).not.toMatch(/✔ build/);
  }, 60_000);

  it('shows the balance and recommendations, as text and JSON', async () => {
    // Recommendations run their checks (a browser among them) again: one call is enough here.
    const [text, asJson, recs] = await Promise.all([
      sheen(['balance'], env),
      sheen(['balance', '--json'], env),
      sheen(['recommendations', projectId, '--build', buildId], env),
    ]);
    expect(text.stdout).toContain('AI time left: 10.0 h');
    expect(json(asJson)).toMatchObject({ metered: false, balanceSeconds: 36_000 });
    expect(recs.code).toBe(0);
    expect(recs.stdout).toMatch(new RegExp(`^Version [0-9A-Z]{26} \\(build ${buildId}\\)`));
  }, 30_000);

  it('claims, verifies over DNS, lists and removes a custom domain', async () => {
    const domain = 'shop.sunrise-bakery.pt';
    const added = await sheen(['domains', 'add', projectId, domain, '--json'], env);
    expect(added.code).toBe(0);
    const { records } = json<{ records: Array<{ type: string; name: string; value: string }> }>(
      added,
    );
    const pending = await sheen(['domains', 'verify', projectId, domain], env);
    expect(pending.code).toBe(1);
    const txt = records.find((r) => r.type === 'TXT');
    dns.set(`_sheen-challenge.${domain}`, { txt: [txt?.value ?? ''] });
    dns.set(domain, { cname: CNAME_TARGET });
    const verified = await sheen(['domains', 'verify', projectId, domain], env);
    expect(verified.stdout).toContain(`${domain}: verified`);
    expect(verified.code).toBe(0);
    const listed = await sheen(['domains', 'list', projectId], env);
    expect(listed.stdout).toMatch(/shop\.sunrise-bakery\.pt\s+verified/);
    expect((await sheen(['domains', 'rm', projectId, domain], env)).code).toBe(0);
    const empty = await sheen(['domains', 'list', projectId, '--json'], env);
    expect(json(empty)).toEqual({ domains: [] });
  }, 30_000);

  it('says what is wrong and how to fix it, with documented exit codes', async () => {
    const down = `http://127.0.0.1:${await closedPort()}`;
    const [workerDown, downJson, wrongKey, noScheme, notUrl, pathUrl, unknownFlag, missing] =
      await Promise.all([
        sheen(['status', buildId], { ...env, SHEEN_URL: down }),
        sheen(['balance', '--json'], { ...env, SHEEN_URL: down }),
        sheen(['balance'], { ...env, SHEEN_SECRET: 'not-the-key' }),
        sheen(['balance'], { ...env, SHEEN_URL: 'localhost:8080' }),
        sheen(['balance'], { ...env, SHEEN_URL: 'http://exa mple' }),
        sheen(['balance'], { ...env, SHEEN_URL: `${server.baseUrl}/api` }),
        sheen(['create', 'an app', '--nmae', 'x'], env),
        sheen(['rollback', projectId], env),
      ]);
    expect(workerDown.code).toBe(3);
    expect(workerDown.stderr).toContain(`nothing listens at ${down} (from SHEEN_URL)`);
    expect(workerDown.stderr).toContain('npm start');
    expect(workerDown.stderr).not.toContain('fetch failed');
    expect(json(downJson)).toMatchObject({ error: { code: 'WORKER_UNREACHABLE', exitCode: 3 } });
    expect(wrongKey.code).toBe(4);
    expect(wrongKey.stderr).toContain('SHEEN_SECRET');
    expect(wrongKey.stderr).not.toContain('x-sheen-');
    for (const bad of [noScheme, notUrl, pathUrl]) {
      expect(bad.code).toBe(3);
      expect(bad.stderr).toContain('SHEEN_URL');
    }
    expect(noScheme.stderr).toContain('http://localhost:8080');
    expect(unknownFlag.code).toBe(2);
    expect(unknownFlag.stderr).toContain('unknown option --nmae');
    expect(unknownFlag.stderr).toContain('sheen create --help');
    expect(unknownFlag.stderr).not.toContain('positional argument');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('missing version');

    const [doctor, doctorText, doctorWrongKey, healthy] = await Promise.all([
      sheen(['doctor', '--json'], { ...env, SHEEN_URL: down }),
      sheen(['doctor'], { ...env, SHEEN_URL: down }),
      sheen(['doctor', '--json'], { ...env, SHEEN_SECRET: 'not-the-key' }),
      sheen(['doctor'], env),
    ]);
    expect(doctor.code).toBe(1);
    const checks = json<Array<{ check: string; status: string; fix: string }>>(doctor);
    expect(checks.map((c) => c.check)).toEqual([
      'worker',
      'key',
      'claude-cli',
      'bubblewrap',
      'chromium',
      'postgresql',
      'redis',
    ]);
    expect(checks[0]).toMatchObject({ status: 'fail', fix: expect.stringContaining('npm start') });
    const lines = doctorText.stdout.trim().split('\n');
    expect(lines).toHaveLength(7);
    expect(lines[0]).toMatch(/^fail\s+worker\s+.*fix: Start the worker with `npm start`/);
    expect(doctorWrongKey.code).toBe(1);
    const key = json<Array<{ check: string; status: string; fix: string }>>(doctorWrongKey)[1];
    expect(key).toMatchObject({ check: 'key', status: 'fail' });
    expect(key?.fix).toContain('SHEEN_SECRET');
    expect(healthy.code).toBe(0);
    expect(healthy.stdout).toMatch(/^ok\s+worker/m);
    expect(healthy.stdout).toMatch(/^ok\s+key/m);
    expect(healthy.stdout).toMatch(/^ok\s+postgresql\s+not configured/m);
  }, 30_000);

  it('prints help for sheen and for every command', async () => {
    const main = await sheen(['--help'], {});
    expect(main.code).toBe(0);
    expect(main.stdout).toMatch(/Exit codes:\n\s+0\s+ok/);
    const names = [...main.stdout.matchAll(/^ {2}([a-z]+) {2,}/gm)].map((m) => m[1] ?? '');
    const commands = names.slice(0, names.indexOf('doctor') + 1);
    expect(commands).toEqual(
      expect.arrayContaining(['create', 'update', 'logs', 'cancel', 'open', 'domains', 'doctor']),
    );
    const helps = await Promise.all(commands.map((c) => sheen([c, '--help'], {})));
    helps.forEach((h, i) => {
      expect(h.code, commands[i]).toBe(0);
      expect(h.stdout, commands[i]).toContain(`Usage: sheen ${commands[i]}`);
      expect(h.stdout, commands[i]).toContain('Exit codes:');
    });
    const unknown = await sheen(['deploy'], {});
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown command "deploy"');
  }, 30_000);
});
