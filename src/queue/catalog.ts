import { z } from 'zod';
import { idSchema } from '../ids.js';
import { AI_STAGES, BUILD_STAGES, STAGES, type StageName } from '../pipeline/stage-names.js';

/**
 * Every job the workers run: its payload schema, queue and the stages it covers. One table,
 * so a job without a handler (or a handler without a job) is caught at start-up.
 */
export const QUEUES = ['builds', 'ai'] as const;
export type QueueName = (typeof QUEUES)[number];

const buildPayload = z.object({ buildId: idSchema });

export const JOBS = {
  /** monolith: all stages in one job */
  'build.run': { queue: 'builds', payload: buildPayload, stages: STAGES, finalize: true },
  /** modular, first half: AI-bound stages on the ai queue */
  'build.generate': { queue: 'ai', payload: buildPayload, stages: AI_STAGES, finalize: false },
  /** modular, second half: CPU-bound stages, runs after build.generate completes */
  'build.compile': { queue: 'builds', payload: buildPayload, stages: BUILD_STAGES, finalize: true },
} as const satisfies Record<
  string,
  {
    queue: QueueName;
    payload: typeof buildPayload;
    stages: readonly StageName[];
    finalize: boolean;
  }
>;

export type JobName = keyof typeof JOBS;
export type JobPayload = z.infer<typeof buildPayload>;

export interface JobRequest {
  name: JobName;
  payload: JobPayload;
}

/** Deterministic job id: the same build never has two jobs of one kind. */
export function jobId(request: JobRequest): string {
  return `${request.name.replace('.', '-')}-${request.payload.buildId}`;
}

export interface JobContext {
  attempt: number;
  maxAttempts: number;
  signal: AbortSignal;
}

export type JobHandler = (payload: JobPayload, ctx: JobContext) => Promise<void>;

export function assertHandlers(handlers: Partial<Record<JobName, JobHandler>>): void {
  const missing = (Object.keys(JOBS) as JobName[]).filter((name) => !handlers[name]);
  const unknown = Object.keys(handlers).filter((name) => !(name in JOBS));
  if (missing.length > 0 || unknown.length > 0) {
    throw new Error(
      `job catalog mismatch: missing ${missing.join(', ') || 'none'}; unknown ${unknown.join(', ') || 'none'}`,
    );
  }
}
