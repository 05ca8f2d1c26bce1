import { versionMeta, type BuildRun } from '../context.js';
import { diffFiles, digestFiles } from '../files-changed.js';
import { engineContext, noteUsage, settleAiTime } from './engine-context.js';
import { importedGenerate } from './imported.js';
import { snapshotSources } from './sources.js';

/** The engine writes the app's files; the result is stored as the version's sources. */
export async function generateStage(run: BuildRun): Promise<void> {
  const { build, deps } = run;
  const { imported, plan: savedPlan } = await versionMeta(run);
  if (imported) return importedGenerate(run, imported);
  const plan = run.state.plan ?? savedPlan;
  if (!plan) throw new Error('generate needs a plan');
  const { usage, summary } = await deps.engine.generate(
    { prompt: build.prompt ?? '', plan, kind: build.kind },
    run.workspace.tools(),
    engineContext(run, 'generate'),
  );
  await noteUsage(run, 'generate', usage);
  await settleAiTime(run, 0);
  // Both only read the files the engine wrote.
  const [snapshot, changed] = await Promise.all([snapshotSources(run), filesChanged(run)]);
  await deps.versions.saveSources(build.versionId, snapshot.id, changed);
  run.log.emitSoon({
    type: 'generate.done',
    stage: 'generate',
    message: summary,
    data: { sourceSha256: snapshot.sha256, bytes: snapshot.sizeBytes, filesChanged: changed },
  });
}

/** How the engine changed the files; known only when this job also planned (they are in memory). */
async function filesChanged(run: BuildRun) {
  const before = run.state.startingFiles;
  if (!before) return null;
  // From no files (a new project) every file is new: the listing tells as much as digests of
  // every file, which took ~10-20 ms of reads beside the snapshot on each new build.
  if (before.size === 0)
    return { added: (await run.workspace.listFiles()).length, modified: 0, removed: 0 };
  return diffFiles(before, await digestFiles(run.workspace));
}
