import { randomBytes } from 'node:crypto';
import { chown, mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { RunResult, Sandbox, SandboxIdentity } from '../sandbox/sandbox.js';
import { chownTree } from '../workspace/chown-tree.js';
import { DependencyCache, linkNodeModules, type TreeOrigin } from './dependency-cache.js';
import type { PackageJson, PackageManager } from './detect.js';
import {
  DependencySourceRefused,
  readInstallInput,
  writeInstallInput,
  readRegularFile,
  type IgnoredInput,
  type InstallInput,
} from './install-input.js';
import { installCommand, writeManagerConfig } from './manager-config.js';
import type { Toolchain } from './toolchain.js';
import type { TreeDigest } from './tree-digest.js';

export { NODE_MODULES_SCRATCH } from './dependency-cache.js';

const FALLBACK_ORDER: PackageManager[] = ['pnpm', 'yarn', 'npm'];
export const DEFAULT_REGISTRY = 'https://registry.npmjs.org/';

export interface InstallOptions {
  sandbox: Sandbox;
  toolchain: Toolchain;
  /** DATA_DIR/cache */
  cacheDir: string;
  /** Where per-install input directories are made (DATA_DIR/installs). */
  installsDir: string;
  timeoutMs: number;
  allowScripts: string[];
  registry?: string;
  /** Extra CA certificates (PEM) for the registry's TLS. */
  caFile?: string;
  /**
   * When the worker is root: the unprivileged user installs run as (it owns the input
   * directory and the stores); cached trees are then handed back to root.
   */
  installer?: SandboxIdentity;
  /** The build's own uid: allow-listed lifecycle scripts (dependency code) run as it. */
  builder?: SandboxIdentity;
  onOutput?: (stream: 'stdout' | 'stderr', text: string) => void;
  onAttempt?: (manager: PackageManager, frozen: boolean) => void;
  /** Called once per project file or setting the install left out, with the reason. */
  onIgnored?: (ignored: IgnoredInput) => void;
  signal?: AbortSignal;
  /** Install exactly the lockfile (default); false lets the manager update it. */
  frozen?: boolean;
  /** Digests a cached tree (default: on the event loop; the worker's walker thread). */
  walkTree?: (root: string) => Promise<TreeDigest>;
}

export type InstallOutcome =
  | {
      ok: true;
      manager: PackageManager;
      reused: boolean;
      key: string | undefined;
      processMs: number;
    }
  | { ok: false; manager: PackageManager; result: RunResult; processMs: number }
  | { ok: false; manager: PackageManager; refused: DependencySourceRefused; processMs: 0 };

/**
 * Installs a project's dependencies without running any of its code. The manager sees only
 * a cut-down package.json and its lockfile in a fresh directory, with the worker's own config
 * (registry, scripts off), and reaches nothing but the registry. The resulting tree is cached
 * under a key of exactly what produced it (manager, its version, registry, manifest,
 * lockfile); a fallback manager computes its own key. Trees with local dependencies are
 * installed in place and never cached.
 */
export async function installDependencies(
  workspace: string,
  manager: PackageManager,
  pkg: PackageJson,
  options: InstallOptions,
): Promise<InstallOutcome> {
  const chain = [manager, ...FALLBACK_ORDER.filter((m) => m !== manager)];
  const cache = new DependencyCache(path.join(options.cacheDir, 'deps'), options.walkTree);
  const registry = options.registry ?? DEFAULT_REGISTRY;
  let processMs = 0;
  let last: RunResult | undefined;
  for (const [i, candidate] of chain.entries()) {
    const dir = path.join(options.installsDir, `${candidate}-${randomBytes(6).toString('hex')}`);
    let release: (() => void) | undefined;
    let written = false;
    try {
      let input: InstallInput;
      try {
        input = await readInstallInput(workspace, candidate, pkg, dir, registry);
      } catch (err) {
        if (err instanceof DependencySourceRefused)
          return { ok: false, manager, refused: err, processMs: 0 };
        throw err;
      }
      if (i === 0) for (const ignored of input.ignored) options.onIgnored?.(ignored);
      const origin = originOf(candidate, input, registry, options);
      const found: Found = input.cacheable ? await findOrClaim(cache, origin, options.signal) : {};
      release = found.release;
      const hit = found.hit;
      if (hit) {
        await linkNodeModules(workspace, hit.nodeModules);
        return { ok: true, manager: candidate, reused: true, key: hit.key, processMs };
      }
      // Written only now: a tree found in the cache needs no directory to install in.
      written = true;
      await writeInstallInput(workspace, pkg, input);
      const frozen = i === 0 && options.frozen !== false && input.lockfile !== undefined;
      options.onAttempt?.(candidate, frozen);
      const result = await runInstall(input, candidate, frozen, registry, options);
      processMs += result.durationMs;
      last = result;
      // A limit the project hit (time, disk, output) would be hit again by the next manager.
      if (options.signal?.aborted || result.timedOut || result.killedBy) break;
      if (result.exitCode !== 0) continue;
      await copyLockfileBack(input, candidate, workspace, frozen);
      if (options.allowScripts.length > 0) {
        const rebuilt = await runRebuild(input.dir, options);
        processMs += rebuilt.durationMs;
        if (rebuilt.exitCode !== 0)
          return { ok: false, manager: candidate, result: rebuilt, processMs };
      }
      const key = await placeTree(input, origin, workspace, cache, options);
      return { ok: true, manager: candidate, reused: false, key, processMs };
    } finally {
      release?.();
      if (written) await rm(dir, { recursive: true, force: true });
    }
  }
  return { ok: false, manager, result: last as RunResult, processMs };
}

/** A stored tree to link, or the claim to install one (released once the tree is stored). */
interface Found {
  hit?: { key: string; nodeModules: string };
  release?: () => void;
}

/**
 * The cached tree for `origin`, or the claim to install it. Lookups of a stored tree run side
 * by side; on a miss, a build waits for an install of the same tree under way in this process
 * and looks again, so concurrent builds of the same kind install it once.
 */
async function findOrClaim(
  cache: DependencyCache,
  origin: TreeOrigin,
  signal: AbortSignal | undefined,
): Promise<Found> {
  const stored = await cache.lookup(origin);
  if (stored) return { hit: stored };
  const release = await cache.claim(origin, signal);
  try {
    const hit = await cache.lookup(origin);
    if (!hit) return { release };
    release();
    return { hit };
  } catch (err) {
    release();
    throw err;
  }
}

function originOf(
  manager: PackageManager,
  input: InstallInput,
  registry: string,
  options: InstallOptions,
): TreeOrigin {
  return {
    manager,
    managerVersion: options.toolchain.versions[manager],
    registry,
    allowScripts: [...options.allowScripts].sort(),
    manifest: input.manifest,
    ...(input.lockfile ? { lockfile: input.lockfile.text } : {}),
  };
}

async function runInstall(
  input: InstallInput,
  manager: PackageManager,
  frozen: boolean,
  registry: string,
  options: InstallOptions,
): Promise<RunResult> {
  const store = path.join(options.cacheDir, manager === 'pnpm' ? 'pnpm-store' : 'npm');
  const writable = manager === 'yarn' ? [] : [store];
  for (const d of writable) {
    await mkdir(d, { recursive: true });
    if (options.installer) await chown(d, options.installer.uid, options.installer.gid);
  }
  const configDir = path.join(input.dir, '.sheen-config');
  await writeManagerConfig(configDir, manager, registry, options.caFile);
  const command = installCommand(manager, { frozen, registry, store, configDir, dir: input.dir });
  const caPaths = options.caFile && !options.caFile.startsWith('/etc/ssl/') ? [options.caFile] : [];
  if (options.installer) await chownTree(input.dir, options.installer);
  return options.sandbox.run({
    // One installer uid for every build: the stores stay writable for all installs, and the
    // install runs no project or dependency code that could use it against another build.
    ...(options.installer ? { identity: options.installer } : {}),
    command: options.toolchain.node,
    args: [options.toolchain.scripts[manager], ...command.args],
    cwd: input.dir,
    workspace: input.dir,
    network: true,
    allowOrigins: [new URL(registry).origin],
    timeoutMs: options.timeoutMs,
    writablePaths: writable,
    readOnlyPaths: [...options.toolchain.paths, ...caPaths],
    env: { ...command.env, ...(options.caFile ? { NODE_EXTRA_CA_CERTS: options.caFile } : {}) },
    ...(options.onOutput ? { onOutput: options.onOutput } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  });
}

/** An unfrozen install may have written a new lockfile: the project keeps it for next time. */
async function copyLockfileBack(
  input: InstallInput,
  manager: PackageManager,
  workspace: string,
  frozen: boolean,
): Promise<void> {
  if (frozen) return;
  const name =
    input.lockfile?.name ??
    { pnpm: 'pnpm-lock.yaml', yarn: 'yarn.lock', npm: 'package-lock.json' }[manager];
  const text = await readRegularFile(path.join(input.dir, name));
  if (text === undefined) return;
  // Replaced, never written through: whatever the build step left at that name goes first.
  const target = path.join(workspace, name);
  await rm(target, { recursive: true, force: true });
  await writeFile(target, text, { flag: 'wx' });
}

/** Moves the installed tree into the cache and links it, or into the workspace when local. */
async function placeTree(
  input: InstallInput,
  origin: TreeOrigin,
  workspace: string,
  cache: DependencyCache,
  options: InstallOptions,
): Promise<string | undefined> {
  const installed = path.join(input.dir, 'node_modules');
  if (!(await exists(installed))) await mkdir(installed, { recursive: true });
  if (input.cacheable) {
    // Installed as the sandbox user; stored as the worker's own, so no sandbox can edit it.
    const self = options.installer
      ? { uid: process.getuid?.() ?? 0, gid: process.getgid?.() ?? 0 }
      : undefined;
    const stored = await cache.store(origin, installed, self);
    await linkNodeModules(workspace, stored.nodeModules);
    return stored.key;
  }
  const target = path.join(workspace, 'node_modules');
  await rm(target, { recursive: true, force: true });
  await rename(installed, target);
  // The build runs as the workspace's owner and writes into node_modules (.vite-temp).
  const owner = await stat(workspace);
  if (options.installer) await chownTree(target, { uid: owner.uid, gid: owner.gid });
  return undefined;
}

/**
 * Runs the lifecycle scripts of allow-listed packages only, before the tree is stored: without
 * network and with no shared store mounted, so their code can change nothing but this tree.
 */
async function runRebuild(dir: string, options: InstallOptions): Promise<RunResult> {
  if (options.builder) await chownTree(dir, options.builder);
  return options.sandbox.run({
    ...(options.builder ? { identity: options.builder } : {}),
    command: options.toolchain.node,
    args: [options.toolchain.scripts.npm, 'rebuild', ...options.allowScripts],
    cwd: dir,
    workspace: dir,
    network: false,
    timeoutMs: options.timeoutMs,
    ...(options.onOutput ? { onOutput: options.onOutput } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  });
}

async function exists(p: string): Promise<boolean> {
  return stat(p).then(
    () => true,
    () => false,
  );
}

export async function pathExists(p: string): Promise<boolean> {
  return exists(p);
}
