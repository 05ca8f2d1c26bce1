import { ArtifactLimitError } from '../../artifacts/tarball.js';
import { DeployError } from '../../deploy/deployer.js';
import { PagesLimitError } from '../../deploy/cloudflare-pages/site-files.js';
import type { BuildRun } from '../context.js';
import { StageFailure } from '../failure.js';
import { outputTooLarge } from './package.js';

/**
 * Puts the build's output at its own preview URL. Nothing in the database changes here: the
 * record stage makes the version live, in one transaction with the project's pointers.
 */
export async function deployStage(run: BuildRun): Promise<void> {
  const { state, deps, build } = run;
  if (!state.artifact) throw new Error('deploy needs an artifact');
  state.deployed = await deps.deployer
    .deployPreview({
      buildId: build.id,
      projectId: build.projectId,
      artifact: state.artifact,
      attempt: build.attempts,
    })
    .catch((err: unknown) => {
      if (err instanceof ArtifactLimitError) throw outputTooLarge(err);
      if (err instanceof PagesLimitError)
        throw new StageFailure(
          'BUILD_OUTPUT_TOO_LARGE',
          err.message,
          'Leave large files (media, source maps) out of the output directory, or host them elsewhere.',
        );
      if (err instanceof DeployError && !err.retryable)
        throw new StageFailure(
          'DEPLOY_FAILED',
          'The hosting provider refused the deployment.',
          'Try again later; if it persists, the operator should check the deployer settings (CF_ACCOUNT_ID, CF_API_TOKEN).',
        );
      throw err;
    });
  state.previewUrl = state.deployed.url;
  run.log.emitSoon({
    type: 'deploy.done',
    stage: 'deploy',
    message: `Preview live at ${state.deployed.url}`,
    data: { url: state.deployed.url },
  });
}
