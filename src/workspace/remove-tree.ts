import { chmod, readdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';

/** Directories whose path grows past this are moved up before removal (PATH_MAX is 4096). */
const FLATTEN_AT = 1024;

/**
 * `rm -rf` for trees a hostile build made: Node's recursive rm gives up on paths longer than
 * PATH_MAX (made through relative paths) and on directories their owner made unreadable. On
 * such a failure the tree is flattened (deep directories renamed to short names under the
 * root, permissions opened) and removed again. Never throws: returns whether it is gone.
 */
export async function removeTree(root: string): Promise<boolean> {
  if (await tryRemove(root)) return true;
  await flatten(root).catch(() => undefined);
  return tryRemove(root);
}

async function tryRemove(p: string): Promise<boolean> {
  try {
    await rm(p, { recursive: true, force: true, maxRetries: 2 });
    return true;
  } catch {
    return false;
  }
}

async function flatten(root: string): Promise<void> {
  let moved = 0;
  const dirs = [root];
  for (let dir = dirs.pop(); dir !== undefined; dir = dirs.pop()) {
    await chmod(dir, 0o700).catch(() => undefined);
    const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
    for (const entry of entries) {
      if (!entry.isDirectory()) continue;
      let child = path.join(dir, entry.name);
      if (child.length > FLATTEN_AT) {
        const short = path.join(root, `.flat-${moved++}`);
        await rename(child, short);
        child = short;
      }
      dirs.push(child);
    }
  }
}
