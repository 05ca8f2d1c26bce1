import { chown, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Build } from '../repositories/builds.repo.js';
import { bindIdentity, type IdentityLease } from '../sandbox/identity-pool.js';
import type { SandboxIdentity } from '../sandbox/sandbox.js';
import { chownTree } from '../workspace/chown-tree.js';
import { Workspace } from '../workspace/workspace.js';
import type { BuildRun, PipelineDeps, PipelineState } from './context.js';
import { BuildEventLog, OutputLogger } from './event-log.js';
import { BuildCancelled, isRetryable, StageFailure } from './failure.js';
import { removeWorkspace, workspaceDir } from './leftovers.js';
import type { BuildErrorCode } from '../build/build-errors.js';
import { runStageList } from './run-stage.js';
import { EngineMisconfiguredError, EngineUnavailableError } from '../ai/engine.js';
import type { StageName, StageRecord } from './stage-names.js';
import { restoreSources } from './stages/sources.js';
import { TERMINAL_EVENT } from '../events/event-bus.js';

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
  const log = new BuildEventLog(buildId, deps.events, deps.bus, deps.redact);
  const controller = new AbortController();
  const unsubscribe = await deps.bus.subscribeControl(buildId, (m) => {
    if (m.type === 'cancel') controller.abort('cancel');
  });
  const onShutdown = () => controller.abort('shutdown');
  options.shutdownSignal?.addEventListener('abort', onShutdown, { once: true });
  // The build's own uid for all its processes; waits (cancellably) while every slot is busy.
  let lease: IdentityLease | undefined;
  try {
    // A cancel between start() and the subscription published to no one; it left its mark.
    if ((await deps.builds.get(buildId))?.cancelRequested) controller.abort('cancel');
    lease = await deps.identities.acquire(controller.signal);
    return await runAll(deps, build, stages, options, log, controller.signal, lease.identity);
  } catch (err) {
    return await endOnError(deps, build, log, err, controller.signal, options);
  } finally {
    // Kills anything the build left running under its uid before another build gets it.
    await lease?.release();
    options.shutdownSignal?.removeEventListener('abort', onShutdown);
    await unsubscribe().catch(() => undefined);
    await log.flush();
  }
}

async function notStarted(deps: PipelineDeps, buildId: string): Promise<RunOutcome> {
  const current = await deps.builds.get(buildId);
  if (current?.cancelRequested && current.status !== 'cancelled') {
    const log = new BuildEventLog(buildId, deps.events, deps.bus, deps.redact);
    await finish(deps, current, log, 'cancelled', CANCELLED);
    return 'cancelled';
  }
  return 'skipped';
}

const CANCELLED = {
  code: 'BUILD_CANCELLED',
  message: 'The build was cancelled.',
  hint: 'Start a new build when you are ready.',
} as const;

async function runAll(
  deps: PipelineDeps,
  build: Build,
  stages: readonly StageName[],
  options: RunOptions,
  log: BuildEventLog,
  signal: AbortSignal,
  identity: SandboxIdentity | undefined,
): Promise<'succeeded' | 'continued'> {
  const started = performance.now();
  const state: PipelineState = { processMs: 0, usage: [] };
  if (stages[0] === 'plan') {
    await log.emit({
      type: 'build.started',
      message: `Build started (attempt ${build.attempts}).`,
      data: { attempt: build.attempts, workerId: options.workerId },
    });
  }
  const workspace = await prepareWorkspace(deps, build, stages[0] === 'plan', identity);
  const run = makeRun(deps, build, workspace, log, signal, state, identity);
  if (
    stages[0] !== 'plan' &&
    !(await workspace.exists('package.json')) &&
    !(await workspace.exists('index.html'))
  ) {
    if (!(await restoreSources(run, build.versionId)))
      throw new Error('sources of this build are missing');
  }
  state.plan ??= (await deps.versions.meta(build.versionId)).plan;
  if (build.kind === 'update') {
    const sessionId = await deps.projects.aiSession(build.projectId);
    if (sessionId) state.sessionId = sessionId;
  }
  const records = normaliseStages(build.stages);
  await runStageList(run, stages, records);
  if (!options.finalize) return 'continued';
  await finish(
    deps,
    build,
    log,
    'succeeded',
    undefined,
    state.previewUrl,
    {
      wallMs: Math.round(performance.now() - started),
      processMs: Math.round(state.processMs),
      stages: records.map((r) => ({ name: r.name, durationMs: r.durationMs })),
    },
    state.sessionId,
  );
  return 'succeeded';
}

/**
 * Ends the build for an error and says how, or rethrows for the queue: on shutdown (another
 * worker resumes it) and for a retryable fault that has attempts left. Nothing deterministic
 * is ever rethrown, so the queue never repeats a failure the project caused.
 */
async function endOnError(
  deps: PipelineDeps,
  build: Build,
  log: BuildEventLog,
  err: unknown,
  signal: AbortSignal,
  options: RunOptions,
): Promise<RunOutcome> {
  if (signal.reason === 'shutdown') {
    await log.emit({
      type: 'build.interrupted',
      level: 'warn',
      message: 'The worker is stopping; the build will resume on another worker.',
    });
    throw new WorkerStopping('worker stopping');
  }
  if (err instanceof BuildCancelled || signal.aborted) {
    await finish(deps, build, log, 'cancelled', CANCELLED);
    return 'cancelled';
  }
  if (err instanceof EngineMisconfiguredError) {
    // A set-up error fails every attempt the same way: say what to fix, never "try again".
    await finish(deps, build, log, 'failed', {
      code: 'AI_ENGINE_MISCONFIGURED',
      message: `The AI engine is not set up on this worker (${err.engine}): ${err.message}`,
      hint: `The operator must fix ${err.setting}; builds fail the same way until then. Work that was not done is not charged.`,
    });
    return 'failed';
  }
  if (err instanceof EngineUnavailableError) {
    await finish(deps, build, log, 'failed', {
      code: 'AI_UNAVAILABLE',
      message: `The AI engine is unavailable right now (${err.engine}): ${err.message}`,
      hint: 'Try again in a few minutes. Work that was not done is not charged.',
    });
    return 'failed';
  }
  const known = err instanceof StageFailure;
  if (!known) {
    deps.logger.error({ err, buildId: build.id }, 'build stage crashed');
    if (options.lastAttempt) {
      await log.emit({
        type: 'build.error',
        level: 'error',
        message: 'An internal error stopped the build.',
      });
    }
  }
  if (isRetryable(err) && !options.lastAttempt) {
    await log.emit({
      type: 'build.error',
      level: 'error',
      message: known
        ? `${err.message} The build will be retried.`
        : 'An internal error interrupted the build; it will be retried.',
    });
    throw err;
  }
  await finish(
    deps,
    build,
    log,
    'failed',
    known
      ? { code: err.code, message: err.message, hint: err.hint }
      : {
          code: 'INTERNAL',
          message: 'The build stopped because of an internal error.',
          hint: 'Try again; if it keeps failing, report the build id to the operator.',
        },
  );
  return 'failed';
}

function makeRun(
  deps: PipelineDeps,
  build: Build,
  workspace: Workspace,
  log: BuildEventLog,
  signal: AbortSignal,
  state: PipelineState,
  identity: SandboxIdentity | undefined,
): BuildRun {
  const sandbox = bindIdentity(deps.sandbox, identity);
  return {
    deps,
    build,
    workspace,
    log,
    signal,
    state,
    identity,
    sandbox,
    async exec(stage, spec) {
      const out = new OutputLogger(log, stage);
      await log.emit({
        type: 'process.started',
        stage,
        level: 'debug',
        message: [path.basename(spec.command), ...spec.args.map((a) => path.basename(a))].join(' '),
      });
      const result = await sandbox.run({
        ...spec,
        cwd: spec.cwd ?? workspace.root,
        workspace: workspace.root,
        signal,
        onOutput: out.write,
      });
      out.flush();
      state.processMs += result.durationMs;
      return result;
    },
  };
}

async function prepareWorkspace(
  deps: PipelineDeps,
  build: Build,
  fresh: boolean,
  owner: SandboxIdentity | undefined,
): Promise<Workspace> {
  const root = workspaceDir(deps.settings.dataDir, build.id);
  if (fresh) await rm(root, { recursive: true, force: true });
  const workspace = await Workspace.create(root, deps.settings.workspaceLimits);
  // The sandboxed tools write into the workspace (node_modules, dist) as the build's uid. A
  // build continued by a later job holds another slot: what earlier processes wrote is its now.
  if (owner && fresh) await chown(workspace.root, owner.uid, owner.gid);
  else if (owner) await chownTree(workspace.root, owner);
  return workspace;
}

async function finish(
  deps: PipelineDeps,
  build: Build,
  log: BuildEventLog,
  status: 'succeeded' | 'failed' | 'cancelled',
  error?: { code: BuildErrorCode; message: string; hint: string },
  previewUrl?: string,
  timing?: Record<string, unknown>,
  sessionId?: string,
): Promise<void> {
  // Every end of a build passes here, so this is the one clean-up: before the build is marked
  // ended, so whoever sees it end finds nothing left. A build handed back to the queue (retry,
  // shutdown) or continued by its second half never gets here and keeps its workspace; the
  // start-up sweep removes that one if the build later ends elsewhere.
  await removeWorkspace(deps.settings, build.id);
  const ended = await deps.builds.finish(build.id, {
    status,
    ...(error ? { error } : {}),
    ...(previewUrl ? { previewUrl } : {}),
  });
  if (!ended) return;
  await deps.usage
    .recordSession(build, sessionId, status === 'succeeded')
    .catch((err: unknown) =>
      deps.logger.warn({ err, buildId: build.id }, 'recording AI session metrics failed'),
    );
  await log.emit({
    type: TERMINAL_EVENT,
    level: status === 'failed' ? 'error' : 'info',
    message:
      status === 'succeeded'
        ? `Build succeeded: ${previewUrl ?? ''}`.trim()
        : (error?.message ?? status),
    data: {
      status,
      error: error ?? null,
      previewUrl: previewUrl ?? null,
      durationMs: ended.durationMs,
      ...timing,
    },
  });
}

function normaliseStages(stages: StageRecord[]): StageRecord[] {
  return stages.map((s) => ({ ...s }));
}
