import { describe, expect, it } from 'vitest';
import { codeRecommendations, parseJsonc, readCodeFacts } from './code-checks.js';

/** A project as a map of files: what readCodeFacts sees through its reader. */
function facts(project: Record<string, string>) {
  return readCodeFacts(Object.keys(project), async (rel) => project[rel]);
}

const PKG = JSON.stringify({ name: 'app', scripts: { build: 'vite build', test: 'vitest run' } });
const STRICT = '{ "compilerOptions": { "strict": true } }';

describe('code checks', () => {
  it('a strict project with tests and a test script: nothing to say', async () => {
    const f = await facts({
      'package.json': PKG,
      'tsconfig.json': STRICT,
      'src/App.tsx': '',
      'src/App.test.tsx': '',
    });
    expect(f).toEqual({
      typescript: true,
      tsconfig: true,
      strict: 'on',
      packageJson: true,
      testScript: true,
      testFiles: 1,
    });
    expect(codeRecommendations(f)).toEqual([]);
  });

  it('code.strict: strict off, strict absent, or TypeScript without a tsconfig', async () => {
    const off = await facts({
      'tsconfig.json': '{"compilerOptions":{"strict":false}}',
      'a.ts': '',
    });
    expect(codeRecommendations(off)).toMatchObject([
      { kind: 'code.strict', severity: 'low', evidence: { file: 'tsconfig.json', strict: false } },
    ]);
    const absent = await facts({ 'tsconfig.json': '{"compilerOptions":{}}' });
    expect(codeRecommendations(absent)[0]?.evidence).toEqual({
      file: 'tsconfig.json',
      strict: 'absent',
    });
    const none = await facts({ 'src/main.ts': '' });
    expect(codeRecommendations(none)[0]).toMatchObject({
      kind: 'code.strict',
      evidence: { missing: 'tsconfig.json' },
    });
  });

  it('reads tsconfig with comments and trailing commas, and follows relative extends', async () => {
    const f = await facts({
      'tsconfig.json': '{\n // base config\n "extends": "./tsconfig.base.json", /* x */\n}',
      'tsconfig.base.json': '{ "compilerOptions": { "strict": true, }, }',
    });
    expect(f.strict).toBe('on');
  });

  it('follows the references of a Vite-style root config', async () => {
    const project = {
      'tsconfig.json':
        '{ "files": [], "references": [{ "path": "./tsconfig.app.json" }, { "path": "./tsconfig.node.json" }] }',
      'tsconfig.app.json': STRICT,
      'tsconfig.node.json': STRICT,
    };
    expect((await facts(project)).strict).toBe('on');
    expect((await facts({ ...project, 'tsconfig.node.json': '{}' })).strict).toBe('unset');
  });

  it('does not guess about a preset from a package or a config outside the project', async () => {
    expect((await facts({ 'tsconfig.json': '{"extends":"@tsconfig/strictest"}' })).strict).toBe(
      'unknown',
    );
    expect((await facts({ 'tsconfig.json': '{"extends":"../../etc/base.json"}' })).strict).toBe(
      'unknown',
    );
    expect(codeRecommendations(await facts({ 'tsconfig.json': '{"extends":"pkg"}' }))).toEqual([]);
  });

  it('code.tests: no test files, or tests that nothing runs', async () => {
    const none = codeRecommendations(
      await facts({ 'package.json': JSON.stringify({ scripts: { build: 'vite build' } }) }),
    );
    expect(none).toMatchObject([
      { kind: 'code.tests', title: 'Add tests', evidence: { testFiles: 0, testScript: false } },
    ]);
    const unrun = codeRecommendations(
      await facts({
        'package.json': JSON.stringify({
          scripts: { test: 'echo "Error: no test specified" && exit 1' },
        }),
        'tests/app.spec.js': '',
        'src/__tests__/x.js': '',
      }),
    );
    expect(unrun).toMatchObject([
      {
        kind: 'code.tests',
        title: 'Add a test script',
        evidence: { testFiles: 2, testScript: false },
      },
    ]);
  });

  it('a plain static site (no package.json, no TypeScript) gets no code advice', async () => {
    expect(codeRecommendations(await facts({ 'index.html': '<p>' }))).toEqual([]);
  });

  it('parseJsonc keeps comment-like text inside strings and refuses garbage', () => {
    expect(parseJsonc('{"a": "http://x/*y*/", // c\n "b": [1,],}')).toEqual({
      a: 'http://x/*y*/',
      b: [1],
    });
    expect(parseJsonc('{ nope')).toBeUndefined();
    expect(parseJsonc(undefined)).toBeUndefined();
  });
});
