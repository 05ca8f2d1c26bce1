import type { BuildRun } from '../context.js';

/** The version becomes ready, current and the project's preview, all in one transaction. */
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
}
