import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, secretValues } from './config.js';

const SECRET = 'x'.repeat(40);

function problems(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  return [];
}

describe('loadConfig', () => {
  it('runs with no environment at all: embedded profile, offline engine, port 8080', () => {
    const config = loadConfig({});
    expect(config.http.port).toBe(8080);
    expect(config.database.kind).toBe('pglite');
    expect(config.redis).toBeUndefined();
    expect(config.ai.provider).toBe('offline');
    expect(config.auth.allowV1).toBe(false);
    expect(config.auth.toleranceSeconds).toBe(300);
    expect(config.dataDir).toMatch(/\.sheen$/);
  });

  it('switches to PostgreSQL and Redis when their URLs are set', () => {
    const config = loadConfig({
      DATABASE_URL: 'postgres://u:p@db:5432/app',
      REDIS_URL: 'redis://cache:6379',
    });
    expect(config.database).toMatchObject({ kind: 'postgres', url: 'postgres://u:p@db:5432/app' });
    expect(config.redis).toMatchObject({ url: 'redis://cache:6379', keyPrefix: 'sheen' });
  });

  it('parses secret lists for rotation', () => {
    const config = loadConfig({ HMAC_SECRETS: ` ${SECRET}a , ${SECRET}b ` });
    expect(config.auth.secrets).toEqual([`${SECRET}a`, `${SECRET}b`]);
  });

  it('takes an empty CA file variable (as a copied .env leaves it) as unset', () => {
    const config = loadConfig({ NPM_CAFILE: '', NODE_EXTRA_CA_CERTS: ' ' });
    expect(config.pipeline.npmCaFile).toBeUndefined();
    expect(loadConfig({ NPM_CAFILE: '/etc/ca.pem' }).pipeline.npmCaFile).toBe('/etc/ca.pem');
  });

  it('names the variable when a value is bad', () => {
    expect(problems({ PORT: 'eighty' })[0]).toMatch(/^PORT: /);
    expect(problems({ DATABASE_URL: 'mysql://x' })[0]).toMatch(/^DATABASE_URL: /);
    expect(problems({ AI_PROVIDER: 'gpt' })[0]).toMatch(/^AI_PROVIDER: /);
    expect(problems({ HMAC_ALLOW_V1: 'maybe' })[0]).toMatch(/^HMAC_ALLOW_V1: /);
    expect(problems({ HMAC_SECRETS: 'short' })[0]).toMatch(/^HMAC_SECRETS: .*32/);
  });

  it('requires the chosen engine key', () => {
    expect(problems({ AI_PROVIDER: 'anthropic' })).toEqual([
      'ANTHROPIC_API_KEY: is required when AI_PROVIDER=anthropic',
    ]);
    expect(problems({ AI_PROVIDER: 'anthropic', ANTHROPIC_API_KEY: 'k' })).toEqual([]);
    expect(problems({ AI_PROVIDER: 'openai' })[0]).toMatch(/^OPENAI_API_KEY: /);
    expect(
      problems({ AI_PROVIDER: 'openai', OPENAI_BASE_URL: 'http://127.0.0.1:11434/v1' }),
    ).toEqual([]);
  });

  it('requires the keys of fallback engines too, and drops the primary from the chain', () => {
    expect(problems({ AI_FALLBACK: 'anthropic' })[0]).toMatch(/^ANTHROPIC_API_KEY: /);
    expect(problems({ AI_FALLBACK: 'gemini' })[0]).toMatch(/^AI_FALLBACK/);
    const config = loadConfig({
      AI_FALLBACK: 'offline, openai',
      OPENAI_BASE_URL: 'http://127.0.0.1:11434/v1',
    });
    expect(config.ai.fallback).toEqual(['openai']);
  });

  it('splits roles only over a shared database', () => {
    expect(problems({ ROLE: 'api' })[0]).toMatch(/^ROLE: .*DATABASE_URL/);
    expect(problems({ ROLE: 'worker', DATABASE_URL: 'postgres://db/app' })).toEqual([]);
  });

  it('requires real secrets in production and forbids sharing one with admin', () => {
    const prod = problems({ NODE_ENV: 'production' });
    expect(prod.some((p) => p.startsWith('HMAC_SECRETS:'))).toBe(true);
    expect(prod.some((p) => p.startsWith('ADMIN_HMAC_SECRETS:'))).toBe(true);
    expect(problems({ HMAC_SECRETS: SECRET, ADMIN_HMAC_SECRETS: SECRET })[0]).toMatch(
      /^ADMIN_HMAC_SECRETS: /,
    );
  });

  it('runs builds at nice 10 unless told, and only at a level nice takes', () => {
    expect(loadConfig({}).sandbox.nice).toBe(10);
    expect(loadConfig({ SANDBOX_NICE: '0' }).sandbox.nice).toBe(0);
    expect(problems({ SANDBOX_NICE: '20' })[0]).toMatch(/^SANDBOX_NICE: /);
    expect(problems({ SANDBOX_NICE: '-5' })[0]).toMatch(/^SANDBOX_NICE: /);
  });

  it("bounds each build's disk, /tmp and largest file, and names a bad disk limit", () => {
    const MB = 1024 * 1024;
    expect(loadConfig({}).sandbox.limits).toMatchObject({
      diskBytes: 1024 * MB,
      tmpBytes: 256 * MB,
      maxFileBytes: 200 * MB,
    });
    const small = loadConfig({ BUILD_DISK_LIMIT_MB: '64', SANDBOX_TMP_MB: '32' }).sandbox.limits;
    expect(small).toMatchObject({ diskBytes: 64 * MB, tmpBytes: 32 * MB, maxFileBytes: 64 * MB });
    expect(problems({ BUILD_DISK_LIMIT_MB: 'lots' })[0]).toMatch(/^BUILD_DISK_LIMIT_MB: /);
    expect(problems({ SANDBOX_TMP_MB: '1' })[0]).toMatch(/^SANDBOX_TMP_MB: /);
    expect(problems({ BUILD_DISK_LIMIT_MB: '32' })).toEqual([
      expect.stringMatching(/^BUILD_DISK_LIMIT_MB: must hold at least the generated sources/),
    ]);
  });

  it('verifies custom domains through the system resolvers by default, pointed at the preview suffix', () => {
    expect(loadConfig({}).domains).toEqual({
      dnsServers: undefined,
      dnsTimeoutMs: 3000,
      cnameTarget: 'localhost',
      reservedSuffixes: ['localhost'],
    });
    const suffixOnly = loadConfig({ PREVIEW_HOST_SUFFIX: 'preview.sheen.app' }).domains;
    expect(suffixOnly.cnameTarget).toBe('preview.sheen.app');
  });

  it('takes the CNAME target from PUBLIC_URL, unless that is an address or it is set', () => {
    const env = {
      PREVIEW_HOST_SUFFIX: 'preview.sheen.app',
      PUBLIC_URL: 'https://Edge.Sheen.App:8443/',
    };
    expect(loadConfig(env).domains).toMatchObject({
      cnameTarget: 'edge.sheen.app',
      reservedSuffixes: ['preview.sheen.app', 'edge.sheen.app'],
    });
    for (const url of ['http://127.0.0.1:8080', 'http://[::1]:8080']) {
      expect(loadConfig({ ...env, PUBLIC_URL: url }).domains.cnameTarget).toBe('preview.sheen.app');
    }
    const set = loadConfig({ ...env, DOMAIN_CNAME_TARGET: 'Apps.Sheen.Host.' }).domains;
    expect(set.cnameTarget).toBe('apps.sheen.host');
    expect(set.reservedSuffixes).toEqual(['preview.sheen.app', 'apps.sheen.host']);
  });

  it('parses DNS servers as addresses with optional ports, and names a bad one', () => {
    const config = loadConfig({
      DNS_SERVERS: ' 127.0.0.1:5353 , [::1]:5353,10.0.0.2,2001:db8::53 ',
      DNS_TIMEOUT_MS: '500',
    });
    expect(config.domains.dnsServers).toEqual([
      '127.0.0.1:5353',
      '[::1]:5353',
      '10.0.0.2',
      '2001:db8::53',
    ]);
    expect(config.domains.dnsTimeoutMs).toBe(500);
    expect(loadConfig({ DNS_SERVERS: ' , ' }).domains.dnsServers).toBeUndefined();
    for (const bad of [
      'dns.google',
      '127.0.0.1:0',
      '127.0.0.1:70000',
      '[::1]',
      '1.2.3.4:53:53',
      'udp://1.1.1.1',
    ]) {
      expect(problems({ DNS_SERVERS: `1.1.1.1,${bad}` })).toEqual([
        'DNS_SERVERS: must be IP addresses with optional ports, comma-separated: 10.0.0.2:53,[::1]:5353',
      ]);
    }
    expect(problems({ DNS_TIMEOUT_MS: '10' })).toEqual([
      'DNS_TIMEOUT_MS: must be a whole number from 100 to 60000',
    ]);
  });

  it('refuses a CNAME target that is not a host name', () => {
    for (const bad of [
      'https://edge.sheen.app',
      'edge.sheen.app:443',
      '203.0.113.7',
      '-edge.app',
      'a..b',
      'edge_1.app',
    ]) {
      expect(problems({ DOMAIN_CNAME_TARGET: bad })).toEqual([
        'DOMAIN_CNAME_TARGET: must be a host name like edge.example.com (no scheme, port or path)',
      ]);
    }
  });

  it('deploys locally by default; Cloudflare Pages needs an account and a token, which is redacted', () => {
    expect(loadConfig({}).deploy).toEqual({ kind: 'local' });
    expect(problems({ DEPLOYER: 'cloudflare-pages' })).toEqual([
      'CF_ACCOUNT_ID: is required when DEPLOYER=cloudflare-pages',
      'CF_API_TOKEN: is required when DEPLOYER=cloudflare-pages',
    ]);
    expect(problems({ DEPLOYER: 'vercel' })[0]).toMatch(/^DEPLOYER: /);
    const env = {
      DEPLOYER: 'cloudflare-pages',
      CF_ACCOUNT_ID: 'acc1',
      CF_API_TOKEN: 'cf-token-123456',
    };
    const config = loadConfig({ ...env, CF_API_BASE_URL: 'http://127.0.0.1:9999/client/v4/' });
    expect(config.deploy).toEqual({
      kind: 'cloudflare-pages',
      accountId: 'acc1',
      apiToken: 'cf-token-123456',
      apiBaseUrl: 'http://127.0.0.1:9999/client/v4',
      projectPrefix: 'sheen',
    });
    expect(secretValues(config)).toContain('cf-token-123456');
    expect(problems({ ...env, CF_PAGES_PROJECT_PREFIX: 'Bad_Prefix' })[0]).toMatch(
      /^CF_PAGES_PROJECT_PREFIX: /,
    );
    expect(problems({ ...env, CF_API_BASE_URL: 'ftp://x' })[0]).toMatch(/^CF_API_BASE_URL: /);
  });

  it('sets the bundle budget in KiB and where the page check finds chromium', () => {
    expect(loadConfig({}).recommendations).toEqual({
      bundleBudgetBytes: 500 * 1024,
      chromiumPath: '/usr/bin/chromium',
    });
    expect(
      loadConfig({ RECOMMEND_BUNDLE_BUDGET_KB: '250', CHROMIUM_PATH: '/opt/chrome' })
        .recommendations,
    ).toEqual({ bundleBudgetBytes: 250 * 1024, chromiumPath: '/opt/chrome' });
    expect(problems({ RECOMMEND_BUNDLE_BUDGET_KB: '0' })[0]).toMatch(
      /^RECOMMEND_BUNDLE_BUDGET_KB: /,
    );
  });

  it('lists every secret value for redaction, including URL passwords', () => {
    const config = loadConfig({
      HMAC_SECRETS: SECRET,
      DATABASE_URL: 'postgres://app:pg-pass-123@db/app',
      AI_PROVIDER: 'anthropic',
      ANTHROPIC_API_KEY: 'sk-ant-test-key',
    });
    expect(secretValues(config)).toEqual(
      expect.arrayContaining([SECRET, 'pg-pass-123', 'sk-ant-test-key']),
    );
  });

  it('keeps artifacts on disk by default, 30 days, cleaned every 6 hours', () => {
    const { artifacts } = loadConfig({});
    expect(artifacts).toEqual({
      store: { kind: 'fs' },
      retentionDays: 30,
      cleanupIntervalMs: 21_600_000,
    });
  });

  it('takes an S3 store with every setting it needs, names each one missing, and redacts the keys', () => {
    const s3 = {
      ARTIFACT_STORE: 's3',
      S3_ENDPOINT: 'https://acct.r2.cloudflarestorage.com',
      S3_BUCKET: 'sheen-artifacts',
      S3_ACCESS_KEY_ID: 'key-id-1234',
      S3_SECRET_ACCESS_KEY: 'secret-key-5678',
    };
    const config = loadConfig(s3);
    expect(config.artifacts.store).toEqual({
      kind: 's3',
      endpoint: s3.S3_ENDPOINT,
      bucket: s3.S3_BUCKET,
      region: 'auto',
      accessKeyId: s3.S3_ACCESS_KEY_ID,
      secretAccessKey: s3.S3_SECRET_ACCESS_KEY,
    });
    expect(secretValues(config)).toEqual(
      expect.arrayContaining(['key-id-1234', 'secret-key-5678']),
    );
    expect(problems({ ARTIFACT_STORE: 's3' })).toEqual([
      'S3_ENDPOINT: is required when ARTIFACT_STORE=s3',
      'S3_BUCKET: is required when ARTIFACT_STORE=s3',
      'S3_ACCESS_KEY_ID: is required when ARTIFACT_STORE=s3',
      'S3_SECRET_ACCESS_KEY: is required when ARTIFACT_STORE=s3',
    ]);
    expect(problems({ ...s3, S3_SECRET_ACCESS_KEY: ' ' })).toEqual([
      'S3_SECRET_ACCESS_KEY: is required when ARTIFACT_STORE=s3',
    ]);
    expect(problems({ ...s3, S3_ENDPOINT: 'ftp://x' })[0]).toMatch(/^S3_ENDPOINT: must be a URL/);
    expect(problems({ ARTIFACT_STORE: 'r2' })[0]).toMatch(/^ARTIFACT_STORE: /);
  });

  it('bounds artifact retention to 1-120 days', () => {
    expect(loadConfig({ ARTIFACT_RETENTION_DAYS: '120' }).artifacts.retentionDays).toBe(120);
    for (const bad of ['0', '121', '7.5'])
      expect(problems({ ARTIFACT_RETENTION_DAYS: bad })).toEqual([
        'ARTIFACT_RETENTION_DAYS: must be a whole number from 1 to 120',
      ]);
  });
});
