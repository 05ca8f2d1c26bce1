import { chown, mkdtemp } from 'node:fs/promises';
import path from 'node:path';
import { runChild } from './child.js';
import { diskQuota } from './disk-watch.js';
import { prlimitArgs, sandboxEnv } from './env.js';
import { removeTree } from '../workspace/remove-tree.js';
import type { RunResult, RunSpec, Sandbox, SandboxLimits } from './sandbox.js';

export interface ProcessSandboxOptions {
  limits: SandboxLimits;
  /** Where per-run HOME/TMP directories are made. */
  scratchDir: string;
  /** Present when `prlimit` is available; limits are then applied to every run. */
  prlimit?: string;
  /** Drop to this uid/gid when the worker runs as root. */
  runAs?: { uid: number; gid: number };
}

/**
 * The fallback runner: a plain child process with a scrubbed environment, its own process
 * group, an unprivileged uid when the worker is root, and rlimits. It cannot stop reads of
 * world-readable files or network access; production requires bubblewrap.
 */
export class ProcessSandbox implements Sandbox {
  readonly kind = 'process';

  constructor(private readonly options: ProcessSandboxOptions) {}

  async run(spec: RunSpec): Promise<RunResult> {
    const scratch = await mkdtemp(path.join(this.options.scratchDir, 'run-'));
    try {
      const { runAs, prlimit, limits } = this.options;
      if (runAs) await chown(scratch, runAs.uid, runAs.gid);
      const env = sandboxEnv({ home: scratch, tmp: scratch, limits, extra: spec.env });
      const [file, args] = prlimit
        ? [prlimit, [...prlimitArgs(limits), spec.command, ...spec.args]]
        : [spec.command, spec.args];
      return await runChild({
        file,
        args,
        cwd: spec.cwd,
        env: { ...env, PATH: env.PATH ?? '' },
        ...(runAs ?? {}),
        timeoutMs: spec.timeoutMs,
        maxOutputBytes: limits.maxOutputBytes,
        // HOME and TMPDIR are on disk here, so they count against the same quota.
        ...diskQuota(limits, [spec.workspace, scratch]),
        ...(spec.onOutput ? { onOutput: spec.onOutput } : {}),
        ...(spec.signal ? { signal: spec.signal } : {}),
        ...(spec.stdin === undefined ? {} : { stdin: spec.stdin }),
      });
    } finally {
      await removeTree(scratch);
    }
  }
}
