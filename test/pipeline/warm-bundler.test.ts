import { readdirSync, readlinkSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AiEngine } from '../../src/ai/engine.js';
import { findExecutable } from '../../src/sandbox/create-sandbox.js';
import { buildToEnd, startTestApp, type TestApp } from '../support/harness.js';
import { ScriptedEngine } from '../support/scripted-engine.js';

const hasBwrap = findExecutable('bwrap', process.env.PATH ?? '') !== undefined;

/** A project with no dependencies at all: its install links no shared tree. */
const PLAIN = {
  'package.json': JSON.stringify({
    name: 'plain',
    version: '1.0.0',
    private: true,
    scripts: { build: 'node build.mjs' },
  }),
  'build.mjs': [
    `import fs from 'node:fs';`,
    `fs.mkdirSync('dist', { recursive: true });`,
    `fs.writeFileSync('dist/index.html', '<title>Plain</title><p>plain build</p>');`,
  ].join('\n'),
};

/** Processes (host pids) whose working directory lies under `dir`. */
function processesIn(dir: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readlinkSync(`/proc/${entry}/cwd`).startsWith(dir + path.sep)) pids.push(Number(entry));
    } catch {
      // gone, or not ours to read
    }
  }
  return pids;
}

async function until(done: () => boolean): Promise<void> {
  for (let i = 0; i < 100 && !done(); i++) await new Promise((r) => setTimeout(r, 20));
  expect(done()).toBe(true);
}

describe.runIf(hasBwrap)('a bundler started ahead for the next build', () => {
  let t: TestApp;
  let offline: AiEngine;
  let warmDir: string;
  beforeAll(async () => {
    t = await startTestApp({ workers: true, env: { SANDBOX: 'bwrap' } });
    offline = t.container.pipeline.engine;
    warmDir = path.join(t.container.config.dataDir, 'warm');
  }, 60_000);
  afterAll(() => t.close());

  async function build(prompt: string) {
    const ended = await buildToEnd(t, { userId: 'warm', prompt });
    expect(ended.error).toBeNull();
    expect(ended.status).toBe('succeeded');
    const { rows } = await t.container.db.query<{ type: string }>(
      'SELECT type FROM build_events WHERE build_id = $1 ORDER BY seq',
      [ended.buildId],
    );
    const page = await t.app.inject({ method: 'GET', url: `/preview/${ended.buildId}/` });
    return { ...ended, types: rows.map((r) => r.type), page: page.body };
  }

  it('bundles the next build from the same dependencies in it, with that build files only', async () => {
    t.container.pipeline.engine = offline;
    const first = await build('A landing page for "Sunrise Bakery" in Lisbon');
    expect(first.page).toContain('Sunrise Bakery');
    const second = await build('A todo app for "Weekly Chores"');
    expect(second.types).toContain('process.warm');
    // Its own app, not the one before it.
    expect(second.page).toContain('Weekly Chores');
    expect(second.page).not.toContain('Sunrise Bakery');
  });

  it('starts the next spare once the first of the check and the bundle ends, before packaging', async () => {
    t.container.pipeline.engine = offline;
    const bundler = t.container.pipeline.warmBundler;
    if (!bundler) throw new Error('the worker has no spare bundler');
    const calls: number[] = [];
    const prepareAfter = bundler.prepareAfter.bind(bundler);
    bundler.prepareAfter = (run, command) => {
      calls.push(Date.now());
      prepareAfter(run, command);
    };
    try {
      const ended = await build('An event page for "DevFest 2027"');
      const { stages } = (await t.container.pipeline.builds.get(ended.buildId)) as {
        stages: Array<{ name: string; startedAt: string | null }>;
      };
      const packaged = Date.parse(stages.find((s) => s.name === 'package')?.startedAt ?? '');
      expect(calls.length).toBeGreaterThan(0);
      expect(calls[0]).toBeLessThanOrEqual(packaged);
    } finally {
      bundler.prepareAfter = prepareAfter;
    }
  });

  it('stops a spare no build takes, and leaves nothing running or on disk', async () => {
    t.container.pipeline.engine = offline;
    await build('A blog about urban gardening');
    await until(() => processesIn(warmDir).length > 0);
    // A spare waits two seconds for the next build.
    await new Promise((r) => setTimeout(r, 2500));
    expect(processesIn(warmDir)).toEqual([]);
    expect(await readdir(warmDir)).toEqual([]);
  });

  it('stops the spare unused when a build links other dependencies', async () => {
    t.container.pipeline.engine = offline;
    await build('A portfolio for a photographer called "Lena Ortiz"');
    await until(() => processesIn(warmDir).length > 0);
    t.container.pipeline.engine = new ScriptedEngine(PLAIN);
    const plain = await build('a plain page');
    expect(plain.types).not.toContain('process.warm');
    expect(plain.page).toContain('plain build');
    expect(processesIn(warmDir)).toEqual([]);
    expect(await readdir(warmDir)).toEqual([]);
  });
});
