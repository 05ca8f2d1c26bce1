import path from 'node:path';
import { removeTree } from '../workspace/remove-tree.js';

/** Where a build's workspace lives: one directory per build, named by its lower-cased id. */
export function workspaceDir(dataDir: string, buildId: string): string {
  return path.join(dataDir, 'workspaces', buildId.toLowerCase());
}

/** Removes a build's workspace unless KEEP_WORKSPACES asks to keep them for debugging. */
export async function removeWorkspace(
  settings: { dataDir: string; keepWorkspaces: boolean },
  buildId: string,
): Promise<void> {
  if (settings.keepWorkspaces) return;
  await removeTree(workspaceDir(settings.dataDir, buildId));
}
