import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { chmod, copyFile, lstat, mkdir, mkdtemp, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { bitsFor, R, W, X, type User } from '../../sandbox/reach.js';

export type { User } from '../../sandbox/reach.js';

/**
 * Whether `user` can run `file` (an absolute real path) and nothing in its way lets them change
 * it: search permission on every ancestor, read and execute on the file, and neither the file
 * nor its directory writable by them. Mode bits only; a POSIX ACL can differ, which the health
 * check (a real run as that user) would then show.
 */
export async function runnableBy(file: string, user: User): Promise<boolean> {
  try {
    const dirs: string[] = [];
    for (let dir = path.dirname(file); ; dir = path.dirname(dir)) {
      dirs.push(dir);
      if (dir === path.dirname(dir)) break;
    }
    for (const dir of dirs) {
      if ((bitsFor(await stat(dir), user) & X) === 0) return false;
    }
    const own = bitsFor(await stat(file), user);
    if ((own & (R | X)) !== (R | X) || (own & W) !== 0) return false;
    return (bitsFor(await stat(path.dirname(file)), user) & W) === 0;
  } catch {
    return false;
  }
}

export async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(file), hash);
  return hash.digest('hex');
}

/**
 * A directory the worker alone can change: created 0755, and refused if it is a symlink,
 * someone else's, or writable by anyone else (then a build could swap what later builds run).
 */
async function workerDir(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o755 });
  const info = await lstat(dir);
  const me = process.getuid?.();
  if (!info.isDirectory() || (me !== undefined && info.uid !== me) || (info.mode & 0o022) !== 0) {
    throw new Error(`${dir} must be a directory owned by the worker and writable by it alone`);
  }
}

async function intact(file: string, sha256: string): Promise<boolean> {
  try {
    const info = await lstat(file);
    const me = process.getuid?.();
    if (!info.isFile() || (me !== undefined && info.uid !== me) || (info.mode & 0o022) !== 0) {
      return false;
    }
    return (await sha256File(file)) === sha256;
  } catch {
    return false;
  }
}

/**
 * Copies the executable `source` to `toolsDir/<sha256>/<name>`, owned by the worker and mode
 * 0755, and returns that path. An existing copy is used only if its hash still matches; a new
 * one is written under a temporary name, hashed again, then renamed into place, so a crash or a
 * concurrent worker never leaves a half-written binary under the final name.
 */
export async function stageExecutable(
  source: string,
  toolsDir: string,
  name = path.basename(source),
): Promise<{ path: string; sha256: string }> {
  const sha256 = await sha256File(source);
  const dir = path.join(toolsDir, sha256);
  const target = path.join(dir, name);
  await workerDir(toolsDir);
  if (await intact(target, sha256)) return { path: target, sha256 };
  await rm(dir, { recursive: true, force: true });

  const temp = await mkdtemp(path.join(toolsDir, '.staging-'));
  try {
    const copy = path.join(temp, name);
    await copyFile(source, copy);
    await chmod(copy, 0o755);
    await chmod(temp, 0o755);
    if ((await sha256File(copy)) !== sha256) {
      throw new Error(`${source} changed while it was being copied`);
    }
    await rename(temp, dir).catch(async (err: NodeJS.ErrnoException) => {
      // Another worker staged the same binary meanwhile: theirs is as good as ours.
      if (err.code !== 'ENOTEMPTY' && err.code !== 'EEXIST') throw err;
      if (!(await intact(target, sha256))) throw err;
    });
  } finally {
    await rm(temp, { recursive: true, force: true });
  }
  return { path: target, sha256 };
}
