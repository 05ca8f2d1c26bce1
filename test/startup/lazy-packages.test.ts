import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ulid } from 'ulid';
import { afterAll, describe, expect, it } from 'vitest';
import { closedPort } from '../support/closed-port.js';
import { pgliteTemplate } from '../support/pglite-template.js';
import { freshPostgresSchema, REDIS_URL, servicesUp } from '../support/services.js';

/**
 * The SDKs that take long to import are loaded only by a process whose config uses them: the
 * embedded profile (PGlite, no Redis, offline engine, disk artifacts, local deploys) builds
 * its container and app without evaluating any of them, and the profiles that choose them
 * do load them (which shows the check can see them). Each case is a fresh `node` process
 * (test/support/startup-imports.ts), since this one has loaded much already.
 */
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SCRIPT = path.join(ROOT, 'test', 'support', 'startup-imports.ts');

const SDKS = ['@anthropic-ai/sdk', 'openai', '@aws-sdk/client-s3', 'cloudflare'];
const QUEUE_PACKAGES = ['bullmq', 'ioredis', '@bull-board/api', '@bull-board/fastify'];

const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

/** The node_modules packages a fresh process loads to build the container and app. */
async function packagesLoaded(env: Record<string, string>): Promise<string[]> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'sheen-test-'));
  dirs.push(dataDir);
  const template = env.DATABASE_URL ? undefined : await pgliteTemplate();
  const child = spawn(process.execPath, ['--import', 'tsx', SCRIPT], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      NODE_ENV: 'test',
      DATA_DIR: dataDir,
      HMAC_SECRETS: 'test-secret-0123456789abcdef0123456789abcdef',
      ADMIN_HMAC_SECRETS: 'admin-secret-0123456789abcdef0123456789abcd',
      ...(template ? { STARTUP_PGLITE_TEMPLATE: template } : {}),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  expect(code, err).toBe(0);
  const line = out.trim().split('\n').pop() ?? '';
  return (JSON.parse(line) as { packages: string[] }).packages;
}

describe('packages loaded at start-up', () => {
  it('the embedded profile loads none of the heavy SDKs', { timeout: 120_000 }, async () => {
    const loaded = await packagesLoaded({ AI_PROVIDER: 'offline' });
    // The check sees what it should: the packages every profile needs are there.
    expect(loaded).toEqual(expect.arrayContaining(['fastify', '@electric-sql/pglite']));
    expect(loaded.filter((p) => [...SDKS, ...QUEUE_PACKAGES].includes(p))).toEqual([]);
  });

  it('API engines, S3 and Cloudflare Pages load their SDKs', { timeout: 120_000 }, async () => {
    const unused = `http://127.0.0.1:${await closedPort()}`;
    const loaded = await packagesLoaded({
      AI_PROVIDER: 'anthropic',
      AI_FALLBACK: 'openai',
      ANTHROPIC_API_KEY: 'sk-ant-test',
      ANTHROPIC_BASE_URL: unused,
      OPENAI_API_KEY: 'sk-test',
      OPENAI_BASE_URL: unused,
      ARTIFACT_STORE: 's3',
      S3_ENDPOINT: unused,
      S3_BUCKET: 'artifacts',
      S3_ACCESS_KEY_ID: 'key',
      S3_SECRET_ACCESS_KEY: 'secret',
      DEPLOYER: 'cloudflare-pages',
      CF_ACCOUNT_ID: 'account',
      CF_API_TOKEN: 'token',
      CF_API_BASE_URL: unused,
    });
    expect(loaded).toEqual(expect.arrayContaining(SDKS));
    expect(loaded.filter((p) => QUEUE_PACKAGES.includes(p))).toEqual([]);
  });

  it.skipIf(!servicesUp)(
    'PostgreSQL with Redis loads BullMQ, ioredis and Bull Board',
    { timeout: 120_000 },
    async () => {
      const pg = await freshPostgresSchema();
      try {
        const loaded = await packagesLoaded({
          DATABASE_URL: pg.url,
          REDIS_URL,
          REDIS_KEY_PREFIX: `t-${ulid()}`,
          AI_PROVIDER: 'offline',
        });
        expect(loaded).toEqual(expect.arrayContaining(QUEUE_PACKAGES));
        expect(loaded.filter((p) => SDKS.includes(p))).toEqual([]);
      } finally {
        await pg.drop();
      }
    },
  );
});
