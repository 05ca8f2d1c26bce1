import { execFileSync } from 'node:child_process';
import { findExecutable } from './executables.js';
import type { NsTools } from './ns-plan.js';
import { plainScriptBeside } from './plain-script.js';

/** Administration tools often live outside a service's PATH. */
const SBIN = ['/usr/sbin', '/sbin'];

/**
 * The util-linux (and iproute2) tools the fallback runner's namespaces need, or the names of
 * those missing. Linux only: elsewhere there is nothing to look for.
 */
export function findNamespaceTools(systemPath: string): NsTools | { missing: string[] } {
  if (process.platform !== 'linux') return { missing: ['Linux namespaces'] };
  const search = [systemPath, ...SBIN].join(':');
  const found = {
    unshare: findExecutable('unshare', search),
    mount: findExecutable('mount', search),
    umount: findExecutable('umount', search),
    pivotRoot: findExecutable('pivot_root', search),
  };
  const missing = Object.entries(found)
    .filter(([, p]) => p === undefined)
    .map(([name]) => (name === 'pivotRoot' ? 'pivot_root' : name));
  if (missing.length > 0 || !found.unshare) return { missing };
  const ip = findExecutable('ip', search);
  return {
    unshare: found.unshare,
    mount: found.mount as string,
    umount: found.umount as string,
    pivotRoot: found.pivotRoot as string,
    ...(ip ? { ip } : {}),
    mapUser: supportsMapUser(found.unshare),
  };
}

/** util-linux 2.38 added `--map-user`; older unshare can only map the caller to root. */
function supportsMapUser(unshare: string): boolean {
  try {
    return execFileSync(unshare, ['--help'], { encoding: 'utf8' }).includes('--map-user=');
  } catch {
    return false;
  }
}

/**
 * How to start ns-init: the compiled script beside this module, or (running from the
 * TypeScript sources) that source compiled once per process (see plain-script.ts).
 */
export function nsInitCommand(): { argv: string[]; env: Record<string, string> } {
  return { argv: [process.execPath, plainScriptBeside(import.meta.url, 'ns-init')], env: {} };
}
