import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  detectFramework,
  detectOutputDir,
  detectPackageManager,
  outputDirCandidates,
  parsePackageJson,
  type PackageJson,
} from './detect.js';

describe('parsePackageJson', () => {
  it('parses the known fields and keeps unknown ones', () => {
    const pkg = parsePackageJson(
      JSON.stringify({ name: 'x', scripts: { build: 'vite build' }, engines: { node: '20' } }),
    );
    expect(pkg?.name).toBe('x');
    expect(pkg?.scripts).toEqual({ build: 'vite build' });
    expect(pkg?.engines).toEqual({ node: '20' });
  });

  it.each([
    ['invalid JSON', '{'],
    ['an array', '[]'],
    ['null', 'null'],
    ['a string', '"x"'],
    ['a non-string dependency', '{"dependencies":{"react":18}}'],
    ['scripts as an array', '{"scripts":["build"]}'],
    ['a non-string packageManager', '{"packageManager":9}'],
  ])('returns undefined for %s', (_name, text) => {
    expect(parsePackageJson(text)).toBeUndefined();
  });
});

describe('detectPackageManager', () => {
  const detect = (files: string[], packageManager?: string) =>
    detectPackageManager({
      hasFile: (name) => files.includes(name),
      packageJson: packageManager === undefined ? {} : { packageManager },
    });

  it.each([
    [['pnpm-lock.yaml'], undefined, 'pnpm', 'pnpm-lock.yaml', 'pnpm-lock.yaml'],
    [['yarn.lock'], undefined, 'yarn', 'yarn.lock', 'yarn.lock'],
    [['package-lock.json'], undefined, 'npm', 'package-lock.json', 'package-lock.json'],
    [['npm-shrinkwrap.json'], undefined, 'npm', 'package-lock.json', 'npm-shrinkwrap.json'],
    // precedence when several lockfiles exist
    [['yarn.lock', 'pnpm-lock.yaml'], undefined, 'pnpm', 'pnpm-lock.yaml', 'pnpm-lock.yaml'],
    [
      ['package-lock.json', 'pnpm-lock.yaml'],
      undefined,
      'pnpm',
      'pnpm-lock.yaml',
      'pnpm-lock.yaml',
    ],
    [['package-lock.json', 'yarn.lock'], undefined, 'yarn', 'yarn.lock', 'yarn.lock'],
    [
      ['package-lock.json', 'npm-shrinkwrap.json'],
      undefined,
      'npm',
      'package-lock.json',
      'npm-shrinkwrap.json',
    ],
    // a lockfile beats the packageManager field
    [['yarn.lock'], 'pnpm@9.1.0', 'yarn', 'yarn.lock', 'yarn.lock'],
    [['package-lock.json'], 'yarn@1.22.22', 'npm', 'package-lock.json', 'package-lock.json'],
    // packageManager field variants
    [[], 'pnpm@9.1.0', 'pnpm', 'packageManager', undefined],
    [[], 'yarn@1.22.22', 'yarn', 'packageManager', undefined],
    [[], 'yarn@4.1.0+sha512.abcdef0123', 'yarn', 'packageManager', undefined],
    [[], 'npm@10', 'npm', 'packageManager', undefined],
    [[], ' pnpm@8.15.4 ', 'pnpm', 'packageManager', undefined],
    // invalid field values fall back to the default
    [[], 'bun@1.1.0', 'npm', 'default', undefined],
    [[], 'pnpm', 'npm', 'default', undefined],
    [[], 'pnpm@', 'npm', 'default', undefined],
    [[], 'pnpm@latest', 'npm', 'default', undefined],
    [[], 'PNPM@9.0.0', 'npm', 'default', undefined],
    [[], 'pnpm@9.0.0 && rm -rf /', 'npm', 'default', undefined],
    [[], '', 'npm', 'default', undefined],
    // nothing at all
    [[], undefined, 'npm', 'default', undefined],
    [['README.md'], undefined, 'npm', 'default', undefined],
  ])('%j with packageManager %j → %s (%s)', (files, field, manager, reason, lockfile) => {
    const result = detect(files, field);
    expect(result).toEqual(lockfile ? { manager, reason, lockfile } : { manager, reason });
  });

  it('defaults to npm when there is no package.json', () => {
    expect(detectPackageManager({ hasFile: () => false, packageJson: undefined })).toEqual({
      manager: 'npm',
      reason: 'default',
    });
  });
});

describe('detectFramework', () => {
  const deps = (dependencies: Record<string, string>, devDependencies = {}): PackageJson => ({
    dependencies,
    devDependencies,
  });
  const scripts = (build: string): PackageJson => ({ scripts: { build } });

  it.each<[string, PackageJson | undefined, string[], string, string, string | undefined]>([
    // 1. dependencies
    ['next + react', deps({ next: '14', react: '18' }), [], 'nextjs', 'dependencies', 'next'],
    ['astro', deps({ astro: '5' }), [], 'astro', 'dependencies', 'astro'],
    [
      'astro with React islands',
      deps({ astro: '5', react: '19', '@astrojs/react': '4' }),
      [],
      'astro',
      'dependencies',
      'astro',
    ],
    ['react + vite', deps({ react: '18' }, { vite: '5' }), [], 'react', 'dependencies', 'vite'],
    [
      'react-scripts',
      deps({ react: '18', 'react-scripts': '5' }),
      [],
      'react',
      'dependencies',
      'webpack',
    ],
    ['react alone', deps({ react: '18' }), [], 'react', 'dependencies', 'unknown'],
    ['vue', deps({ vue: '3' }, { vite: '5' }), [], 'vue', 'dependencies', 'vite'],
    ['nuxt', deps({ nuxt: '3' }), [], 'vue', 'dependencies', 'unknown'],
    ['vue cli', deps({ vue: '2', '@vue/cli-service': '5' }), [], 'vue', 'dependencies', 'webpack'],
    ['svelte', deps({}, { svelte: '4', vite: '5' }), [], 'svelte', 'dependencies', 'vite'],
    ['sveltekit', deps({}, { '@sveltejs/kit': '2' }), [], 'svelte', 'dependencies', 'vite'],
    [
      'deps beat files',
      deps({ vue: '3' }),
      ['src/App.tsx', 'next.config.js'],
      'vue',
      'dependencies',
      'unknown',
    ],
    // 2. config files
    ['next.config.mjs', {}, ['next.config.mjs'], 'nextjs', 'config', 'next'],
    ['next.config.ts', undefined, ['next.config.ts', 'vite.config.ts'], 'nextjs', 'config', 'next'],
    ['astro.config.mjs', {}, ['astro.config.mjs', 'src/App.vue'], 'astro', 'config', 'astro'],
    ['vite + .vue', {}, ['vite.config.ts', 'src/App.vue'], 'vue', 'config', 'vite'],
    ['vite + .svelte', {}, ['vite.config.js', 'src/App.svelte'], 'svelte', 'config', 'vite'],
    ['vite + .tsx', {}, ['vite.config.ts', 'src/main.tsx'], 'react', 'config', 'vite'],
    ['vite + .jsx', {}, ['vite.config.mjs', 'src/deep/Thing.jsx'], 'react', 'config', 'vite'],
    ['nuxt.config', {}, ['nuxt.config.ts'], 'vue', 'config', 'unknown'],
    ['svelte.config', {}, ['svelte.config.js'], 'svelte', 'config', 'unknown'],
    [
      'vite + svelte.config',
      {},
      ['vite.config.ts', 'svelte.config.js'],
      'svelte',
      'config',
      'vite',
    ],
    // 3. structure
    ['next pages', {}, ['next-env.d.ts', 'pages/index.tsx'], 'nextjs', 'structure', 'next'],
    ['next app dir', {}, ['next-env.d.ts', 'src/app/page.jsx'], 'nextjs', 'structure', 'next'],
    ['src/App.vue', {}, ['src/App.vue', 'index.html'], 'vue', 'structure', 'unknown'],
    ['src/App.svelte', {}, ['src/App.svelte'], 'svelte', 'structure', 'unknown'],
    ['src/pages/*.astro', {}, ['src/pages/index.astro'], 'astro', 'structure', 'astro'],
    ['src/App.tsx', {}, ['src/App.tsx'], 'react', 'structure', 'unknown'],
    ['src/App.jsx', undefined, ['src/App.jsx'], 'react', 'structure', 'unknown'],
    [
      'pages without next-env',
      {},
      ['pages/index.tsx', 'src/App.jsx'],
      'react',
      'structure',
      'unknown',
    ],
    // 4. scripts
    ['next build', scripts('next build'), [], 'nextjs', 'scripts', 'next'],
    ['astro build', scripts('astro build'), [], 'astro', 'scripts', 'astro'],
    ['vue-cli-service', scripts('vue-cli-service build'), [], 'vue', 'scripts', 'webpack'],
    ['nuxt build', scripts('nuxt build'), [], 'vue', 'scripts', 'unknown'],
    ['nuxi generate', scripts('nuxi generate'), [], 'vue', 'scripts', 'unknown'],
    ['svelte-kit', scripts('svelte-kit build'), [], 'svelte', 'scripts', 'unknown'],
    ['react-scripts', scripts('react-scripts build'), [], 'react', 'scripts', 'webpack'],
    ['vite build', scripts('tsc -b && vite build'), ['index.html'], 'react', 'scripts', 'vite'],
    // static
    ['index.html only', undefined, ['index.html', 'style.css'], 'static', 'static', undefined],
    ['nothing at all', undefined, [], 'static', 'static', undefined],
    ['empty package.json', {}, ['index.html'], 'static', 'static', 'unknown'],
    [
      'vite.config without framework sources',
      {},
      ['vite.config.ts', 'src/main.ts'],
      'static',
      'static',
      'vite',
    ],
    ['unrelated scripts', scripts('echo hi'), ['README.md'], 'static', 'static', 'unknown'],
  ])('%s', (_name, packageJson, files, framework, layer, bundler) => {
    const result = detectFramework({ packageJson, files });
    expect(result).toEqual(bundler ? { framework, layer, bundler } : { framework, layer });
  });

  it('only considers config files at the project root', () => {
    const result = detectFramework({ packageJson: {}, files: ['examples/next.config.js'] });
    expect(result).toEqual({ framework: 'static', layer: 'static', bundler: 'unknown' });
  });
});

describe('outputDirCandidates', () => {
  it.each([
    ['nextjs', ['out']],
    ['astro', ['dist']],
    ['react', ['dist', 'build', 'out']],
    ['vue', ['dist', 'build', 'out']],
    ['svelte', ['dist', 'build', 'out']],
    ['static', ['dist', 'build', 'out', 'public', '.']],
  ] as const)('%s → %j', (framework, expected) => {
    expect(outputDirCandidates(framework)).toEqual(expected);
  });

  it.each([
    ['vite build --outDir www', 'www'],
    ['vite build --outDir=./site/', 'site'],
    ['vue-cli-service build --out-dir "public_html"', 'public_html'],
    ['parcel build index.html --dist-dir bundle', 'bundle'],
  ])('puts an explicit output dir from %j first', (build, dir) => {
    expect(outputDirCandidates('react', { scripts: { build } })[0]).toBe(dir);
  });

  it.each([
    'vite build --outDir ../escape',
    'vite build --outDir /var/www',
    'vite build --outDir .',
  ])('ignores an unsafe output dir in %j', (build) => {
    expect(outputDirCandidates('react', { scripts: { build } })).toEqual(['dist', 'build', 'out']);
  });

  it('does not duplicate a default directory', () => {
    expect(
      outputDirCandidates('react', { scripts: { build: 'vite build --outDir build' } }),
    ).toEqual(['dist', 'build', 'out']);
  });
});

describe('detectOutputDir', () => {
  let base: string;
  let root: string;

  beforeEach(async () => {
    base = await fs.mkdtemp(path.join(os.tmpdir(), 'sheen-detect-'));
    root = path.join(base, 'project');
    await fs.mkdir(root);
  });

  afterEach(async () => {
    await fs.rm(base, { recursive: true, force: true });
  });

  async function put(rel: string, content = '<!doctype html>'): Promise<void> {
    await fs.mkdir(path.dirname(path.join(root, rel)), { recursive: true });
    await fs.writeFile(path.join(root, rel), content);
  }

  it('finds dist/index.html for a react build', async () => {
    await put('dist/index.html');
    expect(await detectOutputDir(root, 'react')).toBe('dist');
  });

  it('prefers earlier candidates and skips directories without index.html', async () => {
    await put('dist/assets/app.js', '');
    await put('build/index.html');
    await put('out/index.html');
    expect(await detectOutputDir(root, 'vue')).toBe('build');
  });

  it('finds out/ for a Next.js static export', async () => {
    await put('out/index.html');
    await put('.next/server/app/index.html');
    expect(await detectOutputDir(root, 'nextjs')).toBe('out');
  });

  it('never takes .next (a server build) for a Next.js site', async () => {
    await put('.next/index.html');
    expect(await detectOutputDir(root, 'nextjs')).toBeUndefined();
  });

  it('finds dist/ for an Astro site', async () => {
    await put('dist/index.html');
    await put('public/index.html');
    expect(await detectOutputDir(root, 'astro')).toBe('dist');
  });

  it('uses the explicit --outDir from the build script', async () => {
    await put('www/index.html');
    await put('dist/index.html');
    expect(
      await detectOutputDir(root, 'react', { scripts: { build: 'vite build --outDir www' } }),
    ).toBe('www');
  });

  it('allows the project root only for static sites', async () => {
    await put('index.html');
    expect(await detectOutputDir(root, 'static')).toBe('.');
    expect(await detectOutputDir(root, 'react')).toBeUndefined();
  });

  it('prefers public/ over the root for static sites', async () => {
    await put('index.html');
    await put('public/index.html');
    expect(await detectOutputDir(root, 'static')).toBe('public');
  });

  it('returns undefined when nothing was built', async () => {
    expect(await detectOutputDir(root, 'svelte')).toBeUndefined();
  });

  it('never follows a symlinked output directory or index.html out of the root', async () => {
    const outside = path.join(base, 'outside');
    await fs.mkdir(outside);
    await fs.writeFile(path.join(outside, 'index.html'), 'secret');
    await fs.symlink(outside, path.join(root, 'dist'));
    await fs.mkdir(path.join(root, 'build'));
    await fs.symlink(path.join(outside, 'index.html'), path.join(root, 'build', 'index.html'));
    expect(await detectOutputDir(root, 'react')).toBeUndefined();
    await put('out/index.html');
    expect(await detectOutputDir(root, 'react')).toBe('out');
  });

  it('ignores an index.html that is a directory', async () => {
    await fs.mkdir(path.join(root, 'dist', 'index.html'), { recursive: true });
    expect(await detectOutputDir(root, 'react')).toBeUndefined();
  });
});
