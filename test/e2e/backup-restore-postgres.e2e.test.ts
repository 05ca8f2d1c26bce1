import { execFile } from 'node:child_process';
import { chmod, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { ulid } from 'ulid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WorkerClient } from '../../src/cli/client.js';
import { createAndFollow, getWithHost } from '../support/builds.js';
import { startServer, type ServerProcess } from '../support/server-process.js';
import { PG_URL, servicesUp } from '../support/services.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const USER = 'pg-backup-user';
const SECRETS = {
  HMAC_SECRETS: 'pg-backup-app-secret-0123456789abcdef0123456789',
  ADMIN_HMAC_SECRETS: 'pg-backup-admin-secret-0123456789abcdef012345',
};

function npm(args: string[], env: Record<string, string>) {
  return new Promise<{ code: number; output: string }>((resolve) => {
    execFile(
      'npm',
      ['run', ...args],
      { cwd: ROOT, env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env } },
      (err, stdout, stderr) =>
        resolve({
          code: err ? (typeof err.code === 'number' ? err.code : 1) : 0,
          output: stdout + stderr,
        }),
    );
  });
}

/** Databases of their own on the shared server (pg_dump dumps a whole database). */
async function admin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: PG_URL });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

function databaseUrl(name: string): string {
  const url = new URL(PG_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

describe.skipIf(!servicesUp)('backup and restore on PostgreSQL', () => {
  const name = `sheen_bk_${ulid().toLowerCase()}`;
  const source = databaseUrl(name);
  let root: string;
  let server: ServerProcess | undefined;

  beforeAll(async () => {
    await admin((c) => c.query(`CREATE DATABASE ${name}`));
    root = await mkdtemp(path.join(tmpdir(), 'sheen-pg-backup-'));
    await chmod(root, 0o711);
  });
  afterAll(async () => {
    await server?.stop('SIGKILL');
    await admin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    if (root) await rm(root, { recursive: true, force: true });
  });

  it('dumps with pg_dump, restores into the emptied database, and serves the same', async () => {
    const dataDir = path.join(root, 'data');
    const backupDir = path.join(root, 'backup');
    const env = { ...SECRETS, DATA_DIR: dataDir, DATABASE_URL: source };
    server = await startServer(env);
    const client = new WorkerClient({ baseUrl: server.baseUrl, secret: SECRETS.HMAC_SECRETS });
    const built = await createAndFollow(client, {
      userId: USER,
      prompt: 'A landing page for "Harbour Lights Cinema" in Leith',
    });
    expect(built.status).toBe('succeeded');
    const published = await client.json<{ productionUrl: string }>(
      'POST',
      `/projects/${built.projectId}/publish/${built.versionId}`,
      { userId: USER },
    );
    const host = new URL(published.productionUrl).hostname;
    const before = await getWithHost(server.baseUrl, host, '/');
    expect(before.body).toContain('Harbour Lights Cinema');

    const backup = await npm(['backup', '--', backupDir], env);
    expect(backup.output).toContain('backup written to');
    expect(backup.code).toBe(0);
    // The password never reaches the output; with trust auth there is none, so check the shape.
    expect(backup.output).not.toMatch(/PGPASSWORD=/);
    const manifest = JSON.parse(await readFile(path.join(backupDir, 'manifest.json'), 'utf8'));
    expect(manifest).toMatchObject({ profile: 'postgres', database: { file: 'database.pgdump' } });
    expect(manifest.artifacts.count).toBeGreaterThanOrEqual(2);

    await server.stop('SIGTERM');
    server = undefined;
    // The data is destroyed: the database dropped and made again empty, the artifacts deleted.
    await admin(async (c) => {
      await c.query(`DROP DATABASE ${name} WITH (FORCE)`);
      await c.query(`CREATE DATABASE ${name}`);
    });
    await rm(dataDir, { recursive: true, force: true });
    const restoredEnv = env;
    const restore = await npm(['restore', '--', backupDir], restoredEnv);
    expect(restore.output).toContain('restore complete');
    expect(restore.code).toBe(0);
    const again = await npm(['restore', '--', backupDir], restoredEnv);
    expect(again.code).toBe(1);
    expect(again.output).toContain('already holds a schema');

    server = await startServer(restoredEnv);
    const restored = new WorkerClient({ baseUrl: server.baseUrl, secret: SECRETS.HMAC_SECRETS });
    const { versions } = await restored.json<{ versions: Array<Record<string, unknown>> }>(
      'GET',
      `/v1/projects/${built.projectId}/versions?userId=${USER}`,
    );
    expect(versions).toHaveLength(1);
    expect(versions[0]).toMatchObject({
      versionId: built.versionId,
      status: 'ready',
      isPublished: true,
    });
    const preview = await fetch(`${server.baseUrl}/preview/${built.buildId}/`);
    expect(preview.status).toBe(200);
    expect(await preview.text()).toContain('Harbour Lights Cinema');
    const site = await getWithHost(server.baseUrl, host, '/');
    expect(site.status).toBe(200);
    expect(site.body).toBe(before.body);
  }, 150_000);
});
