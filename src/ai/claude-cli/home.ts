import {
  access,
  chown,
  copyFile,
  chmod,
  mkdir,
  mkdtemp,
  readdir,
  rm,
  stat,
} from 'node:fs/promises';
import path from 'node:path';
import { chownTree } from '../../workspace/chown-tree.js';

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

/**
 * Runs `fn` with an empty HOME and working directory under `root` (a run with no project:
 * a text completion, the health check's `--version`), owned by the sandbox user and removed
 * afterwards whatever happens.
 */
export async function withScratch<T>(
  root: string,
  owner: Owner,
  fn: (dirs: { home: string; work: string }) => Promise<T>,
): Promise<T> {
  await mkdir(root, { recursive: true, mode: 0o711 });
  const scratch = await mkdtemp(path.join(root, '.scratch-'));
  try {
    const home = path.join(scratch, 'home');
    const work = path.join(scratch, 'work');
    await mkdir(home, { mode: 0o700 });
    await mkdir(work, { mode: 0o700 });
    if (owner) for (const dir of [scratch, home, work]) await chown(dir, owner.uid, owner.gid);
    return await fn({ home, work });
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}
