import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildToEnd, startTestApp, type TestApp } from '../support/harness.js';
import { ScriptedEngine } from '../support/scripted-engine.js';

/** A small TypeScript project: real installs, real tsc, a scripted engine for the repairs. */
const project = (source: string) => ({
  'package.json': JSON.stringify({
    name: 'fix-test',
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
  'build.mjs': `import fs from 'node:fs'; fs.mkdirSync('dist', { recursive: true }); fs.writeFileSync('dist/index.html', '<p>ok</p>');`,
});

describe('the fix loop', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({
      workers: true,
      env: { FIX_MAX_ATTEMPTS: '4', BUILD_TOKEN_BUDGET: '10000' },
    });
  }, 60_000);
  afterAll(() => t.close());

  async function build(engine: ScriptedEngine) {
    t.container.pipeline.engine = engine;
    const ended = await buildToEnd(t, { userId: 'fixer', prompt: 'fix me' });
    return { ...ended, fixes: ended.events.filter((e) => e.type.startsWith('fix.')) };
  }

  it('fixes a seeded type error in one round', async () => {
    const engine = new ScriptedEngine(project(`export const answer: number = 'forty-two';\n`), [
      {
        files: { 'src/index.ts': 'export const answer: number = 42;\n' },
        usage: { inputTokens: 900, outputTokens: 100 },
      },
    ]);
    const result = await build(engine);
    expect(result.error).toBeNull();
    expect(result.status).toBe('succeeded');
    expect(engine.fixCalls).toBe(1);
    expect(result.fixes.map((f: { type: string }) => f.type)).toEqual([
      'fix.started',
      'fix.applied',
    ]);
  }, 120_000);

  it('stops when the same error comes back, before the attempt limit', async () => {
    const broken = `export const answer: number = 'forty-two';\n`;
    const engine = new ScriptedEngine(project(broken), [
      { files: { 'src/index.ts': `// tried something\n${broken}` } },
      { files: { 'src/index.ts': 'export const answer: number = 42;\n' } },
    ]);
    const result = await build(engine);
    expect(result.status).toBe('failed');
    expect(result.error.code).toBe('BUILD_TYPESCRIPT_ERROR');
    expect(engine.fixCalls).toBe(1);
    expect(result.fixes.at(-1)).toMatchObject({
      type: 'fix.stopped',
      message: expect.stringContaining('same error'),
    });
  }, 120_000);

  it('fails closed with its own code when the budget is spent', async () => {
    const engine = new ScriptedEngine(project(`export const a: number = 'x';\n`), [
      // The first repair costs the whole budget and leaves a different error behind.
      {
        files: { 'src/index.ts': `export const b: string = 1;\n` },
        usage: { inputTokens: 9000, outputTokens: 2000 },
      },
      { files: { 'src/index.ts': `export const c = 1;\n` } },
    ]);
    const result = await build(engine);
    expect(result.status).toBe('failed');
    expect(result.error).toMatchObject({
      code: 'AI_BUDGET_EXCEEDED',
      hint: expect.stringContaining('BUILD_TOKEN_BUDGET'),
    });
    expect(engine.fixCalls).toBe(1);
  }, 120_000);
});
