import { constants } from 'node:fs';
import { access, chown, copyFile, chmod, mkdir, readdir, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { chownTree } from '../../workspace/chown-tree.js';
import { EngineUnavailableError } from '../engine.js';

const ENGINE = 'claude-cli';

/** Who owns files the sandboxed CLI must write (the sandbox user when the worker is root). */
export type Owner = { uid: number; gid: number } | undefined;

/**
 * The per-project HOME the CLI keeps its sessions and settings in: created 0700 and owned by
 * the sandbox user, so one project's conversations persist and no other project sees them.
 */
export async function prepareHome(
  homeRoot: string,
  projectId: string,
  owner: Owner,
): Promise<string> {
  // Project ids are ULIDs; anything else could walk out of homeRoot.
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(projectId)) {
    throw new Error(
      `claude-cli: refusing project id ${JSON.stringify(projectId)} as a directory name`,
    );
  }
  await mkdir(homeRoot, { recursive: true, mode: 0o711 });
  const home = path.join(homeRoot, projectId);
  await mkdir(home, { recursive: true, mode: 0o700 });
  await chmod(home, 0o700);
  // Each build of the project runs as its own uid: what earlier builds' CLIs wrote is handed on.
  if (owner) await chownTree(home, owner);
  return home;
}

/** How the CLI names a working directory under `~/.claude/projects/`. */
export function projectDirName(cwd: string): string {
  return cwd.replace(/[^a-zA-Z0-9]/g, '-');
}

/**
 * The CLI looks a session up under the directory named after the current cwd, and every
 * build has its own workspace: before resuming, copy the session's transcript (stored by an
 * earlier build's run) to where this run will look. Returns whether the session exists.
 */
export async function relocateSession(
  home: string,
  sessionId: string,
  cwd: string,
  owner: Owner,
): Promise<boolean> {
  const projects = path.join(home, '.claude', 'projects');
  const file = `${sessionId}.jsonl`;
  const targetDir = path.join(projects, projectDirName(cwd));
  if (await exists(path.join(targetDir, file))) return true;
  let dirs: string[];
  try {
    dirs = await readdir(projects);
  } catch {
    return false;
  }
  let newest: { file: string; mtime: number } | undefined;
  for (const dir of dirs) {
    const candidate = path.join(projects, dir, file);
    try {
      const info = await stat(candidate);
      if (info.isFile() && (!newest || info.mtimeMs > newest.mtime)) {
        newest = { file: candidate, mtime: info.mtimeMs };
      }
    } catch {
      // not in this directory
    }
  }
  if (!newest) return false;
  await mkdir(targetDir, { recursive: true, mode: 0o700 });
  const target = path.join(targetDir, file);
  await copyFile(newest.file, target);
  if (owner) {
    await chown(targetDir, owner.uid, owner.gid);
    await chown(target, owner.uid, owner.gid);
  }
  return true;
}

async function exists(file: string): Promise<boolean> {
  try {
    await access(file);
    return true;
  } catch {
    return false;
  }
}

export interface ResolvedCli {
  /** Absolute path of the executable the sandbox runs. */
  command: string;
  /** What must be visible (read-only) inside the sandbox for it to run. */
  readOnlyPaths: string[];
}

const SYSTEM_DIRS = ['/usr/', '/bin/', '/sbin/', '/lib/', '/lib64/'];

/**
 * Finds the CLI: a path, or a name looked up on `searchPath`. Inside a node_modules tree the
 * whole package (and its native per-platform sibling packages) is mounted read-only; a
 * stand-alone binary outside the system directories is mounted on its own.
 */
export async function resolveCli(bin: string, searchPath: string): Promise<ResolvedCli> {
  const candidates = bin.includes('/')
    ? [path.resolve(bin)]
    : searchPath
        .split(':')
        .filter((dir) => dir.startsWith('/'))
        .map((dir) => path.join(dir, bin));
  for (const candidate of candidates) {
    try {
      await access(candidate, constants.X_OK);
    } catch {
      continue;
    }
    const real = await realpath(candidate);
    return { command: real, readOnlyPaths: await mountsFor(real) };
  }
  throw new EngineUnavailableError(
    ENGINE,
    `The Claude Code CLI was not found: CLAUDE_BIN=${bin} is not an executable` +
      (bin.includes('/') ? '' : ' on PATH') +
      '. Install @anthropic-ai/claude-code or set CLAUDE_BIN to its path.',
  );
}

async function mountsFor(real: string): Promise<string[]> {
  const parts = real.split(path.sep);
  const nm = parts.lastIndexOf('node_modules');
  if (nm !== -1 && nm + 1 < parts.length - 1) {
    const scoped = parts[nm + 1]!.startsWith('@');
    const pkgEnd = nm + (scoped ? 3 : 2);
    const pkgDir = parts.slice(0, pkgEnd).join(path.sep);
    const parent = path.dirname(pkgDir);
    const base = path.basename(pkgDir);
    const mounts = [pkgDir];
    try {
      // @anthropic-ai/claude-code-linux-x64 and friends hold the native binary.
      for (const sibling of await readdir(parent)) {
        if (sibling.startsWith(`${base}-`)) mounts.push(path.join(parent, sibling));
      }
    } catch {
      // the package directory alone
    }
    return mounts;
  }
  if (SYSTEM_DIRS.some((dir) => real.startsWith(dir))) return [];
  return [real];
}
