import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DependencyVerifier, type VerifierSettings } from '../../src/supply/dependency-verifier.js';
import { NpmRegistry } from '../../src/supply/npm-registry.js';
import { RegistryUnavailable } from '../../src/supply/package-registry.js';
import { daysAgo, FakeRegistry } from '../support/fake-registry.js';

/**
 * The dependency policy against a registry speaking npm's JSON on 127.0.0.1: an established
 * package, a missing one, a day-old one and a one-letter typo of a popular one.
 */
describe('registry verification of dependencies', () => {
  const registry = new FakeRegistry();

  beforeAll(async () => {
    await registry.start();
    await registry.publish({
      name: 'left-pad-plus',
      versions: { '1.0.0': {}, '1.2.0': {}, '2.0.0-beta.1': {} },
      latest: '1.2.0',
      created: daysAgo(900),
      downloads: 250_000,
    });
    await registry.publish({
      name: 'fresh-widget',
      versions: { '0.1.0': {} },
      created: daysAgo(1),
      downloads: 10_000,
    });
    await registry.publish({
      name: 'lodahs',
      versions: { '4.17.21': {} },
      created: daysAgo(400),
      downloads: 5_000,
    });
    await registry.publish({
      name: 'quiet-helper',
      versions: { '3.0.0': {} },
      created: daysAgo(2000),
      downloads: 3,
    });
    await registry.publish({
      name: 'no-stats',
      versions: { '1.0.0': {} },
      created: daysAgo(2000),
    });
    await registry.publish({
      name: '@acme/ui-kit',
      versions: { '2.1.0': {} },
      created: daysAgo(300),
      downloads: 90_000,
    });
  });
  afterAll(() => registry.close());

  const verifier = (policy: 'warn' | 'refuse', overrides: Partial<VerifierSettings> = {}) =>
    new DependencyVerifier(
      new NpmRegistry({
        registry: registry.registryUrl,
        downloadsUrl: registry.downloadsUrl,
        timeoutMs: 2000,
      }),
      { policy, minAgeDays: 7, minWeeklyDownloads: 50, cacheTtlMs: 60_000, ...overrides },
    );

  const one = async (v: DependencyVerifier, name: string, spec: string) => {
    const [decision] = await v.verify([{ name, spec }]);
    return decision;
  };

  it('lets an established package through, resolved to the version npm would pick', async () => {
    const v = verifier('refuse');
    expect(await one(v, 'left-pad-plus', '^1.0.0')).toMatchObject({
      verdict: 'ok',
      version: '1.2.0',
      reasons: [],
      weeklyDownloads: 250_000,
    });
    expect((await one(v, 'left-pad-plus', '1.0.0'))?.version).toBe('1.0.0');
    expect((await one(v, '@acme/ui-kit', 'latest'))?.verdict).toBe('ok');
  });

  it('refuses a missing package under either policy', async () => {
    for (const policy of ['warn', 'refuse'] as const) {
      expect(await one(verifier(policy), 'no-such-package-anywhere', '^1.0.0')).toMatchObject({
        verdict: 'refuse',
        reasons: [{ code: 'missing' }],
      });
    }
  });

  it('refuses a range no published version satisfies', async () => {
    expect(await one(verifier('warn'), 'left-pad-plus', '^3.0.0')).toMatchObject({
      verdict: 'refuse',
      reasons: [{ code: 'no-matching-version' }],
    });
  });

  it('warns about a day-old package, and refuses it when the policy says refuse', async () => {
    expect(await one(verifier('warn'), 'fresh-widget', '^0.1.0')).toMatchObject({
      verdict: 'warn',
      reasons: [{ code: 'young', message: expect.stringContaining('published 1 day ago') }],
    });
    expect((await one(verifier('refuse'), 'fresh-widget', '^0.1.0'))?.verdict).toBe('refuse');
    expect(
      (await one(verifier('refuse', { minAgeDays: 0 }), 'fresh-widget', '0.1.0'))?.verdict,
    ).toBe('ok');
  });

  it('flags a one-letter typo of a popular package and names the package meant', async () => {
    expect(await one(verifier('warn'), 'lodahs', '^4.17.0')).toMatchObject({
      verdict: 'warn',
      reasons: [{ code: 'near-popular', suggestion: 'lodash' }],
    });
    expect(await one(verifier('refuse'), 'lodahs', '^4.17.0')).toMatchObject({
      verdict: 'refuse',
      reasons: [{ code: 'near-popular', suggestion: 'lodash' }],
    });
  });

  it('flags very low weekly downloads, and treats missing download data as unknown', async () => {
    expect(await one(verifier('warn'), 'quiet-helper', '3.0.0')).toMatchObject({
      verdict: 'warn',
      reasons: [{ code: 'low-downloads' }],
    });
    expect(await one(verifier('refuse'), 'no-stats', '1.0.0')).toMatchObject({
      verdict: 'ok',
      weeklyDownloads: undefined,
    });
    // A downloads service that cannot be reached at all is no reason either.
    const offline = new DependencyVerifier(
      new NpmRegistry({
        registry: registry.registryUrl,
        downloadsUrl: 'http://127.0.0.1:1/',
        timeoutMs: 2000,
      }),
      { policy: 'refuse', minAgeDays: 7, minWeeklyDownloads: 50, cacheTtlMs: 0 },
    );
    expect((await one(offline, 'quiet-helper', '3.0.0'))?.verdict).toBe('ok');
  });

  it('asks the registry once per package while the cache is fresh', async () => {
    const v = verifier('warn');
    const before = registry.requests.length;
    await v.verify([{ name: 'left-pad-plus', spec: '^1.0.0' }]);
    await v.verify([
      { name: 'left-pad-plus', spec: '^1.0.0' },
      { name: 'left-pad-plus', spec: '1.0.0' },
    ]);
    const asked = registry.requests.slice(before).map((r) => r.path);
    expect(asked).toEqual(['/left-pad-plus', '/downloads/point/last-week/left-pad-plus']);
  });

  it('sends the credentials of a registry URL as Basic auth, never in the URL', async () => {
    const url = new URL(registry.registryUrl);
    url.username = 'ci';
    url.password = 's3cret/token';
    const v = new DependencyVerifier(
      new NpmRegistry({ registry: url.href, downloadsUrl: registry.downloadsUrl, timeoutMs: 2000 }),
      { policy: 'warn', minAgeDays: 7, minWeeklyDownloads: 50, cacheTtlMs: 0 },
    );
    const before = registry.requests.length;
    expect((await one(v, 'left-pad-plus', '^1.0.0'))?.verdict).toBe('ok');
    const packument = registry.requests.slice(before).find((r) => r.path === '/left-pad-plus');
    expect(packument?.authorization).toBe(
      `Basic ${Buffer.from('ci:s3cret/token').toString('base64')}`,
    );
  });

  it('says the registry is unreachable within the deadline instead of hanging', async () => {
    registry.mode = 'hang';
    try {
      const started = Date.now();
      await expect(
        new DependencyVerifier(
          new NpmRegistry({
            registry: registry.registryUrl,
            downloadsUrl: registry.downloadsUrl,
            timeoutMs: 300,
          }),
          { policy: 'warn', minAgeDays: 7, minWeeklyDownloads: 50, cacheTtlMs: 0 },
        ).verify([{ name: 'left-pad-plus', spec: '^1.0.0' }]),
      ).rejects.toBeInstanceOf(RegistryUnavailable);
      expect(Date.now() - started).toBeLessThan(5000);
    } finally {
      registry.mode = 'normal';
    }
  });
});
