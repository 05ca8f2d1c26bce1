import type { BuildRun } from './context.js';
import type { StageName } from './stage-names.js';

export type StageEnd = 'succeeded' | 'failed' | 'cancelled';

/**
 * One log line and one metric per stage run that ended: the operator's view of where a
 * build's time went (the build's own events say the same to its client).
 */
export function reportStage(run: BuildRun, stage: StageName, status: StageEnd, ms: number): void {
  const durationMs = Math.round(ms);
  run.deps.metrics.stageEnded(stage, status, durationMs);
  run.deps.logger.info(
    { buildId: run.build.id, stage, status, durationMs },
    `stage ${stage} ${status} in ${durationMs} ms`,
  );
}
