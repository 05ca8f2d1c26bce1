import type { BuildRun } from '../context.js';

/**
 * The version becomes ready, current and the project's preview, all in one transaction. Then
 * the next build's bundler starts (warm-bundler.ts) if it has not yet: validate-and-build
 * starts it once the first of the check and the bundle ends, and does not when they ran one
 * after the other (a fix loop's rerun) or the first failed.
 */
export async function recordStage(run: BuildRun): Promise<void> {
  const { state, deps, build } = run;
  if (!state.artifact || !state.deployed) throw new Error('record needs a deployed artifact');
  await deps.releases.recordBuilt({
    build,
    artifactId: state.artifact.id,
    deployed: state.deployed,
    framework: state.framework,
    name: state.plan?.name,
  });
  if (state.bundleCommand) deps.warmBundler?.prepareAfter(run, state.bundleCommand);
}
