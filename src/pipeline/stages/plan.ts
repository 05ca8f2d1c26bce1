import type { BuildPlan } from '../../ai/engine.js';
import { parsePackageJson } from '../../build/detect.js';
import { saveVersionMeta, versionMeta, type BuildRun } from '../context.js';
import { digestFiles } from '../files-changed.js';
import { engineContext, noteUsage, reserveAiTime } from './engine-context.js';
import { importedPlan } from './imported.js';
import { restoreSources } from './sources.js';

/** The engine plans the app; an update starts from its parent version's files. */
export async function planStage(run: BuildRun): Promise<BuildPlan> {
  const { build, deps } = run;
  const { imported } = await versionMeta(run);
  if (imported) return importedPlan(run, imported);
  const existingFiles = build.kind === 'update' ? await restoreParentSources(run) : undefined;
  // A new app has no previous manifest for the install's dependency check to compare with,
  // and no files: plan runs first, in a workspace the run has just made (a retried job's
  // leftovers removed), so there is nothing to list.
  if (build.kind === 'create') run.state.previousPackageJson = null;
  run.state.startingFiles = build.kind === 'create' ? new Map() : await digestFiles(run.workspace);
  const name = await appName(run);
  // Usually reserved when the build was accepted; a retried job finds that reservation.
  await reserveAiTime(run, 0);
  const { plan, usage } = await deps.engine.plan(
    {
      kind: build.kind,
      prompt: build.prompt ?? '',
      ...(name ? { name } : {}),
      ...(build.framework ? { framework: build.framework as BuildPlan['framework'] } : {}),
      ...(existingFiles ? { existingFiles } : {}),
    },
    engineContext(run, 'plan'),
  );
  await noteUsage(run, 'plan', usage);
  await saveVersionMeta(run, { plan });
  run.log.emitSoon({
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
  run.state.plan = plan;
  return plan;
}

async function restoreParentSources(run: BuildRun): Promise<string[] | undefined> {
  const parent = await run.deps.versions.parentOf(run.build.versionId);
  if (!parent || !(await restoreSources(run, parent))) return undefined;
  // The install's dependency check compares against this; read now, not fetched again there.
  const text = await run.workspace.readFile('package.json').catch(() => undefined);
  run.state.previousPackageJson = (text !== undefined && parsePackageJson(text)) || null;
  return run.workspace.listFiles();
}

/**
 * The name the engine keeps unless the prompt changes it: the client's choice for a new app,
 * the project's current name for an update (otherwise an update's plan would rename the app
 * after its prompt, "Make the theme blue", and with it the production host of a first publish).
 */
async function appName(run: BuildRun): Promise<string | undefined> {
  const { requestedName } = await versionMeta(run);
  if (requestedName || run.build.kind === 'create') return requestedName;
  return (await run.deps.projects.get(run.build.projectId))?.name;
}
