import {
  EngineMisconfiguredError,
  EngineNothingToChangeError,
  EngineUnavailableError,
  EngineUnsupportedError,
} from '../ai/engine.js';
import type { BuildError } from '../repositories/builds.repo.js';
import { BuildCancelled, isRetryable, StageFailure } from './failure.js';

export const CANCELLED = {
  code: 'BUILD_CANCELLED',
  message: 'The build was cancelled.',
  hint: 'Start a new build when you are ready.',
} as const satisfies BuildError;

const INTERNAL: BuildError = {
  code: 'INTERNAL',
  message: 'The build stopped because of an internal error.',
  hint: 'Try again; if it keeps failing, report the build id to the operator.',
};

/**
 * What to do with an error that stopped a run:
 * - `handback`: the worker is stopping; rethrow so another worker resumes the build;
 * - `retry`: a fault running again may cure, with attempts left; rethrow for the queue;
 * - `end`: end the build with this status and error.
 * `notice` is a build.error event to emit first; `crashed` marks an error nobody anticipated,
 * which the operator log records with its stack.
 */
export type Verdict =
  | { kind: 'handback' }
  | { kind: 'retry'; err: unknown; notice: string; crashed: boolean }
  | {
      kind: 'end';
      status: 'failed' | 'cancelled';
      error: BuildError;
      notice?: string;
      crashed: boolean;
    };

export interface VerdictContext {
  /** The build's signal: aborted with reason 'cancel' or 'shutdown'. */
  signal: AbortSignal;
  /** True when the queue will not run this job again. */
  lastAttempt: boolean;
}

/**
 * Maps any error to a verdict. Nothing deterministic is ever retried, so the queue never
 * repeats a failure the project caused; a shutdown wins over everything, then a cancel.
 */
export function verdictFor(err: unknown, { signal, lastAttempt }: VerdictContext): Verdict {
  if (signal.reason === 'shutdown') return { kind: 'handback' };
  if (err instanceof BuildCancelled || signal.aborted) {
    return { kind: 'end', status: 'cancelled', error: CANCELLED, crashed: false };
  }
  const engineError = engineFailure(err);
  if (engineError) return { kind: 'end', status: 'failed', error: engineError, crashed: false };
  if (err instanceof StageFailure) {
    if (err.retryable && !lastAttempt) {
      const notice = `${err.message} The build will be retried.`;
      return { kind: 'retry', err, notice, crashed: false };
    }
    const error = { code: err.code, message: err.message, hint: err.hint };
    return { kind: 'end', status: 'failed', error, crashed: false };
  }
  if (lastAttempt) {
    const notice = 'An internal error stopped the build.';
    return { kind: 'end', status: 'failed', error: INTERNAL, notice, crashed: true };
  }
  if (isRetryable(err)) {
    const notice = 'An internal error interrupted the build; it will be retried.';
    return { kind: 'retry', err, notice, crashed: true };
  }
  return { kind: 'end', status: 'failed', error: INTERNAL, crashed: true };
}

function engineFailure(err: unknown): BuildError | undefined {
  if (err instanceof EngineMisconfiguredError) {
    // A set-up error fails every attempt the same way: say what to fix, never "try again".
    return {
      code: 'AI_ENGINE_MISCONFIGURED',
      message: `The AI engine is not set up on this worker (${err.engine}): ${err.message}`,
      hint: `The operator must fix ${err.setting}; builds fail the same way until then. Work that was not done is not charged.`,
    };
  }
  if (err instanceof EngineNothingToChangeError) {
    return {
      code: 'UPDATE_NOTHING_TO_CHANGE',
      message: `Nothing changed (${err.engine}): ${err.message}`,
      hint: 'No new version was built; the current one stays live. Ask for a change this engine can make, or build the update with an AI engine (AI_PROVIDER=anthropic, claude-cli or openai). Work that was not done is not charged.',
    };
  }
  if (err instanceof EngineUnsupportedError) {
    return {
      code: 'AI_REQUEST_UNSUPPORTED',
      message: `The AI engine cannot do this (${err.engine}): ${err.message}`,
      hint: 'Build it with an AI engine (AI_PROVIDER=anthropic, claude-cli or openai, or one of them in AI_FALLBACK). Work that was not done is not charged.',
    };
  }
  if (err instanceof EngineUnavailableError) {
    return {
      code: 'AI_UNAVAILABLE',
      message: `The AI engine is unavailable right now (${err.engine}): ${err.message}`,
      hint: 'Try again in a few minutes. Work that was not done is not charged.',
    };
  }
  return undefined;
}
