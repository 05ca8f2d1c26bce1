import path from 'node:path';
import { readRegularFile } from '../build/install-input.js';

/** Package name → the versions of it installed, as a lockfile records them. */
export type InstalledTree = Record<string, string[]>;

export interface LockfileTree {
  lockfile: string;
  installed: InstalledTree;
}

const ORDER = ['package-lock.json', 'npm-shrinkwrap.json', 'pnpm-lock.yaml', 'yarn.lock'];

/**
 * The installed tree as the project's lockfile records it (the lockfile the install used or
 * wrote back), without running anything. undefined when the project has no lockfile.
 */
export async function readInstalledTree(
  workspace: string,
  nodeModules?: string,
): Promise<LockfileTree | undefined> {
  const found = await fromLockfile(workspace);
  if (found || !nodeModules) return found;
  // A tree reused from the cache for a project without a lockfile: the managers' own records.
  const hidden = await readRegularFile(path.join(nodeModules, '.package-lock.json'));
  if (hidden !== undefined)
    return { lockfile: 'node_modules/.package-lock.json', installed: npmTree(hidden) };
  const pnpm = await readRegularFile(path.join(nodeModules, '.pnpm', 'lock.yaml'));
  if (pnpm !== undefined)
    return { lockfile: 'node_modules/.pnpm/lock.yaml', installed: pnpmTree(pnpm) };
  return undefined;
}

async function fromLockfile(workspace: string): Promise<LockfileTree | undefined> {
  for (const lockfile of ORDER) {
    const text = await readRegularFile(path.join(workspace, lockfile));
    if (text === undefined) continue;
    const installed = lockfile.endsWith('.json')
      ? npmTree(text)
      : lockfile === 'pnpm-lock.yaml'
        ? pnpmTree(text)
        : yarnTree(text);
    return { lockfile, installed };
  }
  return undefined;
}

function add(tree: InstalledTree, name: string, version: string): void {
  if (!/^\d+\.\d+\.\d+/.test(version)) return; // links, git and file entries have no version
  const list = (tree[name] ??= []);
  if (!list.includes(version)) list.push(version);
}

interface NpmLock {
  packages?: Record<string, { version?: unknown; name?: unknown; link?: unknown }>;
  dependencies?: Record<string, NpmV1Entry>;
}
interface NpmV1Entry {
  version?: unknown;
  dependencies?: Record<string, NpmV1Entry>;
}

export function npmTree(text: string): InstalledTree {
  const tree: InstalledTree = {};
  let lock: NpmLock;
  try {
    lock = JSON.parse(text) as NpmLock;
  } catch {
    return tree;
  }
  if (lock.packages) {
    for (const [where, entry] of Object.entries(lock.packages)) {
      if (!where.includes('node_modules/') || entry.link) continue;
      const name =
        typeof entry.name === 'string'
          ? entry.name
          : where.slice(where.lastIndexOf('node_modules/') + 13);
      if (typeof entry.version === 'string') add(tree, name, entry.version);
    }
    return tree;
  }
  const walk = (deps: Record<string, NpmV1Entry> | undefined) => {
    for (const [name, entry] of Object.entries(deps ?? {})) {
      if (typeof entry.version === 'string') add(tree, name, entry.version);
      walk(entry.dependencies);
    }
  };
  walk(lock.dependencies);
  return tree;
}

/** `packages:` keys: `/name@1.2.3`, `/name/1.2.3` (old) or `name@1.2.3(peer@x)` (v9). */
export function pnpmTree(text: string): InstalledTree {
  const tree: InstalledTree = {};
  const section = /^packages:\s*$([\s\S]*?)(?=^\S|$(?![\s\S]))/m.exec(text)?.[1] ?? '';
  for (const m of section.matchAll(
    /^ {2}['"]?\/?((?:@[^/@\s'"]+\/)?[^/@\s'"(]+)[@/](\d[^(:'"\s]*)/gm,
  )) {
    add(tree, m[1] as string, m[2] as string);
  }
  return tree;
}

/** Entries `"name@range", name@range2:` followed by `  version "1.2.3"`. */
export function yarnTree(text: string): InstalledTree {
  const tree: InstalledTree = {};
  for (const m of text.matchAll(
    /^"?((?:@[^@\s"]+\/)?[^@\s",]+)@[^\n]*:\n(?:[ \t]+[^\n]*\n)*?[ \t]+version:? "?([^"\n]+)"?/gm,
  )) {
    add(tree, m[1] as string, m[2] as string);
  }
  return tree;
}
