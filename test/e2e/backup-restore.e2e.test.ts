import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { chmod, mkdtemp, readFile, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WorkerClient } from '../../src/cli/client.js';
import { loadMigrations } from '../../src/db/migrate.js';
import { createAndFollow, getWithHost, type BuildResult } from '../support/builds.js';
import { startServer, type ServerProcess } from '../support/server-process.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const USER = 'backup-user';

const RUNBOOK = readFileSync(path.join(ROOT, 'docs/runbooks/restore-from-backup.md'), 'utf8');

/**
 * A command of the runbook's embedded section, exactly as written there, with the backup
 * directory for "$BACKUP_DIR": CI runs what the runbook tells an operator to type.
 */
function runbook(prefix: string, backupDir: string): string[] {
  const section = RUNBOOK.slice(
    RUNBOOK.indexOf('## Embedded profile'),
    RUNBOOK.indexOf('## Production profile'),
  );
  const line = section
    .split('\n')
    .map((l) => l.trim())
    .find((l) => l.startsWith(prefix));
  if (!line) throw new Error(`the runbook has no command starting with ${prefix}`);
  return line.split(/\s+/).map((word) => (word === '"$BACKUP_DIR"' ? backupDir : word));
}

function run(
  command: string[],
  env: Record<string, string>,
): Promise<{ code: number; output: string }> {
  const [bin, ...args] = command;
  return new Promise((resolve) => {
    execFile(
      bin ?? 'npm',
      args,
      { cwd: ROOT, env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env } },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
        resolve({ code, output: stdout + stderr });
      },
    );
  });
}

interface Version {
  versionId: string;
  number: number;
  status: string;
  buildId: string;
  artifact: { sha256: string } | null;
  isPublished: boolean;
}

async function follow(client: WorkerClient, eventsUrl: string): Promise<void> {
  for await (const { data } of client.events(eventsUrl)) {
    if (data.type === 'build.finished') return;
  }
}

describe('backup and restore of an embedded worker', () => {
  let root: string;
  let dataDir: string;
  let backupDir: string;
  let server: ServerProcess | undefined;
  let secret: string;
  let first: BuildResult;
  let before: { versions: Version[]; previews: Map<string, string>; site: string; host: string };
  const env = (): Record<string, string> => ({ DATA_DIR: dataDir });

  beforeAll(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'sheen-backup-'));
    // The sandbox user must pass through to DATA_DIR (mkdtemp makes 0700).
    await chmod(root, 0o711);
    dataDir = path.join(root, 'data');
    backupDir = path.join(root, 'backups', 'nightly');
    server = await startServer(env());
    secret = (await readFile(path.join(dataDir, 'secrets', 'hmac.key'), 'utf8')).trim();
    const client = new WorkerClient({ baseUrl: server.baseUrl, secret });
    first = await createAndFollow(client, {
      userId: USER,
      prompt: 'A landing page for "Quince Tea House" in Porto, with a menu section',
    });
    expect(first.status).toBe('succeeded');
    const update = await client.json<{ eventsUrl: string }>(
      'POST',
      `/v1/projects/${first.projectId}/update`,
      { userId: USER, prompt: 'Change the tagline to "Steeped slowly since 1962"' },
    );
    await follow(client, update.eventsUrl);
    await client.json('POST', `/projects/${first.projectId}/publish/${first.versionId}`, {
      userId: USER,
    });
    before = await snapshot(server, client, first.projectId);
  }, 180_000);

  afterAll(async () => {
    await server?.stop('SIGKILL');
    if (root) await rm(root, { recursive: true, force: true });
  });

  // Three npm-started tools, a build and two server starts: minutes on a loaded CI machine.
  it('backs up while a build runs, restores onto an empty DATA_DIR, and serves the same', async () => {
    const live = server as ServerProcess;
    const port = new URL(live.baseUrl).port;
    const client = new WorkerClient({ baseUrl: live.baseUrl, secret });
    // A third version is building while the backup runs.
    const running = await client.json<{ eventsUrl: string }>(
      'POST',
      `/v1/projects/${first.projectId}/update`,
      { userId: USER, prompt: 'Add a testimonials section' },
    );
    const backup = await run(runbook('npm run backup', backupDir), { ...env(), PORT: port });
    expect(backup.output).toContain('backup written to');
    expect(backup.code).toBe(0);
    await follow(client, running.eventsUrl);
    const manifest = JSON.parse(await readFile(path.join(backupDir, 'manifest.json'), 'utf8'));
    const level = Math.max(...(await loadMigrations()).map((m) => m.version));
    expect(manifest).toMatchObject({ profile: 'embedded', formatVersion: 1, schemaVersion: level });
    expect(manifest.artifacts.count).toBeGreaterThanOrEqual(4); // 2 outputs + 2 source snapshots
    expect(manifest.secrets.included).toBe(true);

    await live.stop('SIGTERM');
    server = undefined;
    // The runbook's `mv "$DATA_DIR" "$DATA_DIR.damaged"`, then the data is gone for good.
    await rename(dataDir, `${dataDir}.damaged`);
    await rm(`${dataDir}.damaged`, { recursive: true, force: true });

    const restore = await run(runbook('npm run restore', backupDir), env());
    expect(restore.output).toContain('restore complete');
    expect(restore.code).toBe(0);
    server = await startServer(env());
    const health = await run(runbook('npm run admin', backupDir), {
      ...env(),
      PORT: new URL(server.baseUrl).port,
    });
    expect(health.output).toContain('"status": "ok"');
    const restored = await snapshot(
      server,
      new WorkerClient({ baseUrl: server.baseUrl, secret }),
      first.projectId,
    );
    const byId = new Map(restored.versions.map((v) => [v.versionId, v]));
    for (const v of before.versions) expect(byId.get(v.versionId)).toEqual(v);
    expect(restored.previews).toEqual(before.previews);
    expect(restored.host).toBe(before.host);
    expect(restored.site).toBe(before.site);
    expect(restored.site).toContain('Quince Tea House');
    // The build the backup caught running resumes here; the checks below need no server.
    await server.stop('SIGKILL');
    server = undefined;
  }, 240_000);

  it('refuses a target that holds data unless forced', async () => {
    const again = await run(['npm', 'run', 'restore', '--', backupDir], env());
    expect(again.code).toBe(1);
    expect(again.output).toContain('already holds a database');
  });

  it('leaves the signing keys to the operator unless asked', async () => {
    const elsewhere = path.join(root, 'other');
    const result = await run(['npm', 'run', 'restore', '--', backupDir], { DATA_DIR: elsewhere });
    expect(result.code).toBe(0);
    expect(result.output).toContain('secrets: not restored');
    expect(await readdir(elsewhere)).not.toContain('secrets');
    expect(result.output).not.toContain(secret);
  });

  it('refuses a damaged backup and changes nothing', async () => {
    const manifest = JSON.parse(await readFile(path.join(backupDir, 'manifest.json'), 'utf8'));
    const victim = path.join(backupDir, manifest.artifacts.items[0].file as string);
    const bytes = await readFile(victim);
    bytes.writeUInt8((bytes.at(-1) ?? 0) ^ 0xff, bytes.length - 1);
    await writeFile(victim, bytes);
    const target = path.join(root, 'damaged');
    const result = await run(['npm', 'run', 'restore', '--', backupDir], { DATA_DIR: target });
    expect(result.code).toBe(1);
    expect(result.output).toContain('checksum mismatch');
    expect(await stat(target).catch(() => undefined)).toBeUndefined();
  });
});

/** What a client sees of a project: its versions, every ready preview and production. */
async function snapshot(server: ServerProcess, client: WorkerClient, projectId: string) {
  const { versions } = await client.json<{ versions: Version[] }>(
    'GET',
    `/v1/projects/${projectId}/versions?userId=${USER}`,
  );
  const previews = new Map<string, string>();
  for (const v of versions.filter((x) => x.status === 'ready').slice(-2)) {
    const page = await fetch(`${server.baseUrl}/preview/${v.buildId}/`);
    expect(page.status).toBe(200);
    previews.set(v.buildId, await page.text());
  }
  const status = await client.json<{ productionUrl: string }>(
    'GET',
    `/projects/${projectId}/publication-status?userId=${USER}`,
  );
  const host = new URL(status.productionUrl).hostname;
  const site = await getWithHost(server.baseUrl, host, '/');
  expect(site.status).toBe(200);
  // The two versions made before the backup, as a client sees them (the build that ran during
  // the backup may finish after, and move which version is current).
  const kept = versions.slice(-2).map((v): Version => ({
    versionId: v.versionId,
    number: v.number,
    status: v.status,
    buildId: v.buildId,
    artifact: v.artifact,
    isPublished: v.isPublished,
  }));
  return { versions: kept, previews, site: site.body, host };
}
