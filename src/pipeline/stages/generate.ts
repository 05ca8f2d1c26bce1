import type { BuildRun } from '../context.js';
import { diffFiles, digestFiles } from '../files-changed.js';
import { engineContext, noteUsage, settleAiTime } from './engine-context.js';
import { importedGenerate } from './imported.js';
import { snapshotSources } from './sources.js';

/** The engine writes the app's files; the result is stored as the version's sources. */
export async function generateStage(run: BuildRun): Promise<void> {
  const { build, deps } = run;
  const { imported } = await deps.versions.meta(build.versionId);
  if (imported) return importedGenerate(run, imported);
  const plan = run.state.plan ?? (await deps.versions.meta(build.versionId)).plan;
  if (!plan) throw new Error('generate needs a plan');
  const { usage, summary } = await deps.engine.generate(
    { prompt: build.prompt ?? '', plan, kind: build.kind },
    run.workspace.tools(),
    engineContext(run, 'generate'),
  );
  await noteUsage(run, 'generate', usage);
  await settleAiTime(run, 0);
  const snapshot = await snapshotSources(run);
  // Known only when this job also planned (the files it started from are in memory).
  const changed = run.state.startingFiles
    ? diffFiles(run.state.startingFiles, await digestFiles(run.workspace))
    : null;
  await deps.versions.saveSources(build.versionId, snapshot.id, changed);
  await run.log.emit({
    type: 'generate.done',
    stage: 'generate',
    message: summary,
    data: { sourceSha256: snapshot.sha256, bytes: snapshot.sizeBytes, filesChanged: changed },
  });
}
