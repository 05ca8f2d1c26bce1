import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { classifyFailure, type PipelineStep } from './classify.js';
import { NEXT_IMAGE_EXPORT_ERROR } from './static-export.js';

// Real output of each framework's tools, captured on broken copies of the import fixtures.
const captured = (name: string): string =>
  readFileSync(path.resolve('test/fixtures/tool-output', name), 'utf8');

const classify = (step: PipelineStep, output: string, exitCode = 1) =>
  classifyFailure({ step, exitCode, timedOut: false, stdout: output, stderr: '' });

describe('classifying each framework’s failures (captured output)', () => {
  it('vue-tsc: a name used without its import in a .vue file', () => {
    const failure = classify('validate', captured('vue-tsc-missing-import.txt'), 2);
    expect(failure).toMatchObject({
      category: 'typescript',
      code: 'BUILD_TYPESCRIPT_ERROR',
      files: ['src/App.vue'],
    });
    expect(failure.message).toBe(
      "The app's TypeScript does not compile: src/App.vue line 3: Cannot find name 'ref'.",
    );
  });

  it('vue-tsc: a type error in a .vue file', () => {
    const failure = classify('validate', captured('vue-tsc-type-error.txt'), 2);
    expect(failure.code).toBe('BUILD_TYPESCRIPT_ERROR');
    expect(failure.message).toContain('src/App.vue line 4: Argument of type');
  });

  it('svelte-check: a type error in a .svelte file, its location on the line before', () => {
    const failure = classify('validate', captured('svelte-check-type-error.txt'));
    expect(failure).toMatchObject({
      category: 'typescript',
      code: 'BUILD_TYPESCRIPT_ERROR',
      files: ['src/App.svelte'],
    });
    expect(failure.message).toBe(
      "The app's TypeScript does not compile: src/App.svelte line 2: Type 'string' is not assignable to type 'number'.",
    );
    // The machine's path stays out of what people see.
    expect(failure.message).not.toContain('/tmp/');
  });

  it('svelte-check: an "Error:" line without a location before it is not a type error', () => {
    const failure = classify('validate', 'Error: Something broke (ts)\n');
    expect(failure.category).not.toBe('typescript');
  });

  it.each([
    ['vite-vue-missing-dependency.txt'],
    ['vite-svelte-missing-dependency.txt'],
    ['astro-missing-dependency.txt'],
  ])('%s: an imported package that is not installed', (file) => {
    const failure = classify('build', captured(file));
    expect(failure).toMatchObject({ category: 'dependency', code: 'DEPENDENCY_MISSING' });
    expect(failure.message).toBe(
      "The app imports the package 'canvas-confetti', which is not installed.",
    );
  });

  it('next build: a dynamic route without generateStaticParams in a static export', () => {
    const failure = classify('build', captured('next-missing-generate-static-params.txt'));
    expect(failure).toMatchObject({ category: 'build', code: 'BUILD_EXPORT_UNSUPPORTED' });
    expect(failure.message).toContain('the page /ferries/[id] has a dynamic segment');
    expect(failure.hint).toContain('generateStaticParams()');
    expect(failure.excerpt).toContain('is missing "generateStaticParams()"');
  });

  it("next/image with the default loader, in Next.js' words", () => {
    const output = `${NEXT_IMAGE_EXPORT_ERROR}\n  Possible solutions:\n    - Configure \`images.unoptimized = true\` in \`next.config.js\` to disable the Image Optimization API.\n`;
    const failure = classify('build', output);
    expect(failure).toMatchObject({ category: 'build', code: 'BUILD_EXPORT_UNSUPPORTED' });
    expect(failure.hint).toContain('unoptimized: true');
  });

  it('the same failure twice has the same fingerprint; another page does not', () => {
    const text = captured('next-missing-generate-static-params.txt');
    const a = classify('build', text);
    const b = classify('build', text.replaceAll('/tmp/fw/next-dyn', '/data/builds/b-2'));
    const c = classify('build', text.replaceAll('/ferries/[id]', '/posts/[slug]'));
    expect(a.fingerprint).toBe(b.fingerprint);
    expect(a.fingerprint).not.toBe(c.fingerprint);
  });
});
