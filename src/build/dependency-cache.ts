import { createHash, randomBytes } from 'node:crypto';
import {
  chmod,
  lchown,
  lstat,
  mkdir,
  readdir,
  readFile,
  readlink,
  rename,
  rm,
  symlink,
  writeFile,
} from 'node:fs/promises';
import path from 'node:path';
import type { PackageManager } from './detect.js';
import { digestTree, type TreeDigest } from './tree-digest.js';

/** Directories tools write into inside node_modules; made writable scratch space. */
export const NODE_MODULES_SCRATCH = ['.vite-temp', '.cache', '.vite', '.astro'];
const MANIFEST = 'manifest.json';
// 3: trees carry the .astro scratch directory (Astro's content store); older trees lack it.
const FORMAT = 3;

/** What produced a cached tree: a tree is reused only by a build whose inputs are the same. */
export interface TreeOrigin {
  manager: PackageManager;
  managerVersion: string;
  registry: string;
  /** Packages whose lifecycle scripts ran (INSTALL_ALLOW_SCRIPTS): they change the tree. */
  allowScripts: string[];
  /** The package.json given to the manager. */
  manifest: string;
  /** The lockfile given to the manager, if any. */
  lockfile?: string;
}

interface CacheManifest {
  format: number;
  key: string;
  origin: Omit<TreeOrigin, 'manifest' | 'lockfile'> & {
    manifestSha256: string;
    lockfileSha256: string | null;
  };
  entries: number;
  digest: string;
  createdAt: string;
}

/**
 * Installs of a tree under way in this process, by the tree's directory: a second build with
 * the same inputs waits for the first and links its tree, instead of downloading and
 * installing the same packages beside it.
 */
const installing = new Map<string, Promise<void>>();

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

export function treeKey(origin: TreeOrigin): string {
  return sha256(
    JSON.stringify([
      FORMAT,
      origin.manager,
      origin.managerVersion,
      origin.registry,
      origin.allowScripts,
      sha256(origin.manifest),
      origin.lockfile === undefined ? null : sha256(origin.lockfile),
    ]),
  ).slice(0, 32);
}

/**
 * The cached trees under `DATA_DIR/cache/deps/<key>`. A tree is written once, by the worker,
 * from an install that ran no project code, then made read-only (root-owned when the worker
 * is root). Reuse checks the manifest's origin and re-walks the tree against its recorded
 * digest of names, types, sizes, modes and link targets, so a tree changed after it was stored
 * is never linked into a build.
 */
export class DependencyCache {
  /** `walk` digests a tree (on the walker thread in the worker: tree-walker.ts). */
  constructor(
    private readonly root: string,
    private readonly walk: (root: string) => Promise<TreeDigest> = digestTree,
  ) {}

  dir(key: string): string {
    return path.join(this.root, key);
  }

  /** The tree's node_modules when a verified tree for exactly this origin exists. */
  async lookup(origin: TreeOrigin): Promise<{ key: string; nodeModules: string } | undefined> {
    const key = treeKey(origin);
    const dir = this.dir(key);
    const manifest = await readManifest(dir);
    if (!manifest || manifest.key !== key) return undefined;
    const nodeModules = path.join(dir, 'node_modules');
    if (!(await matches(manifest, nodeModules, this.walk))) {
      // Changed after it was stored: move it aside so no build uses it again.
      await rename(dir, `${dir}.rejected-${randomBytes(4).toString('hex')}`).catch(() => undefined);
      return undefined;
    }
    return { key, nodeModules };
  }

  /**
   * Waits until no other install of the tree for `origin` runs in this process, then claims
   * it; the caller installs and stores the tree, then calls the release it got back (also when
   * it failed: the next waiter then installs). Throws when `signal` aborts while waiting.
   */
  async claim(origin: TreeOrigin, signal?: AbortSignal): Promise<() => void> {
    const dir = this.dir(treeKey(origin));
    for (let running = installing.get(dir); running; running = installing.get(dir)) {
      await settledOrAborted(running, signal);
    }
    let release!: () => void;
    installing.set(dir, new Promise<void>((resolve) => (release = resolve)));
    return () => {
      installing.delete(dir);
      release();
    };
  }

  /**
   * Moves a freshly installed node_modules into the cache (atomically) and returns where it
   * now lives. Owned by `owner` (root) and stripped of group/other write bits first.
   */
  async store(
    origin: TreeOrigin,
    nodeModules: string,
    owner: { uid: number; gid: number } | undefined,
  ): Promise<{ key: string; nodeModules: string }> {
    const key = treeKey(origin);
    const dir = this.dir(key);
    const staging = `${dir}.tmp-${randomBytes(6).toString('hex')}`;
    await mkdir(staging, { recursive: true });
    try {
      const target = path.join(staging, 'node_modules');
      await rename(nodeModules, target);
      for (const d of NODE_MODULES_SCRATCH) await mkdir(path.join(target, d), { recursive: true });
      await assertContained(target);
      await seal(target, owner);
      // Scratch dirs stay writable for the process runner (bubblewrap mounts tmpfs over them).
      for (const d of NODE_MODULES_SCRATCH) await chmod(path.join(target, d), 0o1777);
      const walked = await this.walk(target);
      const manifest: CacheManifest = {
        format: FORMAT,
        key,
        origin: {
          manager: origin.manager,
          managerVersion: origin.managerVersion,
          registry: origin.registry,
          allowScripts: origin.allowScripts,
          manifestSha256: sha256(origin.manifest),
          lockfileSha256: origin.lockfile === undefined ? null : sha256(origin.lockfile),
        },
        ...walked,
        createdAt: new Date().toISOString(),
      };
      await writeFile(path.join(staging, MANIFEST), JSON.stringify(manifest, null, 2));
      await rename(staging, dir).catch(async () => {
        // Another build stored the same key first: use theirs.
        await rm(staging, { recursive: true, force: true });
      });
    } catch (err) {
      await rm(staging, { recursive: true, force: true });
      throw err;
    }
    return { key, nodeModules: path.join(dir, 'node_modules') };
  }
}

/** Resolves when `running` (which never rejects) settles; rejects when `signal` aborts first. */
function settledOrAborted(running: Promise<void>, signal: AbortSignal | undefined): Promise<void> {
  if (!signal) return running;
  return new Promise<void>((resolve, reject) => {
    const onAbort = () => reject(signal.reason as Error);
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    void running.then(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    });
  });
}

async function readManifest(dir: string): Promise<CacheManifest | undefined> {
  const manifest = await readFile(path.join(dir, MANIFEST), 'utf8')
    .then((t) => JSON.parse(t) as CacheManifest)
    .catch(() => undefined);
  return manifest?.format === FORMAT ? manifest : undefined;
}

async function matches(
  manifest: CacheManifest,
  nodeModules: string,
  walk: (root: string) => Promise<TreeDigest>,
): Promise<boolean> {
  const walked = await walk(nodeModules).catch(() => undefined);
  return walked?.digest === manifest.digest && walked.entries === manifest.entries;
}

/** Points `workspace/node_modules` at a cached tree. */
export async function linkNodeModules(workspace: string, nodeModules: string): Promise<void> {
  const link = path.join(workspace, 'node_modules');
  await rm(link, { recursive: true, force: true });
  await symlink(nodeModules, link, 'dir');
}

/** Refuses a tree with a link that leads outside it (a package cannot reach into the host). */
async function assertContained(root: string): Promise<void> {
  const walk = async (dir: string): Promise<void> => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const p = path.join(dir, entry.name);
      if (entry.isSymbolicLink()) {
        const target = path.resolve(path.dirname(p), await readlink(p));
        if (target !== root && !target.startsWith(root + path.sep)) {
          throw new Error(`node_modules link ${path.relative(root, p)} leads outside the tree`);
        }
      } else if (entry.isDirectory()) await walk(p);
    }
  };
  await walk(root);
}

/** Hands the tree to its owner and removes group/other write bits, so no sandbox can edit it. */
async function seal(root: string, owner: { uid: number; gid: number } | undefined): Promise<void> {
  const walk = async (p: string): Promise<void> => {
    const info = await lstat(p);
    if (owner) await lchown(p, owner.uid, owner.gid);
    if (info.isSymbolicLink()) return;
    await chmod(p, info.mode & 0o755);
    if (info.isDirectory()) for (const name of await readdir(p)) await walk(path.join(p, name));
  };
  await walk(root);
}
