import { appendFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SupplySettings } from '../../src/config/supply-config.js';
import { createSupplyChecks } from '../../src/supply/supply-checks.js';
import { daysAgo, FakeRegistry } from '../support/fake-registry.js';
import {
  buildToEnd,
  signedInject,
  startTestApp,
  waitForBuild,
  type TestApp,
} from '../support/harness.js';
import { ScriptedEngine } from '../support/scripted-engine.js';

/**
 * Registry verification, the audit and known conflicts in real builds: the worker installs
 * with npm from a fake registry on 127.0.0.1 that speaks npm's JSON, and a scripted engine
 * that counts the repairs it is asked for.
 */

/** A project whose build prints what each dependency's module exports. */
const project = (deps: Record<string, string>, devDeps: Record<string, string> = {}) => ({
  'package.json': JSON.stringify({
    name: 'supply-test',
    version: '1.0.0',
    private: true,
    scripts: { build: 'node build.mjs' },
    dependencies: deps,
    devDependencies: devDeps,
  }),
  'build.mjs': [
    `import fs from 'node:fs';`,
    `import { createRequire } from 'node:module';`,
    `const require = createRequire(import.meta.url);`,
    `const names = ${JSON.stringify(Object.keys(deps))};`,
    `fs.mkdirSync('dist', { recursive: true });`,
    `fs.writeFileSync('dist/index.html', names.map((n) => require(n)).join(' '));`,
  ].join('\n'),
});

type Event = { type: string; message: string; data: Record<string, unknown> };

describe('supply-chain checks in the pipeline', () => {
  const registry = new FakeRegistry();
  let t: TestApp;
  let settings: SupplySettings;

  beforeAll(async () => {
    await registry.start();
    const old = daysAgo(1500);
    await registry.publish({ name: 'lodash', versions: { '4.17.21': {} }, created: old });
    await registry.publish({
      name: 'lodahs',
      versions: { '4.17.21': {} },
      created: daysAgo(30),
      downloads: 4000,
    });
    await registry.publish({
      name: 'fresh-widget',
      versions: { '0.1.0': {} },
      created: daysAgo(1),
      downloads: 900,
    });
    await registry.publish({
      name: 'tmpl-engine',
      versions: { '1.0.0': {}, '1.0.1': {}, '1.1.0': {} },
      created: old,
      downloads: 80_000,
    });
    registry.advise('tmpl-engine', [
      {
        id: 1101,
        url: 'https://github.com/advisories/GHSA-aaaa-bbbb-cccc',
        title: 'Prototype pollution in tmpl-engine',
        severity: 'critical',
        vulnerable_versions: '<1.0.1',
      },
    ]);
    await registry.publish({ name: 'react', versions: { '19.0.0': {} }, created: old });
    await registry.publish({
      name: 'react-test-renderer',
      versions: {
        '18.3.1': { peerDependencies: { react: '^18.3.1' } },
        '19.0.0': { peerDependencies: { react: '^19.0.0' } },
      },
      created: old,
    });
    t = await startTestApp({
      workers: true,
      env: {
        NPM_REGISTRY: registry.registryUrl,
        NPM_DOWNLOADS_URL: registry.downloadsUrl,
        DEPENDENCY_POLICY: 'refuse',
        AUDIT_FAIL_LEVEL: 'critical',
        REGISTRY_TIMEOUT_MS: '5000',
      },
      coldInstalls: true,
    });
    settings = t.container.config.supply;
  }, 60_000);
  afterAll(async () => {
    await t?.close();
    await registry.close();
  });

  /** Runs one build with this project and these supply settings. */
  async function build(engine: ScriptedEngine, overrides: Partial<SupplySettings> = {}) {
    t.container.pipeline.engine = engine;
    t.container.pipeline.supply = createSupplyChecks(
      { ...settings, ...overrides },
      registry.registryUrl,
    );
    const ended = await buildToEnd(t, { userId: 'supply', prompt: 'an app' });
    const events = ended.events as Event[];
    const ofType = (type: string) => events.filter((e) => e.type === type);
    return Object.assign(ended, { ofType });
  }

  it('reads its settings from the environment', () => {
    expect(settings).toMatchObject({
      policy: 'refuse',
      auditFailLevel: 'critical',
      downloadsUrl: registry.downloadsUrl,
      minAgeDays: 7,
      minWeeklyDownloads: 50,
    });
  });

  it('refuses a missing package before any install, naming it and why', async () => {
    const engine = new ScriptedEngine(project({ 'no-such-pkg-anywhere': '^1.0.0' }));
    const result = await build(engine);
    expect(result.status).toBe('failed');
    expect(result.error).toMatchObject({
      code: 'DEPENDENCY_NOT_FOUND',
      message: expect.stringContaining('no-such-pkg-anywhere does not exist'),
    });
    expect(result.ofType('dependency.refused')[0]?.data).toMatchObject({
      name: 'no-such-pkg-anywhere',
      verdict: 'refuse',
      reasons: [{ code: 'missing' }],
    });
    expect(result.ofType('install.attempt')).toEqual([]);
    // The fix loop asked the engine for another package; it had none.
    expect(engine.fixCalls).toBe(1);
  }, 120_000);

  it('swaps a typo of a popular package for the real one without the engine', async () => {
    const files = project({ lodahs: '^4.17.0' });
    // The source imports the misspelt name too: the swap rewrites it.
    files['build.mjs'] = [
      `import fs from 'node:fs';`,
      `import value from 'lodahs';`,
      `fs.mkdirSync('dist', { recursive: true });`,
      `fs.writeFileSync('dist/index.html', value);`,
    ].join('\n');
    const engine = new ScriptedEngine(files);
    const result = await build(engine);
    expect(result.error).toBeNull();
    expect(result.status).toBe('succeeded');
    expect(engine.fixCalls).toBe(0);
    expect(result.ofType('dependency.refused')[0]?.data).toMatchObject({
      name: 'lodahs',
      reasons: [{ code: 'near-popular', suggestion: 'lodash' }],
    });
    expect(result.ofType('fix.applied')[0]?.message).toContain('lodahs → lodash');
    const page = await t.app.inject({ method: 'GET', url: `/preview/${result.buildId}/` });
    expect(page.body).toBe('lodash@4.17.21');
  }, 120_000);

  it('refuses a day-old package under refuse, and only warns under warn', async () => {
    const refused = await build(new ScriptedEngine(project({ 'fresh-widget': '^0.1.0' })));
    expect(refused.status).toBe('failed');
    expect(refused.error.code).toBe('DEPENDENCY_REFUSED');
    expect(refused.ofType('dependency.refused')[0]?.data).toMatchObject({
      name: 'fresh-widget',
      reasons: [{ code: 'young' }],
    });

    const warned = await build(new ScriptedEngine(project({ 'fresh-widget': '^0.1.0' })), {
      policy: 'warn',
    });
    expect(warned.status).toBe('succeeded');
    expect(warned.ofType('dependency.warning')[0]?.data).toMatchObject({
      name: 'fresh-widget',
      verdict: 'warn',
    });
  }, 240_000);

  it('fails the build on a critical advisory at AUDIT_FAIL_LEVEL=critical', async () => {
    const result = await build(new ScriptedEngine(project({ 'tmpl-engine': '1.0.0' })));
    expect(result.status).toBe('failed');
    expect(result.error).toMatchObject({
      code: 'DEPENDENCY_VULNERABLE',
      hint: expect.stringContaining('Upgrade tmpl-engine to 1.0.1'),
    });
    expect(result.ofType('audit.done')[0]?.data).toMatchObject({
      lockfile: 'package-lock.json',
      worst: 'critical',
    });
  }, 120_000);

  it('only warns about it at AUDIT_FAIL_LEVEL=none, and recommends the fix version', async () => {
    const result = await build(new ScriptedEngine(project({ 'tmpl-engine': '1.0.0' })), {
      auditFailLevel: 'none',
    });
    expect(result.status).toBe('succeeded');
    expect(result.ofType('audit.done')[0]).toMatchObject({
      message: expect.stringContaining('1 critical'),
      data: { findings: [expect.objectContaining({ name: 'tmpl-engine', fixVersion: '1.0.1' })] },
    });
    const item = result.recommendations.find(
      (r: { kind: string }) => r.kind === 'build.vulnerable-dependency',
    );
    expect(item).toMatchObject({
      severity: 'high',
      evidence: { name: 'tmpl-engine', version: '1.0.0', fixVersion: '1.0.1' },
      action: expect.stringContaining('tmpl-engine to 1.0.1'),
    });
  }, 120_000);

  it('never links a cached tree changed between builds, though the next build walks it early', async () => {
    const engine = () => new ScriptedEngine(project({ lodash: '4.17.21' }));
    const first = await build(engine());
    expect(first.status).toBe('succeeded');
    const reuse = await build(engine());
    const cached = reuse.ofType('install.done')[0]?.data as { reused: boolean; cacheKey: string };
    expect(cached.reused).toBe(true);
    // The tree this build linked is the one the next build's walk starts on as it starts.
    const tree = path.join(t.container.config.dataDir, 'cache', 'deps', cached.cacheKey);
    await appendFile(path.join(tree, 'node_modules', 'lodash', 'index.js'), '\n// changed');
    const after = await build(engine());
    expect(after.status).toBe('succeeded');
    expect(after.ofType('install.done')[0]?.data).toMatchObject({ reused: false });
    const names = await readdir(path.join(t.container.config.dataDir, 'cache', 'deps'));
    expect(names.some((n) => n.startsWith(`${cached.cacheKey}.rejected-`))).toBe(true);
  }, 180_000);

  it('an advisory service that is down is a warning, and the build goes on', async () => {
    registry.mode = 'advisories-down';
    try {
      const result = await build(new ScriptedEngine(project({ 'tmpl-engine': '1.0.0' })));
      expect(result.status).toBe('succeeded');
      expect(result.ofType('audit.unavailable')[0]?.message).toContain('503');
    } finally {
      registry.mode = 'normal';
    }
  }, 120_000);

  it('a registry that hangs fails the build with its own code, within the deadline', async () => {
    registry.mode = 'hang';
    try {
      const started = Date.now();
      const result = await build(new ScriptedEngine(project({ 'left-over-pkg': '^1.0.0' })), {
        timeoutMs: 500,
      });
      expect(result.status).toBe('failed');
      expect(result.error.code).toBe('DEPENDENCY_REGISTRY_UNREACHABLE');
      expect(Date.now() - started).toBeLessThan(60_000);
    } finally {
      registry.mode = 'normal';
    }
  }, 120_000);

  it('an update checks only the dependencies it adds or changes', async () => {
    const engine = new ScriptedEngine(project({ lodash: '4.17.21' }));
    const first = await build(engine);
    expect(first.status).toBe('succeeded');
    expect(first.ofType('dependency.verified')[0]?.data.checked).toEqual([
      { name: 'lodash', spec: '4.17.21', version: '4.17.21', verdict: 'ok' },
    ]);
    engine.files = project({ lodash: '4.17.21', 'tmpl-engine': '^1.1.0' });
    const res = await signedInject(t.app, {
      method: 'POST',
      url: `/v1/projects/${first.projectId}/update`,
      body: { userId: 'supply', prompt: 'add templates' },
    });
    expect(res.statusCode).toBe(202);
    const second = await waitForBuild(t, res.json().buildId);
    expect(second.status).toBe('succeeded');
    const verified = second.events.filter((e) => e.type === 'dependency.verified');
    expect(verified.map((e) => e.data.checked)).toEqual([
      [{ name: 'tmpl-engine', spec: '^1.1.0', version: '1.1.0', verdict: 'ok' }],
    ]);
  }, 240_000);

  it('fixes a known conflict before install, with no engine call', async () => {
    const engine = new ScriptedEngine(
      project({ react: '19.0.0' }, { 'react-test-renderer': '^18.3.1' }),
    );
    const result = await build(engine);
    expect(result.error).toBeNull();
    expect(result.status).toBe('succeeded');
    expect(engine.fixCalls).toBe(0);
    expect(result.ofType('dependency.conflict-fixed')[0]?.data).toMatchObject({
      id: 'react-test-renderer-react-19',
      from: '^18.3.1',
      to: ['react-test-renderer@^19.0.0'],
    });
  }, 120_000);
});
