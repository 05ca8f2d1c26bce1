import { mkdir, mkdtemp, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { treeKey, type TreeOrigin } from './dependency-cache.js';
import {
  DependencySourceRefused,
  pinLockfileToRegistry,
  readInstallInput,
  writeInstallInput,
  specKind,
} from './install-input.js';

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

describe('the manifest a manager sees', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });

  async function prepare(pkg: Record<string, unknown>, files: Record<string, string> = {}) {
    const workspace = await mkdtemp(path.join(tmpdir(), 'sheen-input-'));
    dirs.push(workspace);
    for (const [name, text] of Object.entries(files)) {
      await mkdir(path.dirname(path.join(workspace, name)), { recursive: true });
      await writeFile(path.join(workspace, name), text);
    }
    const input = await readInstallInput(workspace, 'npm', pkg, path.join(workspace, '.in'), REG);
    await writeInstallInput(workspace, pkg, input);
    return input;
  }

  it('keeps dependency lists and overrides, and reports every setting it leaves out', async () => {
    const input = await prepare(
      {
        name: 'app',
        version: '1.2.3',
        packageManager: 'npm@11.0.0',
        scripts: { postinstall: 'node evil.js', build: 'vite build' },
        dependencies: { a: '^1.0.0' },
        overrides: { b: '2.0.0', a: '$a' },
        workspaces: ['packages/*'],
      },
      { '.npmrc': 'registry=http://127.0.0.1/', '.pnpmfile.cjs': 'x', '.yarn/plugins/x.cjs': 'x' },
    );
    expect(JSON.parse(input.manifest)).toEqual({
      name: 'app',
      version: '1.2.3',
      private: true,
      dependencies: { a: '^1.0.0' },
      overrides: { b: '2.0.0', a: '$a' },
    });
    expect(input.ignored.map((i) => i.file)).toEqual(
      expect.arrayContaining([
        '.npmrc',
        '.pnpmfile.cjs',
        '.yarn',
        'package.json#packageManager',
        'package.json#workspaces',
        'package.json#scripts.postinstall',
      ]),
    );
    expect(await readdir(input.dir)).toEqual(['package.json']);
  });

  it('never reads a lockfile through a symlink the build step may have left', async () => {
    const secretDir = await mkdtemp(path.join(tmpdir(), 'sheen-secret-'));
    dirs.push(secretDir);
    const secret = path.join(secretDir, 'hmac.key');
    await writeFile(secret, 'worker-secret-value');
    const workspace = await mkdtemp(path.join(tmpdir(), 'sheen-input-'));
    dirs.push(workspace);
    await symlink(secret, path.join(workspace, 'package-lock.json'));
    const pkg = { dependencies: { a: '1.0.0' } };
    const input = await readInstallInput(workspace, 'npm', pkg, path.join(workspace, '.in'), REG);
    await writeInstallInput(workspace, pkg, input);
    expect(input.lockfile).toBeUndefined();
    expect(await readdir(input.dir)).toEqual(['package.json']);
  });

  it('refuses overrides from outside the registry', async () => {
    await expect(
      prepare({ dependencies: { a: '1' }, overrides: { a: 'https://example.test/a.tgz' } }),
    ).rejects.toThrow(DependencySourceRefused);
  });

  it('copies a local package inside the project and refuses one outside it', async () => {
    const input = await prepare(
      { dependencies: { lib: 'file:./lib' } },
      { 'lib/package.json': '{"name":"lib","version":"1.0.0"}', 'lib/index.js': 'x' },
    );
    expect(input.cacheable).toBe(false);
    expect(await readdir(path.join(input.dir, 'lib'))).toEqual(['index.js', 'package.json']);
    await expect(prepare({ dependencies: { lib: 'file:../../etc' } })).rejects.toThrow(
      DependencySourceRefused,
    );
  });
});
