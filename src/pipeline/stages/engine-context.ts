import type { EngineContext, EngineUsage } from '../../ai/engine.js';
import { isAppError } from '../../errors.js';
import type { BuildRun } from '../context.js';
import { StageFailure } from '../failure.js';

/** What an engine call of a build needs: its workspace, signal, session and event sink. */
export function engineContext(run: BuildRun, stage: string): EngineContext {
  return {
    signal: run.signal,
    workspaceRoot: run.workspace.root,
    projectId: run.build.projectId,
    ...(run.state.sessionId ? { sessionId: run.state.sessionId } : {}),
    ...(run.identity ? { identity: run.identity } : {}),
    onSession: (sessionId) => {
      run.state.sessionId = sessionId;
      void run.deps.projects.setAiSession(run.build.projectId, sessionId).catch(() => undefined);
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

/** Keeps an engine call's usage for the build's budget and records it for metering. */
export async function noteUsage(
  run: BuildRun,
  operation: string,
  usage: EngineUsage,
): Promise<void> {
  run.state.usage.push(usage);
  await run.deps.usage.record(run.build, run.deps.engine.name, operation, usage);
}

/**
 * Reserves AI time for a round of engine calls (0: plan and generate; n: fix attempt n). A
 * short balance ends the build with QUOTA_EXCEEDED before the engine is called.
 */
export async function reserveAiTime(run: BuildRun, round: number): Promise<void> {
  try {
    await run.deps.quota.reserveRound(run.build, round);
  } catch (err) {
    if (isAppError(err) && err.code === 'QUOTA_EXCEEDED') {
      throw new StageFailure('QUOTA_EXCEEDED', err.message, err.hint);
    }
    throw err;
  }
}
