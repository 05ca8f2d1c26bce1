import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWarnings, measureOutput, measureSources, recommend, unmetAsks } from './signals.js';

describe('signals from a built output and its sources', () => {
  let root: string;
  const out = () => path.join(root, 'dist');
  beforeAll(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'sheen-signals-'));
    await mkdir(path.join(root, 'dist', 'assets'), { recursive: true });
    await mkdir(path.join(root, 'outside'));
    await writeFile(
      path.join(root, 'dist', 'index.html'),
      '<html><title>Shop</title><img src=a.png>',
    );
    await writeFile(path.join(root, 'dist', 'assets', 'app.js'), 'x'.repeat(3000));
    await writeFile(path.join(root, 'dist', 'assets', 'app.css'), 'y'.repeat(1000));
    // What a hostile build could leave: links out of the output, to a file and a directory.
    await writeFile(path.join(root, 'outside', 'secret.html'), '<html lang="en">');
    await writeFile(path.join(root, 'outside', 'big.js'), 'z'.repeat(50_000));
    await symlink(path.join(root, 'outside', 'secret.html'), path.join(root, 'dist', 'leak.html'));
    await symlink(path.join(root, 'outside'), path.join(root, 'dist', 'linked'));
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  it('checks the HTML pages and weighs JS and CSS, never following a symlink', async () => {
    const signals = await measureOutput(out());
    expect(signals.htmlFiles).toBe(1);
    expect(signals.pages.map((p) => p.file)).toEqual(['index.html']);
    expect(signals.bundle).toMatchObject({ jsBytes: 3000, cssBytes: 1000 });
  });

  it('turns them into recommendations, highest severity first', async () => {
    const items = recommend({ output: await measureOutput(out()) }, 2000);
    expect(items.map((r) => [r.kind, r.severity])).toEqual([
      ['html.viewport', 'high'],
      ['bundle.size', 'medium'],
      ['html.img-alt', 'medium'],
      ['html.lang', 'low'],
      ['html.meta-description', 'low'],
    ]);
    expect(
      recommend({ output: await measureOutput(out()) }, 10_000).map((r) => r.kind),
    ).not.toContain('bundle.size');
  });

  it('leaves out what the caller excludes (a static site packaged from its root)', async () => {
    const signals = await measureOutput(out(), (rel) => rel.startsWith('assets'));
    expect(signals.bundle.jsBytes).toBe(0);
  });

  it('reads the sources for strictness and tests', async () => {
    const src = path.join(root, 'src-project');
    await mkdir(path.join(src, 'node_modules', 'x'), { recursive: true });
    await writeFile(path.join(src, 'package.json'), '{"scripts":{"build":"vite build"}}');
    await writeFile(path.join(src, 'tsconfig.json'), '{"compilerOptions":{"strict":true}}');
    await writeFile(path.join(src, 'node_modules', 'x', 'a.test.js'), '');
    const facts = await measureSources(src, (rel) => rel.startsWith('node_modules'));
    expect(facts).toMatchObject({ strict: 'on', testFiles: 0, testScript: false });
    expect(recommend({ code: facts }, 1).map((r) => r.kind)).toEqual(['code.tests']);
  });
});

describe('signals from the build record', () => {
  it('build warnings: warn events and tool lines marked as warnings, each once', () => {
    const warnings = buildWarnings([
      {
        stage: 'install',
        level: 'warn',
        type: 'install.ignored',
        message: 'Ignored .npmrc: not trusted.',
      },
      {
        stage: 'install',
        level: 'debug',
        type: 'log',
        message: ' WARN  deprecated inflight@1.0.6\nProgress: resolved 1',
      },
      {
        stage: 'build',
        level: 'debug',
        type: 'log',
        message: '! (!) Some chunks are larger than 500 kB\nbuilt in 2s',
      },
      {
        stage: 'build',
        level: 'debug',
        type: 'log',
        message: '! (!) Some chunks are larger than 500 kB',
      },
      {
        stage: 'build',
        level: 'debug',
        type: 'log',
        message: 'Forewarned is forearmed\nwarnings: 0 is fine',
      },
    ]);
    expect(warnings).toEqual([
      { stage: 'install', message: 'Ignored .npmrc: not trusted.' },
      { stage: 'install', message: 'WARN  deprecated inflight@1.0.6' },
      { stage: 'build', message: '(!) Some chunks are larger than 500 kB' },
    ]);
    const [item] = recommend({ warnings }, 1);
    expect(item).toMatchObject({
      kind: 'build.warnings',
      evidence: { count: 3, byStage: { install: 2, build: 1 } },
    });
    expect(recommend({ warnings: [] }, 1)).toEqual([]);
  });

  it('unmet asks: from meta.unmet or unmet, strings or {text, reason}, one item each', () => {
    expect(unmetAsks({ meta: { unmet: ['a login page', 42, '  a login page ', ''] } })).toEqual([
      { text: 'a login page', reason: '' },
    ]);
    expect(unmetAsks({ unmet: ['payments'] })).toEqual([{ text: 'payments', reason: '' }]);
    expect(
      unmetAsks({
        meta: {
          unmet: [
            { kind: 'feature', text: 'countdown', reason: 'No countdown offline.' },
            { kind: 'feature', reason: 'no text' },
            { text: 'countdown', reason: 'a repeat' },
          ],
        },
      }),
    ).toEqual([{ text: 'countdown', reason: 'No countdown offline.' }]);
    for (const plan of [undefined, null, 'x', { meta: { unmet: 'no' } }, { meta: null }])
      expect(unmetAsks(plan)).toEqual([]);
    const items = recommend(
      {
        unmet: [
          { text: 'a login page', reason: '' },
          { text: 'payments', reason: 'No checkout offline.' },
        ],
      },
      1,
    );
    expect(items.map((r) => [r.kind, r.key])).toEqual([
      ['prompt.unmet', 'a login page'],
      ['prompt.unmet', 'payments'],
    ]);
    expect(items[0]?.detail).toMatch(/needs an AI engine\.$/);
    expect(items[1]?.detail).toMatch(/needs an AI engine\. \(No checkout offline\.\)$/);
    expect(items[1]?.evidence).toEqual({ ask: 'payments', reason: 'No checkout offline.' });
  });
});
