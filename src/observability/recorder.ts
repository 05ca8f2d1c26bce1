import type { EngineUsage } from '../ai/engine.js';

/** Why an engine call failed, as counted: a closed set so the label stays small. */
export type EngineErrorKind = 'unavailable' | 'misconfigured' | 'cancelled' | 'error';

/**
 * Where the work happens tells the metrics what happened: one method per event. The port the
 * pipeline, engines, sandbox, quota and webhooks record through; the Prometheus registry
 * (metrics.ts) implements it, and code built without one records nothing (NO_METRICS).
 */
export interface MetricsRecorder {
  /** `route` is the matched route pattern, never the raw URL (bounded label values). */
  httpRequest(method: string, route: string, statusCode: number, seconds: number): void;
  buildEnded(status: string, seconds: number | undefined, errorCode: string | undefined): void;
  stageEnded(stage: string, status: string, ms: number): void;
  engineCall(engine: string, operation: string, usage: EngineUsage): void;
  engineError(engine: string, operation: string, kind: EngineErrorKind): void;
  sandboxKill(reason: string): void;
  quotaRefused(operation: string): void;
  webhookAttempt(endpoint: string, outcome: string): void;
}

const nothing = () => undefined;

export const NO_METRICS: MetricsRecorder = {
  httpRequest: nothing,
  buildEnded: nothing,
  stageEnded: nothing,
  engineCall: nothing,
  engineError: nothing,
  sandboxKill: nothing,
  quotaRefused: nothing,
  webhookAttempt: nothing,
};
