import type { BuildRun } from '../context.js';
import { BuildCancelled, StageFailure } from '../failure.js';
import { commandsFor } from '../scripts.js';
import { classify, sandboxPaths } from './sandboxed.js';

export async function buildStage(run: BuildRun): Promise<void> {
  const { state, workspace } = run;
  const script = state.packageJson?.scripts?.build;
  if (!script) {
    await run.log.emit({
      type: 'build.skipped',
      stage: 'build',
      message: 'No build script: serving the files as they are.',
    });
    return;
  }
  const commands = await commandsFor(
    script,
    workspace.root,
    run.deps.toolchain,
    state.manager ?? 'npm',
  );
  for (const command of commands) {
    const result = await run.exec('build', {
      ...command,
      network: false,
      timeoutMs: run.deps.settings.buildTimeoutMs,
      env: { NODE_ENV: 'production' },
      ...sandboxPaths(run),
    });
    // Stopped, not failed: no failure to classify or report.
    if (run.signal.aborted) throw new BuildCancelled();
    if (result.exitCode !== 0)
      throw StageFailure.from(classify(run, 'build', result), result.stdout + result.stderr);
  }
}
