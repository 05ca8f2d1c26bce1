import { afterEach, describe, expect, it } from 'vitest';
import { buildToEnd, startTestApp, type TestApp } from '../support/harness.js';
import { ScriptedEngine } from '../support/scripted-engine.js';

/** Real installs from the registry with each package manager, and the fallback chain. */
describe('dependency installs', () => {
  let t: TestApp | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  const site = (extra: Record<string, unknown>) => ({
    'package.json': JSON.stringify({
      name: 'pm-test',
      version: '1.0.0',
      private: true,
      scripts: { build: 'node build.mjs' },
      dependencies: { 'is-number': '7.0.0' },
      ...extra,
    }),
    'build.mjs': `
      import fs from 'node:fs';
      import { createRequire } from 'node:module';
      const isNumber = createRequire(import.meta.url)('is-number');
      fs.mkdirSync('dist', { recursive: true });
      fs.writeFileSync('dist/index.html', '<p>' + isNumber(42) + '</p>');
    `,
  });

  async function build(files: Record<string, string>) {
    t = await startTestApp({
      engine: new ScriptedEngine(files),
      workers: true,
      coldInstalls: true,
    });
    const ended = await buildToEnd(t, { userId: 'pm', prompt: 'install test' });
    const installs = ended.events.filter(
      (e) => e.type === 'install.attempt' || e.type === 'install.done',
    );
    return { status: ended.status, installs };
  }

  it.each([
    ['npm', {}],
    ['yarn', { packageManager: 'yarn@1.22.22' }],
    ['pnpm', { packageManager: 'pnpm@10.34.9' }],
  ])(
    'installs with %s when detected',
    async (manager, extra) => {
      const result = await build(site(extra));
      expect(result.status).toBe('succeeded');
      expect(result.installs[0]?.data).toMatchObject({ manager });
      expect(result.installs.at(-1)).toMatchObject({
        type: 'install.done',
        data: { manager, reused: false },
      });
    },
    120_000,
  );

  it('falls back to the next package manager when one fails', async () => {
    const files = { ...site({}), 'pnpm-lock.yaml': 'this: is: not: a lockfile\n' };
    const result = await build(files);
    expect(result.status).toBe('succeeded');
    const attempts = result.installs
      .filter((r) => r.type === 'install.attempt')
      .map((r) => r.data.manager);
    expect(attempts[0]).toBe('pnpm');
    expect(attempts.length).toBeGreaterThan(1);
    expect(result.installs.at(-1)?.data.manager).not.toBe('pnpm');
  }, 180_000);
});
