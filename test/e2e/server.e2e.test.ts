import { chmod, mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signRequest } from '../../src/auth/signing.js';
import { openPglite } from '../../src/db/pglite.js';
import { runServer, startServer, type ServerProcess } from '../support/server-process.js';

describe('first run with no configuration', () => {
  let dataDir: string;
  let server: ServerProcess;

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'sheen-e2e-'));
    server = await startServer({ DATA_DIR: dataDir });
  });
  afterAll(async () => {
    await server?.stop('SIGKILL');
    await rm(dataDir, { recursive: true, force: true });
  });

  it('serves liveness and the docs', async () => {
    const live = await fetch(`${server.baseUrl}/myhealthz`);
    expect(live.status).toBe(200);
    expect(await live.json()).toEqual({ status: 'ok' });
    const docs = await fetch(`${server.baseUrl}/docs/`);
    expect(docs.status).toBe(200);
    expect(await docs.text()).toContain('swagger');
  });

  it('generates private signing secrets, says where, and never prints them', async () => {
    const dir = path.join(dataDir, 'secrets');
    expect((await stat(dir)).mode & 0o777).toBe(0o700);
    for (const file of ['hmac.key', 'admin.key']) {
      const info = await stat(path.join(dir, file));
      expect(info.mode & 0o777).toBe(0o600);
      const secret = (await readFile(path.join(dir, file), 'utf8')).trim();
      expect(secret).toMatch(/^[0-9a-f]{64}$/);
      expect(server.output()).not.toContain(secret);
      expect(server.output()).not.toContain(secret.slice(0, 16));
    }
    expect(server.output()).toContain(path.join(dir, 'hmac.key'));
  });

  it('accepts requests signed with the generated admin key over real HTTP', async () => {
    const secret = (await readFile(path.join(dataDir, 'secrets', 'admin.key'), 'utf8')).trim();
    const url = '/v1/admin/system-health';
    const res = await fetch(`${server.baseUrl}${url}`, {
      headers: signRequest({ secret, method: 'GET', pathWithQuery: url }),
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'ok' });
  });

  it('shuts down gracefully on SIGTERM', async () => {
    const result = await server.stop('SIGTERM');
    expect(result.code).toBe(0);
    expect(server.output()).toContain('shutting down');
  });
});

describe('start-up failures', () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'sheen-e2e-fail-'));
    // Some tests use a DATA_DIR inside it: the sandbox user must pass through (mkdtemp is 0700).
    await chmod(dataDir, 0o711);
  });
  afterAll(() => rm(dataDir, { recursive: true, force: true }));

  it('names the bad variable and exits non-zero', async () => {
    const badPort = runServer({ DATA_DIR: dataDir, PORT: 'eighty' });
    expect((await badPort.exited).code).toBe(78);
    expect(badPort.output()).toContain('PORT: must be a whole number from 0 to 65535');
    const noKey = runServer({ DATA_DIR: dataDir, AI_PROVIDER: 'anthropic' });
    expect((await noKey.exited).code).toBe(78);
    expect(noKey.output()).toContain('ANTHROPIC_API_KEY: is required when AI_PROVIDER=anthropic');
  });

  it('exits non-zero when the database cannot be reached', async () => {
    const run = runServer({
      DATA_DIR: dataDir,
      DATABASE_URL: 'postgres://nobody:pw-xyz@127.0.0.1:1/none',
    });
    const { code } = await run.exited;
    expect(code).toBe(1);
    expect(run.output()).toContain('DATABASE_URL');
    expect(run.output()).not.toContain('pw-xyz');
  });

  it.skipIf(process.getuid?.() !== 0)(
    'refuses a DATA_DIR the sandbox user cannot reach, naming the folder and the fix',
    async () => {
      // A data folder under a 0700 home, as under /root: builds (run as sandbox uids) could
      // not pass through it, and used to fail at install with "Check package.json".
      const home = await mkdtemp(path.join(tmpdir(), 'sheen-e2e-home-'));
      try {
        const run = runServer({ DATA_DIR: path.join(home, 'data') });
        expect((await run.exited).code).toBe(78);
        expect(run.output()).toContain('DATA_DIR: builds run as the sandbox user');
        expect(run.output()).toContain(`${home} is mode 0700`);
        expect(run.output()).toContain(`chmod o+x ${home}`);
      } finally {
        await rm(home, { recursive: true, force: true });
      }
    },
  );

  it('exits non-zero when a migration fails', async () => {
    // A table the first migration creates already exists: the migration cannot apply.
    const dir = path.join(dataDir, 'broken');
    const db = await openPglite(path.join(dir, 'db'));
    await db.exec('CREATE TABLE projects (id int)');
    await db.close();
    const run = runServer({ DATA_DIR: dir });
    const { code } = await run.exited;
    expect(code).toBe(1);
    expect(run.output()).toMatch(/Migration 0001_initial_schema failed/);
  });
});
