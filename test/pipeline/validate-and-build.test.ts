import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildToEnd, startTestApp, type TestApp } from '../support/harness.js';
import { ScriptedEngine } from '../support/scripted-engine.js';

const BROKEN = `export const answer: number = 'forty-two';\n`;
const FIXED = 'export const answer: number = 42;\n';

/**
 * A TypeScript project whose build script hangs for ten minutes while the type error is in
 * the source (so a build beside a failing validate must be stopped for the test to finish),
 * and fails or succeeds on cue otherwise.
 */
const project = (source: string, buildFails = false) => ({
  'package.json': JSON.stringify({
    name: 'side-by-side',
    version: '1.0.0',
    private: true,
    scripts: { build: 'node build.mjs' },
    devDependencies: { typescript: '5.9.3' },
  }),
  'tsconfig.json': JSON.stringify({
    compilerOptions: { strict: true, noEmit: true, target: 'ES2022' },
    include: ['src'],
  }),
  'src/index.ts': source,
  'build.mjs': [
    `import fs from 'node:fs';`,
    `if (fs.readFileSync('src/index.ts', 'utf8').includes('forty-two')) await new Promise((r) => setTimeout(r, 600_000));`,
    buildFails ? `console.error('bundle: cannot resolve ./missing'); process.exit(1);` : '',
    `fs.mkdirSync('dist', { recursive: true }); fs.writeFileSync('dist/index.html', '<p>ok</p>');`,
  ].join('\n'),
});

describe('validate and build side by side', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ workers: true, env: { FIX_MAX_ATTEMPTS: '2' } });
  }, 60_000);
  afterAll(() => t.close());

  async function build(engine: ScriptedEngine) {
    t.container.pipeline.engine = engine;
    const ended = await buildToEnd(t, { userId: 'side', prompt: 'build me' });
    const { rows } = await t.container.db.query<{ type: string; stage: string | null }>(
      'SELECT type, stage FROM build_events WHERE build_id = $1 ORDER BY seq',
      [ended.buildId],
    );
    const stages = ended.stages as Array<{ name: string; status: string }>;
    return { ...ended, stages, staged: rows };
  }

  it('gives a validate failure to the fix loop and stops the build running beside it', async () => {
    const engine = new ScriptedEngine(project(BROKEN), [{ files: { 'src/index.ts': FIXED } }]);
    const result = await build(engine);
    expect(result.error).toBeNull();
    expect(result.status).toBe('succeeded');
    expect(engine.fixCalls).toBe(1);
    const failures = result.staged.filter((e) => e.type === 'stage.failure');
    // The stopped build is not reported as a failure of its own.
    expect(failures).toEqual([{ type: 'stage.failure', stage: 'validate' }]);
    const started = result.staged.filter((e) => e.type === 'stage.started').map((e) => e.stage);
    expect(started.filter((s) => s === 'build')).toHaveLength(2);
    expect(result.stages.find((s) => s.name === 'build')?.status).toBe('succeeded');
  }, 180_000);

  it('judges a build failure only once validate passed, with the build error', async () => {
    const result = await build(new ScriptedEngine(project(FIXED, true), []));
    expect(result.status).toBe('failed');
    expect(result.error.code).not.toBe('BUILD_TYPESCRIPT_ERROR');
    const byName = Object.fromEntries(result.stages.map((s) => [s.name, s.status]));
    expect(byName).toMatchObject({ validate: 'succeeded', build: 'failed', package: 'pending' });
  }, 180_000);
});
