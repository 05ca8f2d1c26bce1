import { existsSync, lstatSync, readlinkSync } from 'node:fs';
import path from 'node:path';
import { ETC_ALWAYS, ETC_FOR_NETWORK } from './bwrap-sandbox.js';
import type { RunSpec } from './sandbox.js';

/**
 * What the namespace init (ns-init.ts) builds inside a fresh mount namespace: the same view
 * of the filesystem bubblewrap gives, as a list of mounts on an empty root. Targets are
 * absolute paths as the build sees them.
 */
export type NsMount =
  | { kind: 'bind'; source: string; target: string; writable: boolean }
  | { kind: 'tmpfs'; target: string; sizeBytes?: number }
  | { kind: 'symlink'; target: string; link: string }
  | { kind: 'proc'; target: string }
  | { kind: 'dev'; target: string };

/** Host binaries the init runs (absolute paths, looked up by the worker). */
export interface NsTools {
  unshare: string;
  mount: string;
  umount: string;
  pivotRoot: string;
  /** Brings loopback up in the build's network namespace; without it loopback stays down. */
  ip?: string;
  /** util-linux 2.38+: the command runs as the worker-side uid instead of root inside. */
  mapUser: boolean;
}

export interface NsPlan {
  /** An empty host directory the new root is mounted on (it disappears after pivot_root). */
  root: string;
  mounts: NsMount[];
  cwd: string;
  /** The command (already prefixed with prlimit when limits apply). */
  argv: string[];
  env: Record<string, string>;
  /** True when the run has its own network namespace, whose loopback must be brought up. */
  ownNetwork: boolean;
  tools: NsTools;
  /** The uid/gid the command sees itself as; undefined maps it to root inside (older util-linux). */
  inner: { uid: number; gid: number } | undefined;
}

const SYSTEM_TOPS = ['/bin', '/lib', '/lib64', '/lib32', '/sbin'];
const SYSTEM_PREFIXES = ['/usr/', ...SYSTEM_TOPS.map((t) => `${t}/`)];

/** The mounts for one run, in the order bubblewrap would apply them (later ones on top). */
export function nsMounts(
  spec: RunSpec,
  toolPaths: string[],
  binaries: string[],
  sizes: { tmpBytes: number; scratchBytes: number },
): NsMount[] {
  const ro = (p: string): NsMount => ({ kind: 'bind', source: p, target: p, writable: false });
  const mounts: NsMount[] = [ro('/usr')];
  for (const top of SYSTEM_TOPS) {
    if (!existsSync(top)) continue;
    if (lstatSync(top).isSymbolicLink())
      mounts.push({ kind: 'symlink', target: top, link: readlinkSync(top) });
    else mounts.push(ro(top));
  }
  const etc = [
    ...ETC_ALWAYS,
    ...(spec.network && spec.allowOrigins?.length ? ETC_FOR_NETWORK : []),
  ];
  for (const name of etc) {
    const p = path.join('/etc', name);
    if (existsSync(p)) mounts.push(ro(p));
  }
  const nodeRoot = path.dirname(path.dirname(process.execPath));
  if (!nodeRoot.startsWith('/usr')) mounts.push(ro(nodeRoot));
  // Tools the command itself is started through (unshare, prlimit) when they live elsewhere.
  for (const bin of binaries) {
    if (!SYSTEM_PREFIXES.some((prefix) => bin.startsWith(prefix))) mounts.push(ro(bin));
  }
  mounts.push(
    { kind: 'proc', target: '/proc' },
    { kind: 'dev', target: '/dev' },
    // In RAM and outside every rlimit: sized, so a full one is ENOSPC, not host memory.
    { kind: 'tmpfs', target: '/tmp', sizeBytes: sizes.tmpBytes },
  );
  for (const p of toolPaths) mounts.push(ro(p));
  // Each mount is two mount(8) runs in the init: a path already shared is not bound again.
  for (const p of new Set(spec.readOnlyPaths)) if (!toolPaths.includes(p)) mounts.push(ro(p));
  for (const p of spec.writablePaths ?? [])
    mounts.push({ kind: 'bind', source: p, target: p, writable: true });
  mounts.push({ kind: 'bind', source: spec.workspace, target: spec.workspace, writable: true });
  for (const p of spec.scratchPaths ?? [])
    mounts.push({ kind: 'tmpfs', target: p, sizeBytes: sizes.scratchBytes });
  return mounts;
}

/**
 * The unshare arguments that start the init: new user (mapped to root, to mount), mount, PID
 * (the init is PID 1: when it exits, every process of the run dies), IPC, UTS and cgroup
 * namespaces, and a network namespace with only loopback (allowed origins are reached through
 * the egress proxy's socket).
 */
export function unshareArgs(): string[] {
  return [
    '--user',
    '--map-root-user',
    '--mount',
    '--pid',
    '--fork',
    '--kill-child',
    '--mount-proc',
    '--ipc',
    '--uts',
    '--cgroup',
    '--net',
  ];
}
