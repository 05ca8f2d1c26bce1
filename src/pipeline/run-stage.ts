import type { BuildRun } from './context.js';
import { BuildCancelled, StageFailure } from './failure.js';
import { FixLoop } from './fix-loop.js';
import { reportStage } from './stage-report.js';
import { AFTER_LIVE, type StageName, type StageRecord } from './stage-names.js';
import { validateAndBuild } from './validate-and-build.js';
import { planStage } from './stages/plan.js';
import { generateStage } from './stages/generate.js';
import { installStage } from './stages/install.js';
import { validateStage } from './stages/validate.js';
import { buildStage } from './stages/build.js';
import { packageStage } from './stages/package.js';
import { deployStage } from './stages/deploy.js';
import { recordStage } from './stages/record.js';
import { recommendStage } from './stages/recommend.js';
import { DependencyRefusal } from './stages/dependency-checks.js';

type StageFn = (run: BuildRun) => Promise<unknown>;

const STAGE_FNS: Record<StageName, StageFn> = {
  plan: async (run) => (run.state.plan = await planStage(run)),
  generate: generateStage,
  install: installStage,
  validate: validateStage,
  build: buildStage,
  package: packageStage,
  deploy: deployStage,
  record: recordStage,
  recommend: recommendStage,
};

/**
 * What one stage came to: done (with its `stage.finished` write, which may still be landing:
 * see StageList's `ending`), or repaired so the run goes on again from `from`.
 */
export type StageStep =
  { kind: 'ok'; ending?: Promise<unknown> } | { kind: 'restart'; from: StageName };

/** The stages of this run and their records, which are saved on the build as they change. */
interface StageList {
  stages: readonly StageName[];
  records: StageRecord[];
  fixes: FixLoop;
  /**
   * The last stage's `stage.finished` write. The next stage starts while it lands (it joins
   * that stage's own start in one statement) and is judged with it; the list awaits it last.
   */
  ending?: Promise<unknown>;
}

/**
 * Runs the stages in order, validate and build side by side (validate-and-build.ts). A
 * repaired failure moves the cursor back to the first stage the fix invalidates (install or
 * validate, both before any stage that can be repaired).
 */
export async function runStageList(
  run: BuildRun,
  stages: readonly StageName[],
  records: StageRecord[],
): Promise<void> {
  const list: StageList = { stages, records, fixes: new FixLoop(run.deps.settings.fix) };
  let cursor = 0;
  while (cursor < stages.length) {
    const name = stages[cursor] as StageName;
    const paired = name === 'validate' && stages[cursor + 1] === 'build';
    if (paired) await takeEnding(list);
    const step = paired
      ? await validateAndBuild(
          run,
          records,
          (failed, err) => repair(run, failed, err, list),
          stages[cursor + 2] === 'package',
        )
      : await runStage(run, name, list);
    if (step.kind === 'ok') list.ending = step.ending;
    cursor = step.kind === 'restart' ? stages.indexOf(step.from) : cursor + (paired ? 2 : 1);
  }
  await takeEnding(list);
}

/** Waits for the last stage's end to be stored; its failure is thrown here. */
async function takeEnding(list: StageList): Promise<void> {
  const ending = list.ending;
  list.ending = undefined;
  await ending;
}

/**
 * Runs one stage, recording it as running, then succeeded, failed or cancelled. A failure the
 * fix loop cannot repair, and any cancel, is thrown.
 */
async function runStage(run: BuildRun, name: StageName, list: StageList): Promise<StageStep> {
  const { deps, build, log, signal } = run;
  if (signal.aborted && !AFTER_LIVE.includes(name)) throw new BuildCancelled();
  const record = list.records.find((r) => r.name === name) as StageRecord;
  const t0 = performance.now();
  Object.assign(record, {
    status: 'running',
    startedAt: new Date().toISOString(),
    durationMs: null,
  });
  // The record and its event in one statement (a boundary between stages is on every
  // build's path twice). The stage starts while it is written, with the last stage's end
  // (the log keeps the order of events and stores the two together); a failed write of
  // either fails this stage once its work is done.
  const snapshot = { stage: name, records: list.records };
  const started = Promise.all([
    takeEnding(list),
    log.emit({ type: 'stage.started', stage: name, message: `${name} started` }, snapshot),
  ]);
  started.catch(() => undefined); // awaited below
  try {
    await STAGE_FNS[name](run);
    await started;
    if (deps.afterStageWork) await deps.afterStageWork(name, build.id);
  } catch (err) {
    // Its records must not land after these (on PostgreSQL they could, from another connection).
    await Promise.allSettled([started, log.takeUnawaited()]);
    Object.assign(record, {
      status: signal.aborted ? 'cancelled' : 'failed',
      durationMs: Math.round(performance.now() - t0),
    });
    await deps.builds.saveStages(build.id, name, list.records);
    reportStage(run, name, record.status as 'failed' | 'cancelled', record.durationMs ?? 0);
    if (signal.aborted) throw new BuildCancelled();
    return repair(run, name, err, list);
  }
  record.status = 'succeeded';
  record.durationMs = Math.round(performance.now() - t0);
  reportStage(run, name, 'succeeded', record.durationMs);
  const finished = log.emit(
    {
      type: 'stage.finished',
      stage: name,
      message: `${name} finished in ${record.durationMs} ms`,
      data: { durationMs: record.durationMs },
    },
    snapshot,
  );
  const ending = Promise.all([log.takeUnawaited(), finished]);
  ending.catch(() => undefined); // awaited by the next stage or at the end of the list
  return { kind: 'ok', ending };
}

/**
 * Asks the fix loop to repair a validate or build failure; rethrows `err` when it cannot.
 * A repair resets the records from the restart stage on, so they show the stages to run again.
 */
async function repair(
  run: BuildRun,
  name: StageName,
  err: unknown,
  list: StageList,
): Promise<StageStep> {
  // An install is repaired only when the registry check refused a package: other install
  // failures (network, limits) are not the project's code to change.
  const repairable =
    name === 'validate' ||
    name === 'build' ||
    (name === 'install' && err instanceof DependencyRefusal);
  const repaired =
    err instanceof StageFailure && repairable ? await list.fixes.attempt(run, err) : undefined;
  if (!repaired) throw err;
  const from = repaired.dependenciesChanged ? 'install' : 'validate';
  if (repaired.dependenciesChanged) run.state.dependenciesChanged = true;
  for (const r of list.records.slice(list.records.findIndex((x) => x.name === from))) {
    if (list.stages.includes(r.name))
      Object.assign(r, { status: 'pending', startedAt: null, durationMs: null });
  }
  return { kind: 'restart', from };
}
