import path from 'node:path';
import { pathExists } from '../../build/install.js';
import type { BuildRun } from '../context.js';
import { BuildCancelled, StageFailure } from '../failure.js';
import { classify, sandboxPaths } from './sandboxed.js';

export async function validateStage(run: BuildRun): Promise<void> {
  const { workspace, state } = run;
  const buildScript = state.packageJson?.scripts?.build ?? '';
  const tsc = path.join(workspace.root, 'node_modules', 'typescript', 'bin', 'tsc');
  const usesTs =
    (await pathExists(path.join(workspace.root, 'tsconfig.json'))) && (await pathExists(tsc));
  if (!usesTs || /\btsc\b/.test(buildScript)) {
    await run.log.emit({
      type: 'validate.skipped',
      stage: 'validate',
      message: usesTs
        ? 'The build script runs the TypeScript check itself.'
        : 'No TypeScript to check.',
    });
    return;
  }
  const result = await run.exec('validate', {
    command: run.deps.toolchain.node,
    args: [tsc, '--noEmit', '-p', '.'],
    network: false,
    timeoutMs: run.deps.settings.buildTimeoutMs,
    ...sandboxPaths(run),
  });
  // Stopped, not failed: no failure to classify or report.
  if (run.signal.aborted) throw new BuildCancelled();
  if (result.exitCode !== 0)
    throw StageFailure.from(classify(run, 'validate', result), result.stdout + result.stderr);
}
