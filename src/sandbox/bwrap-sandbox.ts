import { existsSync, lstatSync, readlinkSync } from 'node:fs';
import path from 'node:path';
import { holdChild, runChild, type ChildSpec, type Nice } from './child.js';
import { diskQuota } from './disk-watch.js';
import { EGRESS_MOUNT, FORWARDER, openEgress, type EgressSession } from './egress/egress.js';
import { prlimitArgs, sandboxEnv } from './env.js';
import { withRunIdentity, type IdentityPool } from './identity-pool.js';
import type { RunResult, RunSpec, Sandbox, SandboxIdentity, SandboxLimits } from './sandbox.js';
import {
  HeldNode,
  warmNodeScript,
  warmRunSpec,
  type WarmNode,
  type WarmNodeSpec,
} from './warm-node.js';

export interface BwrapSandboxOptions {
  bwrap: string;
  limits: SandboxLimits;
  prlimit?: string;
  /** Runs start through `nice`, at a lower CPU priority than the service. */
  nice?: Nice;
  /**
   * The uids bubblewrap runs as when the worker is root (so it is unprivileged), for runs
   * that name no identity of their own.
   */
  identities: IdentityPool;
  /** Read-only paths every run needs (the worker's bundled package managers). */
  toolPaths: string[];
  /** What the start-up log says this runner leaves open. */
  limitations?: string[];
  /** Where per-run host directories (the egress proxy's socket) are made. */
  runDir: string;
}

const DEFAULT_TMP_BYTES = 256 * 1024 * 1024;
/** Tool caches inside a shared node_modules (.vite-temp, .cache): small, and in RAM too. */
const SCRATCH_BYTES = 64 * 1024 * 1024;
export const ETC_FOR_NETWORK = ['resolv.conf', 'ssl', 'ca-certificates'];
// hosts and nsswitch.conf: `localhost` must resolve in a run without network too (Astro's build
// looks it up through Vite and fails with EAI_AGAIN otherwise); they open no route out.
export const ETC_ALWAYS = ['passwd', 'group', 'localtime', 'hosts', 'nsswitch.conf'];

/**
 * bubblewrap: new user, PID, IPC, UTS, cgroup and network namespaces; a read-only /usr; a
 * fresh /proc, /dev and a sized /tmp; the workspace as the only writable tree; no network but
 * the origins a run is allowed (the registry, for installs) through the egress proxy; dies
 * with its parent, a session of its own (spawned detached), no capabilities.
 * Killing bwrap ends its PID namespace, so no descendant outlives a timeout, and bwrap only
 * returns once the namespace is gone.
 * Limits are set inside the sandbox (prlimit runs the command), so the kernel counts the
 * processes of each run in its own user namespace, apart from every other build's.
 */
export class BwrapSandbox implements Sandbox {
  readonly kind = 'bwrap';

  constructor(private readonly options: BwrapSandboxOptions) {}

  get limitations(): readonly string[] {
    return this.options.limitations ?? [];
  }

  args(spec: RunSpec, egress?: EgressSession): string[] {
    // Every run has its own network namespace (loopback only): a run with allowed origins
    // reaches them through the egress proxy's socket, and nothing else.
    // No --new-session: the run is already a session of its own without a controlling
    // terminal (spawned detached), and a second one would escape its CPU priority (child.ts).
    // The parent is the launcher, which kills every run and exits when the worker goes.
    const a = [
      '--die-with-parent',
      '--unshare-all',
      '--cap-drop',
      'ALL',
      '--hostname',
      'sandbox',
      '--ro-bind',
      '/usr',
      '/usr',
    ];
    for (const top of ['/bin', '/lib', '/lib64', '/lib32', '/sbin']) {
      if (!existsSync(top)) continue;
      if (lstatSync(top).isSymbolicLink()) a.push('--symlink', readlinkSync(top), top);
      else a.push('--ro-bind', top, top);
    }
    const etc = [...ETC_ALWAYS, ...(egress ? ETC_FOR_NETWORK : [])];
    for (const name of etc) {
      const p = path.join('/etc', name);
      if (existsSync(p)) a.push('--ro-bind', p, p);
    }
    const nodeRoot = path.dirname(path.dirname(process.execPath));
    if (!nodeRoot.startsWith('/usr')) a.push('--ro-bind', nodeRoot, nodeRoot);
    // tmpfs lives in RAM, outside every rlimit: each one gets a size, and a full one is ENOSPC.
    const tmp = String(this.options.limits.tmpBytes ?? DEFAULT_TMP_BYTES);
    a.push('--proc', '/proc', '--dev', '/dev', '--size', tmp, '--tmpfs', '/tmp');
    for (const p of this.options.toolPaths) a.push('--ro-bind', p, p);
    for (const p of new Set(spec.readOnlyPaths))
      if (!this.options.toolPaths.includes(p)) a.push('--ro-bind', p, p);
    for (const p of spec.writablePaths ?? []) a.push('--bind', p, p);
    a.push('--bind', spec.workspace, spec.workspace);
    for (const p of spec.scratchPaths ?? []) a.push('--size', String(SCRATCH_BYTES), '--tmpfs', p);
    let command = { command: spec.command, args: spec.args };
    if (egress) {
      a.push('--ro-bind', FORWARDER, FORWARDER, '--bind', egress.socketDir, EGRESS_MOUNT);
      command = egress.wrap(process.execPath, spec.command, spec.args);
    }
    const { prlimit, limits } = this.options;
    const limited = prlimit ? [prlimit, ...prlimitArgs(limits)] : [];
    if (prlimit && !/^\/(usr|bin|sbin)\//.test(prlimit)) a.push('--ro-bind', prlimit, prlimit);
    // The command is PID 1 itself: bubblewrap's own reaper would let bwrap return while the
    // kernel is still killing the namespace's other processes (those that setsid away).
    a.push('--as-pid-1', '--chdir', spec.cwd, '--', ...limited, command.command, ...command.args);
    return a;
  }

  run(spec: RunSpec): Promise<RunResult> {
    return withRunIdentity(this.options.identities, spec, (identity) => this.runAs(spec, identity));
  }

  private async runAs(spec: RunSpec, identity: SandboxIdentity | undefined): Promise<RunResult> {
    if (!spec.network || !spec.allowOrigins?.length) return this.runWith(spec, identity);
    const egress = await openEgress(this.options.runDir, spec.allowOrigins, identity);
    try {
      const result = await this.runWith(spec, identity, egress);
      return egress.proxy.refused.length > 0
        ? { ...result, egressRefused: [...egress.proxy.refused] }
        : result;
    } finally {
      await egress.close();
    }
  }

  private runWith(
    spec: RunSpec,
    identity: SandboxIdentity | undefined,
    egress?: EgressSession,
  ): Promise<RunResult> {
    return runChild({
      ...this.childSpec(spec, identity, egress),
      // /tmp is bounded by its tmpfs size; the workspace is the tree on the host's disk.
      ...diskQuota(this.options.limits, [spec.workspace]),
      ...(spec.onOutput ? { onOutput: spec.onOutput } : {}),
      ...(spec.signal ? { signal: spec.signal } : {}),
      ...(spec.stdin === undefined ? {} : { stdin: spec.stdin }),
    });
  }

  /**
   * A warm Node process: sandboxed exactly as a run of its directory would be, as the given
   * identity (the build's to be), with no network.
   */
  startNode(spec: WarmNodeSpec): WarmNode {
    const run = warmRunSpec(spec, warmNodeScript());
    const child = this.childSpec(run, spec.identity);
    // What it writes before it has work is bounded like any run's writes (its own directory).
    const disk = diskQuota(this.options.limits, [spec.dir]);
    const hold = (onOutput: ChildSpec['onOutput']) => holdChild({ ...child, ...disk, onOutput });
    return new HeldNode(hold, spec.dir, this.options.limits);
  }

  private childSpec(
    spec: RunSpec,
    identity: SandboxIdentity | undefined,
    egress?: EgressSession,
  ): ChildSpec {
    const { limits, bwrap, nice } = this.options;
    return {
      file: bwrap,
      args: this.args(spec, egress),
      ...(nice ? { nice } : {}),
      cwd: spec.cwd,
      env: sandboxEnv({ home: '/tmp', tmp: '/tmp', limits, extra: spec.env }),
      ...(identity ?? {}),
      timeoutMs: spec.timeoutMs,
      maxOutputBytes: limits.maxOutputBytes,
    };
  }
}
