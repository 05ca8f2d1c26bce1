import type { BuildPlan } from '../../ai/engine.js';
import { detectFramework, parsePackageJson } from '../../build/detect.js';
import type { ImportedMeta } from '../../repositories/versions.repo.js';
import { saveVersionMeta, versionMeta, type BuildRun } from '../context.js';
import { restoreSources } from './sources.js';

/**
 * The plan of an imported project: its files are the version's sources, stored when the
 * archive was accepted; no engine is asked. The framework is what the files say it is.
 */
export async function importedPlan(run: BuildRun, imported: ImportedMeta): Promise<BuildPlan> {
  const { build, workspace } = run;
  if (!(await restoreSources(run, build.versionId))) {
    throw new Error('the imported sources of this build are missing');
  }
  const files = await workspace.listFiles();
  const text = await workspace.readFile('package.json').catch(() => undefined);
  const packageJson = text === undefined ? undefined : parsePackageJson(text);
  const detected = detectFramework({ packageJson, files });
  const { requestedName } = await versionMeta(run);
  const plan: BuildPlan = {
    framework: detected.framework,
    name: requestedName ?? packageJson?.name ?? 'Imported project',
    summary: `Imported project (${imported.files} files): ${detected.framework}, detected from its ${detected.layer}.`,
    files,
    tasks: [],
    meta: { imported: true },
  };
  await saveVersionMeta(run, { plan });
  await run.log.emit({
    type: 'plan.ready',
    stage: 'plan',
    message: `${plan.summary} No engine call: the files are built as they are.`,
    data: { framework: plan.framework, name: plan.name, files: files.length, tasks: [] },
  });
  return plan;
}

/** Stands in for generation: the sources are the imported files, so nothing is generated. */
export async function importedGenerate(run: BuildRun, imported: ImportedMeta): Promise<void> {
  await run.log.emit({
    type: 'generate.imported',
    stage: 'generate',
    message: `Imported ${imported.files} files (${imported.bytes} bytes) from a ${imported.archive} archive: no engine call, no AI time charged.`,
    data: { ...imported, aiSeconds: 0 },
  });
}
