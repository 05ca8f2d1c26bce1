import type { ClassifiedFailure } from '../build/classify.js';

/**
 * An expected end of a build (the app does not compile, a dependency does not exist): the
 * build fails with this code, message and hint; the operator detail goes to events.
 */
export class StageFailure extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly hint: string,
    readonly detail?: ClassifiedFailure,
    /** The tail of the tool's output, for fixers (never shown to clients). */
    readonly output?: string,
  ) {
    super(message);
    this.name = 'StageFailure';
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
