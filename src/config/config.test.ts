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
});
