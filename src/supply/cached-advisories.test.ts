import { describe, expect, it } from 'vitest';
import { CachedAdvisories, UNAVAILABLE_MS } from './cached-advisories.js';
import { RegistryUnavailable, type PackageRegistry } from './package-registry.js';

function counting(answer: () => Promise<Record<string, never[]>>) {
  const calls: Record<string, string[]>[] = [];
  const registry: PackageRegistry = {
    url: 'http://127.0.0.1:1/',
    packument: async () => undefined,
    weeklyDownloads: async () => undefined,
    advisories: async (installed) => {
      calls.push(installed);
      return answer();
    },
  };
  return { registry, calls };
}

describe('CachedAdvisories', () => {
  it('asks once per tree, whatever the order, until the TTL runs out', async () => {
    let now = 0;
    const { registry, calls } = counting(async () => ({}));
    const cached = new CachedAdvisories(registry, 1000, () => now);
    await cached.advisories({ react: ['19.3.1'], vite: ['8.3.8', '8.3.7'] });
    await cached.advisories({ vite: ['8.3.7', '8.3.8'], react: ['19.3.1'] });
    expect(calls).toHaveLength(1);
    await cached.advisories({ react: ['19.3.2'] });
    expect(calls).toHaveLength(2);
    now = 1001;
    await cached.advisories({ react: ['19.3.1'], vite: ['8.3.8', '8.3.7'] });
    expect(calls).toHaveLength(3);
  });

  it('remembers an unavailable service briefly, then asks again', async () => {
    let now = 0;
    const { registry, calls } = counting(async () => {
      throw new RegistryUnavailable('The advisory service answered 405.');
    });
    const cached = new CachedAdvisories(registry, 3_600_000, () => now);
    await expect(cached.advisories({ a: ['1.0.0'] })).rejects.toThrow('405');
    await expect(cached.advisories({ a: ['1.0.0'] })).rejects.toThrow('405');
    expect(calls).toHaveLength(1);
    now = UNAVAILABLE_MS + 1;
    await expect(cached.advisories({ a: ['1.0.0'] })).rejects.toThrow('405');
    expect(calls).toHaveLength(2);
  });
});
