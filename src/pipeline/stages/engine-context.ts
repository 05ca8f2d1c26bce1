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
    const reservation = await run.deps.quota.reserveRound(run.build, round);
    // A reservation this run made (not the one taken when the build was accepted).
    if (reservation && !reservation.reused) {
      await run.log.emit({
        type: 'quota.reserved',
        message: `Reserved ${reservation.seconds} s of AI time; ${reservation.balanceSeconds} s left.`,
        data: { round, seconds: reservation.seconds, balanceSeconds: reservation.balanceSeconds },
      });
    }
  } catch (err) {
    if (isAppError(err) && err.code === 'QUOTA_EXCEEDED') {
      throw new StageFailure('QUOTA_EXCEEDED', err.message, err.hint);
    }
    throw err;
  }
}

/** Settles a round's AI time and says what it cost (visible in the build's events). */
export async function settleAiTime(run: BuildRun, round: number): Promise<void> {
  const settled = await run.deps.quota.settleRound(run.build.id, round);
  if (!settled?.settled) return;
  run.log.emitSoon({
    type: 'quota.settled',
    message: `Charged ${settled.usedSeconds ?? 0} s of AI time, refunded ${settled.refundedSeconds ?? 0} s.`,
    data: {
      round,
      usedSeconds: settled.usedSeconds ?? 0,
      refundedSeconds: settled.refundedSeconds ?? 0,
      unpaidSeconds: settled.unpaidSeconds ?? 0,
    },
  });
}
