/**
 * What kind of project a directory holds: its package manager, framework and build output.
 * Pure functions over a file list and package.json where possible, so the same rules run on a
 * workspace listing, an uploaded archive's manifest or a test table.
 */
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { z } from 'zod';

// Loose (zod 4's passthrough): unknown fields are kept, so callers can read e.g. `engines`.
export const packageJsonSchema = z.looseObject({
  name: z.string().optional(),
  scripts: z.record(z.string(), z.string()).optional(),
  dependencies: z.record(z.string(), z.string()).optional(),
  devDependencies: z.record(z.string(), z.string()).optional(),
  packageManager: z.string().optional(),
});

export type PackageJson = z.infer<typeof packageJsonSchema>;

/** Parses package.json text; undefined when it is not JSON or not the expected shape. */
export function parsePackageJson(text: string): PackageJson | undefined {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return undefined;
  }
  const parsed = packageJsonSchema.safeParse(raw);
  return parsed.success ? parsed.data : undefined;
}

// ---------------------------------------------------------------------------------------------
// Package manager

export type PackageManager = 'pnpm' | 'yarn' | 'npm';

export interface PackageManagerDetection {
  manager: PackageManager;
  reason: 'pnpm-lock.yaml' | 'yarn.lock' | 'package-lock.json' | 'packageManager' | 'default';
  lockfile?: string;
}

// Corepack's format: `<name>@<version>` with an optional `+<hash>`; the version must start with
// a digit, so `pnpm@latest` and bare `pnpm` (which corepack also rejects) fall through.
const PACKAGE_MANAGER_FIELD = /^(pnpm|yarn|npm)@\d[\w.+-]*$/;

/**
 * Lockfiles win over the `packageManager` field because the lockfile is what the project was
 * actually installed with; installing with another manager would ignore the pinned versions.
 */
export function detectPackageManager(files: {
  hasFile(name: string): boolean;
  packageJson: PackageJson | undefined;
}): PackageManagerDetection {
  if (files.hasFile('pnpm-lock.yaml')) {
    return { manager: 'pnpm', reason: 'pnpm-lock.yaml', lockfile: 'pnpm-lock.yaml' };
  }
  if (files.hasFile('yarn.lock')) {
    return { manager: 'yarn', reason: 'yarn.lock', lockfile: 'yarn.lock' };
  }
  // npm itself prefers the shrinkwrap when both exist.
  for (const lockfile of ['npm-shrinkwrap.json', 'package-lock.json']) {
    if (files.hasFile(lockfile)) return { manager: 'npm', reason: 'package-lock.json', lockfile };
  }
  const field = files.packageJson?.packageManager?.trim();
  const match = field === undefined ? null : PACKAGE_MANAGER_FIELD.exec(field);
  if (match) return { manager: match[1] as PackageManager, reason: 'packageManager' };
  return { manager: 'npm', reason: 'default' };
}

// ---------------------------------------------------------------------------------------------
// Framework

export type DetectedFramework = 'nextjs' | 'astro' | 'react' | 'vue' | 'svelte' | 'static';
export type Bundler = 'vite' | 'next' | 'astro' | 'webpack' | 'unknown';

export interface FrameworkDetection {
  framework: DetectedFramework;
  layer: 'dependencies' | 'config' | 'structure' | 'scripts' | 'static';
  bundler?: Bundler;
}

const CONFIG_EXT = String.raw`\.(?:js|mjs|cjs|ts|mts|cts)$`;
const configFile = (name: string): RegExp => new RegExp(`^${name}${CONFIG_EXT}`);
const NEXT_CONFIG = configFile(String.raw`next\.config`);
const VITE_CONFIG = configFile(String.raw`vite\.config`);
const NUXT_CONFIG = configFile(String.raw`nuxt\.config`);
const ASTRO_CONFIG = configFile(String.raw`astro\.config`);
const SVELTE_CONFIG = configFile(String.raw`svelte\.config`);
const WEBPACK_CONFIG = configFile(String.raw`webpack\.config`);

function allDependencies(pkg: PackageJson | undefined): Record<string, string> {
  return { ...pkg?.devDependencies, ...pkg?.dependencies };
}

function scriptsText(pkg: PackageJson | undefined): string {
  return Object.values(pkg?.scripts ?? {}).join('\n');
}

function byDependencies(pkg: PackageJson | undefined): DetectedFramework | undefined {
  const deps = allDependencies(pkg);
  const has = (name: string): boolean => Object.hasOwn(deps, name);
  // `next` before `react`: every Next.js app also depends on react.
  if (has('next')) return 'nextjs';
  // `astro` before the UI libraries: an Astro site may use React, Vue or Svelte islands.
  if (has('astro')) return 'astro';
  if (has('vue') || has('nuxt')) return 'vue';
  if (has('svelte') || has('@sveltejs/kit')) return 'svelte';
  if (has('react')) return 'react';
  return undefined;
}

function byConfig(files: string[]): DetectedFramework | undefined {
  const rootFiles = files.filter((f) => !f.includes('/'));
  const hasConfig = (re: RegExp): boolean => rootFiles.some((f) => re.test(f));
  if (hasConfig(NEXT_CONFIG)) return 'nextjs';
  if (hasConfig(ASTRO_CONFIG)) return 'astro';
  if (hasConfig(VITE_CONFIG)) {
    // vite.config alone says nothing about the framework; the source files do.
    if (files.some((f) => f.endsWith('.vue'))) return 'vue';
    if (files.some((f) => f.endsWith('.svelte'))) return 'svelte';
    if (files.some((f) => /\.[jt]sx$/.test(f))) return 'react';
  }
  if (hasConfig(NUXT_CONFIG)) return 'vue';
  if (hasConfig(SVELTE_CONFIG)) return 'svelte';
  return undefined;
}

function byStructure(files: string[]): DetectedFramework | undefined {
  const set = new Set(files);
  // next-env.d.ts is generated by Next itself, so pages/ or app/ with it is unambiguous.
  const nextRoute = /^(?:src\/)?(?:pages|app)\/.+\.[jt]sx$/;
  if (set.has('next-env.d.ts') && files.some((f) => nextRoute.test(f))) return 'nextjs';
  if (files.some((f) => /^src\/pages\/.+\.astro$/.test(f))) return 'astro';
  if (set.has('src/App.vue')) return 'vue';
  if (set.has('src/App.svelte')) return 'svelte';
  if (set.has('src/App.tsx') || set.has('src/App.jsx')) return 'react';
  return undefined;
}

function byScripts(pkg: PackageJson | undefined): DetectedFramework | undefined {
  const scripts = scriptsText(pkg);
  if (/\bnext build\b/.test(scripts)) return 'nextjs';
  if (/\bastro build\b/.test(scripts)) return 'astro';
  if (/\bvue-cli-service\b|\bnux[ti]\b/.test(scripts)) return 'vue';
  if (/\bsvelte(?:-kit)?\b/.test(scripts)) return 'svelte';
  if (/\breact-scripts\b|\bvite\b/.test(scripts)) return 'react';
  return undefined;
}

function detectBundler(
  framework: DetectedFramework,
  pkg: PackageJson | undefined,
  files: string[],
): Bundler {
  if (framework === 'nextjs') return 'next';
  // Astro runs Vite inside, but it is configured and invoked as astro.
  if (framework === 'astro') return 'astro';
  const deps = allDependencies(pkg);
  const scripts = scriptsText(pkg);
  const rootFiles = files.filter((f) => !f.includes('/'));
  if (
    Object.hasOwn(deps, 'vite') ||
    Object.hasOwn(deps, '@sveltejs/kit') ||
    /\bvite\b/.test(scripts) ||
    rootFiles.some((f) => VITE_CONFIG.test(f))
  ) {
    return 'vite';
  }
  if (
    ['webpack', 'react-scripts', '@vue/cli-service'].some((d) => Object.hasOwn(deps, d)) ||
    /\b(?:webpack|react-scripts|vue-cli-service)\b/.test(scripts) ||
    rootFiles.some((f) => WEBPACK_CONFIG.test(f))
  ) {
    return 'webpack';
  }
  return 'unknown';
}

/**
 * Four layers, most to least reliable; the first that decides wins. Dependencies come first
 * because they are what the build will actually run; file layout is a guess an engine or a
 * user can easily contradict.
 */
export function detectFramework(input: {
  packageJson: PackageJson | undefined;
  files: string[];
}): FrameworkDetection {
  const { packageJson, files } = input;
  const layers: [FrameworkDetection['layer'], () => DetectedFramework | undefined][] = [
    ['dependencies', () => byDependencies(packageJson)],
    ['config', () => byConfig(files)],
    ['structure', () => byStructure(files)],
    ['scripts', () => byScripts(packageJson)],
  ];
  for (const [layer, decide] of layers) {
    const framework = decide();
    if (framework) {
      return { framework, layer, bundler: detectBundler(framework, packageJson, files) };
    }
  }
  // A plain site: index.html at the root, or nothing recognisable at all. A package.json with a
  // bundler (vanilla vite) still tells the builder how to build it.
  const result: FrameworkDetection = { framework: 'static', layer: 'static' };
  if (packageJson) result.bundler = detectBundler('static', packageJson, files);
  return result;
}

// ---------------------------------------------------------------------------------------------
// Build output

const DEFAULT_OUTPUT_DIRS: Record<DetectedFramework, readonly string[]> = {
  // `next build` with `output: 'export'` writes a static site to out/. .next is the server
  // build: nothing in it can be served as files, so it is never an output (see static-export).
  nextjs: ['out'],
  // Astro's static output (the default); a server build is refused before it starts.
  astro: ['dist'],
  react: ['dist', 'build', 'out'],
  vue: ['dist', 'build', 'out'],
  svelte: ['dist', 'build', 'out'],
  static: ['dist', 'build', 'out', 'public', '.'],
};

// `vite build --outDir x`, `--out-dir x`, `next export -o x`: an explicit output beats guessing.
const OUT_DIR_FLAG =
  /(?:--outDir|--out-dir|--dist-dir|(?:next export.*?\s-o))[=\s]+["']?([^\s"'&;|]+)/;

/** A plain relative directory below the project root (no `..`, not absolute). */
function isSafeRelativeDir(dir: string): boolean {
  if (dir === '' || /^(?:[/\\]|[a-zA-Z]:)/.test(dir) || dir.includes('\\')) return false;
  return dir.split('/').every((s) => s !== '..' && s !== '' && s !== '.');
}

/** Output directories to look in, most likely first. */
export function outputDirCandidates(
  framework: DetectedFramework,
  packageJson?: PackageJson,
): string[] {
  const candidates = [...DEFAULT_OUTPUT_DIRS[framework]];
  const build = packageJson?.scripts?.build ?? '';
  const explicit = OUT_DIR_FLAG.exec(build)?.[1]?.replace(/^\.\//, '').replace(/\/+$/, '');
  if (explicit !== undefined && isSafeRelativeDir(explicit) && !candidates.includes(explicit)) {
    candidates.unshift(explicit);
  }
  return candidates;
}

/**
 * The first candidate directory that exists under `root` and holds an index.html. Each
 * component is checked with lstat so a symlinked output directory (or index.html) that could
 * point outside the root is ignored rather than followed. `.` is only a candidate for static
 * sites, where the project root itself is the site.
 */
export async function detectOutputDir(
  root: string,
  framework: DetectedFramework,
  packageJson?: PackageJson,
): Promise<string | undefined> {
  for (const candidate of outputDirCandidates(framework, packageJson)) {
    if (candidate === '.' && framework !== 'static') continue;
    const segments = candidate === '.' ? [] : candidate.split('/');
    if (await isPlainFile(root, [...segments, 'index.html'])) return candidate;
  }
  return undefined;
}

async function isPlainFile(root: string, segments: string[]): Promise<boolean> {
  let current = root;
  for (const [index, segment] of segments.entries()) {
    current = path.join(current, segment);
    let stats;
    try {
      stats = await fs.lstat(current);
    } catch {
      return false;
    }
    const last = index === segments.length - 1;
    if (stats.isSymbolicLink() || (last ? !stats.isFile() : !stats.isDirectory())) return false;
  }
  return true;
}
