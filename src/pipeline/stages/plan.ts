import type { BuildPlan } from '../../ai/engine.js';
import type { BuildRun } from '../context.js';
import { digestFiles } from '../files-changed.js';
import { engineContext, noteUsage } from './engine-context.js';
import { restoreSources } from './sources.js';

/** The engine plans the app; an update starts from its parent version's files. */
export async function planStage(run: BuildRun): Promise<BuildPlan> {
  const { build, deps } = run;
  const existingFiles = build.kind === 'update' ? await restoreParentSources(run) : undefined;
  run.state.startingFiles = await digestFiles(run.workspace);
  const { requestedName } = await deps.versions.meta(build.versionId);
  const { plan, usage } = await deps.engine.plan(
    {
      kind: build.kind,
      prompt: build.prompt ?? '',
      ...(requestedName ? { name: requestedName } : {}),
      ...(build.framework ? { framework: build.framework as BuildPlan['framework'] } : {}),
      ...(existingFiles ? { existingFiles } : {}),
    },
    engineContext(run, 'plan'),
  );
  await noteUsage(run, 'plan', usage);
  await deps.versions.saveMeta(build.versionId, { plan });
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
  run.state.plan = plan;
  return plan;
}

async function restoreParentSources(run: BuildRun): Promise<string[] | undefined> {
  const parent = await run.deps.versions.parentOf(run.build.versionId);
  if (!parent || !(await restoreSources(run, parent))) return undefined;
  return run.workspace.listFiles();
}
