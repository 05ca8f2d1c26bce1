import { describe, expect, it } from 'vitest';
import { treeKey, type TreeOrigin } from './dependency-cache.js';
import { DependencySourceRefused, pinLockfileToRegistry, specKind } from './install-input.js';

const REG = 'https://registry.example.test/npm/';

describe('dependency specifiers', () => {
  it.each([
    ['^1.2.0', 'registry'],
    ['7.0.0', 'registry'],
    ['>=1 <2 || 3.x', 'registry'],
    ['latest', 'registry'],
    ['npm:react@^18.2.0', 'registry'],
    ['npm:@scope/pkg@1.0.0', 'registry'],
    ['file:./local', 'local'],
    ['link:../outside', 'local'],
    ['http://127.0.0.1/evil.tgz', 'remote'],
    ['https://example.test/x.tgz', 'remote'],
    ['git+ssh://git@host/x.git', 'remote'],
    ['github:user/repo', 'remote'],
    ['user/repo', 'remote'],
    ['user/repo#main', 'remote'],
    ['npm:evil@http://127.0.0.1/x.tgz', 'remote'],
    ['workspace:*', 'remote'],
  ])('%s is %s', (spec, kind) => {
    expect(specKind(spec)).toBe(kind);
  });
});

describe('lockfile URLs', () => {
  it('points public registry URLs at the worker registry', () => {
    const yarn = 'a@1:\n  resolved "https://registry.yarnpkg.com/a/-/a-1.tgz#sha"\n';
    expect(pinLockfileToRegistry('yarn.lock', yarn, REG)).toContain(`"${REG}a/-/a-1.tgz#sha"`);
    const npm = JSON.stringify({
      packages: { 'node_modules/a': { resolved: 'https://registry.npmjs.org/a/-/a-1.tgz' } },
    });
    expect(pinLockfileToRegistry('package-lock.json', npm, REG)).toContain(`${REG}a/-/a-1.tgz`);
  });

  it.each([
    ['yarn.lock', 'a@1:\n  resolved "http://169.254.169.254/a.tgz"\n'],
    ['yarn.lock', 'a@1:\n  resolved "git+ssh://git@host/a.git#abc"\n'],
    [
      'package-lock.json',
      JSON.stringify({ packages: { 'node_modules/a': { resolved: 'http://10.0.0.1/a.tgz' } } }),
    ],
    ['pnpm-lock.yaml', 'packages:\n  a@1:\n    resolution: {tarball: http://127.0.0.1:9/a.tgz}\n'],
    ['pnpm-lock.yaml', 'packages:\n  a@1:\n    resolution:\n      tarball: "http://[::1]/a.tgz"\n'],
    ['pnpm-lock.yaml', 'packages:\n  a@1:\n    resolution: {type: git, repo: x, commit: y}\n'],
  ])('refuses other hosts in %s', (name, text) => {
    expect(() => pinLockfileToRegistry(name, text, REG)).toThrow(DependencySourceRefused);
  });
});

describe('cached tree keys', () => {
  const origin: TreeOrigin = {
    manager: 'pnpm',
    managerVersion: '10.0.0',
    registry: REG,
    allowScripts: [],
    manifest: '{"dependencies":{"a":"1"}}',
    lockfile: 'lock',
  };

  it('differ by everything that produced the tree', () => {
    const base = treeKey(origin);
    expect(treeKey({ ...origin })).toBe(base);
    for (const change of [
      { manager: 'yarn' as const },
      { managerVersion: '10.0.1' },
      { registry: 'https://other.test/' },
      { allowScripts: ['esbuild'] },
      { manifest: '{}' },
      { lockfile: 'other' },
    ]) {
      expect(treeKey({ ...origin, ...change })).not.toBe(base);
    }
  });
});
