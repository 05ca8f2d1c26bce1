import { ArtifactLimitError } from '../../artifacts/tarball.js';
import type { BuildRun } from '../context.js';
import { outputTooLarge } from './package.js';

/**
 * Puts the build's output at its own preview URL. Nothing in the database changes here: the
 * record stage makes the version live, in one transaction with the project's pointers.
 */
export async function deployStage(run: BuildRun): Promise<void> {
  const { state, deps, build } = run;
  if (!state.artifact) throw new Error('deploy needs an artifact');
  state.deployed = await deps.deployer
    .deployPreview({ buildId: build.id, projectId: build.projectId, artifact: state.artifact })
    .catch((err: unknown) => {
      throw err instanceof ArtifactLimitError ? outputTooLarge(err) : err;
    });
  state.previewUrl = state.deployed.url;
  await run.log.emit({
    type: 'deploy.done',
    stage: 'deploy',
    message: `Preview live at ${state.deployed.url}`,
    data: { url: state.deployed.url },
  });
}
