import type { Build } from '../repositories/builds.repo.js';
import type { IdentityLease } from '../sandbox/identity-pool.js';
import type { SandboxIdentity } from '../sandbox/sandbox.js';
import { openRun } from './build-run.js';
import type { PipelineDeps } from './context.js';
import { BuildEventLog } from './event-log.js';
import { finish, type Ending } from './finish.js';
import { removeWorkspace } from './leftovers.js';
import { CANCELLED, verdictFor } from './outcome.js';
import { runStageList } from './run-stage.js';
import { pendingStage, STAGES, type StageName, type StageRecord } from './stage-names.js';
import type { SpareBundler } from './warm-bundler.js';

export interface RunOptions {
  workerId: string;
  /** False for the first half of a modular build: the build goes on in another job. */
  finalize: boolean;
  /** True when the queue will not retry this job again after a crash. */
  lastAttempt: boolean;
  /** Fired when the worker shuts down: processes stop and the job is handed back. */
  shutdownSignal?: AbortSignal;
}

class WorkerStopping extends Error {}

export type RunOutcome = 'succeeded' | 'failed' | 'cancelled' | 'continued' | 'skipped';

/** What every step of one run shares. */
interface RunScope {
  deps: PipelineDeps;
  build: Build;
  log: BuildEventLog;
  options: RunOptions;
}

/**
 * Runs some stages of one build. Expected failures end the build with their code, once; an
 * infrastructure fault is rethrown so the queue can retry the job, unless it was the last try.
 * Whatever the exit (success, failure, cancel), a build that ended leaves no workspace behind.
 */
export async function runStages(
  deps: PipelineDeps,
  buildId: string,
  stages: readonly StageName[],
  options: RunOptions,
): Promise<RunOutcome> {
  // An attempt is a run from the first stage; the second half of a modular build continues it.
  const build = await deps.builds.start(buildId, options.workerId, stages[0] === 'plan');
  if (!build) return notStarted(deps, buildId);
  if (build.recordedPreviewUrl !== null) return endRecorded(deps, build, build.recordedPreviewUrl);
  const scope: RunScope = {
    deps,
    build,
    log: new BuildEventLog(buildId, deps.events, deps.bus, deps.redact),
    options,
  };
  const controller = new AbortController();
  const unsubscribe = await deps.bus.subscribeControl(buildId, (m) => {
    if (m.type === 'cancel') controller.abort('cancel');
  });
  const onShutdown = () => controller.abort('shutdown');
  options.shutdownSignal?.addEventListener('abort', onShutdown, { once: true });
  // The build's own uid for all its processes; waits (cancellably) while every slot is busy.
  let lease: IdentityLease | undefined;
  let spare: SpareBundler | undefined;
  try {
    // A cancel between start() and the subscription published to no one; it left its mark.
    if ((await deps.builds.get(buildId))?.cancelRequested) controller.abort('cancel');
    // A bundler started ahead for this build runs as its uid: the build takes both.
    spare = await deps.warmBundler?.take();
    lease = spare?.lease ?? (await deps.identities.acquire(controller.signal));
    const ending = await runAll(scope, stages, controller.signal, lease.identity, spare);
    if (ending === 'continued') return 'continued';
    // Inside the try: a fault while ending a success is judged like any other.
    await finish(deps, build, scope.log, ending);
    return 'succeeded';
  } catch (err) {
    const ending = await endingFor(scope, err, controller.signal);
    await finish(deps, build, scope.log, ending);
    return ending.status;
  } finally {
    // Kills anything the build left running under its uid before another build gets it.
    await spare?.node.discard();
    await lease?.release();
    options.shutdownSignal?.removeEventListener('abort', onShutdown);
    await unsubscribe().catch(() => undefined);
    await scope.log.flush();
  }
}

/**
 * A build this job could not start: it ended already, or was cancelled while queued. An
 * earlier job may have ended it and died before its clean-up: what it left goes now.
 */
async function notStarted(deps: PipelineDeps, buildId: string): Promise<RunOutcome> {
  const current = await deps.builds.get(buildId);
  if (current?.cancelRequested && current.status !== 'cancelled') {
    const log = new BuildEventLog(buildId, deps.events, deps.bus, deps.redact);
    await finish(deps, current, log, { status: 'cancelled', error: CANCELLED });
    return 'cancelled';
  }
  await removeWorkspace(deps.settings, buildId);
  return 'skipped';
}

/**
 * An earlier job recorded the build's version (it is live) and died before ending the build:
 * running the stages again would deploy over what is live, so the build ends as it stands.
 */
async function endRecorded(deps: PipelineDeps, build: Build, previewUrl: string) {
  const log = new BuildEventLog(build.id, deps.events, deps.bus, deps.redact);
  // The stages up to record all did their work, whatever the dead job saved last; the ones
  // after it (recommend) are not run again.
  const live = STAGES.indexOf('record');
  const records = STAGES.map((name, i): StageRecord => {
    const saved = build.stages.find((s) => s.name === name) ?? pendingStage(name);
    if (i <= live) return { ...saved, status: 'succeeded' };
    return saved.status === 'succeeded' ? saved : { ...saved, status: 'skipped' };
  });
  try {
    await deps.builds.saveStages(build.id, 'record', records);
    await log.emit({
      type: 'build.resumed',
      message: 'The version was recorded before the worker stopped; the build ends here.',
    });
    await finish(deps, build, log, { status: 'succeeded', previewUrl });
  } finally {
    await log.flush();
  }
  return 'succeeded' as const;
}

/** Runs the stages; says how the build succeeded, or that its second half goes on elsewhere. */
async function runAll(
  { deps, build, log, options }: RunScope,
  stages: readonly StageName[],
  signal: AbortSignal,
  identity: SandboxIdentity | undefined,
  spare: SpareBundler | undefined,
): Promise<Ending | 'continued'> {
  const started = performance.now();
  const fresh = stages[0] === 'plan';
  if (fresh) {
    await log.emit({
      type: 'build.started',
      message: `Build started (attempt ${build.attempts}).`,
      data: { attempt: build.attempts, workerId: options.workerId },
    });
  }
  const run = await openRun(deps, build, fresh, log, signal, identity, spare);
  // A build queued before a stage was added has no record of it: it starts pending.
  const records: StageRecord[] = STAGES.map((name) => ({
    ...(build.stages.find((s) => s.name === name) ?? pendingStage(name)),
  }));
  await runStageList(run, stages, records);
  if (!options.finalize) return 'continued';
  return {
    status: 'succeeded',
    previewUrl: run.state.previewUrl,
    timing: {
      wallMs: Math.round(performance.now() - started),
      processMs: Math.round(run.state.processMs),
      stages: records.map((r) => ({ name: r.name, durationMs: r.durationMs })),
    },
    sessionId: run.state.sessionId,
  };
}

/**
 * Acts on the verdict for an error that stopped the run: says how the build ends, or rethrows
 * for the queue (a shutdown hands the build to another worker; a retry runs the job again).
 */
async function endingFor(
  { deps, build, log, options }: RunScope,
  err: unknown,
  signal: AbortSignal,
): Promise<Ending> {
  const verdict = verdictFor(err, { signal, lastAttempt: options.lastAttempt });
  if (verdict.kind === 'handback') {
    await log.emit({
      type: 'build.interrupted',
      level: 'warn',
      message: 'The worker is stopping; the build will resume on another worker.',
    });
    throw new WorkerStopping('worker stopping');
  }
  if (verdict.crashed) deps.logger.error({ err, buildId: build.id }, 'build stage crashed');
  if (verdict.notice)
    await log.emit({ type: 'build.error', level: 'error', message: verdict.notice });
  if (verdict.kind === 'retry') throw verdict.err;
  return { status: verdict.status, error: verdict.error };
}
