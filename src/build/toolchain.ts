import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { PackageManager } from './detect.js';

/**
 * The package managers the pipeline runs. pnpm and yarn ship with the worker as npm
 * dependencies and npm ships with Node, so none needs a global install.
 */
export interface Toolchain {
  node: string;
  scripts: Record<PackageManager, string>;
  /** Directories the sandbox must expose read-only for these tools to run. */
  paths: string[];
  /** Each manager's version: part of a cached tree's key. */
  versions: Record<PackageManager, string>;
}

export function resolveToolchain(): Toolchain {
  const pnpmDir = packageDir('pnpm');
  const yarnDir = packageDir('yarn');
  const npmCli = path.join(
    path.dirname(process.execPath),
    '../lib/node_modules/npm/bin/npm-cli.js',
  );
  return {
    node: process.execPath,
    scripts: {
      pnpm: path.join(pnpmDir, 'bin/pnpm.cjs'),
      yarn: path.join(yarnDir, 'bin/yarn.js'),
      npm: path.resolve(npmCli),
    },
    paths: [pnpmDir, yarnDir],
    versions: {
      pnpm: versionOf(pnpmDir),
      yarn: versionOf(yarnDir),
      npm: versionOf(path.resolve(path.dirname(npmCli), '..')),
    },
  };
}

function versionOf(dir: string): string {
  try {
    return (JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { version: string })
      .version;
  } catch {
    return 'unknown';
  }
}

/** The installed directory of a package, found from its resolved entry (exports may hide package.json). */
function packageDir(name: string): string {
  const require = createRequire(import.meta.url);
  let entry: string;
  try {
    entry = require.resolve(`${name}/package.json`);
  } catch {
    entry = require.resolve(name);
  }
  let dir = path.dirname(entry);
  for (;;) {
    const manifest = path.join(dir, 'package.json');
    if (
      existsSync(manifest) &&
      (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === name
    ) {
      return dir;
    }
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`cannot locate the ${name} package`);
    dir = parent;
  }
}
