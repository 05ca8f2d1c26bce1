import { existsSync, lstatSync, readlinkSync } from 'node:fs';
import path from 'node:path';
import { runChild } from './child.js';
import { diskQuota } from './disk-watch.js';
import { EGRESS_MOUNT, FORWARDER, openEgress, type EgressSession } from './egress/egress.js';
import { prlimitArgs, sandboxEnv } from './env.js';
import type { RunResult, RunSpec, Sandbox, SandboxLimits } from './sandbox.js';

export interface BwrapSandboxOptions {
  bwrap: string;
  limits: SandboxLimits;
  prlimit?: string;
  /** Run bubblewrap itself as this uid/gid when the worker is root (so it is unprivileged). */
  runAs?: { uid: number; gid: number };
  /** Read-only paths every run needs (the worker's bundled package managers). */
  toolPaths: string[];
  /** Where per-run host directories (the egress proxy's socket) are made. */
  runDir: string;
}

const DEFAULT_TMP_BYTES = 256 * 1024 * 1024;
/** Tool caches inside a shared node_modules (.vite-temp, .cache): small, and in RAM too. */
const SCRATCH_BYTES = 64 * 1024 * 1024;
const ETC_FOR_NETWORK = ['resolv.conf', 'hosts', 'nsswitch.conf', 'ssl', 'ca-certificates'];
const ETC_ALWAYS = ['passwd', 'group', 'localtime'];

/**
 * bubblewrap: new user, PID, IPC, UTS, cgroup and network namespaces; a read-only /usr; a
 * fresh /proc, /dev and /tmp; the workspace as the only writable tree; network only when the
 * spec asks (dependency install); dies with its parent, new session, no capabilities.
 * Killing bwrap ends its PID namespace, so no descendant outlives a timeout.
 */
export class BwrapSandbox implements Sandbox {
  readonly kind = 'bwrap';

  constructor(private readonly options: BwrapSandboxOptions) {}

  args(spec: RunSpec, egress?: EgressSession): string[] {
    // Every run has its own network namespace (loopback only): a run with allowed origins
    // reaches them through the egress proxy's socket, and nothing else.
    const a = [
      '--die-with-parent',
      '--new-session',
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
    for (const p of spec.readOnlyPaths ?? []) a.push('--ro-bind', p, p);
    for (const p of spec.writablePaths ?? []) a.push('--bind', p, p);
    a.push('--bind', spec.workspace, spec.workspace);
    for (const p of spec.scratchPaths ?? []) a.push('--size', String(SCRATCH_BYTES), '--tmpfs', p);
    let command = { command: spec.command, args: spec.args };
    if (egress) {
      a.push('--ro-bind', FORWARDER, FORWARDER, '--bind', egress.socketDir, EGRESS_MOUNT);
      command = egress.wrap(process.execPath, spec.command, spec.args);
    }
    a.push('--chdir', spec.cwd, '--', command.command, ...command.args);
    return a;
  }

  async run(spec: RunSpec): Promise<RunResult> {
    const { runAs, runDir } = this.options;
    if (!spec.network || !spec.allowOrigins?.length) return this.runWith(spec);
    const egress = await openEgress(runDir, spec.allowOrigins, runAs);
    try {
      const result = await this.runWith(spec, egress);
      return egress.proxy.refused.length > 0
        ? { ...result, egressRefused: [...egress.proxy.refused] }
        : result;
    } finally {
      await egress.close();
    }
  }

  private async runWith(spec: RunSpec, egress?: EgressSession): Promise<RunResult> {
    const { prlimit, limits, runAs, bwrap } = this.options;
    const env = sandboxEnv({ home: '/tmp', tmp: '/tmp', limits, extra: spec.env });
    const bwrapArgs = this.args(spec, egress);
    const [file, args] = prlimit
      ? [prlimit, [...prlimitArgs(limits), bwrap, ...bwrapArgs]]
      : [bwrap, bwrapArgs];
    return runChild({
      file,
      args,
      cwd: spec.cwd,
      env,
      ...(runAs ?? {}),
      timeoutMs: spec.timeoutMs,
      maxOutputBytes: limits.maxOutputBytes,
      // /tmp is bounded by its tmpfs size; the workspace is the tree on the host's disk.
      ...diskQuota(limits, [spec.workspace]),
      ...(spec.onOutput ? { onOutput: spec.onOutput } : {}),
      ...(spec.signal ? { signal: spec.signal } : {}),
      ...(spec.stdin === undefined ? {} : { stdin: spec.stdin }),
    });
  }
}
