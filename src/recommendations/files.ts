import { constants } from 'node:fs';
import { open, readdir, realpath } from 'node:fs/promises';
import path from 'node:path';

/**
 * Reading what a build wrote, which is untrusted: a generated app may leave symlinks to
 * anywhere, FIFOs, huge files or very deep trees. Walks never follow a symlink, reads open
 * regular files only (without following a final symlink, without blocking on a FIFO), only
 * inside the root, and everything is bounded. What is out of bounds is skipped, never fatal.
 */

export interface FileEntry {
  /** Relative to the root, with '/' separators. */
  file: string;
  bytes: number;
}

export interface WalkLimits {
  maxFiles: number;
  maxDepth: number;
}

export const DEFAULT_WALK: WalkLimits = { maxFiles: 20_000, maxDepth: 32 };

/** Regular files under `root`, skipping what `exclude` names (files or whole directories). */
export async function listFiles(
  root: string,
  exclude: (rel: string) => boolean = () => false,
  limits: WalkLimits = DEFAULT_WALK,
): Promise<{ files: FileEntry[]; truncated: boolean }> {
  const files: FileEntry[] = [];
  const dirs: Array<{ rel: string; depth: number }> = [{ rel: '', depth: 0 }];
  for (let d = dirs.pop(); d !== undefined; d = dirs.pop()) {
    const entries = await readdir(path.join(root, d.rel), { withFileTypes: true }).catch(() => []);
    for (const entry of entries) {
      const rel = d.rel ? `${d.rel}/${entry.name}` : entry.name;
      if (exclude(rel)) continue;
      // Dirent types come from the directory itself: a symlink is neither a file nor a directory.
      if (entry.isDirectory() && d.depth + 1 < limits.maxDepth)
        dirs.push({ rel, depth: d.depth + 1 });
      if (!entry.isFile()) continue;
      if (files.length >= limits.maxFiles) return { files, truncated: true };
      const bytes = await sizeOf(root, rel);
      if (bytes !== undefined) files.push({ file: rel, bytes });
    }
  }
  files.sort((a, b) => a.file.localeCompare(b.file));
  return { files, truncated: false };
}

/** The text of a regular file inside `root`, or undefined (missing, not a file, too large, outside). */
export async function readText(
  root: string,
  rel: string,
  maxBytes: number,
): Promise<string | undefined> {
  const handle = await openInside(root, rel);
  if (!handle) return undefined;
  try {
    const st = await handle.stat();
    if (!st.isFile() || st.size > maxBytes) return undefined;
    const buffer = Buffer.alloc(st.size);
    const { bytesRead } = await handle.read(buffer, 0, st.size, 0);
    return buffer.subarray(0, bytesRead).toString('utf8');
  } catch {
    return undefined;
  } finally {
    await handle.close().catch(() => undefined);
  }
}

async function sizeOf(root: string, rel: string): Promise<number | undefined> {
  const handle = await openInside(root, rel);
  if (!handle) return undefined;
  try {
    const st = await handle.stat();
    return st.isFile() ? st.size : undefined;
  } catch {
    return undefined;
  } finally {
    await handle.close().catch(() => undefined);
  }
}

/**
 * Opens `rel` for reading if its directory resolves inside `root` and the file itself is no
 * symlink: a directory swapped for a symlink after the walk still cannot lead outside.
 */
async function openInside(root: string, rel: string) {
  if (path.isAbsolute(rel) || rel.split('/').includes('..') || rel.includes('\0')) return undefined;
  try {
    const realRoot = await realpath(root);
    const dir = await realpath(path.dirname(path.join(root, rel)));
    if (dir !== realRoot && !dir.startsWith(realRoot + path.sep)) return undefined;
    return await open(
      path.join(dir, path.basename(rel)),
      constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK,
    );
  } catch {
    return undefined;
  }
}
