import { constants } from 'node:fs';
import { copyFile, lstat, mkdir, open, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { PackageJson, PackageManager } from './detect.js';

/**
 * What a package manager gets to see of a project: a fresh directory holding a package.json
 * cut down to its dependency lists and the manager's own lockfile, nothing else. Project
 * config (`.npmrc`, `.yarnrc*`, `.pnpmfile.cjs`, `pnpm-workspace.yaml`, `.yarn/`) can run code
 * or change the registry, so it never reaches the install; each file left out is reported.
 */
export const LOCKFILES: Record<PackageManager, string[]> = {
  pnpm: ['pnpm-lock.yaml'],
  yarn: ['yarn.lock'],
  npm: ['package-lock.json', 'npm-shrinkwrap.json'],
};

export interface IgnoredInput {
  file: string;
  reason: string;
}

export interface InstallInput {
  dir: string;
  ignored: IgnoredInput[];
  /** False when the project has local (`file:`) dependencies: such trees are never shared. */
  cacheable: boolean;
  /** The lockfile given to the manager (after registry URLs were pointed at the worker's). */
  lockfile?: { name: string; text: string };
  /** The package.json the manager installs from. */
  manifest: string;
}

/** A dependency that does not come from the worker's registry, refused before any install. */
export class DependencySourceRefused extends Error {
  constructor(
    message: string,
    readonly hint: string,
  ) {
    super(message);
    this.name = 'DependencySourceRefused';
  }
}

const CONFIG_FILES: Record<string, string> = {
  '.npmrc': 'project npm config can change the registry, the script shell or enable scripts',
  '.yarnrc': 'project yarn config can change the registry or run another yarn',
  '.yarnrc.yml': 'project yarn config can load plugins or run another yarn (yarnPath)',
  '.pnpmfile.cjs': 'a pnpmfile runs code during install',
  '.pnpmfile.mjs': 'a pnpmfile runs code during install',
  'pnpmfile.js': 'a pnpmfile runs code during install',
  'pnpm-workspace.yaml': 'workspace settings can load config dependencies, hooks or a registry',
  '.yarn': 'yarn plugins and releases are code',
  '.pnp.cjs': 'a Plug’n’Play loader is code',
  'bunfig.toml': 'bun config is not used',
};
const LIFECYCLE = ['preinstall', 'install', 'postinstall', 'prepare', 'preprepare', 'postprepare'];
const DEP_FIELDS = ['dependencies', 'devDependencies', 'optionalDependencies'] as const;

export async function readInstallInput(
  workspace: string,
  manager: PackageManager,
  pkg: PackageJson,
  dir: string,
  registry: string,
): Promise<InstallInput> {
  const ignored = await ignoredConfig(workspace, pkg);
  const cacheable = localDependencies(pkg).length === 0;
  const manifest = JSON.stringify(installManifest(pkg), null, 2);
  const lockfile = await readLockfile(workspace, manager);
  if (!lockfile) return { dir, ignored, cacheable, manifest };
  const text = pinLockfileToRegistry(lockfile.name, lockfile.text, registry);
  return { dir, ignored, cacheable, lockfile: { ...lockfile, text }, manifest };
}

/**
 * Writes the install's directory: the manifest, the lockfile and the project's local
 * packages. Only an install needs it; a tree found in the cache is linked without it.
 */
export async function writeInstallInput(
  workspace: string,
  pkg: PackageJson,
  input: InstallInput,
): Promise<void> {
  await mkdir(input.dir, { recursive: true });
  for (const rel of localDependencies(pkg)) await copyLocalPackage(workspace, rel, input.dir);
  await writeFile(path.join(input.dir, 'package.json'), input.manifest);
  if (input.lockfile) {
    await writeFile(path.join(input.dir, input.lockfile.name), input.lockfile.text);
  }
}

async function ignoredConfig(workspace: string, pkg: PackageJson): Promise<IgnoredInput[]> {
  const names = new Set(await readdir(workspace).catch(() => [] as string[]));
  const ignored: IgnoredInput[] = Object.entries(CONFIG_FILES)
    .filter(([name]) => names.has(name))
    .map(([file, reason]) => ({ file, reason }));
  if (pkg.packageManager) {
    ignored.push({
      file: 'package.json#packageManager',
      reason: 'the worker installs with its own package managers and downloads none',
    });
  }
  for (const field of ['pnpm', 'workspaces', 'bundleDependencies', 'bundledDependencies']) {
    if (pkg[field] !== undefined && !(field === 'pnpm' && onlyOverrides(pkg.pnpm))) {
      ignored.push({
        file: `package.json#${field}`,
        reason: 'install settings of the project are not used',
      });
    }
  }
  const scripts = Object.keys(pkg.scripts ?? {}).filter((s) => LIFECYCLE.includes(s));
  if (scripts.length > 0) {
    ignored.push({
      file: `package.json#scripts.${scripts.join(',')}`,
      reason: 'lifecycle scripts do not run during install',
    });
  }
  return ignored;
}

function onlyOverrides(value: unknown): boolean {
  return (
    typeof value === 'object' &&
    value !== null &&
    Object.keys(value).every((k) => k === 'overrides')
  );
}

/** The dependency lists and override maps, nothing that configures the manager. */
function installManifest(pkg: PackageJson): Record<string, unknown> {
  const version = typeof pkg.version === 'string' && /^\d+\.\d+\.\d+[\w.+-]*$/.test(pkg.version);
  const out: Record<string, unknown> = {
    name: safeName(pkg.name),
    version: version ? pkg.version : '0.0.0',
    private: true,
  };
  if (typeof pkg.type === 'string') out.type = pkg.type;
  for (const field of DEP_FIELDS) {
    const deps = pkg[field] as Record<string, string> | undefined;
    if (deps) out[field] = checkSpecs(field, deps);
  }
  const pnpm = pkg.pnpm as { overrides?: unknown } | undefined;
  if (overrideTree('overrides', pkg.overrides)) out.overrides = pkg.overrides;
  if (overrideTree('resolutions', pkg.resolutions)) out.resolutions = pkg.resolutions;
  if (overrideTree('pnpm.overrides', pnpm?.overrides)) out.pnpm = { overrides: pnpm?.overrides };
  return out;
}

function safeName(name: unknown): string {
  return typeof name === 'string' && /^(@[a-z0-9._-]+\/)?[a-z0-9._-]{1,100}$/.test(name)
    ? name
    : 'app';
}

/**
 * Override maps (`overrides`, `resolutions`, `pnpm.overrides`) are kept when every value is a
 * string or a nested map; a value from outside the registry is refused like a dependency.
 */
function overrideTree(field: string, value: unknown): boolean {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  for (const [name, v] of Object.entries(value)) {
    // `"$react"` refers to the project's own dependency of that name.
    if (typeof v === 'string' && !/^\$[\w@/.-]+$/.test(v)) checkSpecs(field, { [name]: v });
    else if (typeof v === 'string') continue;
    else if (!overrideTree(`${field}.${name}`, v)) return false;
  }
  return true;
}

export type SpecKind = 'registry' | 'local' | 'remote';

/** `^1.2.0`, `latest`, `npm:react@18` come from the registry; git, URLs and shorthands do not. */
export function specKind(spec: string): SpecKind {
  const s = spec.trim();
  if (/^(file|link):/.test(s)) return 'local';
  if (s.startsWith('npm:')) {
    const inner = s.slice(4);
    const at = inner.lastIndexOf('@');
    return at > 0 ? specKind(inner.slice(at + 1)) : 'registry';
  }
  // Version ranges and dist-tags use only these characters; anything with a scheme, a slash
  // (GitHub shorthand `user/repo`) or a `#` is a source outside the registry.
  return /^[\w.*^~<>=|+\s-]*$/.test(s) ? 'registry' : 'remote';
}

function checkSpecs(field: string, deps: Record<string, string>): Record<string, string> {
  for (const [name, spec] of Object.entries(deps)) {
    const kind = specKind(String(spec));
    if (kind === 'remote') {
      throw new DependencySourceRefused(
        `${field}.${name} ("${String(spec).slice(0, 200)}") does not come from the npm registry.`,
        'Use a version from the registry (for example "^1.2.0"); git, URL and tarball dependencies are not installed.',
      );
    }
    if (kind === 'local') localPath(name, String(spec));
  }
  return deps;
}

function localDependencies(pkg: PackageJson): string[] {
  const paths = new Set<string>();
  for (const field of DEP_FIELDS) {
    for (const [name, spec] of Object.entries((pkg[field] as Record<string, string>) ?? {})) {
      if (specKind(String(spec)) === 'local') paths.add(localPath(name, String(spec)));
    }
  }
  return [...paths];
}

/** The workspace-relative folder of a `file:`/`link:` dependency, which must stay inside it. */
function localPath(name: string, spec: string): string {
  const rel = path.posix.normalize(spec.replace(/^(file|link):/, '').replace(/\\/g, '/'));
  if (path.posix.isAbsolute(rel) || rel === '..' || rel.startsWith('../') || rel === '.') {
    throw new DependencySourceRefused(
      `The local dependency ${name} ("${spec.slice(0, 200)}") points outside the project.`,
      'A file: dependency must name a folder inside the project.',
    );
  }
  return rel;
}

/** Copies a local package (regular files only, no node_modules) into the install input. */
async function copyLocalPackage(workspace: string, rel: string, dest: string): Promise<void> {
  const walk = async (from: string, to: string, depth: number): Promise<void> => {
    const info = await lstat(from).catch(() => undefined);
    if (!info || depth > 20) return;
    if (info.isFile()) {
      await mkdir(path.dirname(to), { recursive: true });
      await copyFile(from, to);
      return;
    }
    if (!info.isDirectory()) return;
    for (const entry of await readdir(from)) {
      if (entry === 'node_modules' || entry === '.git') continue;
      await walk(path.join(from, entry), path.join(to, entry), depth + 1);
    }
  };
  await walk(path.join(workspace, rel), path.join(dest, rel), 0);
}

async function readLockfile(
  workspace: string,
  manager: PackageManager,
): Promise<{ name: string; text: string } | undefined> {
  for (const name of LOCKFILES[manager]) {
    const text = await readRegularFile(path.join(workspace, name));
    if (text !== undefined) return { name, text };
  }
  return undefined;
}

/**
 * A file's text when it is a regular file, never through a symlink: the build step runs
 * project code that could leave `package-lock.json` pointing at a worker secret.
 */
export async function readRegularFile(p: string): Promise<string | undefined> {
  const handle = await open(p, constants.O_RDONLY | constants.O_NOFOLLOW).catch(() => undefined);
  if (!handle) return undefined;
  try {
    return (await handle.stat()).isFile() ? await handle.readFile('utf8') : undefined;
  } finally {
    await handle.close();
  }
}

const PUBLIC_REGISTRIES = ['https://registry.npmjs.org/', 'https://registry.yarnpkg.com/'];

/**
 * Lockfiles name the tarball URLs they were made with. Those on a public registry are pointed
 * at the worker's registry; any other host (a loopback, a private address, an attacker's
 * server) is refused here, before anything runs.
 */
export function pinLockfileToRegistry(name: string, text: string, registry: string): string {
  const base = registry.endsWith('/') ? registry : `${registry}/`;
  const rewrite = (url: string, where: string): string => {
    if (url.startsWith(base)) return url;
    const pub = PUBLIC_REGISTRIES.find((p) => url.startsWith(p));
    if (pub) return base + url.slice(pub.length);
    let host = url;
    try {
      host = new URL(url).host;
    } catch {
      // not a URL at all: named as it is
    }
    throw new DependencySourceRefused(
      `${name} resolves ${where} from ${host.slice(0, 200)}, which is not the worker's registry.`,
      'Remove the lockfile (or that entry) so it is resolved again from the registry.',
    );
  };
  const remote = /^(git\+|git:|ssh:|github:)/;
  if (name === 'pnpm-lock.yaml') {
    if (/^\s*type:\s*git\b/m.test(text) || /\brepo:\s/.test(text))
      rewrite('git', 'a git dependency');
    return text.replace(
      /(tarball:\s*)(['"]?)(\S+?)\2(\s*[,}\n])/g,
      (_m, pre, q, url, post) => `${pre}${q}${rewrite(String(url), 'a tarball')}${q}${post}`,
    );
  }
  if (name === 'yarn.lock') {
    return text.replace(/^(\s+resolved\s+)"([^"]+)"/gm, (_m, pre, url) => {
      const u = String(url);
      if (remote.test(u)) rewrite(u, 'a git dependency');
      return `${pre}"${rewrite(u, 'a package')}"`;
    });
  }
  let lock: { packages?: Record<string, { resolved?: unknown }>; dependencies?: unknown };
  try {
    lock = JSON.parse(text) as typeof lock;
  } catch {
    return text; // the manager reports the broken lockfile itself
  }
  for (const [where, entry] of Object.entries(lock.packages ?? {})) {
    if (typeof entry?.resolved !== 'string') continue;
    if (entry.resolved.startsWith('file:') || !/^[a-z+]+:/.test(entry.resolved)) continue;
    entry.resolved = rewrite(entry.resolved, where || 'the root');
  }
  return JSON.stringify(lock, null, 2);
}
