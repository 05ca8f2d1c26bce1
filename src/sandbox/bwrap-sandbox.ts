import { existsSync, lstatSync, readlinkSync } from 'node:fs';
import path from 'node:path';
import { runChild } from './child.js';
import { prlimitArgs, sandboxEnv } from './env.js';
import { withRunIdentity, type IdentityPool } from './identity-pool.js';
import type { RunResult, RunSpec, Sandbox, SandboxIdentity, SandboxLimits } from './sandbox.js';

export interface BwrapSandboxOptions {
  bwrap: string;
  limits: SandboxLimits;
  prlimit?: string;
  /**
   * The uids bubblewrap runs as when the worker is root (so it is unprivileged), for runs
   * that name no identity of their own.
   */
  identities: IdentityPool;
  /** Read-only paths every run needs (the worker's bundled package managers). */
  toolPaths: string[];
  /** What the start-up log says this runner leaves open. */
  limitations?: string[];
}

export const ETC_FOR_NETWORK = ['resolv.conf', 'hosts', 'nsswitch.conf', 'ssl', 'ca-certificates'];
export const ETC_ALWAYS = ['passwd', 'group', 'localtime'];

/**
 * bubblewrap: new user, PID, IPC, UTS, cgroup and network namespaces; a read-only /usr; a
 * fresh /proc, /dev and /tmp; the workspace as the only writable tree; network only when the
 * spec asks (dependency install); dies with its parent, new session, no capabilities.
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

  args(spec: RunSpec): string[] {
    const a = [
      '--die-with-parent',
      '--new-session',
      '--unshare-all',
      ...(spec.network ? ['--share-net'] : []),
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
    const etc = [...ETC_ALWAYS, ...(spec.network ? ETC_FOR_NETWORK : [])];
    for (const name of etc) {
      const p = path.join('/etc', name);
      if (existsSync(p)) a.push('--ro-bind', p, p);
    }
    const nodeRoot = path.dirname(path.dirname(process.execPath));
    if (!nodeRoot.startsWith('/usr')) a.push('--ro-bind', nodeRoot, nodeRoot);
    a.push('--proc', '/proc', '--dev', '/dev', '--tmpfs', '/tmp');
    for (const p of this.options.toolPaths) a.push('--ro-bind', p, p);
    for (const p of spec.readOnlyPaths ?? []) a.push('--ro-bind', p, p);
    for (const p of spec.writablePaths ?? []) a.push('--bind', p, p);
    a.push('--bind', spec.workspace, spec.workspace);
    for (const p of spec.scratchPaths ?? []) a.push('--tmpfs', p);
    const { prlimit, limits } = this.options;
    const limited = prlimit ? [prlimit, ...prlimitArgs(limits)] : [];
    if (prlimit && !/^\/(usr|bin|sbin)\//.test(prlimit)) a.push('--ro-bind', prlimit, prlimit);
    // The command is PID 1 itself: bubblewrap's own reaper would let bwrap return while the
    // kernel is still killing the namespace's other processes (those that setsid away).
    a.push('--as-pid-1', '--chdir', spec.cwd, '--', ...limited, spec.command, ...spec.args);
    return a;
  }

  run(spec: RunSpec): Promise<RunResult> {
    return withRunIdentity(this.options.identities, spec, (identity) => this.runAs(spec, identity));
  }

  private runAs(spec: RunSpec, identity: SandboxIdentity | undefined): Promise<RunResult> {
    const { limits, bwrap } = this.options;
    const env = sandboxEnv({ home: '/tmp', tmp: '/tmp', limits, extra: spec.env });
    return runChild({
      file: bwrap,
      args: this.args(spec),
      cwd: spec.cwd,
      env,
      ...(identity ?? {}),
      timeoutMs: spec.timeoutMs,
      maxOutputBytes: limits.maxOutputBytes,
      ...(spec.onOutput ? { onOutput: spec.onOutput } : {}),
      ...(spec.signal ? { signal: spec.signal } : {}),
      ...(spec.stdin === undefined ? {} : { stdin: spec.stdin }),
    });
  }
}
