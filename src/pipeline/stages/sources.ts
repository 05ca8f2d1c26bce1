import { ArtifactLimitError, extractTarball, packDirectory } from '../../artifacts/tarball.js';
import type { ArtifactRow } from '../../repositories/artifacts.repo.js';
import type { BuildRun } from '../context.js';
import { StageFailure } from '../failure.js';
import { withScratchFile } from '../leftovers.js';

/** Directories never part of a source snapshot. */
const NOT_SOURCE = /^(node_modules|dist|build|out|\.next|\.git|\.svelte-kit|\.cache)(\/|$)/;

/** Whether a workspace path (relative) is left out of the source snapshot. */
export const isNotSource = (rel: string): boolean => NOT_SOURCE.test(rel);

/** Stores the workspace's sources so later stages, updates and rebuilds can start from them. */
export async function snapshotSources(run: BuildRun): Promise<ArtifactRow> {
  return withScratchFile(run.deps.settings.dataDir, 'src', 'source.tar.gz', async (file) => {
    const packed = await packDirectory(run.workspace.root, file, isNotSource).catch(
      (err: unknown) => {
        if (!(err instanceof ArtifactLimitError)) throw err;
        throw new StageFailure(
          'BUILD_OUTPUT_TOO_LARGE',
          err.describe('The generated project'),
          'Regenerate the project; the engine wrote files of filler.',
        );
      },
    );
    const stored = await run.deps.artifactStore.put(file, packed.sha256, packed.sizeBytes);
    return run.deps.artifacts.record(stored);
  });
}

/** Puts a version's stored sources into the workspace; false if it has none. */
export async function restoreSources(run: BuildRun, versionId: string): Promise<boolean> {
  const artifact = await run.deps.versions.sourceArtifact(versionId);
  if (!artifact) return false;
  return withScratchFile(run.deps.settings.dataDir, 'src', 'source.tar.gz', async (file) => {
    await run.deps.artifactStore.fetch(artifact, file);
    await extractTarball(file, run.workspace.root);
    return true;
  });
}
