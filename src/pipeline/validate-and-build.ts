import type { BuildRun } from './context.js';
import { BuildCancelled } from './failure.js';
import type { StageStep } from './run-stage.js';
import type { StageRecord } from './stage-names.js';
import { reportStage } from './stage-report.js';
import { buildStage } from './stages/build.js';
import { compressAhead } from './stages/package.js';
import { validateStage } from './stages/validate.js';
import { adoptSpare } from './warm-bundler.js';

type Outcome =
  { ok: true; ms: number; ended?: Promise<unknown> } | { ok: false; ms: number; err: unknown };

/** Asks the fix loop about a failed stage (run-stage's repair), or rethrows. */
export type Repair = (name: 'validate' | 'build', err: unknown) => Promise<StageStep>;

/**
 * Runs validate (the type check) and build (the bundle) at the same time, on two cores the
 * check costs no wall time beside the bundle. Neither reads what the other writes: the check
 * emits nothing, the bundler writes only its output directory and its own scratch space.
 * The result is judged as if they had run one after the other: a validate failure goes to
 * the fix loop and the build started beside it is stopped (its record back to pending, as
 * if it never ran); a build failure counts only once validate passed. When packaging comes
 * next (`packNext`), the output of a bundle done before the check is compressed meanwhile.
 * Whichever ends first, the next build's spare bundler starts on the core it left.
 */
export async function validateAndBuild(
  run: BuildRun,
  records: StageRecord[],
  repair: Repair,
  packNext = false,
): Promise<StageStep> {
  if (run.signal.aborted) throw new BuildCancelled();
  const check = records.find((r) => r.name === 'validate') as StageRecord;
  const bundle = records.find((r) => r.name === 'build') as StageRecord;
  // Before either process starts: both see the workspace through the directory it moves to.
  await adoptSpare(run);
  const startedAt = new Date().toISOString();
  for (const r of [check, bundle]) Object.assign(r, { status: 'running', startedAt });
  for (const r of [check, bundle]) r.durationMs = null;
  // Both processes start while these are written, with the records as they are now (the
  // log keeps the order of events); a failed write still ends the pair, once the processes
  // are done.
  const announced = Promise.all(
    [check, bundle].map((r, i) =>
      run.log.emit(
        { type: 'stage.started', stage: r.name, message: `${r.name} started` },
        i === 0 ? { stage: 'validate', records } : undefined,
      ),
    ),
  );
  announced.catch(() => undefined); // awaited below

  const stopBuild = new AbortController();
  let checkDone = false;
  let bundleDone = false;
  const signal = AbortSignal.any([run.signal, stopBuild.signal]);
  const beside: BuildRun = {
    ...run,
    signal,
    exec: (stage, spec, warm) => run.exec(stage, { ...spec, signal }, warm),
  };
  const [checked, bundled] = await Promise.all([
    timed(() => validateStage(run)).then((o) => {
      checkDone = true;
      if (o.ok && !bundleDone) prepareNextSpare(run);
      if (!o.ok) stopBuild.abort();
      else o.ended = succeeded(run, check, o.ms, { other: bundle, records });
      return o;
    }),
    timed(() => buildStage(beside)).then((o) => {
      bundleDone = true;
      if (!o.ok) return o;
      if (!checkDone) prepareNextSpare(run);
      if (packNext && !checkDone && !signal.aborted) compressAhead(run);
      o.ended = succeeded(run, bundle, o.ms, { other: check, records });
      return o;
    }),
  ]);
  const writes = Promise.all([
    announced,
    checked.ok && checked.ended,
    bundled.ok && bundled.ended,
    run.log.takeUnawaited(),
  ]);
  writes.catch(() => undefined); // awaited below, or by the stage after the pair
  // Both done: the last one's event saved the records, and the next stage starts while it lands.
  if (checked.ok && bundled.ok && !run.signal.aborted) return { kind: 'ok', ending: writes };
  await writes;
  return judge(run, records, { check, checked, bundle, bundled }, repair);
}

/** Records the outcome of both, then cancels, repairs or goes on like the sequential stages. */
async function judge(
  run: BuildRun,
  records: StageRecord[],
  pair: { check: StageRecord; checked: Outcome; bundle: StageRecord; bundled: Outcome },
  repair: Repair,
): Promise<StageStep> {
  const { check, checked, bundle, bundled } = pair;
  const failedAs = run.signal.aborted ? 'cancelled' : 'failed';
  if (!checked.ok) Object.assign(check, { status: failedAs, durationMs: Math.round(checked.ms) });
  // A build stopped because validate failed never counts as run (back to pending).
  const bundleReset = !bundled.ok && !checked.ok && !run.signal.aborted;
  if (bundleReset) Object.assign(bundle, { status: 'pending', startedAt: null, durationMs: null });
  else if (!bundled.ok)
    Object.assign(bundle, { status: failedAs, durationMs: Math.round(bundled.ms) });
  await run.deps.builds.saveStages(run.build.id, checked.ok ? 'build' : 'validate', records);
  if (!checked.ok) reportStage(run, 'validate', failedAs, checked.ms);
  if (!bundled.ok && !bundleReset) reportStage(run, 'build', failedAs, bundled.ms);
  // The output compressed ahead is of a bundle that does not count.
  if (!checked.ok || !bundled.ok) delete run.state.compressedAhead;
  if (run.signal.aborted) throw new BuildCancelled();
  if (!checked.ok) return repair('validate', checked.err);
  if (!bundled.ok) return repair('build', bundled.err);
  return { kind: 'ok' };
}

/**
 * Once the first of the pair ends, one core is free: the next build's spare bundler starts on
 * it (warm-bundler.ts), loaded by the time a prompt that follows at once reaches its bundle.
 * Started at the build's end instead, back to back, the next bundle waited for it to load.
 */
function prepareNextSpare(run: BuildRun): void {
  const command = run.state.bundleCommand;
  if (command) run.deps.warmBundler?.prepareAfter(run, command);
}

async function timed(fn: () => Promise<void>): Promise<Outcome> {
  const t0 = performance.now();
  try {
    await fn();
    return { ok: true, ms: performance.now() - t0 };
  } catch (err) {
    return { ok: false, ms: performance.now() - t0, err };
  }
}

/**
 * Records one of the pair as done and writes its event (not awaited here). The second to end
 * saves the pair's records with it, in the same statement, when the other succeeded too.
 */
function succeeded(
  run: BuildRun,
  record: StageRecord,
  ms: number,
  pair: { other: StageRecord; records: StageRecord[] },
): Promise<unknown> {
  Object.assign(record, { status: 'succeeded', durationMs: Math.round(ms) });
  reportStage(run, record.name, 'succeeded', ms);
  const last = pair.other.status === 'succeeded';
  const write = run.log.emit(
    {
      type: 'stage.finished',
      stage: record.name,
      message: `${record.name} finished in ${record.durationMs} ms`,
      data: { durationMs: record.durationMs },
    },
    last ? { stage: 'build', records: pair.records } : undefined,
  );
  write.catch(() => undefined); // awaited with the pair's other writes
  return write;
}
