import path from 'node:path';
import { ulid } from 'ulid';
import { ArtifactLimitError, packDirectory } from '../../artifacts/tarball.js';
import { classifyFailure } from '../../build/classify.js';
import { detectOutputDir } from '../../build/detect.js';
import { measureDisk } from '../../sandbox/disk-watch.js';
import { removeTree } from '../../workspace/remove-tree.js';
import { makeScratchDir } from '../leftovers.js';
import type { BuildRun } from '../context.js';
import { StageFailure } from '../failure.js';

// Found at packaging, caused by what the steps before it wrote.
const OVER_DISK = {
  step: 'build',
  exitCode: null,
  timedOut: false,
  stdout: '',
  stderr: '',
} as const;

export async function packageStage(run: BuildRun): Promise<void> {
  const { workspace, state, deps } = run;
  const framework = state.framework ?? 'static';
  const outputDir = await detectOutputDir(workspace.root, framework, state.packageJson);
  if (!outputDir) {
    throw new StageFailure(
      'BUILD_NO_OUTPUT',
      'The build finished but produced no index.html in dist/, build/ or out/.',
      'Check that the build script writes a static site (for Next.js, `output: "export"`).',
    );
  }
  state.outputDir = outputDir;
  const { space } = deps.settings;
  // The sandbox checked after each run; this also covers a build with no run at all.
  if ((await measureDisk([workspace.root])) > space.diskBytes)
    throw StageFailure.from(
      classifyFailure({ ...OVER_DISK, killedBySandbox: 'disk', limits: space }),
    );
  const dir = await makeScratchDir(deps.settings.dataDir, 'pkg');
  try {
    const file = path.join(dir, 'site.tar.gz');
    const root = path.resolve(workspace.root, outputDir);
    // A static site served from the project root must not ship its sources' tooling.
    const exclude = (rel: string) =>
      outputDir === '.' && /^(node_modules|\.git|package(-lock)?\.json)(\/|$)/.test(rel);
    const packed = await packDirectory(root, file, exclude, { maxBytes: space.diskBytes }).catch(
      (err: unknown) => {
        throw err instanceof ArtifactLimitError ? outputTooLarge(err) : err;
      },
    );
    const stored = await deps.artifactStore.put(file, packed.sha256, packed.sizeBytes);
    state.artifact = await deps.artifacts.record(stored);
    await run.log.emit({
      type: 'package.done',
      stage: 'package',
      message: `Packaged ${outputDir}/ (${formatBytes(packed.sizeBytes)}).`,
      data: { outputDir, sha256: packed.sha256, sizeBytes: packed.sizeBytes },
    });
  } finally {
    await removeTree(dir);
  }
}

function outputTooLarge(err: ArtifactLimitError): StageFailure {
  return new StageFailure(
    'BUILD_OUTPUT_TOO_LARGE',
    err.describe('The build output'),
    err.reason === 'depth'
      ? 'Flatten the folders the build writes.'
      : 'Leave large or generated filler files (media, source maps, copied dependencies) out of the output directory.',
  );
}

export async function deployStage(run: BuildRun): Promise<void> {
  const { state, deps, build } = run;
  if (!state.artifact) throw new Error('deploy needs an artifact');
  const deployed = await deps.deployer
    .deployPreview({ buildId: build.id, projectId: build.projectId, artifact: state.artifact })
    .catch((err: unknown) => {
      throw err instanceof ArtifactLimitError ? outputTooLarge(err) : err;
    });
  await deps.db.query(
    `UPDATE deployments SET status = 'superseded'
     WHERE project_id = $1 AND environment = 'preview' AND status = 'active'`,
    [build.projectId],
  );
  await deps.db.query(
    `INSERT INTO deployments (id, project_id, version_id, build_id, artifact_id, environment, provider,
       provider_deployment_id, url, status, activated_at)
     VALUES ($1, $2, $3, $4, $5, 'preview', $6, $7, $8, 'active', now())`,
    [
      ulid(),
      build.projectId,
      build.versionId,
      build.id,
      state.artifact.id,
      deps.deployer.provider,
      deployed.providerDeploymentId,
      deployed.url,
    ],
  );
  state.previewUrl = deployed.url;
  await run.log.emit({
    type: 'deploy.done',
    stage: 'deploy',
    message: `Preview live at ${deployed.url}`,
    data: { url: deployed.url },
  });
}

export async function recordStage(run: BuildRun): Promise<void> {
  const { state, deps, build } = run;
  await deps.db.transaction(async (tx) => {
    await tx.query(
      `UPDATE project_versions SET status = 'ready', artifact_id = $2, preview_url = $3,
         framework = coalesce(framework, $4) WHERE id = $1`,
      [
        build.versionId,
        state.artifact?.id ?? null,
        state.previewUrl ?? null,
        state.framework ?? null,
      ],
    );
    await tx.query(
      `UPDATE projects SET current_version_id = $2, updated_at = now(),
         framework = coalesce($3, framework), name = coalesce($4, name) WHERE id = $1`,
      [build.projectId, build.versionId, state.framework ?? null, state.plan?.name ?? null],
    );
  });
}

function formatBytes(n: number): string {
  return n < 1024
    ? `${n} B`
    : n < 1024 ** 2
      ? `${(n / 1024).toFixed(1)} KiB`
      : `${(n / 1024 ** 2).toFixed(1)} MiB`;
}
