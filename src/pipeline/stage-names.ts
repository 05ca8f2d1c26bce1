export const STAGES = [
  'plan',
  'generate',
  'install',
  'validate',
  'build',
  'package',
  'deploy',
  'record',
  'recommend',
] as const;
export type StageName = (typeof STAGES)[number];

/** Modular mode splits the pipeline here: AI-bound stages, then CPU-bound ones. */
export const AI_STAGES: readonly StageName[] = ['plan', 'generate'];
export const BUILD_STAGES: readonly StageName[] = [
  'install',
  'validate',
  'build',
  'package',
  'deploy',
  'record',
  'recommend',
];

/**
 * Stages after the version went live (record): a cancel no longer stops the build, which
 * would otherwise end cancelled with its version current; and they never fail it.
 */
export const AFTER_LIVE: readonly StageName[] = ['recommend'];

export const BUILD_STATUSES = ['queued', 'running', 'succeeded', 'failed', 'cancelled'] as const;
export type BuildStatus = (typeof BUILD_STATUSES)[number];
export const TERMINAL_STATUSES: readonly BuildStatus[] = ['succeeded', 'failed', 'cancelled'];

export interface StageRecord {
  name: StageName;
  status: 'pending' | 'running' | 'succeeded' | 'failed' | 'skipped' | 'cancelled';
  startedAt: string | null;
  durationMs: number | null;
}

export function initialStages(): StageRecord[] {
  return STAGES.map(pendingStage);
}

export function pendingStage(name: StageName): StageRecord {
  return { name, status: 'pending', startedAt: null, durationMs: null };
}
