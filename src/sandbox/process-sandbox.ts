import { chown, mkdtemp, rm } from 'node:fs/promises';
import path from 'node:path';
import { runChild } from './child.js';
import { prlimitArgs, sandboxEnv } from './env.js';
import { withRunIdentity, type IdentityPool } from './identity-pool.js';
import type { RunResult, RunSpec, Sandbox, SandboxIdentity, SandboxLimits } from './sandbox.js';

export interface ProcessSandboxOptions {
  limits: SandboxLimits;
  /** Where per-run HOME/TMP directories are made. */
  scratchDir: string;
  /** Present when `prlimit` is available; limits are then applied to every run. */
  prlimit?: string;
  /** The uids runs without an identity of their own run as (root workers). */
  identities: IdentityPool;
  /** Read-only paths every run needs (the worker's bundled package managers). */
  toolPaths: string[];
  /** What the start-up log says this runner leaves open. */
  limitations: string[];
}

/**
 * The fallback runner: a plain child process with a scrubbed environment, its own process
 * group, the build's uid when the worker is root, and rlimits. It cannot stop reads of
 * world-readable files or network access; production requires bubblewrap.
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
    try {
      if (identity) await chown(scratch, identity.uid, identity.gid);
      const { file, args, env } = this.plain(spec, scratch);
      return await runChild({
        file,
        args,
        cwd: spec.cwd,
        env,
        ...(identity ?? {}),
        timeoutMs: spec.timeoutMs,
        maxOutputBytes: this.options.limits.maxOutputBytes,
        ...(spec.onOutput ? { onOutput: spec.onOutput } : {}),
        ...(spec.signal ? { signal: spec.signal } : {}),
        ...(spec.stdin === undefined ? {} : { stdin: spec.stdin }),
      });
    } finally {
      await rm(scratch, { recursive: true, force: true });
    }
  }

  private limited(argv: string[]): string[] {
    const { prlimit, limits } = this.options;
    return prlimit ? [prlimit, ...prlimitArgs(limits), ...argv] : argv;
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
