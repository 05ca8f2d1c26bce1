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
  const parent = path.join(dataDir, 'tmp');
  await mkdir(parent, { recursive: true });
  return mkdtemp(path.join(parent, `${prefix}-`));
}

/** Removes a build's workspace unless KEEP_WORKSPACES asks to keep them for debugging. */
export async function removeWorkspace(
  settings: { dataDir: string; keepWorkspaces: boolean },
  buildId: string,
): Promise<void> {
  if (settings.keepWorkspaces) return;
  await removeTree(workspaceDir(settings.dataDir, buildId));
}
