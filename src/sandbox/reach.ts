import type { Stats } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import path from 'node:path';

export interface User {
  uid: number;
  gid: number;
}

export const R = 4;
export const W = 2;
export const X = 1;

/** The permission bits (rwx as 4/2/1) that apply to `user` for a file with these stats. */
export function bitsFor(info: Stats, user: User): number {
  if (info.uid === user.uid) return (info.mode >> 6) & 7;
  if (info.gid === user.gid) return (info.mode >> 3) & 7;
  return info.mode & 7;
}

/** Where `user` is stopped on the way to a path, and which bit would let them through. */
export interface Blocker {
  /** The directory (or the target itself) whose mode stops them. */
  at: string;
  mode: number;
  owner: number;
  /** The chmod that opens it for them: `o+x`, `g+x`, `u+x`, `o+r`, ... */
  grant: string;
}

/**
 * The first place `user` cannot pass on the way to `target`: an ancestor without search (x)
 * permission for them, or the target itself without the `need` bits. Both the path as given
 * and its real path are walked, since the kernel checks every directory of each. Components
 * that do not exist yet are skipped (the worker creates them later, as root). Mode bits only:
 * a POSIX ACL could allow more, never less.
 */
export async function blockerOn(
  target: string,
  user: User,
  need: number,
): Promise<Blocker | undefined> {
  const real = await realpath(target).catch(() => undefined);
  for (const walk of real && real !== target ? [target, real] : [target]) {
    const chain = ancestors(walk);
    for (const dir of chain) {
      const info = await stat(dir).catch(() => undefined);
      if (!info) continue;
      const wanted = dir === walk ? need : X;
      const missing = wanted & ~bitsFor(info, user);
      if (missing !== 0)
        return {
          at: dir,
          mode: info.mode & 0o7777,
          owner: info.uid,
          grant: grant(info, user, missing),
        };
    }
  }
  return undefined;
}

/** `/a/b/c` → `/`, `/a`, `/a/b`, `/a/b/c`. */
function ancestors(target: string): string[] {
  const chain: string[] = [];
  for (let dir = path.resolve(target); ; dir = path.dirname(dir)) {
    chain.unshift(dir);
    if (dir === path.dirname(dir)) return chain;
  }
}

function grant(info: Stats, user: User, missing: number): string {
  const who = info.uid === user.uid ? 'u' : info.gid === user.gid ? 'g' : 'o';
  return `${who}+${missing & R ? 'r' : ''}${missing & W ? 'w' : ''}${missing & X ? 'x' : ''}`;
}
