import { rm } from 'node:fs/promises';
import path from 'node:path';

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

/** `rm -rf` that never throws: a leftover is logged by the sweep, never fatal to a build. */
export async function removeTree(p: string): Promise<boolean> {
  try {
    await rm(p, { recursive: true, force: true, maxRetries: 2 });
    return true;
  } catch {
    return false;
  }
}
