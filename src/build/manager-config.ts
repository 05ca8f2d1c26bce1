import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { PackageManager } from './detect.js';

/**
 * The worker's own configuration for each package manager. Every manager is pointed at these
 * files (and away from user, global and project ones), so the registry, scripts and the
 * package import method are the worker's choice whatever the project ships.
 */
export async function writeManagerConfig(
  configDir: string,
  manager: PackageManager,
  registry: string,
  caFile?: string,
): Promise<void> {
  await mkdir(path.join(configDir, 'xdg'), { recursive: true });
  const npmrc = [
    `registry=${registry}`,
    'ignore-scripts=true',
    'audit=false',
    'fund=false',
    'update-notifier=false',
    ...(caFile ? [`cafile=${caFile}`] : []),
  ];
  await writeFile(path.join(configDir, 'npmrc'), `${npmrc.join('\n')}\n`);
  await writeFile(path.join(configDir, 'npmrc-global'), '');
  if (manager === 'yarn') {
    const yarnrc = [
      `registry "${registry}"`,
      'ignore-scripts true',
      ...(caFile ? [`cafile "${caFile}"`] : []),
    ];
    await writeFile(path.join(configDir, 'yarnrc'), `${yarnrc.join('\n')}\n`);
  }
}

export interface InstallCommand {
  args: string[];
  env: Record<string, string>;
}

export function installCommand(
  manager: PackageManager,
  o: { frozen: boolean; registry: string; store: string; configDir: string; dir: string },
): InstallCommand {
  const env = {
    npm_config_userconfig: path.join(o.configDir, 'npmrc'),
    npm_config_globalconfig: path.join(o.configDir, 'npmrc-global'),
    npm_config_registry: o.registry,
    npm_config_ignore_scripts: 'true',
    XDG_CONFIG_HOME: path.join(o.configDir, 'xdg'),
    // A fallback manager must not refuse a project whose packageManager names another one.
    SKIP_YARN_COREPACK_CHECK: '1',
    COREPACK_ENABLE_STRICT: '0',
  };
  switch (manager) {
    case 'pnpm':
      return {
        env: { ...env, npm_config_store_dir: o.store },
        args: [
          'install',
          o.frozen ? '--frozen-lockfile' : '--no-frozen-lockfile',
          '--prefer-offline',
          '--ignore-scripts',
          '--ignore-pnpmfile',
          // Copies, not hard links: a file in node_modules is never the store's own inode.
          '--package-import-method',
          'copy',
          '--store-dir',
          o.store,
          '--registry',
          o.registry,
          '--reporter',
          'append-only',
          '--config.confirmModulesPurge=false',
          '--config.manage-package-manager-versions=false',
        ],
      };
    case 'yarn':
      return {
        env,
        args: [
          'install',
          ...(o.frozen ? ['--frozen-lockfile'] : []),
          '--ignore-scripts',
          '--non-interactive',
          '--no-progress',
          '--no-default-rc',
          '--use-yarnrc',
          path.join(o.configDir, 'yarnrc'),
          '--registry',
          o.registry,
          // yarn 1 names cache entries partly by URL, so a shared cache could be poisoned by a
          // lockfile; each install gets its own (the installed tree itself is still cached).
          '--cache-folder',
          path.join(o.dir, '.sheen-yarn-cache'),
        ],
      };
    case 'npm':
      return {
        env,
        args: [
          o.frozen ? 'ci' : 'install',
          '--ignore-scripts',
          '--no-audit',
          '--no-fund',
          '--prefer-offline',
          '--cache',
          o.store,
          '--registry',
          o.registry,
          '--loglevel',
          'warn',
        ],
      };
  }
}
