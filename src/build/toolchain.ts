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
}

export function resolveToolchain(): Toolchain {
  const require = createRequire(import.meta.url);
  // pnpm's package exports hide package.json; its main entry sits in bin/.
  const pnpmDir = path.dirname(path.dirname(require.resolve('pnpm')));
  const yarnDir = path.dirname(require.resolve('yarn/package.json'));
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
  };
}
