import { chown, mkdtemp } from 'node:fs/promises';
import path from 'node:path';
import { runChild, type Nice } from './child.js';
import { diskQuota } from './disk-watch.js';
import { EGRESS_MOUNT, FORWARDER, openEgress, type EgressSession } from './egress/egress.js';
import { prlimitArgs, sandboxEnv } from './env.js';
import { removeTree } from '../workspace/remove-tree.js';
import { withRunIdentity, type IdentityPool } from './identity-pool.js';
import { nsInitCommand } from './namespaces.js';
import { nsMounts, unshareArgs, type NsPlan, type NsTools } from './ns-plan.js';
import type { RunResult, RunSpec, Sandbox, SandboxIdentity, SandboxLimits } from './sandbox.js';

const TMP_BYTES = 256 * 1024 * 1024;
const SCRATCH_BYTES = 64 * 1024 * 1024;

/** The command, behind the egress forwarder when the run may reach allowed origins. */
function commandLine(spec: RunSpec, egress: EgressSession | undefined): string[] {
  if (!egress) return [spec.command, ...spec.args];
  const wrapped = egress.wrap(process.execPath, spec.command, spec.args);
  return [wrapped.command, ...wrapped.args];
}

export interface ProcessSandboxOptions {
  limits: SandboxLimits;
  /** Where per-run directories are made (the new root's mount point, or HOME/TMP without namespaces). */
  scratchDir: string;
  /** Present when `prlimit` is available; limits are then applied to every run. */
  prlimit?: string;
  /** The uids runs without an identity of their own run as (root workers). */
  identities: IdentityPool;
  /** The tools for namespaces; without them runs are plain child processes (not isolated). */
  namespaces?: NsTools;
  /** `setpriv`, to make each run die with the worker (a parent-death signal). */
  setpriv?: string;
  /** Runs start through `nice`, at a lower CPU priority than the service. */
  nice?: Nice;
  /** Read-only paths every run needs (the worker's bundled package managers). */
  toolPaths: string[];
  /** What the start-up log says this runner leaves open. */
  limitations: string[];
}

/**
 * The fallback runner, for hosts without bubblewrap. On Linux with user namespaces each run
 * gets the filesystem bubblewrap would give it (see ns-init.ts), its own PID, IPC, UTS,
 * cgroup and (unless it asks for network) network namespaces, and limits counted inside its
 * own user namespace. Without namespaces it is a plain child process with a scrubbed
 * environment, which hides nothing on disk; the operator has to allow that explicitly.
 */
export class ProcessSandbox implements Sandbox {
  readonly kind = 'process';

  constructor(private readonly options: ProcessSandboxOptions) {}

  get limitations(): readonly string[] {
    return this.options.limitations;
  }

  run(spec: RunSpec): Promise<RunResult> {
    return withRunIdentity(this.options.identities, spec, (identity) => this.runAs(spec, identity));
  }

  private async runAs(spec: RunSpec, identity: SandboxIdentity | undefined): Promise<RunResult> {
    const scratch = await mkdtemp(path.join(this.options.scratchDir, 'run-'));
    // With namespaces, network means the allowed origins through the egress proxy only.
    const egress =
      this.options.namespaces && spec.network && spec.allowOrigins?.length
        ? await openEgress(this.options.scratchDir, spec.allowOrigins, identity)
        : undefined;
    try {
      if (identity) await chown(scratch, identity.uid, identity.gid);
      const { file, args, env } = this.options.namespaces
        ? this.namespaced(spec, scratch, this.options.namespaces, identity, egress)
        : this.plain(spec, scratch);
      const { setpriv } = this.options;
      // Dies with its parent, the launcher, which goes with the worker (launcher/launcher.ts):
      // a crashed worker leaves no build running.
      const [command, argv] = setpriv
        ? [setpriv, ['--pdeathsig', 'KILL', '--', file, ...args]]
        : [file, args];
      const result = await runChild({
        file: command,
        args: argv,
        ...(this.options.nice ? { nice: this.options.nice } : {}),
        cwd: this.options.namespaces ? '/' : spec.cwd,
        env,
        ...(identity ?? {}),
        timeoutMs: spec.timeoutMs,
        maxOutputBytes: this.options.limits.maxOutputBytes,
        // HOME and TMPDIR are on disk here, so they count against the same quota.
        ...diskQuota(this.options.limits, [spec.workspace, scratch]),
        ...(spec.onOutput ? { onOutput: spec.onOutput } : {}),
        ...(spec.signal ? { signal: spec.signal } : {}),
        ...(spec.stdin === undefined ? {} : { stdin: spec.stdin }),
      });
      return egress?.proxy.refused.length
        ? { ...result, egressRefused: [...egress.proxy.refused] }
        : result;
    } finally {
      await egress?.close();
      await removeTree(scratch);
    }
  }

  private limited(argv: string[]): string[] {
    const { prlimit, limits } = this.options;
    return prlimit ? [prlimit, ...prlimitArgs(limits), ...argv] : argv;
  }

  private namespaced(
    spec: RunSpec,
    root: string,
    tools: NsTools,
    identity: SandboxIdentity | undefined,
    egress: EgressSession | undefined,
  ) {
    const env = sandboxEnv({
      home: '/tmp',
      tmp: '/tmp',
      limits: this.options.limits,
      extra: spec.env,
    });
    const uid = process.getuid?.() ?? 0;
    const gid = process.getgid?.() ?? 0;
    const plan: NsPlan = {
      root,
      mounts: [
        ...nsMounts(
          spec,
          this.options.toolPaths,
          [tools.unshare, ...(this.options.prlimit ? [this.options.prlimit] : [])],
          { tmpBytes: this.options.limits.tmpBytes ?? TMP_BYTES, scratchBytes: SCRATCH_BYTES },
        ),
        ...(egress
          ? [
              { kind: 'bind', source: FORWARDER, target: FORWARDER, writable: false } as const,
              {
                kind: 'bind',
                source: egress.socketDir,
                target: EGRESS_MOUNT,
                writable: true,
              } as const,
            ]
          : []),
      ],
      cwd: spec.cwd,
      // Limits apply inside the build's own user namespace, where the kernel counts its
      // processes apart from every other build's (even when all share the worker's uid).
      argv: this.limited(commandLine(spec, egress)),
      env,
      ownNetwork: true,
      tools,
      inner: tools.mapUser ? { uid: identity?.uid ?? uid, gid: identity?.gid ?? gid } : undefined,
    };
    const init = nsInitCommand();
    return {
      file: tools.unshare,
      args: [...unshareArgs(), '--', ...init.argv, JSON.stringify(plan)],
      env: { PATH: env.PATH ?? '/usr/bin:/bin', LANG: 'C.UTF-8', ...init.env },
    };
  }

  private plain(spec: RunSpec, scratch: string) {
    const env = sandboxEnv({
      home: scratch,
      tmp: scratch,
      limits: this.options.limits,
      extra: spec.env,
    });
    const [file, ...args] = this.limited([spec.command, ...spec.args]);
    return { file: file as string, args, env };
  }
}
