import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { buildToEnd, startTestApp, type TestApp } from '../support/harness.js';
import { ScriptedEngine } from '../support/scripted-engine.js';

const SECRET_ENV = 'sk-' + 'ant-hostile-test-0123456789abcdef';

async function runBuild(t: TestApp) {
  const build = await buildToEnd(t, { userId: 'hostile', prompt: 'anything' });
  return { ...build, events: JSON.stringify(build.events) };
}

const pkg = (scripts: Record<string, string>, deps: Record<string, string> = {}) =>
  JSON.stringify({ name: 'hostile', private: true, version: '1.0.0', scripts, dependencies: deps });

describe('a hostile generated project', () => {
  let t: TestApp | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
    delete process.env.SHEEN_HOSTILE_SECRET;
  });

  const start = async (files: Record<string, string>, env: Record<string, string> = {}) => {
    process.env.SHEEN_HOSTILE_SECRET = SECRET_ENV;
    t = await startTestApp({
      engine: new ScriptedEngine(files),
      workers: true,
      env: { BUILD_TIMEOUT_MS: '5000', ...env },
    });
    return t;
  };

  it('cannot run dependency install scripts or read secrets, ~/.ssh or /proc/1/environ', async () => {
    const marker = path.join(tmpdir(), `sheen-postinstall-${Date.now()}`);
    const app = await start({
      'package.json': pkg({ build: 'node build.mjs' }, { 'evil-dep': 'file:./evil-dep' }),
      'evil-dep/package.json': JSON.stringify({
        name: 'evil-dep',
        version: '1.0.0',
        scripts: {
          postinstall: `node -e "require('fs').writeFileSync('${marker}', 'ran'); require('fs').writeFileSync('postinstall-ran', 'x')"`,
        },
      }),
      'build.mjs': `
        import fs from 'node:fs';
        const seen = [JSON.stringify(process.env)];
        for (const f of ['/proc/1/environ', '/root/.ssh/id_rsa', '/root/.ssh/known_hosts']) {
          try { seen.push(fs.readFileSync(f, 'utf8')); } catch (e) { seen.push(f + ' ' + e.code); }
        }
        console.log(seen.join('\\n'));
        fs.mkdirSync('dist', { recursive: true });
        fs.writeFileSync('dist/index.html', '<h1>ok</h1>');
      `,
    });
    const result = await runBuild(app);
    expect(result.status).toBe('succeeded');
    expect(existsSync(marker)).toBe(false);
    expect(result.events).not.toContain(SECRET_ENV);
    expect(result.events).not.toContain('test-secret-0123456789abcdef');
    expect(result.events).toContain('/root/.ssh/id_rsa');
  });

  it('is stopped when it hangs, and the worker goes on serving', async () => {
    const app = await start({
      'package.json': pkg({ build: 'node hang.mjs' }),
      'hang.mjs': 'for (;;) {}',
    });
    const started = Date.now();
    const result = await runBuild(app);
    expect(result.status).toBe('failed');
    expect(result.error?.code).toBe('BUILD_TIMEOUT');
    expect(Date.now() - started).toBeLessThan(30_000);
    const live = await app.app.inject({ method: 'GET', url: '/myhealthz' });
    expect(live.statusCode).toBe(200);
  });

  it('is stopped when it floods output', async () => {
    const app = await start(
      {
        'package.json': pkg({ build: 'node flood.mjs' }),
        'flood.mjs':
          'import fs from "node:fs"; const s = "y".repeat(65536); for (;;) fs.writeSync(1, s);',
      },
      { SANDBOX_MAX_OUTPUT_BYTES: '1048576' },
    );
    const result = await runBuild(app);
    expect(result.status).toBe('failed');
    expect(result.error?.code).toBe('SANDBOX_OUTPUT_LIMIT');
  });

  it('cannot make the build escape its workspace through its output', async () => {
    const app = await start({
      'package.json': pkg({ build: 'node out.mjs' }),
      'out.mjs': `
        import fs from 'node:fs';
        fs.mkdirSync('dist', { recursive: true });
        fs.writeFileSync('dist/index.html', '<h1>ok</h1>');
        fs.symlinkSync('/etc/passwd', 'dist/passwd.txt');
        try { fs.writeFileSync('../escaped.txt', 'x'); } catch {}
      `,
    });
    const result = await runBuild(app);
    expect(result.status).toBe('succeeded');
    const buildId = JSON.parse(result.events)[0] ? undefined : undefined;
    void buildId;
    expect(existsSync(path.join(app.container.config.dataDir, 'workspaces', 'escaped.txt'))).toBe(
      false,
    );
  });
});
