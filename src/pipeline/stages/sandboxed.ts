import path from 'node:path';
import { classifyFailure } from '../../build/classify.js';
import { NODE_MODULES_SCRATCH } from '../../build/install.js';
import type { RunResult } from '../../sandbox/sandbox.js';
import type { BuildRun } from '../context.js';

/** The shared dependency tree is visible read-only, with scratch space where tools write. */
export function sandboxPaths(run: BuildRun) {
  const dir = run.state.dependencyDir;
  if (!dir) return { readOnlyPaths: run.deps.toolchain.paths };
  return {
    readOnlyPaths: [...run.deps.toolchain.paths, dir],
    scratchPaths: NODE_MODULES_SCRATCH.map((d) => path.join(dir, d)),
  };
}

export function classify(run: BuildRun, step: 'install' | 'validate' | 'build', result: RunResult) {
  const failure = classifyFailure({
    step,
    exitCode: result.exitCode,
    timedOut: result.timedOut,
    ...(result.killedBy && result.killedBy !== 'cancel'
      ? { killedBySandbox: result.killedBy }
      : {}),
    limits: run.deps.settings.space,
    stdout: result.stdout,
    stderr: result.stderr,
  });
  run.log.post({
    type: 'stage.failure',
    stage: step,
    level: 'error',
    message: failure.message,
    data: {
      category: failure.category,
      code: failure.code,
      fingerprint: failure.fingerprint,
      excerpt: failure.excerpt,
      files: failure.files,
    },
  });
  return failure;
}
