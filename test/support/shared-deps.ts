import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
/** A stored tree's directory name (DependencyCache: 32 hex digits), never a staging one. */
const TREE = /^[0-9a-f]{32}$/;

/**
 * The dependency trees this vitest run's servers stored, kept beside its PGlite template. Most
 * files build the offline engine's apps, whose dependencies are one and the same tree: the
 * first file to build one installs it (from the registry, as a worker on a fresh DATA_DIR
 * does), and the files after it start with that tree in their cache instead of each running
 * the same cold install. Files that test installs themselves opt out (`coldInstalls`).
 * Outside a vitest run, undefined.
 */
async function sharedRoot(): Promise<string | undefined> {
  if (!process.env.VITEST) return undefined;
  const { inject } = await import('vitest');
  const root = inject('pgliteTemplateRoot') as string | undefined;
  return root ? path.join(root, 'deps') : undefined;
}

/**
 * Copies a tree as hard links: instant, and safe to share, since a stored tree is sealed
 * (read-only, the worker's own) and a build mounts it read-only. The worker checks a tree's
 * recorded digest before it links one into a build, as for any tree in its cache.
 */
async function linkCopy(from: string, to: string): Promise<void> {
  await run('cp', ['-a', '--link', from, to]);
}

/**
 * Seeds one tree; a DATA_DIR on another file system (no hard links there) simply starts
 * without it. A partial copy is removed: the worker would set it aside anyway (digest).
 */
async function seedTree(shared: string, key: string, target: string): Promise<void> {
  if (existsSync(path.join(target, key))) return;
  await linkCopy(path.join(shared, key), target).catch(() =>
    rm(path.join(target, key), { recursive: true, force: true }),
  );
}

/** Gives a DATA_DIR the trees earlier files of this run stored. */
export async function seedDependencyTrees(dataDir: string): Promise<void> {
  const shared = await sharedRoot();
  if (!shared || !existsSync(shared)) return;
  const target = path.join(dataDir, 'cache', 'deps');
  await mkdir(target, { recursive: true });
  for (const key of (await readdir(shared)).filter((k) => TREE.test(k))) {
    await seedTree(shared, key, target);
  }
}

/** Keeps the trees a DATA_DIR's installs stored, for the files that start after it. */
export async function keepDependencyTrees(dataDir: string): Promise<void> {
  const shared = await sharedRoot();
  const source = path.join(dataDir, 'cache', 'deps');
  if (!shared || !existsSync(source)) return;
  await mkdir(shared, { recursive: true });
  for (const key of (await readdir(source)).filter((k) => TREE.test(k))) {
    if (existsSync(path.join(shared, key))) continue;
    if (!existsSync(path.join(source, key, 'manifest.json'))) continue;
    // Made whole beside the shared folder, then renamed in: a file seeding at the same time
    // sees the whole tree or none of it; another file keeping the same tree first wins.
    // mkdtemp: two apps of one file closing in the same millisecond get a staging folder each.
    const staging = await mkdtemp(path.join(shared, `${key}.tmp-`));
    try {
      await linkCopy(path.join(source, key), staging);
      await rename(path.join(staging, key), path.join(shared, key));
    } catch {
      // Kept by another file first, or not linkable from here: the next files install it.
    } finally {
      await rm(staging, { recursive: true, force: true });
    }
  }
}
