import { createHash, randomBytes } from 'node:crypto';
import {
  chmod,
  chown,
  lchown,
  mkdir,
  readdir,
  readFile,
  rename,
  rm,
  stat,
  symlink,
  writeFile,
} from 'node:fs/promises';
import path from 'node:path';
import type { RunResult, Sandbox } from '../sandbox/sandbox.js';
import { chownTree as chownStore } from '../workspace/chown-tree.js';
import type { PackageJson, PackageManager } from './detect.js';
import type { Toolchain } from './toolchain.js';

const FALLBACK_ORDER: PackageManager[] = ['pnpm', 'yarn', 'npm'];
const LOCKFILES: Record<PackageManager, string[]> = {
  pnpm: ['pnpm-lock.yaml'],
  yarn: ['yarn.lock'],
  npm: ['package-lock.json', 'npm-shrinkwrap.json'],
};
/** Directories tools write into inside node_modules; made writable scratch space. */
export const NODE_MODULES_SCRATCH = ['.vite-temp', '.cache', '.vite'];

export interface InstallOptions {
  sandbox: Sandbox;
  toolchain: Toolchain;
  /** DATA_DIR/cache */
  cacheDir: string;
  timeoutMs: number;
  allowScripts: string[];
  registry?: string;
  /** When the worker is root, the cache is handed back to root so sandboxes cannot alter it. */
  cacheOwner?: { uid: number; gid: number };
  onOutput?: (stream: 'stdout' | 'stderr', text: string) => void;
  onAttempt?: (manager: PackageManager, frozen: boolean) => void;
  signal?: AbortSignal;
  /** Install exactly the lockfile (default); false lets the manager update it. */
  frozen?: boolean;
}

export type InstallOutcome =
  | {
      ok: true;
      manager: PackageManager;
      reused: boolean;
      key: string | undefined;
      processMs: number;
    }
  | { ok: false; manager: PackageManager; result: RunResult; processMs: number };

/**
 * Installs a project's dependencies. node_modules trees are cached by the hash of the
 * lockfile: a project whose lockfile was seen before gets the cached tree linked in and
 * installs nothing. Otherwise the detected manager installs (lifecycle scripts off), falling
 * back along pnpm → yarn → npm; a successful tree is moved into the cache for next time.
 */
export async function installDependencies(
  workspace: string,
  manager: PackageManager,
  pkg: PackageJson,
  options: InstallOptions,
): Promise<InstallOutcome> {
  const key = await cacheKey(workspace, manager, pkg);
  const cached = key ? path.join(options.cacheDir, 'deps', key) : undefined;
  if (cached && (await pathExists(path.join(cached, '.complete')))) {
    await linkNodeModules(workspace, cached);
    return { ok: true, manager, reused: true, key, processMs: 0 };
  }

  const chain = [manager, ...FALLBACK_ORDER.filter((m) => m !== manager)];
  let processMs = 0;
  let last: RunResult | undefined;
  for (const [i, candidate] of chain.entries()) {
    const frozen = i === 0 && options.frozen !== false && (await hasLockfile(workspace, candidate));
    options.onAttempt?.(candidate, frozen);
    await rm(path.join(workspace, 'node_modules'), { recursive: true, force: true });
    const result = await runInstall(workspace, candidate, frozen, options);
    processMs += result.durationMs;
    last = result;
    if (options.signal?.aborted || result.timedOut) break;
    if (result.exitCode !== 0) continue;
    if (options.allowScripts.length > 0) {
      const rebuilt = await runRebuild(workspace, options);
      processMs += rebuilt.durationMs;
      if (rebuilt.exitCode !== 0)
        return { ok: false, manager: candidate, result: rebuilt, processMs };
    }
    if (cached) await promoteToCache(workspace, cached, options.cacheOwner);
    return { ok: true, manager: candidate, reused: false, key, processMs };
  }
  return { ok: false, manager, result: last as RunResult, processMs };
}

/** Same lockfile (or, without one, same dependency lists) → same key. Local deps are never cached. */
export async function cacheKey(
  workspace: string,
  manager: PackageManager,
  pkg: PackageJson,
): Promise<string | undefined> {
  const optional = pkg.optionalDependencies as Record<string, string> | undefined;
  const deps = { ...pkg.dependencies, ...pkg.devDependencies, ...optional };
  if (Object.values(deps).some((v) => /^(file|link|workspace|portal):/.test(String(v))))
    return undefined;
  // Both the lockfile and the declared dependencies: a package.json edited after the lockfile
  // was written (a fix adding a dependency) must not match the old tree.
  const hash = createHash('sha256').update(`${manager}\0`);
  hash.update((await firstLockfile(workspace, manager)) ?? '\0no-lockfile\0');
  hash.update(JSON.stringify({ deps, packageManager: pkg.packageManager ?? null }));
  return hash.digest('hex').slice(0, 32);
}

async function firstLockfile(
  workspace: string,
  manager: PackageManager,
): Promise<string | undefined> {
  for (const name of LOCKFILES[manager]) {
    try {
      return await readFile(path.join(workspace, name), 'utf8');
    } catch {
      // try the next name
    }
  }
  return undefined;
}

async function hasLockfile(workspace: string, manager: PackageManager): Promise<boolean> {
  return (await firstLockfile(workspace, manager)) !== undefined;
}

function installArgs(manager: PackageManager, frozen: boolean, options: InstallOptions): string[] {
  const cache = (name: string) => path.join(options.cacheDir, name);
  switch (manager) {
    case 'pnpm':
      return [
        'install',
        frozen ? '--frozen-lockfile' : '--no-frozen-lockfile',
        '--prefer-offline',
        '--ignore-scripts',
        '--store-dir',
        cache('pnpm-store'),
        '--reporter',
        'append-only',
        '--config.confirmModulesPurge=false',
      ];
    case 'yarn':
      return [
        'install',
        ...(frozen ? ['--frozen-lockfile'] : []),
        '--ignore-scripts',
        '--non-interactive',
        '--prefer-offline',
        '--no-progress',
        '--cache-folder',
        cache('yarn'),
      ];
    case 'npm':
      return [
        frozen ? 'ci' : 'install',
        '--ignore-scripts',
        '--no-audit',
        '--no-fund',
        '--prefer-offline',
        '--cache',
        cache('npm'),
        '--loglevel',
        'warn',
      ];
  }
}

async function runInstall(
  workspace: string,
  manager: PackageManager,
  frozen: boolean,
  options: InstallOptions,
): Promise<RunResult> {
  const stores = ['pnpm-store', 'yarn', 'npm'].map((d) => path.join(options.cacheDir, d));
  await Promise.all(stores.map((d) => mkdir(d, { recursive: true })));
  if (options.cacheOwner) {
    // Each build has its own uid: directories an earlier build created are handed to this
    // one so it can add to them; existing files keep their owners.
    const owner = options.cacheOwner;
    await Promise.all(stores.map((d) => chownStore(d, owner, { directoriesOnly: true })));
  }
  return options.sandbox.run({
    command: options.toolchain.node,
    args: [options.toolchain.scripts[manager], ...installArgs(manager, frozen, options)],
    cwd: workspace,
    workspace,
    network: true,
    timeoutMs: options.timeoutMs,
    writablePaths: stores,
    readOnlyPaths: options.toolchain.paths,
    env: {
      ...(manager === 'pnpm' ? { npm_config_store_dir: stores[0] as string } : {}),
      // A fallback manager must not refuse a project whose packageManager names another one.
      SKIP_YARN_COREPACK_CHECK: '1',
      COREPACK_ENABLE_STRICT: '0',
      ...(options.registry ? { npm_config_registry: options.registry } : {}),
    },
    ...(options.onOutput ? { onOutput: options.onOutput } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  });
}

/** Runs the lifecycle scripts of allow-listed packages only, without network. */
function runRebuild(workspace: string, options: InstallOptions): Promise<RunResult> {
  return options.sandbox.run({
    command: options.toolchain.node,
    args: [options.toolchain.scripts.npm, 'rebuild', ...options.allowScripts],
    cwd: workspace,
    workspace,
    network: false,
    timeoutMs: options.timeoutMs,
    ...(options.onOutput ? { onOutput: options.onOutput } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  });
}

async function linkNodeModules(workspace: string, cached: string): Promise<void> {
  const link = path.join(workspace, 'node_modules');
  await rm(link, { recursive: true, force: true });
  await symlink(path.join(cached, 'node_modules'), link, 'dir');
}

/** Moves a fresh node_modules into the cache (atomically) and links it back. */
async function promoteToCache(
  workspace: string,
  cached: string,
  owner: { uid: number; gid: number } | undefined,
): Promise<void> {
  const staging = `${cached}.tmp-${randomBytes(6).toString('hex')}`;
  await mkdir(staging, { recursive: true });
  const modules = path.join(workspace, 'node_modules');
  await rename(modules, path.join(staging, 'node_modules'));
  for (const dir of NODE_MODULES_SCRATCH) {
    const p = path.join(staging, 'node_modules', dir);
    await mkdir(p, { recursive: true });
  }
  if (owner) await chownTree(path.join(staging, 'node_modules'), 0, 0);
  // Scratch dirs stay writable for the process runner (bubblewrap mounts tmpfs over them).
  for (const dir of NODE_MODULES_SCRATCH)
    await chmod(path.join(staging, 'node_modules', dir), 0o1777);
  await writeFile(path.join(staging, '.complete'), new Date().toISOString());
  try {
    await rename(staging, cached);
  } catch {
    // Another build cached the same key first: use theirs.
    await rm(staging, { recursive: true, force: true });
  }
  await linkNodeModules(workspace, cached);
}

async function chownTree(dir: string, uid: number, gid: number): Promise<void> {
  await chown(dir, uid, gid);
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) await chownTree(p, uid, gid);
    else await lchownSafe(p, uid, gid);
  }
}

async function lchownSafe(p: string, uid: number, gid: number): Promise<void> {
  await lchown(p, uid, gid).catch(() => undefined);
}

export async function pathExists(p: string): Promise<boolean> {
  try {
    await stat(p);
    return true;
  } catch {
    return false;
  }
}
