import { constants } from 'node:fs';
import { access, open, readdir, readFile, realpath } from 'node:fs/promises';
import path from 'node:path';
import { EngineMisconfiguredError } from '../engine.js';

const ENGINE = 'claude-cli';
const WRAPPER = '@anthropic-ai/claude-code';

/** The executable CLAUDE_BIN names, with symlinks and the npm wrapper followed. */
export interface LocatedCli {
  /** Absolute real path of what the sandbox runs. */
  file: string;
  /** A compiled executable that needs nothing beside it (so it can be copied on its own). */
  native: boolean;
  /** For a script inside an npm package: the package directories it reads at run time. */
  packageDirs: string[];
}

/** A setup error: it names CLAUDE_BIN and says how to fix it. */
export function misconfigured(message: string, cause?: unknown): EngineMisconfiguredError {
  return new EngineMisconfiguredError(ENGINE, 'CLAUDE_BIN', message, cause ? { cause } : {});
}

/**
 * Finds the CLI: a path, or a name looked up on `searchPath`. Claude Code's npm package puts a
 * stub at `bin/claude.exe` that its postinstall replaces with the native binary; when install
 * scripts did not run (npm 11's script policy, --ignore-scripts), the binary is taken from the
 * per-platform package the wrapper pins, exactly as its postinstall would.
 */
export async function locateCli(bin: string, searchPath: string): Promise<LocatedCli> {
  const candidates = bin.includes('/')
    ? [path.resolve(bin)]
    : searchPath
        .split(':')
        .filter((dir) => dir.startsWith('/'))
        .map((dir) => path.join(dir, bin));
  let found: string | undefined;
  for (const candidate of candidates) {
    if (await executable(candidate)) {
      found = await realpath(candidate);
      break;
    }
  }
  if (!found) {
    throw misconfigured(
      `The Claude Code CLI was not found: CLAUDE_BIN=${bin} is not an executable` +
        (bin.includes('/') ? '' : ' on PATH') +
        '. Install it (npm install -g @anthropic-ai/claude-code) or set CLAUDE_BIN to the path of the claude binary.',
    );
  }
  if (await isNative(found)) return { file: found, native: true, packageDirs: [] };
  const pkg = await packageOf(found);
  if (pkg?.name === WRAPPER && hasPlatformPackages(pkg.manifest)) {
    return { file: await nativeOfWrapper(bin, pkg), native: true, packageDirs: [] };
  }
  return { file: found, native: false, packageDirs: pkg ? await packageMounts(pkg.dir) : [] };
}

async function executable(file: string): Promise<boolean> {
  try {
    await access(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** ELF or Mach-O: a compiled program, not a script or the wrapper's text stub. */
export async function isNative(file: string): Promise<boolean> {
  const handle = await open(file, 'r').catch(() => undefined);
  if (!handle) return false;
  try {
    const head = Buffer.alloc(4);
    const { bytesRead } = await handle.read(head, 0, 4, 0);
    if (bytesRead < 4) return false;
    const magic = head.readUInt32BE(0);
    return [0x7f454c46, 0xfeedface, 0xfeedfacf, 0xcefaedfe, 0xcffaedfe, 0xcafebabe].includes(magic);
  } finally {
    await handle.close();
  }
}

interface Manifest {
  name?: string;
  version?: string;
  optionalDependencies?: Record<string, string>;
}

interface PackageInfo {
  dir: string;
  name: string | undefined;
  manifest: Manifest;
}

/** The npm package `file` belongs to: the nearest package.json below a node_modules entry. */
async function packageOf(file: string): Promise<PackageInfo | undefined> {
  const parts = file.split(path.sep);
  const nm = parts.lastIndexOf('node_modules');
  if (nm === -1 || nm + 1 >= parts.length - 1) return undefined;
  const scoped = parts[nm + 1]!.startsWith('@');
  const dir = parts.slice(0, nm + (scoped ? 3 : 2)).join(path.sep);
  try {
    const manifest = JSON.parse(await readFile(path.join(dir, 'package.json'), 'utf8')) as Manifest;
    return { dir, name: manifest.name, manifest };
  } catch {
    return { dir, name: undefined, manifest: {} };
  }
}

function hasPlatformPackages(manifest: Manifest): boolean {
  return Object.keys(manifest.optionalDependencies ?? {}).some((d) => d.startsWith(`${WRAPPER}-`));
}

/** npm's platform key as the wrapper's postinstall computes it (linux-x64, linux-x64-musl, …). */
export function platformKey(): string {
  if (process.platform !== 'linux') return `${process.platform}-${process.arch}`;
  const report = process.report.getReport() as { header?: { glibcVersionRuntime?: string } };
  return `linux-${process.arch}${report.header?.glibcVersionRuntime ? '' : '-musl'}`;
}

/**
 * The native binary of the wrapper package at `pkg`: the wrapper's own `bin/claude.exe` once
 * its postinstall ran, else the platform package at exactly the version the wrapper pins, in
 * the wrapper's own node_modules or beside it (where npm puts it).
 */
async function nativeOfWrapper(bin: string, pkg: PackageInfo): Promise<string> {
  const placed = path.join(pkg.dir, 'bin', 'claude.exe');
  if (await isNative(placed)) return realpath(placed);
  const platformPkg = `${WRAPPER}-${platformKey()}`;
  const version = pkg.manifest.optionalDependencies?.[platformPkg];
  const parent = path.dirname(pkg.dir);
  const enclosing = path.basename(parent).startsWith('@') ? path.dirname(parent) : parent;
  for (const dir of [
    path.join(pkg.dir, 'node_modules', platformPkg),
    path.join(enclosing, platformPkg),
  ]) {
    try {
      const manifest = JSON.parse(
        await readFile(path.join(dir, 'package.json'), 'utf8'),
      ) as Manifest;
      const binary = path.join(dir, 'claude');
      if (manifest.name === platformPkg && manifest.version === version && (await isNative(binary)))
        return realpath(binary);
    } catch {
      // not installed here
    }
  }
  throw misconfigured(
    `CLAUDE_BIN=${bin} is the npm wrapper of Claude Code ${pkg.manifest.version ?? ''}, but its` +
      ` native binary (${platformPkg}${version ? `@${version}` : ''}) is not installed:` +
      ' reinstall without --omit=optional, or set CLAUDE_BIN to the native claude binary.',
  );
}

/** A script's package and its per-platform siblings (e.g. …-linux-x64), read-only in the sandbox. */
async function packageMounts(pkgDir: string): Promise<string[]> {
  const parent = path.dirname(pkgDir);
  const base = path.basename(pkgDir);
  const mounts = [pkgDir];
  try {
    for (const sibling of await readdir(parent)) {
      if (sibling.startsWith(`${base}-`)) mounts.push(path.join(parent, sibling));
    }
  } catch {
    // the package directory alone
  }
  return mounts;
}
