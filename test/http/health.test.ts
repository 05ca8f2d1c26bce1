import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ScriptedEngine } from '../support/scripted-engine.js';
import { openMigratedPglite } from '../support/pglite-template.js';
import {
  ADMIN_SECRET,
  latestSchemaVersion,
  signedInject,
  startTestApp,
  type TestApp,
} from '../support/harness.js';

describe('health and documentation routes', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ env: { CLAUDE_BIN: 'sheen-no-such-claude-binary' } });
  });
  afterAll(() => t.close());

  it('serves liveness without a signature and reveals nothing', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/myhealthz' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok' });
  });

  it('requires the admin secret for system health', async () => {
    const unsigned = await t.app.inject({ method: 'GET', url: '/v1/admin/system-health' });
    expect(unsigned.statusCode).toBe(401);
    const userSigned = await signedInject(t.app, { method: 'GET', url: '/v1/admin/system-health' });
    expect(userSigned.statusCode).toBe(401);

    const res = await signedInject(t.app, {
      method: 'GET',
      url: '/v1/admin/system-health',
      secret: ADMIN_SECRET,
    });
    expect(res.statusCode).toBe(200);
    const report = res.json();
    expect(report).toMatchObject({ status: 'ok', version: expect.any(String), role: 'all' });
    const names = report.checks.map((c: { name: string }) => c.name);
    expect(names).toEqual(['database', 'disk', 'engine', 'queue']);
    expect(report.checks[0]).toMatchObject({
      status: 'ok',
      detail: { kind: 'pglite', schemaVersion: await latestSchemaVersion() },
    });
    expect(report.checks[1].detail.freeBytes).toBeGreaterThan(0);
    expect(report.checks[2]).toMatchObject({ status: 'ok', detail: { provider: 'offline' } });
  });

  it('reports a missing Claude CLI as down, signed', async () => {
    const unsigned = await t.app.inject({ method: 'GET', url: '/claude-executor/health' });
    expect(unsigned.statusCode).toBe(401);
    const res = await signedInject(t.app, { method: 'GET', url: '/claude-executor/health' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      status: 'down',
      bin: 'sheen-no-such-claude-binary',
      path: null,
      version: null,
      message: expect.stringContaining('not found'),
    });
  });

  it('publishes OpenAPI 3 and the docs UI', async () => {
    const spec = await t.app.inject({ method: 'GET', url: '/openapi.json' });
    expect(spec.statusCode).toBe(200);
    const doc = spec.json();
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/myhealthz', '/v1/admin/system-health', '/claude-executor/health']),
    );
    const docs = await t.app.inject({ method: 'GET', url: '/docs' });
    expect([200, 302]).toContain(docs.statusCode);
    const page = await t.app.inject({ method: 'GET', url: '/docs/' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/text\/html/);
  });

  it('has no debug endpoints', async () => {
    for (const url of [
      '/debug',
      '/debug/cloudflare-env',
      '/debug/env',
      '/env',
      '/config',
      '/.env',
    ]) {
      const res = await t.app.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(404);
    }
  });
});

describe('Claude CLI probe', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'sheen-cli-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('runs the configured binary with argv only and a scrubbed environment', async () => {
    const bin = path.join(dir, 'claude');
    // Fails if it can see a worker secret in its environment; prints its version otherwise.
    await writeFile(
      bin,
      `#!/bin/sh\n[ -n "$SHEEN_TEST_LEAK$HMAC_SECRETS" ] && exit 3\necho "9.9.9 (Claude Code)"\n`,
    );
    await chmod(bin, 0o755);
    process.env.SHEEN_TEST_LEAK = 'sk-ant-should-not-leak';
    process.env.HMAC_SECRETS = 'should-not-leak-either';
    const t = await startTestApp({
      engine: new ScriptedEngine({}),
      env: { CLAUDE_BIN: bin, AI_PROVIDER: 'claude-cli' },
    });
    try {
      const res = await signedInject(t.app, { method: 'GET', url: '/claude-executor/health' });
      // It ran in the sandbox, from the path builds use (a copy under DATA_DIR when the
      // sandbox user cannot reach the 0700 temp directory the script is in).
      expect(res.json()).toMatchObject({
        status: 'ok',
        version: '9.9.9 (Claude Code)',
        provider: 'claude-cli',
        path: process.getuid?.() === 0 ? expect.stringContaining('/tools/claude/') : bin,
      });
      const health = await signedInject(t.app, {
        method: 'GET',
        url: '/v1/admin/system-health',
        secret: ADMIN_SECRET,
      });
      const engine = health.json().checks.find((c: { name: string }) => c.name === 'engine');
      expect(engine).toMatchObject({
        status: 'ok',
        detail: { provider: 'claude-cli', version: '9.9.9 (Claude Code)' },
      });
    } finally {
      delete process.env.SHEEN_TEST_LEAK;
      delete process.env.HMAC_SECRETS;
      await t.close();
    }
  });
});

describe('ROLE=worker', () => {
  it('serves health and admin routes but no client API', async () => {
    // Split roles need a shared database; an embedded one of its own stands in for it here.
    const db = await openMigratedPglite();
    const t = await startTestApp({
      env: { ROLE: 'worker', DATABASE_URL: 'postgres://db.invalid/x' },
      db,
    });
    try {
      expect((await t.app.inject({ method: 'GET', url: '/myhealthz' })).statusCode).toBe(200);
      const create = await signedInject(t.app, {
        method: 'POST',
        url: '/v1/create-preview-for-new-project',
        body: { userId: 'u', prompt: 'x' },
      });
      expect(create.statusCode).toBe(404);
      const health = await signedInject(t.app, {
        method: 'GET',
        url: '/v1/admin/system-health',
        secret: ADMIN_SECRET,
      });
      expect(health.json().role).toBe('worker');
    } finally {
      await t.close();
      await db.close();
    }
  });
});
