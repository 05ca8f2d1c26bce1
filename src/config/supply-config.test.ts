import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

describe('dependency check settings', () => {
  it('default to warnings, no audit failures and the public downloads API', () => {
    expect(loadConfig({}).supply).toEqual({
      policy: 'warn',
      minAgeDays: 7,
      minWeeklyDownloads: 50,
      downloadsUrl: 'https://api.npmjs.org/downloads/point/last-week/',
      timeoutMs: 10_000,
      cacheTtlMs: 3_600_000,
      auditFailLevel: 'none',
    });
  });

  it('are read from the environment', () => {
    const supply = loadConfig({
      DEPENDENCY_POLICY: 'refuse',
      DEPENDENCY_MIN_AGE_DAYS: '30',
      DEPENDENCY_MIN_WEEKLY_DOWNLOADS: '1000',
      NPM_DOWNLOADS_URL: 'http://127.0.0.1:4873/downloads',
      REGISTRY_TIMEOUT_MS: '2500',
      DEPENDENCY_CACHE_TTL_SECONDS: '0',
      AUDIT_FAIL_LEVEL: 'high',
    }).supply;
    expect(supply).toEqual({
      policy: 'refuse',
      minAgeDays: 30,
      minWeeklyDownloads: 1000,
      downloadsUrl: 'http://127.0.0.1:4873/downloads/',
      timeoutMs: 2500,
      cacheTtlMs: 0,
      auditFailLevel: 'high',
    });
  });

  it.each([
    ['DEPENDENCY_POLICY', 'block'],
    ['AUDIT_FAIL_LEVEL', 'moderate'],
    ['REGISTRY_TIMEOUT_MS', '0'],
    ['NPM_DOWNLOADS_URL', 'ftp://downloads'],
  ])('refuse %s=%s, naming the variable', (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [name]: value })).toThrow(name);
  });
});
