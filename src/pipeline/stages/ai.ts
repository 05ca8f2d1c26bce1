import { rm } from 'node:fs/promises';
import path from 'node:path';
import type { BuildPlan, EngineContext, EngineUsage } from '../../ai/engine.js';
import { ArtifactLimitError, extractTarball, packDirectory } from '../../artifacts/tarball.js';
import type { BuildRun } from '../context.js';
import { StageFailure } from '../failure.js';
import { makeScratchDir } from '../leftovers.js';
import { recordUsage, loadVersionMeta, saveVersionMeta, sourceArtifactOf } from '../versions.js';

/** Directories never part of a source snapshot. */
const NOT_SOURCE = /^(node_modules|dist|build|out|\.next|\.git|\.svelte-kit|\.cache)(\/|$)/;

export function engineContext(run: BuildRun, stage: string): EngineContext {
  return {
    signal: run.signal,
    workspaceRoot: run.workspace.root,
    projectId: run.build.projectId,
    ...(run.state.sessionId ? { sessionId: run.state.sessionId } : {}),
    ...(run.identity ? { identity: run.identity } : {}),
    onSession: (sessionId) => {
      run.state.sessionId = sessionId;
      void run.deps.db
        .query('UPDATE projects SET ai_session_id = $2 WHERE id = $1', [
          run.build.projectId,
          sessionId,
        ])
        .catch(() => undefined);
    },
    emit: (event) =>
      run.log.post({
        type: `engine.${event.type}`,
        stage,
        message: event.message,
        data: event.data ?? null,
      }),
  };
}

export async function planStage(run: BuildRun): Promise<BuildPlan> {
  const { build, deps } = run;
  const existingFiles = build.kind === 'update' ? await restoreParentSources(run) : undefined;
  const { requestedName } = await loadVersionMeta(deps.db, build.versionId);
  const { plan, usage } = await deps.engine.plan(
    {
      kind: build.kind === 'create' ? 'create' : 'update',
      prompt: build.prompt ?? '',
      ...(requestedName ? { name: requestedName } : {}),
      ...(build.framework ? { framework: build.framework as BuildPlan['framework'] } : {}),
      ...(existingFiles ? { existingFiles } : {}),
    },
    engineContext(run, 'plan'),
  );
  await noteUsage(run, 'plan', usage);
  await saveVersionMeta(deps.db, build.versionId, { plan });
  await run.log.emit({
    type: 'plan.ready',
    stage: 'plan',
    message: plan.summary,
    data: {
      framework: plan.framework,
      name: plan.name,
      files: plan.files.length,
      tasks: plan.tasks,
    },
  });
  return plan;
}

export async function generateStage(run: BuildRun): Promise<void> {
  const { build, deps } = run;
  const plan = run.state.plan ?? (await loadVersionMeta(deps.db, build.versionId)).plan;
  if (!plan) throw new Error('generate needs a plan');
  const { usage, summary } = await deps.engine.generate(
    { prompt: build.prompt ?? '', plan, kind: build.kind === 'create' ? 'create' : 'update' },
    run.workspace.tools(),
    engineContext(run, 'generate'),
  );
  await noteUsage(run, 'generate', usage);
  const snapshot = await snapshotSources(run);
  await run.log.emit({
    type: 'generate.done',
    stage: 'generate',
    message: summary,
    data: { sourceSha256: snapshot.sha256, bytes: snapshot.sizeBytes },
  });
}

/** Stores the generated sources so later stages, updates and rebuilds can start from them. */
async function snapshotSources(run: BuildRun) {
  const dir = await makeScratchDir(run.deps.settings.dataDir, 'src');
  try {
    const file = path.join(dir, 'source.tar.gz');
    const packed = await packDirectory(run.workspace.root, file, (rel) =>
      NOT_SOURCE.test(rel),
    ).catch((err: unknown) => {
      if (!(err instanceof ArtifactLimitError)) throw err;
      throw new StageFailure(
        'BUILD_OUTPUT_TOO_LARGE',
        err.describe('The generated project'),
        'Regenerate the project; the engine wrote files of filler.',
      );
    });
    const stored = await run.deps.artifactStore.put(file, packed.sha256, packed.sizeBytes);
    const row = await run.deps.artifacts.record(stored);
    await run.deps.db.query('UPDATE project_versions SET source_artifact_id = $2 WHERE id = $1', [
      run.build.versionId,
      row.id,
    ]);
    return row;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Puts a version's stored sources into the workspace (a later stage on another machine). */
export async function restoreSources(run: BuildRun, versionId: string): Promise<boolean> {
  const artifact = await sourceArtifactOf(run.deps.db, versionId);
  if (!artifact) return false;
  const dir = await makeScratchDir(run.deps.settings.dataDir, 'src');
  try {
    const file = path.join(dir, 'source.tar.gz');
    await run.deps.artifactStore.fetch(artifact.storageKey, file);
    await extractTarball(file, run.workspace.root);
    return true;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function restoreParentSources(run: BuildRun): Promise<string[] | undefined> {
  const { rows } = await run.deps.db.query<{ parent_version_id: string | null }>(
    'SELECT parent_version_id FROM project_versions WHERE id = $1',
    [run.build.versionId],
  );
  const parent = rows[0]?.parent_version_id;
  if (!parent || !(await restoreSources(run, parent))) return undefined;
  return run.workspace.listFiles();
}

async function noteUsage(run: BuildRun, operation: string, usage: EngineUsage): Promise<void> {
  run.state.usage.push(usage);
  await recordUsage(run.deps.db, run.build, run.deps.engine.name, operation, usage);
}
