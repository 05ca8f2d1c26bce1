import { BUILD_ERRORS, type BuildErrorCode } from '../build/build-errors.js';
import type { ClassifiedFailure } from '../build/classify.js';

/**
 * An expected end of a build (the app does not compile, a dependency does not exist): the
 * build fails with this code, message and hint; the operator detail goes to events.
 * `retryable` comes from the code's catalog entry: only infrastructure faults are retried.
 */
export class StageFailure extends Error {
  readonly retryable: boolean;

  constructor(
    readonly code: BuildErrorCode,
    message: string,
    readonly hint: string,
    readonly detail?: ClassifiedFailure,
    /** The tail of the tool's output, for fixers (never shown to clients). */
    readonly output?: string,
  ) {
    super(message);
    this.name = 'StageFailure';
    this.retryable = BUILD_ERRORS[code].retryable;
  }

  static from(failure: ClassifiedFailure, output?: string): StageFailure {
    return new StageFailure(failure.code, failure.message, failure.hint, failure, output);
  }
}

export class BuildCancelled extends Error {
  constructor() {
    super('The build was cancelled.');
    this.name = 'BuildCancelled';
  }
}

/**
 * Whether running the job again could end differently. A failure that knows its cause says so
 * itself; an error nobody anticipated is treated as an infrastructure fault (INTERNAL).
 */
export function isRetryable(err: unknown): boolean {
  if (err && typeof err === 'object' && 'retryable' in err && typeof err.retryable === 'boolean')
    return err.retryable;
  return true;
}
