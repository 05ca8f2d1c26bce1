import { lchown, readdir } from 'node:fs/promises';
import path from 'node:path';

/**
 * Hands a tree to `owner` without following symlinks. With `directoriesOnly`, files keep
 * their owners: the owner can add and rename entries, but cannot rewrite existing files
 * (which may be hard links into trees other builds use).
 */
export async function chownTree(
  root: string,
  owner: { uid: number; gid: number },
  options: { directoriesOnly?: boolean } = {},
): Promise<void> {
  await lchown(root, owner.uid, owner.gid);
  let entries;
  try {
    entries = await readdir(root, { withFileTypes: true });
  } catch {
    return; // not a directory, or gone meanwhile
  }
  for (const entry of entries) {
    const p = path.join(root, entry.name);
    if (entry.isDirectory()) await chownTree(p, owner, options);
    else if (!options.directoriesOnly) await lchown(p, owner.uid, owner.gid).catch(() => undefined);
  }
}
