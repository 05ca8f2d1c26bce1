import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditTree, failsAt } from '../../src/supply/audit.js';
import { NpmRegistry } from '../../src/supply/npm-registry.js';
import { RegistryUnavailable } from '../../src/supply/package-registry.js';
import { daysAgo, FakeRegistry } from '../support/fake-registry.js';

describe('the vulnerability audit against the bulk advisory endpoint', () => {
  const registry = new FakeRegistry();
  let client: NpmRegistry;

  beforeAll(async () => {
    await registry.start();
    await registry.publish({
      name: 'tmpl-engine',
      versions: { '1.0.0': {}, '1.0.1': {}, '1.1.0': {}, '2.0.0-rc.1': {}, '2.0.0': {} },
      created: daysAgo(1000),
    });
    registry.advise('tmpl-engine', [
      {
        id: 1101,
        url: 'https://github.com/advisories/GHSA-aaaa-bbbb-cccc',
        title: 'Prototype pollution in tmpl-engine',
        severity: 'critical',
        vulnerable_versions: '<1.0.1',
      },
      {
        id: 1102,
        url: 'https://github.com/advisories/GHSA-dddd-eeee-ffff',
        title: 'ReDoS in tmpl-engine',
        severity: 'moderate',
        vulnerable_versions: '<1.1.0',
      },
    ]);
    client = new NpmRegistry({
      registry: registry.registryUrl,
      downloadsUrl: registry.downloadsUrl,
      timeoutMs: 2000,
    });
  });
  afterAll(() => registry.close());

  it('reports advisories covering installed versions, with the first version that fixes all', async () => {
    const before = registry.requests.length;
    const report = await auditTree(
      { 'tmpl-engine': ['1.0.0', '1.1.0'], 'safe-pkg': ['3.0.0'] },
      client,
      (name) => client.packument(name),
    );
    const bulk = registry.requests.slice(before).find((r) => r.method === 'POST');
    expect(bulk).toMatchObject({
      path: '/-/npm/v1/security/advisories/bulk',
      body: { 'tmpl-engine': ['1.0.0', '1.1.0'], 'safe-pkg': ['3.0.0'] },
    });
    expect(report.worst).toBe('critical');
    expect(report.counts).toMatchObject({ critical: 1, moderate: 1, high: 0 });
    expect(report.findings).toEqual([
      expect.objectContaining({
        name: 'tmpl-engine',
        version: '1.0.0',
        id: '1101',
        severity: 'critical',
        fixVersion: '1.1.0',
      }),
      expect.objectContaining({ id: '1102', severity: 'moderate', fixVersion: '1.1.0' }),
    ]);
  });

  it('fails a build only at or above AUDIT_FAIL_LEVEL', () => {
    expect(failsAt('none', 'critical')).toBe(false);
    expect(failsAt('critical', 'critical')).toBe(true);
    expect(failsAt('critical', 'high')).toBe(false);
    expect(failsAt('high', 'high')).toBe(true);
    expect(failsAt('high', 'critical')).toBe(true);
    expect(failsAt('high', 'moderate')).toBe(false);
    expect(failsAt('high', undefined)).toBe(false);
  });

  it('an advisory service that is down or hangs is RegistryUnavailable, in time', async () => {
    for (const mode of ['advisories-down', 'hang'] as const) {
      registry.mode = mode;
      const quick = new NpmRegistry({
        registry: registry.registryUrl,
        downloadsUrl: registry.downloadsUrl,
        timeoutMs: 300,
      });
      const started = Date.now();
      await expect(
        auditTree({ 'tmpl-engine': ['1.0.0'] }, quick, (n) => quick.packument(n)),
      ).rejects.toBeInstanceOf(RegistryUnavailable);
      expect(Date.now() - started).toBeLessThan(5000);
    }
    registry.mode = 'normal';
  });
});
