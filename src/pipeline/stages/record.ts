import type { BuildRun } from '../context.js';

/**
 * The version becomes ready, current and the project's preview, all in one transaction. Then
 * the next build's bundler starts (warm-bundler.ts): not earlier, where its start-up (most of
 * a core for ~0.3 s) would slow this build's packaging and deploy on a 2-core machine.
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
  if (state.bundledWith) deps.warmBundler?.prepareAfter(run, state.bundledWith);
}
