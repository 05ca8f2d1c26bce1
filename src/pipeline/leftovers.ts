import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { mkdir, mkdtemp } from 'node:fs/promises';
import path from 'node:path';
import { removeTree } from '../workspace/remove-tree.js';

/** Where a build's workspace lives: one directory per build, named by its lower-cased id. */
export function workspaceDir(dataDir: string, buildId: string): string {
  return path.join(dataDir, 'workspaces', buildId.toLowerCase());
}

/**
 * A private temporary directory under DATA_DIR/tmp: on the data disk (the host's /tmp may be
 * RAM), and where the start-up sweep finds it if the process dies before removing it.
 */
export async function makeScratchDir(dataDir: string, prefix: string): Promise<string> {
  const parent = scratchParent(dataDir);
  await mkdir(parent, { recursive: true });
  return mkdtemp(path.join(parent, `${prefix}-`));
}

/** DATA_DIR/tmp: where scratch directories are made and the start-up sweep looks for them. */
export const scratchParent = (dataDir: string): string => path.join(dataDir, 'tmp');

/**
 * Runs `fn` with the path of one file (`name`) in a new scratch directory, then removes the
 * directory. It holds that one archive, so both are made and removed with synchronous calls
 * (the awaited mkdir, mkdtemp and recursive rm took 2-4 ms of each snapshot and package here).
 */
export async function withScratchFile<T>(
  dataDir: string,
  prefix: string,
  name: string,
  fn: (file: string) => Promise<T>,
): Promise<T> {
  const parent = scratchParent(dataDir);
  mkdirSync(parent, { recursive: true });
  const dir = mkdtempSync(path.join(parent, `${prefix}-`));
  try {
    return await fn(path.join(dir, name));
  } finally {
    try {
      rmSync(dir, { recursive: true, force: true });
    } catch {
      await removeTree(dir);
    }
  }
}

/** Removes a build's workspace unless KEEP_WORKSPACES asks to keep them for debugging. */
export async function removeWorkspace(
  settings: { dataDir: string; keepWorkspaces: boolean },
  buildId: string,
): Promise<void> {
  if (settings.keepWorkspaces) return;
  await removeTree(workspaceDir(settings.dataDir, buildId));
}
