import path from 'node:path';
import type { Toolchain } from '../build/toolchain.js';
import { ConfigError } from '../config/config.js';
import { fixedSandboxIdentity } from './create-sandbox.js';
import { blockerOn, R, X, type Blocker, type User } from './reach.js';

/** A host path that builds use as the sandbox user, and what they must be allowed there. */
export interface NeededPath {
  path: string;
  /** Permission bits needed on the path itself (every ancestor needs search, x). */
  need: number;
  /** What it is, for the message. */
  what: string;
  /** The setting that decides where it is. */
  setting: 'DATA_DIR' | 'toolchain';
  /** The folder that setting chooses: a blocker above it is avoided by choosing another. */
  root: string;
}

/** The folders under DATA_DIR that builds work in (or the sandbox mounts). */
export const BUILD_FOLDERS = [
  'workspaces',
  'warm',
  'cache',
  'cache/deps',
  'cache/npm',
  'cache/pnpm-store',
  'installs',
  'tmp',
  'previews',
  'artifacts',
] as const;

export function pathsBuildsNeed(
  dataDir: string,
  toolchain: Pick<Toolchain, 'node' | 'scripts' | 'paths'>,
): NeededPath[] {
  const data = (p: string, what: string): NeededPath => ({
    path: p,
    need: X,
    what,
    setting: 'DATA_DIR',
    root: dataDir,
  });
  const tool = (p: string, need: number, what: string): NeededPath => ({
    path: p,
    need,
    what,
    setting: 'toolchain',
    root: path.dirname(p),
  });
  return [
    data(dataDir, 'DATA_DIR'),
    ...BUILD_FOLDERS.map((f) => data(path.join(dataDir, f), `DATA_DIR/${f}`)),
    tool(toolchain.node, X, 'the Node.js binary builds run'),
    ...toolchain.paths.map((p) => tool(p, R | X, 'a package manager the sandbox mounts')),
    ...Object.entries(toolchain.scripts).map(([name, p]) => tool(p, R, `${name}'s entry script`)),
  ];
}

/**
 * One message per place that stops a sandbox user, naming the folder and the chmod that
 * fixes it. Mode bits of every ancestor, for the actual uids; nothing is spawned.
 */
export async function unreachableByBuilds(
  needed: readonly NeededPath[],
  users: readonly User[],
): Promise<string[]> {
  const problems = new Map<string, string>();
  for (const user of users) {
    for (const item of needed) {
      const blocker = await blockerOn(item.path, user, item.need);
      if (!blocker) continue;
      const key = `${blocker.at}:${blocker.grant}`;
      if (!problems.has(key)) problems.set(key, describe(item, user, blocker));
    }
  }
  return [...problems.values()];
}

function describe(item: NeededPath, user: User, blocker: Blocker): string {
  const mode = `0${blocker.mode.toString(8).padStart(3, '0')}`;
  const where =
    blocker.at === item.path
      ? `it is mode ${mode} (owner uid ${blocker.owner})`
      : `${blocker.at} is mode ${mode} (owner uid ${blocker.owner})`;
  const through = blocker.grant.endsWith('+x')
    ? ' (lets other users pass through it, not list it)'
    : '';
  const elsewhere = outside(item, blocker)
    ? item.setting === 'DATA_DIR'
      ? `, or set DATA_DIR to a folder outside ${blocker.at}`
      : `, or install Node.js and the worker where every user can reach them (such as /usr/local or /opt)`
    : '';
  return (
    `${item.setting}: builds run as the sandbox user (uid ${user.uid}), who cannot reach ` +
    `${item.what} (${item.path}): ${where}. Fix: chmod ${blocker.grant} ${blocker.at}${through}${elsewhere}.`
  );
}

/** Whether the blocking folder lies above the setting's own folder (so moving away helps). */
function outside(item: NeededPath, blocker: Blocker): boolean {
  const relative = path.relative(blocker.at, item.root);
  return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
}

/**
 * Start-up check: when the worker is root, builds run as other uids (SANDBOX_UID_BASE… for
 * builds, `nobody` for installs), who must reach DATA_DIR's build folders and the toolchain.
 * A data folder under root's home (0700) would otherwise fail every build at install with a
 * misleading message. Throws ConfigError (exit 78) naming each folder and its fix.
 */
export async function assertBuildsCanReach(
  dataDir: string,
  toolchain: Pick<Toolchain, 'node' | 'scripts' | 'paths'>,
  uids: { base: number },
): Promise<void> {
  const installer = fixedSandboxIdentity();
  if (!installer) return; // not root: builds run as the worker's own uid
  const users = [installer, { uid: uids.base, gid: uids.base }];
  const problems = await unreachableByBuilds(pathsBuildsNeed(dataDir, toolchain), users);
  if (problems.length > 0) throw new ConfigError(problems);
}
